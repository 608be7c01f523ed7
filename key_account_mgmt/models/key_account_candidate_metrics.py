from odoo import api, models
from odoo.tools import SQL


class KeyAccountMetrics(models.AbstractModel):
    """The figures of potential key accounts (潜在大客户, seed 001 §3.2.2 二.1): ordinary
    customers measured by the facts of the scoring (key.account.score.facts: revenue of the
    12 months and of the 12 before, the company's revenue, invoices and confirmed orders), on
    the same consolidation rule (a branch's documents count for its group head)."""

    # one file per concern of the metrics: key_account_metrics.py is at its ~400-line limit
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "key.account.metrics"

    @api.model
    def _candidate_population(self, company_id, period_date):
        """Ids of the ordinary customers of the company with a posted invoice or refund in the
        12 months of ``period_date`` (their own or a branch's), in one statement: commercial
        companies that are no key account, no branch or carrier of a group, of the company or
        shared."""
        w0 = self.env["key.account.score.facts"]._score_windows(period_date)[0]
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date"]
        )
        self.env["res.partner"].flush_model(
            ["is_key_account", "key_account_headquarters_id", "parent_id", "company_id", "active"]
        )
        self.env.cr.execute(
            SQL(
                """
            WITH accounts(partner_id, account_id) AS (%(accounts)s)
            SELECT DISTINCT p.id
              FROM account_move m
              JOIN accounts a ON a.partner_id = m.commercial_partner_id
              JOIN res_partner p ON p.id = a.account_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') AND m.company_id = %(company)s
               AND m.invoice_date BETWEEN %(start)s AND %(end)s
               AND p.active AND p.parent_id IS NULL AND p.key_account_headquarters_id IS NULL
               AND NOT COALESCE(p.is_key_account, FALSE)
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
             ORDER BY p.id
            """,
                accounts=self._accounts_query(),
                company=company_id,
                start=w0[0],
                end=w0[1],
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _candidate_facts_query(self, partner_ids, company_id, period_date):
        """SQL of one row per customer of ``partner_ids`` with invoices: partner_id, revenue
        (12 months to the end of the month of ``period_date``, untaxed, net of refunds, group
        figure), previous_revenue (the 12 months before), company_revenue (every customer's),
        share (% of the company's), growth (% on the 12 months before; NULL without them),
        invoice_count (customer invoices of the 12 months), order_count (confirmed sales orders
        of the 12 months): the scoring's facts, in one statement."""
        facts = self.env["key.account.score.facts"]
        w0 = facts._score_windows(period_date)[0]
        return SQL(
            """
            SELECT i.account_id AS partner_id, i.rev_0 AS revenue, i.rev_1 AS previous_revenue,
                   i.company_rev_0 AS company_revenue,
                   CASE WHEN i.company_rev_0 > 0 THEN ROUND(i.rev_0 / i.company_rev_0 * 100, 4) ELSE 0 END AS share,
                   CASE WHEN i.rev_1 > 0 THEN ROUND((i.rev_0 - i.rev_1) / i.rev_1 * 100, 2) END AS growth,
                   COALESCE(i.invoice_count_0, 0) AS invoice_count, COALESCE(o.orders, 0) AS order_count
              FROM (%(invoices)s) AS i
              LEFT JOIN (%(orders)s) AS o ON o.account_id = i.account_id
            """,
            invoices=facts._score_invoice_facts_query(partner_ids, company_id, period_date, w0[1]),
            orders=facts._score_order_facts_query(partner_ids, company_id, *w0),
        )
