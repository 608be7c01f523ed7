from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountFiguresMixin(models.AbstractModel):
    """Revenue and receivables of a key account (its own and its group's), in the company
    currency, from ``key.account.metrics``."""

    _name = "key.account.figures.mixin"
    _description = "Key Account Figures"

    key_account_revenue_12m = fields.Monetary(
        string="Revenue, Last 12 Months",
        compute="_compute_key_account_revenue",
        groups=KA_USER,
        currency_field="key_account_currency_id",
        help="Posted customer invoices net of refunds, untaxed.",
    )
    key_account_group_revenue_12m = fields.Monetary(
        string="Group Revenue, Last 12 Months",
        compute="_compute_key_account_revenue",
        groups=KA_USER,
        currency_field="key_account_currency_id",
        help="This company and its branches.",
    )
    key_account_currency_id = fields.Many2one(
        "res.currency", compute="_compute_key_account_revenue", groups=KA_USER, string="Revenue Currency"
    )
    key_account_overdue_amount = fields.Monetary(
        string="Overdue Receivables",
        compute="_compute_key_account_receivables",
        currency_field="key_account_currency_id",
        groups=KA_USER,
        help="Open amount of invoice instalments past their due date (headquarters: with their branches).",
    )
    key_account_receivable_amount = fields.Monetary(
        string="Open Receivables",
        compute="_compute_key_account_receivables",
        currency_field="key_account_currency_id",
        groups=KA_USER,
    )
    key_account_overdue_days = fields.Integer(
        string="Days Overdue",
        compute="_compute_key_account_receivables",
        groups=KA_USER,
        help="Days past due of the oldest open invoice instalment.",
    )

    @api.depends_context("allowed_company_ids")
    def _compute_key_account_revenue(self):
        metrics = self.env["key.account.metrics"]
        date_from, date_to = metrics._last_12_months()
        partner_ids = [pid for pid in self.ids if pid]
        own = metrics._revenue(partner_ids, date_from, date_to)
        group = metrics._revenue(partner_ids, date_from, date_to, consolidate=True)
        for partner in self:
            partner.key_account_currency_id = self.env.company.currency_id
            partner.key_account_revenue_12m = own.get(partner.id, 0.0)
            partner.key_account_group_revenue_12m = group.get(partner.id, 0.0)

    @api.depends_context("allowed_company_ids")
    def _compute_key_account_receivables(self):
        figures = self._key_account_receivables()
        for partner in self:
            summary = figures.get(partner.id, {})
            partner.key_account_overdue_amount = summary.get("overdue", 0.0)
            partner.key_account_receivable_amount = summary.get("residual", 0.0)
            partner.key_account_overdue_days = summary.get("overdue_days", 0)

    def _key_account_receivables(self, date=None):
        """{partner id: receivable summary}: the group figure (集团客户: a headquarters with its
        branches, a branch on its own), one statement."""
        return self.env["key.account.metrics"]._receivable_summary(
            self.sudo().filtered("id").ids, date, consolidate=True
        )
