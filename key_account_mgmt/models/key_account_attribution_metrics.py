from odoo import api, models
from odoo.tools import SQL

MONTH_END = SQL("(cm.month + interval '1 month - 1 day')::date")
# Every field the credit split reads (with key.account.roster's histories): the flush before it,
# the KPI view's dependencies and the triggers that tell its kept months out of date
# (key.account.credit.month) are made from this list.
ATTRIBUTION_READS = {
    "account.move": [
        "state",
        "move_type",
        "company_id",
        "commercial_partner_id",
        "invoice_date",
        "team_id",
        "reversed_entry_id",
    ],
    "account.move.line": ["move_id", "display_type", "balance", "product_id", "tax_repartition_line_id"],
    "product.product": ["product_tmpl_id"],
    "product.template": ["categ_id"],
    "product.category": ["parent_path"],
    "res.partner": [
        "is_key_account",
        "key_account_lost",
        "key_account_manager_id",
        "key_account_group_relation",
        "key_account_headquarters_id",
        "key_account_region_id",
    ],
    "res.users": ["sale_team_id"],
    "key.account.credit.split.rule": ["active", "company_id", "sequence", "kind", "share", "team_id", "match_team"]
    + ["categ_ids"],
    "key.account.credit.override": ["active", "company_id", "move_id", "partner_id", "date_from", "date_to"]
    + ["user_id", "team_id", "user_share", "team_share"],
    "key.account.handover.log": ["partner_id", "date", "from_user_id", "to_user_id"],
    "key.account.state.log": ["partner_id", "date"],
    "key.account.loss": ["partner_id", "date"],
    "key.account.application": ["partner_id", "state", "approved_date"],
}


class KeyAccountMetrics(models.AbstractModel):  # pylint: disable=consider-merging-classes-inherited
    """The credit split (业绩分配, seed 002): who is credited with each invoice line's revenue.

    Each posted customer invoice and refund line (untaxed, company currency, refunds negative)
    is attributed once in total, as rows (company, team, user or none, line, share, amount)
    whose amounts add up to the line's: a person's share (user and their sales team), a team's
    (region, no person) and the company's (neither). Sales KPIs, targets and the dashboard read
    these rows, so what the specialists, teams and the company are credited with adds up to the
    company's revenue.

    The line takes the first of: a KA Manager's override of its invoice, then of its account
    and period (key.account.credit.override); the company's rules by sequence
    (key.account.credit.split.rule), for key accounts' lines only; the default — the key
    account's manager in the month (key.account.roster) for a key account's line (a branch that
    is a key account itself for its own manager, else its headquarters'), else the customer's
    region or the invoice's sales team, else the company (无法划分的客户归上一级).

    Unlike the group figures of :meth:`_accounts_query` (a branch's invoices count for the
    branch and its headquarters), credit is never counted twice."""

    _inherit = "key.account.metrics"

    @api.model
    def _flush_attribution(self):
        for model, fnames in ATTRIBUTION_READS.items():
            self.env[model].flush_model(fnames)

    @api.model
    def _attribution_query(self, date_from=None, date_to=None, company_ids=None, user_ids=None):
        """SQL rows (company_id, team_id, user_id, line_id, move_id, partner_id, account_id,
        month, source, rule_id, override_id, share, amount) of the invoice lines dated between
        ``date_from`` and ``date_to`` (None: any) of ``company_ids`` (None: every company):
        see the class. ``source`` is ``override``, the rule's kind, ``account`` or
        ``customer``; ``share`` a percentage of the line; a person's team is their sales team
        (the row's own team when they have none). With ``user_ids``, only the lines that can
        credit one of them are split (``_lines_crediting``): their rows are exact, the others
        (other people, teams, the company) partial — for a caller that keeps only theirs."""
        self._flush_attribution()
        roster = self.env["key.account.roster"]
        where = [SQL("m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')")]
        if date_from:
            where.append(SQL("m.invoice_date >= %s", date_from))
        if date_to:
            where.append(SQL("m.invoice_date <= %s", date_to))
        if company_ids is not None:
            where.append(SQL("m.company_id = ANY(%s)", list(company_ids)))
        if user_ids is not None:
            where.append(self._lines_crediting(user_ids))
        return SQL(
            """
            WITH lines AS (
                SELECT l.id AS line_id, m.id AS move_id, m.company_id, m.commercial_partner_id AS customer_id,
                       m.invoice_date, date_trunc('month', m.invoice_date)::date AS month, m.reversed_entry_id,
                       m.team_id AS move_team_id, -l.balance AS amount, cat.parent_path
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id AND (l.display_type = 'product'
                       OR (l.display_type = 'rounding' AND l.tax_repartition_line_id IS NULL))
                  LEFT JOIN product_product pp ON pp.id = l.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN product_category cat ON cat.id = pt.categ_id
                 WHERE %(where)s
            ),
            customers AS (
                SELECT cm.customer_id, cm.month, ka.id AS account_id, ka.manager_id, COALESCE(hq.id, c.id) AS group_id,
                       COALESCE(c.key_account_region_id, hq.key_account_region_id) AS region_id,
                       ka.key_account_region_id AS account_region_id
                  FROM (SELECT DISTINCT customer_id, month FROM lines) AS cm
                  JOIN res_partner c ON c.id = cm.customer_id
                  LEFT JOIN res_partner hq
                         ON c.key_account_group_relation = 'branch' AND hq.id = c.key_account_headquarters_id
                  LEFT JOIN LATERAL (
                        SELECT k.id, k.key_account_region_id, %(manager)s AS manager_id
                          FROM res_partner k
                         WHERE k.id IN (c.id, hq.id) AND (k.is_key_account OR k.key_account_lost) AND %(member)s
                         ORDER BY k.id = c.id DESC LIMIT 1
                  ) AS ka ON TRUE
            ),
            multi AS (
                SELECT g.group_id FROM (
                       SELECT id AS group_id, key_account_region_id AS region_id FROM res_partner
                        WHERE key_account_region_id IS NOT NULL
                        UNION ALL
                       SELECT key_account_headquarters_id, key_account_region_id FROM res_partner
                        WHERE key_account_group_relation = 'branch' AND key_account_headquarters_id IS NOT NULL
                          AND key_account_region_id IS NOT NULL) AS g
                 GROUP BY g.group_id HAVING COUNT(DISTINCT g.region_id) > 1
            ),
            handovers AS (
                SELECT DISTINCT ON (deal_id) * FROM (
                       SELECT h.id, h.date, h.partner_id AS account_id, h.from_user_id, h.to_user_id,
                              fu.sale_team_id AS from_team_id, tu.sale_team_id AS to_team_id,
                              (SELECT dm.id FROM account_move dm JOIN res_partner dc ON dc.id = dm.commercial_partner_id
                                WHERE dm.state = 'posted' AND dm.move_type = 'out_invoice'
                                  AND dm.invoice_date >= %(handed)s
                                  AND (dc.id = h.partner_id OR (dc.key_account_group_relation = 'branch'
                                       AND dc.key_account_headquarters_id = h.partner_id))
                                ORDER BY dm.invoice_date, dm.id LIMIT 1) AS deal_id
                         FROM key_account_handover_log h
                         JOIN res_users fu ON fu.id = h.from_user_id
                         JOIN res_users tu ON tu.id = h.to_user_id
                        WHERE fu.sale_team_id IS NOT NULL AND tu.sale_team_id IS NOT NULL
                          AND fu.sale_team_id != tu.sale_team_id) AS ho
                 WHERE deal_id IS NOT NULL
                 ORDER BY deal_id, date DESC, id DESC
            ),
            candidates(line_id, tier, seq, sort_id, source, rule_id, override_id,
                       user_a, team_a, share_a, user_b, team_b, share_b, company_share) AS (
                SELECT ln.line_id, CASE WHEN o.move_id IS NULL THEN 1 ELSE 0 END, 0, o.id, 'override', NULL::int, o.id,
                       o.user_id, o.team_id, COALESCE(o.user_share, 0)::numeric, NULL::int, o.team_id,
                       COALESCE(o.team_share, 0)::numeric,
                       100 - COALESCE(o.user_share, 0)::numeric - COALESCE(o.team_share, 0)::numeric
                  FROM lines ln
                  JOIN customers cu ON cu.customer_id = ln.customer_id AND cu.month = ln.month
                  JOIN key_account_credit_override o ON o.active AND o.company_id = ln.company_id
                   AND (o.move_id = ln.move_id OR (o.move_id IS NULL AND o.partner_id IN (ln.customer_id, cu.account_id)
                        AND ln.invoice_date BETWEEN o.date_from AND o.date_to))
                 UNION ALL
                SELECT ln.line_id, 2, r.sequence, r.id, r.kind, r.id, NULL,
                       CASE r.kind WHEN 'handover' THEN ho.from_user_id WHEN 'deal_kind' THEN cu.manager_id END,
                       CASE r.kind WHEN 'handover' THEN ho.from_team_id WHEN 'deal_kind' THEN cu.account_region_id END,
                       CASE r.kind WHEN 'handover' THEN r.share::numeric WHEN 'deal_kind' THEN 100 - r.share::numeric
                            ELSE 0 END,
                       CASE r.kind WHEN 'handover' THEN ho.to_user_id END,
                       CASE r.kind WHEN 'handover' THEN ho.to_team_id WHEN 'deal_kind' THEN r.team_id
                            ELSE COALESCE(cu.region_id, cu.account_region_id) END,
                       CASE r.kind WHEN 'handover' THEN 100 - r.share::numeric WHEN 'deal_kind' THEN r.share::numeric
                            ELSE 100 - r.share::numeric END,
                       CASE r.kind WHEN 'multi_region' THEN r.share::numeric ELSE 0 END
                  FROM lines ln
                  JOIN customers cu ON cu.customer_id = ln.customer_id AND cu.month = ln.month
                  JOIN key_account_credit_split_rule r ON r.active AND r.company_id = ln.company_id
                  LEFT JOIN handovers ho ON r.kind = 'handover' AND ho.account_id = cu.account_id
                       AND ho.deal_id IN (ln.move_id, ln.reversed_entry_id)
                 WHERE cu.account_id IS NOT NULL AND CASE r.kind
                       WHEN 'handover' THEN ho.id IS NOT NULL
                       WHEN 'multi_region' THEN cu.group_id IN (SELECT group_id FROM multi)
                       ELSE (r.match_team AND ln.move_team_id = r.team_id) OR EXISTS (
                            SELECT 1 FROM key_account_credit_split_rule_categ_rel rc
                              JOIN product_category rcat ON rcat.id = rc.categ_id
                             WHERE rc.rule_id = r.id AND starts_with(ln.parent_path, rcat.parent_path)) END
                 UNION ALL
                SELECT ln.line_id, 3, 0, 0, CASE WHEN cu.account_id IS NULL THEN 'customer' ELSE 'account' END,
                       NULL, NULL, cu.manager_id,
                       CASE WHEN cu.account_id IS NULL THEN COALESCE(cu.region_id, ln.move_team_id)
                            ELSE cu.account_region_id END,
                       100, NULL, NULL, 0, 0
                  FROM lines ln
                  JOIN customers cu ON cu.customer_id = ln.customer_id AND cu.month = ln.month
            ),
            chosen AS (
                SELECT DISTINCT ON (line_id) * FROM candidates ORDER BY line_id, tier, seq, sort_id
            )
            SELECT ln.company_id,
                   CASE WHEN slot.user_id IS NULL THEN slot.team_id ELSE COALESCE(su.sale_team_id, slot.team_id) END
                       AS team_id,
                   slot.user_id, ln.line_id, ln.move_id, ln.customer_id AS partner_id, cu.account_id, ln.month,
                   ch.source, ch.rule_id, ch.override_id, slot.share, ln.amount * slot.share / 100 AS amount
              FROM lines ln
              JOIN customers cu ON cu.customer_id = ln.customer_id AND cu.month = ln.month
              JOIN chosen ch ON ch.line_id = ln.line_id
             CROSS JOIN LATERAL (VALUES (ch.user_a, ch.team_a, ch.share_a), (ch.user_b, ch.team_b, ch.share_b),
                                        (NULL::int, NULL::int, ch.company_share)) AS slot(user_id, team_id, share)
              LEFT JOIN res_users su ON su.id = slot.user_id
             WHERE slot.share <> 0
            """,
            where=SQL(" AND ").join(where),
            manager=roster._manager_at_sql(SQL("k"), MONTH_END),
            member=roster._key_account_at_sql(SQL("k"), MONTH_END),
            handed=roster._local_day(SQL("h.date")),
        )

    @api.model
    def _attribution(self, date_from, date_to):
        """The rows of :meth:`_attribution_query` of the period for the current companies, as
        dicts: one statement."""
        self.env.cr.execute(self._attribution_query(date_from, date_to, self.env.companies.ids))
        return self.env.cr.dictfetchall()

    @api.model
    def _credited_revenue(self, date_from, date_to, user_ids=None):
        """{user_id: revenue credited in the period} for the current companies (``user_ids``:
        only these), one statement: actual sales of a specialist's target."""
        query = self._attribution_query(date_from, date_to, self.env.companies.ids)
        users = SQL("AND a.user_id = ANY(%s)", list(user_ids)) if user_ids is not None else SQL()
        self.env.cr.execute(
            SQL(
                "SELECT a.user_id, SUM(a.amount) FROM (%s) AS a WHERE a.user_id IS NOT NULL %s GROUP BY 1",
                query,
                users,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _lines_crediting(self, user_ids):
        """SQL condition on the invoice ``m``: true for every line the split can credit to one of
        ``user_ids`` (more lines are fine, the split decides). A person is credited through an
        override naming them (its invoice, or its account or customer), a handover rule (from or
        to them: in the handover log), or as the account's manager in the month (today's
        manager, or one in its handover log: key.account.roster) — lines of those partners and
        of their branches."""
        self.env["key.account.handover.log"].flush_model(["partner_id", "from_user_id", "to_user_id"])
        self.env["res.partner"].flush_model(["key_account_manager_id", "key_account_headquarters_id"])
        return SQL(
            """(m.id IN (SELECT o.move_id FROM key_account_credit_override o
                          WHERE o.user_id = ANY(%(users)s) AND o.move_id IS NOT NULL)
                OR m.commercial_partner_id IN (
                    WITH credited AS (
                        SELECT id FROM res_partner WHERE key_account_manager_id = ANY(%(users)s)
                         UNION
                        SELECT partner_id FROM key_account_handover_log
                         WHERE from_user_id = ANY(%(users)s) OR to_user_id = ANY(%(users)s)
                         UNION
                        SELECT partner_id FROM key_account_credit_override
                         WHERE user_id = ANY(%(users)s) AND partner_id IS NOT NULL)
                    SELECT id FROM credited
                     UNION
                    SELECT branch.id FROM res_partner branch JOIN credited ON credited.id = branch.key_account_headquarters_id))""",
            users=list(user_ids),
        )

    @api.model
    def _monthly_attribution_query(self, user_ids=None, skipped_months=None):
        """SQL rows (company_id, team_id, user_id, month, revenue) of the KPI view: the credit
        of each specialist (with their team), team (no person) and company (neither) per month.
        One attribution per month (a lateral query over the months invoiced), so that the view's
        filter on the month computes only the months asked for; with ``user_ids``, only the lines
        that can credit them (for a view kept to their rows); ``skipped_months``: SQL of months
        not to split (key.account.credit.month reads them)."""
        month_end = SQL("(mo.month + interval '1 month - 1 day')::date")
        skipped = SQL("WHERE mo.month NOT IN (%s)", skipped_months) if skipped_months else SQL()
        return SQL(
            """
            SELECT a.company_id, a.team_id, a.user_id, mo.month, SUM(a.amount) AS revenue
              FROM (SELECT generate_series(date_trunc('month', MIN(invoice_date)), MAX(invoice_date),
                                           interval '1 month')::date AS month
                      FROM account_move
                     WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')) AS mo
             CROSS JOIN LATERAL (%s) AS a
             %s
             GROUP BY 1, 2, 3, 4
            """,
            self._attribution_query(SQL("mo.month"), month_end, user_ids=user_ids),
            skipped,
        )
