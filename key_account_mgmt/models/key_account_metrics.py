from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import context_tz


class KeyAccountMetrics(models.AbstractModel):
    """The one place that knows how the figures of key accounts are computed from posted
    invoices (ARCHITECTURE: metrics). Every method answers for a set of partners in one SQL
    statement; callers (partner form, archive, scoring, report, KPIs) never write their own
    revenue query."""

    _name = "key.account.metrics"
    _description = "Key Account Metrics"

    @api.model
    def _invoice_scope(self, partner_ids, consolidate=False):
        """SQL selecting the account of each customer invoice: the commercial partner, or with
        ``consolidate`` the headquarters of a branch (集团客户: group figures)."""
        account = SQL(
            "CASE WHEN %(consolidate)s AND cp.key_account_group_relation = 'branch' "
            "AND cp.key_account_headquarters_id IS NOT NULL "
            "THEN cp.key_account_headquarters_id ELSE cp.id END",
            consolidate=bool(consolidate),
        )
        return account, SQL(
            """
              FROM account_move m
              JOIN res_partner cp ON cp.id = m.commercial_partner_id
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.company_id = ANY(%(company_ids)s)
               AND %(account)s = ANY(%(partner_ids)s)
            """,
            company_ids=self.env.companies.ids,
            account=account,
            partner_ids=list(partner_ids),
        )

    @api.model
    def _revenue(self, partner_ids, date_from, date_to, consolidate=False):
        """Invoiced revenue net of refunds, untaxed, in company currency, per partner id, for
        invoices dated between ``date_from`` and ``date_to`` (inclusive)."""
        if not partner_ids:
            return {}
        account, scope = self._invoice_scope(partner_ids, consolidate)
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date", "amount_untaxed_signed"]
        )
        self.env["res.partner"].flush_model(["key_account_group_relation", "key_account_headquarters_id"])
        self.env.cr.execute(
            SQL(
                "SELECT %(account)s, SUM(m.amount_untaxed_signed) %(scope)s "
                "AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s GROUP BY 1",
                account=account,
                scope=scope,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _revenue_by_year(self, partner_ids, years, consolidate=False):
        """{partner_id: {year: revenue}} for the given calendar years, one statement."""
        if not partner_ids or not years:
            return {}
        account, scope = self._invoice_scope(partner_ids, consolidate)
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date", "amount_untaxed_signed"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT %(account)s, EXTRACT(YEAR FROM m.invoice_date)::int, SUM(m.amount_untaxed_signed) "
                "%(scope)s AND EXTRACT(YEAR FROM m.invoice_date)::int = ANY(%(years)s) GROUP BY 1, 2",
                account=account,
                scope=scope,
                years=list(years),
            )
        )
        result = {}
        for partner_id, year, amount in self.env.cr.fetchall():
            result.setdefault(partner_id, {})[year] = amount
        return result

    @api.model
    def _invoice_summary(self, partner_ids, consolidate=False):
        """{partner_id: (invoice count, first invoice date, last invoice date)}."""
        if not partner_ids:
            return {}
        account, scope = self._invoice_scope(partner_ids, consolidate)
        self.env["account.move"].flush_model(["state", "move_type", "commercial_partner_id", "invoice_date"])
        self.env.cr.execute(
            SQL(
                "SELECT %(account)s, COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'), "
                "MIN(m.invoice_date), MAX(m.invoice_date) %(scope)s GROUP BY 1",
                account=account,
                scope=scope,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _receivable_summary(self, partner_ids, date=None, consolidate=False):
        """Receivables of customer invoices (客户出货回款) per partner id as of ``date`` (default
        today), tax included, in company currency, in one SQL statement:
        ``{partner_id: {'invoiced', 'paid', 'residual', 'overdue', 'overdue_days'}}``.

        - invoiced: receivables of the posted invoices dated up to ``date``, net of refunds;
        - residual: what of it was still open on ``date`` (payments and credit notes matched
          up to that date deducted, from the reconciliations), paid = invoiced - residual;
        - overdue: the open part of the instalments due before ``date``;
        - overdue_days: days past due of the oldest instalment still open (0 if none).

        With ``consolidate`` the invoices of a branch count for its headquarters (as in
        ``_revenue``): ask for a branch's own figures without it."""
        if not partner_ids:
            return {}
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        account, scope = self._invoice_scope(partner_ids, consolidate)
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date", "invoice_date_due"]
        )
        self.env["account.move.line"].flush_model(["move_id", "display_type", "balance", "date_maturity"])
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "credit_move_id", "amount", "max_date"])
        self.env["res.partner"].flush_model(["key_account_group_relation", "key_account_headquarters_id"])
        self.env.cr.execute(
            SQL(
                """
            WITH instalments AS (
                SELECT mv.account, COALESCE(l.date_maturity, mv.invoice_date_due) AS due, l.balance,
                       l.balance - COALESCE(settled.as_debit, 0) + COALESCE(settled.as_credit, 0) AS residual
                  FROM (SELECT m.id, m.invoice_date_due, %(account)s AS account
                        %(scope)s AND m.invoice_date <= %(date)s) AS mv
                  JOIN account_move_line l ON l.move_id = mv.id AND l.display_type = 'payment_term'
                  LEFT JOIN LATERAL (
                        SELECT SUM(p.amount) FILTER (WHERE p.debit_move_id = l.id) AS as_debit,
                               SUM(p.amount) FILTER (WHERE p.credit_move_id = l.id) AS as_credit
                          FROM account_partial_reconcile p
                         WHERE (p.debit_move_id = l.id OR p.credit_move_id = l.id) AND p.max_date <= %(date)s
                  ) AS settled ON TRUE
            )
            SELECT account, SUM(balance), SUM(balance - residual), SUM(residual),
                   COALESCE(SUM(residual) FILTER (WHERE due < %(date)s), 0),
                   COALESCE(MAX(%(date)s - due) FILTER (WHERE due < %(date)s AND residual > 0), 0)
              FROM instalments
             GROUP BY account
            """,
                account=account,
                scope=scope,
                date=date,
            )
        )
        return {
            row[0]: {"invoiced": row[1], "paid": row[2], "residual": row[3], "overdue": row[4], "overdue_days": row[5]}
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _visit_summary(self, partner_ids):
        """{partner_id: (last reported date, reported visits, reported receptions)}."""
        if not partner_ids:
            return {}
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_done"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, (MAX(date_done) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                   COUNT(*) FILTER (WHERE kind = 'visit'), COUNT(*) FILTER (WHERE kind = 'reception')
              FROM (SELECT partner_id, date_done, 'visit' AS kind FROM key_account_visit
                     WHERE state IN ('done', 'closed') AND partner_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT partner_id, date_done, 'reception' FROM key_account_reception
                     WHERE state IN ('done', 'closed') AND partner_id = ANY(%(ids)s)) AS reported
             GROUP BY partner_id
            """,
                ids=list(partner_ids),
                tz=context_tz(self.env),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _visit_rate(self, date_from, date_to, user_ids=None):
        """Visit rate per responsible person (大客户回访率 = done / planned): {user_id: (planned,
        done)} over the visits and receptions planned in the period, cancelled and rejected
        plans left out."""
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["user_id", "state", "date_planned", "company_id"])
        user_filter = SQL("AND user_id = ANY(%s)", list(user_ids)) if user_ids else SQL()

        def plans(table):
            return SQL(
                "SELECT user_id, state FROM %(table)s WHERE date_planned >= %(start)s AND date_planned < %(end)s "
                "AND company_id = ANY(%(company_ids)s) AND state NOT IN ('cancelled', 'rejected') %(user_filter)s",
                table=SQL.identifier(table),
                start=fields.Datetime.to_datetime(date_from),
                end=fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
                company_ids=self.env.companies.ids,
                user_filter=user_filter,
            )

        self.env.cr.execute(
            SQL(
                "SELECT user_id, COUNT(*), COUNT(*) FILTER (WHERE state IN ('done', 'closed')) "
                "FROM (%s UNION ALL %s) AS plans GROUP BY user_id",
                plans("key_account_visit"),
                plans("key_account_reception"),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _visit_counts(self, partner_ids, date_from, date_to):
        """{partner_id: (visits planned, visits done, receptions done)} in the period: plans
        dated in it (cancelled and rejected left out), reports whose actual date falls in it."""
        if not partner_ids:
            return {}
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_planned", "date_done"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id,
                   COUNT(*) FILTER (WHERE kind = 'visit' AND date_planned >= %(start)s AND date_planned < %(end)s
                                      AND state NOT IN ('cancelled', 'rejected')),
                   COUNT(*) FILTER (WHERE kind = 'visit' AND date_done >= %(start)s AND date_done < %(end)s
                                      AND state IN ('done', 'closed')),
                   COUNT(*) FILTER (WHERE kind = 'reception' AND date_done >= %(start)s AND date_done < %(end)s
                                      AND state IN ('done', 'closed'))
              FROM (SELECT partner_id, state, date_planned, date_done, 'visit' AS kind FROM key_account_visit
                     WHERE partner_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT partner_id, state, date_planned, date_done, 'reception' FROM key_account_reception
                     WHERE partner_id = ANY(%(ids)s)) AS plans
             GROUP BY partner_id
            """,
                ids=list(partner_ids),
                start=fields.Datetime.to_datetime(date_from),
                end=fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _revenue_total(self, date_from, date_to):
        """All customers' invoiced revenue net of refunds, untaxed, in company currency, of the
        current companies in the period: the denominator of key accounts' share of sales."""
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "invoice_date", "amount_untaxed_signed"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(SUM(amount_untaxed_signed), 0) FROM account_move WHERE state = 'posted' "
                "AND move_type IN ('out_invoice', 'out_refund') AND company_id = ANY(%(company_ids)s) "
                "AND invoice_date BETWEEN %(date_from)s AND %(date_to)s",
                company_ids=self.env.companies.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _monthly_revenue_query(self):
        """SQL rows (company_id, partner_id, month, revenue): every customer's invoiced revenue
        net of refunds per company and month, on the rules of ``_revenue``; for SQL views."""
        return SQL(
            """
            SELECT m.company_id, m.commercial_partner_id AS partner_id,
                   date_trunc('month', m.invoice_date)::date AS month, SUM(m.amount_untaxed_signed) AS revenue
              FROM account_move m
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') AND m.invoice_date IS NOT NULL
             GROUP BY 1, 2, 3
            """
        )

    @api.model
    def _month(self, day):
        """(first day, last day) of the month of ``day`` (a date or an ISO string): the period
        of monthly reviews, reports and KPIs (ARCHITECTURE: periods)."""
        start = fields.Date.to_date(day).replace(day=1)
        return start, fields.Date.end_of(start, "month")

    @api.model
    def _complaint_summary(self, date_from, date_to, partner_ids=None, user_ids=None, group_by=None):
        """Complaints and service requests of key accounts received between ``date_from`` and
        ``date_to`` (dates, inclusive), for the KPIs of seed 001 §2.1 (有效投诉次数, 意见反馈及时率,
        解答及时性), in one SQL statement:
        ``{key: {'count', 'valid', 'replied', 'replied_in_sla', 'resolved', 'resolved_in_sla'}}``.

        - ``count``: complaints and requests received (the denominator of 意见反馈及时率);
          ``valid``: complaints assessed valid (确因人员或企业过失);
        - ``replied`` / ``resolved``: with a first reply / a resolution; ``*_in_sla``: within
          the tier's deadline (working hours).

        Keyed by key account (partner id), or by account manager (user id responsible when
        the complaint was received) when ``user_ids`` is given or ``group_by='user'``.
        ``partner_ids`` / ``user_ids`` restrict the scope; companies: the current ones."""
        group_by = group_by or ("user" if user_ids is not None else "partner")
        self.env.cr.execute(self._complaint_summary_query(date_from, date_to, partner_ids, user_ids, group_by))
        names = ("count", "valid", "replied", "replied_in_sla", "resolved", "resolved_in_sla")
        return {row[0]: dict(zip(names, row[1:])) for row in self.env.cr.fetchall()}

    @api.model
    def _complaint_summary_query(
        self, date_from, date_to, partner_ids=None, user_ids=None, group_by="partner", company_ids=None
    ):
        """The SQL of :meth:`_complaint_summary`: rows (key, count, valid, replied,
        replied_in_sla, resolved, resolved_in_sla); ``company_ids`` default: the current ones."""
        if group_by not in ("partner", "user"):
            raise UserError(self.env._("Complaints are summed up by 'partner' or by 'user'."))
        self.env["helpdesk.ticket"].flush_model(
            [
                "key_account_id",
                "key_account_manager_id",
                "date_received",
                "company_id",
                "active",
                "is_valid_complaint",
                "date_replied",
                "reply_in_sla",
                "date_resolved",
                "resolve_in_sla",
            ]
        )
        key = SQL.identifier("key_account_manager_id" if group_by == "user" else "key_account_id")
        filters = [SQL("TRUE")]
        if partner_ids is not None:
            filters.append(SQL("key_account_id = ANY(%s)", self._int_array(partner_ids)))
        if user_ids is not None:
            filters.append(SQL("key_account_manager_id = ANY(%s)", list(user_ids)))
        return SQL(
            """
            SELECT %(key)s AS key, COUNT(*) AS count,
                   COUNT(*) FILTER (WHERE is_valid_complaint) AS valid,
                   COUNT(*) FILTER (WHERE date_replied IS NOT NULL) AS replied,
                   COUNT(*) FILTER (WHERE reply_in_sla) AS replied_in_sla,
                   COUNT(*) FILTER (WHERE date_resolved IS NOT NULL) AS resolved,
                   COUNT(*) FILTER (WHERE resolve_in_sla) AS resolved_in_sla
              FROM helpdesk_ticket
             WHERE key_account_id IS NOT NULL AND active
               AND %(key)s IS NOT NULL
               AND date_received >= %(start)s AND date_received < %(end)s
               AND company_id = ANY(%(company_ids)s)
               AND %(filters)s
             GROUP BY 1
            """,
            key=key,
            start=fields.Datetime.to_datetime(date_from),
            end=fields.Datetime.to_datetime(fields.Date.add(fields.Date.to_date(date_to), days=1)),
            company_ids=list(company_ids or self.env.companies.ids),
            filters=SQL(" AND ").join(filters),
        )

    @api.model
    def _last_12_months(self, today=None):
        today = today or fields.Date.context_today(self)
        return fields.Date.subtract(today, years=1, days=-1), today

    # ------------------------------------------------------------------ scoring (issue #4)
    # Set-based providers of the scoring engine: each answers for a whole population of
    # accounts in one statement. Group customers (集团客户) are judged on consolidated figures:
    # a branch's documents count for the branch itself AND for its headquarters.

    @api.model
    def _score_accounts(self, partner_ids):
        """SQL of the CTE ``accounts(partner_id, account_id)``: whose documents count for which
        of the accounts ``partner_ids``: each one for itself and a branch also for its
        headquarters (集团客户: group figures). Joined to the documents by hash, so one pass
        aggregates them per account (a branch that is itself an account counts twice). The
        branches are read through the partial index of the headquarters (a few thousand
        entries), then joined to the accounts: testing 20,000 ids on every partner scanned the
        whole table, and estimating ``= ANY`` of 20,000 ids costs the planner 10 ms."""
        ids = self._int_array(partner_ids)
        return SQL(
            """
            accounts(partner_id, account_id) AS (
                SELECT id, id FROM unnest(%(ids)s) AS wanted(id)
                 UNION ALL
                SELECT b.id, b.headquarters_id
                  FROM (SELECT id, key_account_headquarters_id AS headquarters_id FROM res_partner
                         WHERE key_account_headquarters_id IS NOT NULL AND key_account_group_relation = 'branch') AS b
                  JOIN unnest(%(ids)s) AS headquarters(id) ON headquarters.id = b.headquarters_id
            )
            """,
            ids=ids,
        )

    @api.model
    def _int_array(self, ids):
        """SQL of an integer array (None: NULL) given as one literal: a population of 20,000 ids
        is parsed in a millisecond, where ARRAY[...] of as many constants costs the planner tens."""
        return SQL("%s::int[]", "{%s}" % ",".join("NULL" if i is None else str(int(i)) for i in ids))

    @api.model
    def _score_windows(self, period_date):
        """The 12-month windows of the scoring period (``period_date`` = first day of month M):
        w0 = the 12 months ending with M, w1 = the 12 months before, w2 = the 12 before w1."""
        from dateutil.relativedelta import relativedelta

        end = period_date + relativedelta(months=1, days=-1)
        return [
            (period_date - relativedelta(months=11 + 12 * back), end - relativedelta(months=12 * back, day=31))
            for back in range(3)
        ]

    @api.model
    def _score_invoice_facts_query(self, partner_ids, company_id, period_date, reference_date):
        """SQL of one row per account of ``partner_ids`` with invoices, from the posted customer
        invoices and refunds of the company, in company currency, in one pass over the invoices:
        rev_0 / rev_1 / rev_2: untaxed revenue net of refunds of windows w0 / w1 / w2;
        total_0 / residual_0: amount incl. taxes and amount still open of the invoices of w0;
        open_residual / overdue_residual: everything still open of the invoices dated up to the end
        of w0, and the part of it due before ``reference_date``;
        invoice_count_0: customer invoices (refunds not counted) of w0;
        company_rev_0: the company's revenue of w0, all customers (the base of the share of sales).

        The invoices are first summed per customer (every customer, in parallel workers: the
        company's revenue comes from the same pass), then the customers' sums per account, so
        that a branch counts for its headquarters too. Amounts are summed as whole numbers of
        the currency's smallest unit in float8: every partial sum is an integer below 2^53
        (90 trillion units of currency at two decimals), so it is exact to the cent, and float8
        additions are what makes this pass cost about what one numeric SUM over the invoice
        lines costs (bench/README.md)."""
        w0, w1, w2 = self._score_windows(period_date)
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
                "invoice_date_due",
                "amount_untaxed_signed",
                "amount_total_signed",
                "amount_residual_signed",
            ]
        )
        self.env["res.partner"].flush_model(["key_account_group_relation", "key_account_headquarters_id"])
        unit = 10 ** self.env["res.company"].browse(company_id).currency_id.decimal_places
        sums = {
            "rev_0": ("amount_untaxed_signed", w0),
            "rev_1": ("amount_untaxed_signed", w1),
            "rev_2": ("amount_untaxed_signed", w2),
            "total_0": ("amount_total_signed", w0),
            "residual_0": ("amount_residual_signed", w0),
            "open_residual": ("amount_residual_signed", None),
            "overdue_residual": ("amount_residual_signed", "overdue"),
        }

        def smallest_units(column, window):
            amount = SQL("SUM(((m.%s * %s)::int8)::float8)", SQL.identifier(column), unit)
            if window is None:
                return amount
            if window == "overdue":
                return SQL("%s FILTER (WHERE m.invoice_date_due < %s)", amount, reference_date)
            return SQL("%s FILTER (WHERE m.invoice_date BETWEEN %s AND %s)", amount, *window)

        def per_account(name):
            return SQL(
                "SUM(c.%(name)s)::int8 / %(unit)s AS %(name)s", name=SQL.identifier(name), unit=SQL("%s::numeric", unit)
            )

        return SQL(
            """
            WITH %(accounts)s, customers AS (
                SELECT m.commercial_partner_id AS partner_id, %(sums)s,
                       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice' AND m.invoice_date BETWEEN %(f0)s AND %(t0)s) AS invoice_count_0,
                       SUM(%(rev_0)s) OVER () AS company_rev_0
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') AND m.company_id = %(company_id)s
                   AND (m.invoice_date >= %(f2)s OR m.amount_residual_signed <> 0)
                   AND m.invoice_date <= %(t0)s
                 GROUP BY m.commercial_partner_id
            )
            SELECT a.account_id, %(per_account)s, SUM(c.invoice_count_0) AS invoice_count_0,
                   MAX(c.company_rev_0)::int8 / %(unit)s AS company_rev_0
              FROM customers c
              JOIN accounts a ON a.partner_id = c.partner_id
             GROUP BY a.account_id
            """,
            accounts=self._score_accounts(partner_ids),
            sums=SQL(", ").join(
                SQL("%s AS %s", smallest_units(*spec), SQL.identifier(name)) for name, spec in sums.items()
            ),
            per_account=SQL(", ").join(per_account(name) for name in sums),
            rev_0=smallest_units(*sums["rev_0"]),
            unit=SQL("%s::numeric", unit),
            f0=w0[0],
            t0=w0[1],
            f2=w2[0],
            company_id=company_id,
        )

    @api.model
    def _score_order_facts_query(self, partner_ids, company_id, date_from, date_to):
        """SQL of (account_id, margin in company currency, orders) of the confirmed sales
        orders (state 'sale') ordered between two dates (``sale_margin``)."""
        self.env["sale.order"].flush_model(
            ["state", "company_id", "partner_id", "date_order", "margin", "currency_rate"]
        )
        return SQL(
            """
            WITH %(accounts)s
            SELECT a.account_id, SUM(so.margin / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS margin, COUNT(*) AS orders
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN accounts a ON a.partner_id = p.commercial_partner_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company_id)s
               AND so.date_order >= %(start)s AND so.date_order < %(end)s
             GROUP BY a.account_id
            """,
            accounts=self._score_accounts(partner_ids),
            company_id=company_id,
            start=fields.Datetime.to_datetime(date_from),
            end=fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
        )

    @api.model
    def _score_visit_count_query(self, company_id, date_from, date_to):
        """SQL of (account_id, visits): reported visits + receptions (state done or closed) of
        the key account itself whose actual date lies between two dates, for every account
        that has some (the caller joins its own accounts: visits are of key accounts anyway,
        and filtering on 20,000 ids costs more to plan than the few others cost to count)."""
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_done", "company_id"])
        where = SQL(
            "state IN ('done', 'closed') AND company_id = %s AND date_done >= %s AND date_done < %s",
            company_id,
            fields.Datetime.to_datetime(date_from),
            fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
        )
        return SQL(
            "SELECT partner_id AS account_id, COUNT(*) AS visits FROM (SELECT partner_id FROM key_account_visit WHERE %s "
            "UNION ALL SELECT partner_id FROM key_account_reception WHERE %s) AS done GROUP BY partner_id",
            where,
            where,
        )
