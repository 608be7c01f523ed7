from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL


class KeyAccountMetrics(models.AbstractModel):
    """The figures of targets by sales team and product category, and the facts of the
    quarterly appraisal that the KPI view does not hold (churn against the accounts managed
    at the start of the quarter, state upgrades and downgrades, archive completeness)."""

    # one file per concern of the metrics: key_account_metrics.py is at its ~400-line limit
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "key.account.metrics"

    # ------------------------------------------------------------------ targets
    @api.model
    def _target_sales(self, targets):
        """{target id: sales} of targets by sales team and/or product category, in one
        statement: the posted customer invoices and refunds of the current companies dated in
        the target's period, net, untaxed, company currency; of the invoices' sales team
        (``account.move.team_id``), of the key account with its branches, and with a category
        only the product lines of that category and its subcategories."""
        if not targets:
            return {}
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date", "team_id"]
        )
        self.env["account.move"].flush_model(["amount_untaxed_signed"])
        self.env["account.move.line"].flush_model(["move_id", "display_type", "balance", "product_id"])
        self.env["product.template"].flush_model(["categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        rows = []
        for target in targets:
            accounts = None
            if target.partner_id:
                self.env.cr.execute(
                    SQL(
                        "SELECT partner_id FROM (%s) AS a(partner_id, account_id)",
                        self._accounts_query([target.partner_id.id]),
                    )
                )
                accounts = [row[0] for row in self.env.cr.fetchall()]
            rows.append(
                SQL(
                    "(%s, %s::date, %s::date, %s::int, %s::varchar, %s)",
                    target.id,
                    target.date_from,
                    target.date_to,
                    target.team_id.id or None,
                    target.product_category_id.sudo().parent_path or None,
                    self._int_array(accounts) if accounts is not None else SQL("NULL::int[]"),
                )
            )
        invoice = SQL(
            "m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') AND m.company_id = ANY(%s) "
            "AND m.invoice_date BETWEEN t.date_from AND t.date_to "
            "AND (t.team_id IS NULL OR m.team_id = t.team_id) "
            "AND (t.accounts IS NULL OR m.commercial_partner_id = ANY(t.accounts))",
            self.env.companies.ids,
        )
        self.env.cr.execute(
            SQL(
                """
            WITH t(id, date_from, date_to, team_id, categ_path, accounts) AS (VALUES %(rows)s)
            SELECT t.id, SUM(x.amount) FROM t CROSS JOIN LATERAL (
                SELECT m.amount_untaxed_signed AS amount FROM account_move m
                 WHERE t.categ_path IS NULL AND %(invoice)s
                 UNION ALL
                SELECT -l.balance FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
                  JOIN product_product p ON p.id = l.product_id
                  JOIN product_template pt ON pt.id = p.product_tmpl_id
                  JOIN product_category c ON c.id = pt.categ_id
                 WHERE t.categ_path IS NOT NULL AND c.parent_path LIKE t.categ_path || %(any)s AND %(invoice)s
            ) AS x GROUP BY t.id
            """,
                rows=SQL(", ").join(rows),
                invoice=invoice,
                any="%",
            )
        )
        return {target_id: amount or 0.0 for target_id, amount in self.env.cr.fetchall()}

    # ------------------------------------------------------------------ appraisal
    @api.model
    def _appraisal_facts(self, company, user_ids, date_from, date_to, today):
        """{user_id: {figure: value}} for the quarter ``date_from``–``date_to`` of ``company``:
        ``accounts_start`` (key accounts managed at the start of the quarter: at the end of
        the day before), ``accounts_lost`` (of those, the ones lost in the quarter: the churn
        rate's numerator), ``upgrades`` and ``downgrades`` of the cooperation state counted
        for the specialist (state log), ``archive_completeness`` (average completeness of the
        archives of the accounts managed at the end of the quarter, or today)."""
        roster = self.env["key.account.roster"]
        start = roster._accounts_at(date_from - timedelta(days=1), company.id)
        end = roster._accounts_at(min(date_to, today), company.id)
        facts = {
            user_id: {
                "accounts_start": 0,
                "accounts_lost": 0,
                "upgrades": 0,
                "downgrades": 0,
                "archive_completeness": None,
            }
            for user_id in user_ids
        }
        managed_start = {}
        for partner_id, manager_id in start:
            if manager_id in facts:
                facts[manager_id]["accounts_start"] += 1
                managed_start[partner_id] = manager_id
        self.env["key.account.loss"].flush_model(["company_id", "partner_id", "date"])
        self.env["key.account.state.log"].flush_model(["partner_id", "period", "responsible_id", "change_type"])
        self.env["key.account.archive"].flush_model(["company_id", "partner_id", "completeness"])
        if managed_start:
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT partner_id FROM key_account_loss WHERE partner_id = ANY(%s) "
                    "AND date BETWEEN %s AND %s AND (company_id = %s OR company_id IS NULL)",
                    list(managed_start),
                    date_from,
                    date_to,
                    company.id,
                )
            )
            for (partner_id,) in self.env.cr.fetchall():
                facts[managed_start[partner_id]]["accounts_lost"] += 1
        self.env.cr.execute(
            SQL(
                "SELECT l.responsible_id, COUNT(*) FILTER (WHERE l.change_type = 'upgrade'), "
                "COUNT(*) FILTER (WHERE l.change_type = 'downgrade') "
                "FROM key_account_state_log l JOIN res_partner p ON p.id = l.partner_id "
                "WHERE l.responsible_id = ANY(%s) AND l.period BETWEEN %s AND %s "
                "AND (p.company_id = %s OR p.company_id IS NULL) GROUP BY 1",
                list(user_ids),
                date_from,
                date_to,
                company.id,
            )
        )
        for user_id, upgrades, downgrades in self.env.cr.fetchall():
            facts[user_id].update(upgrades=upgrades, downgrades=downgrades)
        managed_end = {partner_id: manager_id for partner_id, manager_id in end if manager_id in facts}
        if managed_end:
            self.env.cr.execute(
                SQL(
                    "SELECT partner_id, completeness FROM key_account_archive WHERE partner_id = ANY(%s) "
                    "AND company_id = %s",
                    list(managed_end),
                    company.id,
                )
            )
            values = {}
            for partner_id, completeness in self.env.cr.fetchall():
                values.setdefault(managed_end[partner_id], []).append(completeness or 0.0)
            for user_id, numbers in values.items():
                facts[user_id]["archive_completeness"] = sum(numbers) / len(numbers)
        return facts
