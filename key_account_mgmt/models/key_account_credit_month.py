from odoo import api, models
from odoo.tools import SQL

from ..tools import context_tz
from .key_account_attribution_metrics import ATTRIBUTION_READS

# xid8, pg_snapshot and pg_visible_in_snapshot: PostgreSQL 13; on 12 every month is split as read
MIN_SERVER_VERSION = 130000

# How a row added or removed matters (the columns updated always do, from ATTRIBUTION_READS):
# a partner only through its region or headquarters (a group spread over several regions), a
# nomination once approved; new users, products and categories have no invoice yet; a row of the
# split's own tables or histories, always (one trigger per statement). Invoices and their lines
# record the earliest month they touch.
ROWS_MATTER = {
    "res.partner": "{row}.key_account_region_id IS NOT NULL OR {row}.key_account_headquarters_id IS NOT NULL",
    "key.account.application": "{row}.state = 'approved'",
}
ROWS_NEVER_MATTER = {"res.users", "product.product", "product.template", "product.category"}
INVOICES = {"account.move", "account.move.line"}


def _invoice(row):
    return f"{row}.state = 'posted' AND {row}.move_type IN ('out_invoice', 'out_refund')"


def _changed(columns):
    return " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)


# Each records (transaction id, earliest month touched) once per transaction and month; again
# (a new id) after this transaction computed a month itself, so that the month is out of date.
RECORD = """INSERT INTO key_account_credit_change (xid, month_from) {rows}
        ON CONFLICT (xid, month_from) DO UPDATE SET id = nextval('key_account_credit_change_id_seq')
        WHERE EXISTS (SELECT 1 FROM key_account_credit_month_state s WHERE s.xid = EXCLUDED.xid)"""
MOVES_MONTH = """SELECT pg_current_xact_id(), COALESCE(MIN(date_trunc('month', m.invoice_date)::date), '-infinity')
          FROM account_move m WHERE m.id IN ({moves}) AND {invoice} HAVING COUNT(*) > 0"""
# the move's months, old and new, when it is (or was) a posted customer invoice
MOVE_MONTHS = f"""IF TG_OP <> 'INSERT' AND {_invoice("OLD")} THEN
        months := months || date_trunc('month', OLD.invoice_date)::date;
    END IF;
    IF TG_OP <> 'DELETE' AND {_invoice("NEW")} THEN
        months := months || date_trunc('month', NEW.invoice_date)::date;
    END IF;
    """


def _function(name, rows, declarations="", before=""):
    """A trigger function that records a change: ``rows`` (transaction id, month) at most."""
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    {declarations}
BEGIN
    {before}{RECORD.format(rows=rows)};
    RETURN NULL;
END $$;
"""


FUNCTIONS = "\n".join(
    [
        _function("key_account_credit_change_all", "VALUES (pg_current_xact_id(), '-infinity')"),
        _function(
            "key_account_credit_change_move",
            "SELECT pg_current_xact_id(), COALESCE(MIN(month), '-infinity') FROM unnest(months) AS month"
            " HAVING COUNT(*) > 0",
            declarations="months date[] := '{}';",
            before=MOVE_MONTHS,
        ),
        _function(
            "key_account_credit_change_lines",
            MOVES_MONTH.format(moves="SELECT move_id FROM ka_lines", invoice=_invoice("m")),
        ),
        _function(
            "key_account_credit_change_line",
            MOVES_MONTH.format(moves="OLD.move_id, NEW.move_id", invoice=_invoice("m")),
        ),
    ]
)


def _trigger(table, name, when_events, function, condition=None, level="ROW", referencing=""):
    when = f"WHEN ({condition})" if condition else ""
    return (
        table,
        name,
        f"CREATE TRIGGER {name} AFTER {when_events} ON {table} {referencing} FOR EACH {level} {when} "
        f"EXECUTE FUNCTION {function}()",
    )


def _table_triggers(table, columns, matters):
    """The triggers of a table of ATTRIBUTION_READS other than the invoices'."""
    everything = "key_account_credit_change_all"
    changed = _changed(columns)
    if matters is None:
        rows = [
            _trigger(table, "key_account_credit_change", "INSERT OR DELETE OR TRUNCATE", everything, level="STATEMENT")
        ]
    elif matters:
        changed = f"({changed}) AND ({matters.format(row='OLD')} OR {matters.format(row='NEW')})"
        rows = [
            _trigger(table, "key_account_credit_change_insert", "INSERT", everything, matters.format(row="NEW")),
            _trigger(table, "key_account_credit_change_delete", "DELETE", everything, matters.format(row="OLD")),
        ]
    else:
        rows = []
    return [
        *rows,
        _trigger(table, "key_account_credit_change_update", f"UPDATE OF {', '.join(columns)}", everything, changed),
    ]


def _invoice_triggers(move_columns, line_columns):
    move, line, lines = (
        "key_account_credit_change_move",
        "key_account_credit_change_line",
        "key_account_credit_change_lines",
    )
    posted = f"({_invoice('OLD')} OR {_invoice('NEW')})"
    return [
        _trigger(
            "account_move",
            "key_account_credit_change_update",
            f"UPDATE OF {', '.join(move_columns)}",
            move,
            f"{posted} AND ({_changed(move_columns)})",
        ),
        _trigger("account_move", "key_account_credit_change_insert", "INSERT", move, _invoice("NEW")),
        _trigger("account_move", "key_account_credit_change_delete", "DELETE", move, _invoice("OLD")),
        _trigger(
            "account_move_line",
            "key_account_credit_change_update",
            f"UPDATE OF {', '.join(line_columns)}",
            line,
            _changed(line_columns),
        ),
        _trigger(
            "account_move_line",
            "key_account_credit_change_insert",
            "INSERT",
            lines,
            level="STATEMENT",
            referencing="REFERENCING NEW TABLE AS ka_lines",
        ),
        _trigger(
            "account_move_line",
            "key_account_credit_change_delete",
            "DELETE",
            lines,
            level="STATEMENT",
            referencing="REFERENCING OLD TABLE AS ka_lines",
        ),
    ]


def _triggers(env):
    """(table, trigger name, CREATE TRIGGER statement) of every trigger that records a change:
    one or a few per table of ATTRIBUTION_READS, on the columns of its fields (a many2many's
    table as a table of its own)."""
    triggers = []
    columns = {}
    for model, fnames in ATTRIBUTION_READS.items():
        Model = env[model]
        for fname in fnames:
            field = Model._fields[fname]
            if field.type == "many2many":
                triggers += _table_triggers(field.relation, [field.column1, field.column2], None)
            else:
                columns.setdefault(model, []).append(field.name)
    triggers += _invoice_triggers(columns["account.move"], columns["account.move.line"])
    for model, cols in columns.items():
        if model not in INVOICES:
            matters = "" if model in ROWS_NEVER_MATTER else ROWS_MATTER.get(model)
            triggers += _table_triggers(env[model]._table, cols, matters)
    return triggers


class KeyAccountCreditMonth(models.AbstractModel):
    """The credit split of a month, kept (业绩月度留存): what the KPI view's sales actual reads
    instead of splitting every invoice line of the company again.

    The split (key.account.metrics._attribution_query) reads invoices, partners, users,
    products, the split rules and overrides and the key-account histories. Database triggers
    on those tables record each transaction that changes what the split reads, and from which
    month (``key_account_credit_change``: its transaction id, the earliest month it touches;
    the rules, overrides, histories and partners: every month). A month's kept rows
    (``key_account_credit_month``, per time zone: the days of handovers and approvals are local)
    are used only while no change is recorded that the snapshot they were computed in did not
    see (``key_account_credit_month_state``); any other month is split as it is read. So the
    figures are always those of the split of the moment; keeping them only makes them faster.
    The scheduled action computes the months a change left behind, a few per batch."""

    _name = "key.account.credit.month"
    _description = "Key Account Credit per Month (kept)"

    @api.model
    def _available(self):
        return self.env.cr._cnx.server_version >= MIN_SERVER_VERSION

    def init(self):
        if not self._available():
            return
        cr = self.env.cr
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS key_account_credit_change (
                id bigserial PRIMARY KEY,
                xid xid8 NOT NULL,
                month_from date NOT NULL,
                create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                UNIQUE (xid, month_from)
            );
            CREATE INDEX IF NOT EXISTS key_account_credit_change_month_index
                ON key_account_credit_change (month_from);
            CREATE TABLE IF NOT EXISTS key_account_credit_month_state (
                month date NOT NULL,
                tz varchar NOT NULL,
                snapshot pg_snapshot NOT NULL,
                xid xid8,
                change_id bigint,
                computed_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                PRIMARY KEY (month, tz)
            );
            CREATE TABLE IF NOT EXISTS key_account_credit_month (
                month date NOT NULL,
                tz varchar NOT NULL,
                company_id int NOT NULL,
                team_id int,
                user_id int,
                revenue numeric NOT NULL
            );
            CREATE INDEX IF NOT EXISTS key_account_credit_month_month_index ON key_account_credit_month (month, tz);
            """
        )
        cr.execute(FUNCTIONS)
        self._drop_triggers()
        for _table, _name, statement in _triggers(self.env):
            cr.execute(statement)

    def _drop_triggers(self):
        """Every trigger of ours, found in the catalog (one a former version made too)."""
        cr = self.env.cr
        cr.execute(
            """SELECT tgrelid::regclass::text, tgname FROM pg_trigger
                WHERE tgname LIKE 'key\\_account\\_credit\\_change%' AND NOT tgisinternal"""
        )
        for table, name in cr.fetchall():
            cr.execute(SQL("DROP TRIGGER %s ON %s", SQL.identifier(name), SQL(table)))

    @api.model
    def _drop_all(self):
        """Uninstall: the triggers on core tables go with the tables they write to."""
        cr = self.env.cr
        self._drop_triggers()
        for function in ("change_all", "change_move", "change_lines", "change_line"):
            cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(f"key_account_credit_{function}")))
        cr.execute(
            "DROP TABLE IF EXISTS key_account_credit_month, key_account_credit_month_state, key_account_credit_change"
        )

    @api.model
    def _kept_months_sql(self, tz):
        """SQL of the months whose kept rows for ``tz`` are the split of this transaction's
        data: no change recorded since, that their computation did not see."""
        return SQL(
            """SELECT s.month FROM key_account_credit_month_state s
                WHERE s.tz = %s AND NOT EXISTS (
                      SELECT 1 FROM key_account_credit_change d
                       WHERE d.month_from <= s.month AND NOT pg_visible_in_snapshot(d.xid, s.snapshot)
                         AND NOT COALESCE(d.xid = s.xid AND d.id <= s.change_id, FALSE))""",
            tz,
        )

    @api.model
    def _monthly_credit_query(self, user_ids=None, window=None):
        """SQL rows (company_id, team_id, user_id, month, revenue): the credit split per month
        (key.account.metrics._monthly_attribution_query), read from the kept months and split
        for the others; ``user_ids``: only the rows of these people are exact; ``window``:
        (first, last) days the months wanted lie between, if known — when each of these months
        is kept, their kept rows alone (the split's SQL, larger than what it reads here, is not
        even planned)."""
        metrics = self.env["key.account.metrics"]
        if not self._available():
            return metrics._monthly_attribution_query(user_ids)
        tz = context_tz(self.env, user_zone=False)
        users = SQL("AND s.user_id = ANY(%s)", list(user_ids)) if user_ids is not None else SQL()
        if window and all(window) and self._kept_throughout(tz, *window):
            return SQL(
                """SELECT s.company_id, s.team_id, s.user_id, s.month, s.revenue FROM key_account_credit_month s
                    WHERE s.tz = %s AND s.month BETWEEN %s AND %s %s""",
                tz,
                window[0],
                window[1],
                users,
            )
        return SQL(
            """
            WITH kept AS MATERIALIZED (%(kept)s)
            SELECT s.company_id, s.team_id, s.user_id, s.month, s.revenue FROM key_account_credit_month s
             WHERE s.tz = %(tz)s AND s.month IN (SELECT month FROM kept) %(users)s
             UNION ALL
            %(split)s
            """,
            kept=self._kept_months_sql(tz),
            tz=tz,
            users=users,
            split=metrics._monthly_attribution_query(user_ids, skipped_months=SQL("SELECT month FROM kept")),
        )

    @api.model
    def _kept_throughout(self, tz, first, last):
        """Whether every month from ``first`` to ``last`` (days) is kept for ``tz``, as this
        transaction sees the data."""
        self.env["key.account.metrics"]._flush_attribution()
        self.env.cr.execute(
            SQL(
                """SELECT NOT EXISTS (
                          SELECT 1 FROM generate_series(date_trunc('month', %(first)s::date), %(last)s::date,
                                                        interval '1 month') AS m(month)
                           WHERE m.month >= %(first)s AND m.month::date NOT IN (%(kept)s))""",
                first=first,
                last=last,
                kept=self._kept_months_sql(tz),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _zones(self):
        """The time zones the KAM users read in (the kept months are computed for each)."""
        groups = self.env.ref("key_account_mgmt.group_ka_user") | self.env.ref("key_account_mgmt.group_ka_manager")
        users = self.env["res.users"].sudo().search([("groups_id", "in", groups.ids), ("share", "=", False)])
        return sorted(
            {context_tz(self.with_context(tz=tz).env, user_zone=False) for tz in set(users.mapped("tz")) or {None}}
        )

    @api.model
    def _months_to_compute(self, zones):
        """[(month, tz)] whose kept rows are missing or out of date, the latest months first."""
        self.env["key.account.metrics"]._flush_attribution()
        self.env.cr.execute(
            SQL(
                """SELECT generate_series(date_trunc('month', MIN(invoice_date)), MAX(invoice_date),
                                          interval '1 month')::date
                     FROM account_move WHERE %s
                    UNION
                   SELECT month FROM key_account_credit_month_state""",
                SQL(_invoice("account_move")),
            )
        )
        months = sorted((month for (month,) in self.env.cr.fetchall() if month), reverse=True)
        todo = []
        for tz in zones:
            kept = self._kept_months(tz)
            todo += [(month, tz) for month in months if month not in kept]
        return sorted(todo, key=lambda pair: pair[0], reverse=True)

    @api.model
    def _kept_months(self, tz):
        self.env.cr.execute(self._kept_months_sql(tz))
        return {month for (month,) in self.env.cr.fetchall()}

    @api.model
    def _compute_month(self, month, tz):
        """Split ``month`` for ``tz`` and keep its rows with the snapshot they were computed
        in, in one statement (one snapshot whatever the isolation level)."""
        env = self.env(context=dict(self.env.context, tz=tz))
        metrics = env["key.account.metrics"]
        month_end = SQL("(%s::date + interval '1 month - 1 day')::date", month)
        split = metrics._attribution_query(SQL("%s::date", month), month_end)
        self.env.cr.execute("SELECT set_config('jit', 'off', true)")  # planning costs more than it saves
        self.env.cr.execute(
            SQL(
                """
                WITH split AS (
                    SELECT a.company_id, a.team_id, a.user_id, SUM(a.amount) AS revenue
                      FROM (%(split)s) AS a GROUP BY 1, 2, 3
                ), dropped AS (
                    DELETE FROM key_account_credit_month WHERE month = %(month)s AND tz = %(tz)s
                ), kept AS (
                    INSERT INTO key_account_credit_month (month, tz, company_id, team_id, user_id, revenue)
                    SELECT %(month)s, %(tz)s, company_id, team_id, user_id, revenue FROM split
                )
                INSERT INTO key_account_credit_month_state (month, tz, snapshot, xid, change_id)
                SELECT %(month)s, %(tz)s, pg_current_snapshot(), pg_current_xact_id(),
                       (SELECT MAX(id) FROM key_account_credit_change WHERE xid = pg_current_xact_id())
                ON CONFLICT (month, tz) DO UPDATE
                   SET snapshot = EXCLUDED.snapshot, xid = EXCLUDED.xid, change_id = EXCLUDED.change_id,
                       computed_at = now() AT TIME ZONE 'UTC'
                """,
                split=split,
                month=month,
                tz=tz,
            )
        )

    @api.model
    def _forget_seen_changes(self):
        """Drop the recorded changes every kept month has seen (a day old at least, so that no
        computation still running began before them)."""
        self.env.cr.execute(
            """
            DELETE FROM key_account_credit_change d
             WHERE d.create_date < now() AT TIME ZONE 'UTC' - interval '1 day'
               AND pg_visible_in_snapshot(d.xid, pg_current_snapshot())
               AND NOT EXISTS (
                   SELECT 1 FROM key_account_credit_month_state s
                    WHERE s.month >= d.month_from AND NOT pg_visible_in_snapshot(d.xid, s.snapshot)
                      AND NOT COALESCE(d.xid = s.xid AND d.id <= s.change_id, FALSE))
            """
        )

    @api.model
    def _cron_compute_months(self, batch_size=6):
        """Keep the credit split of the months a change left behind, ``batch_size`` months per
        call (the runner commits between calls); any month not kept yet is split when read."""
        todo = self._months_to_compute(self._zones()) if self._available() else []
        for month, tz in todo[:batch_size]:
            self._compute_month(month, tz)
        remaining = len(todo) - len(todo[:batch_size])
        if not remaining and self._available():
            self._forget_seen_changes()
        self.env["ir.cron"]._notify_progress(done=len(todo[:batch_size]), remaining=remaining)
        return True
