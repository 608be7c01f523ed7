from datetime import timedelta

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
    key_account_group_revenue_prev_12m = fields.Monetary(
        string="Group Revenue, 12 Months Before",
        compute="_compute_key_account_revenue",
        groups=KA_USER,
        currency_field="key_account_currency_id",
        help="This company and its branches, the 12 months before the last 12.",
    )
    key_account_revenue_yoy = fields.Float(
        string="Revenue Year on Year (%)",
        digits=(16, 1),
        compute="_compute_key_account_revenue",
        groups=KA_USER,
        help="Group revenue of the last 12 months against the 12 months before, in percent (0 when there was none "
        "before).",
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
        last = metrics._last_12_months()
        before = metrics._last_12_months(last[0] - timedelta(days=1))
        partner_ids = [pid for pid in self.ids if pid]
        own = metrics._revenue(partner_ids, *last)
        group = metrics._revenue_by_period(partner_ids, [last, before], consolidate=True)
        for partner in self:
            current, previous = group.get(partner.id, (0.0, 0.0))
            partner.key_account_currency_id = self.env.company.currency_id
            partner.key_account_revenue_12m = own.get(partner.id, 0.0)
            partner.key_account_group_revenue_12m = current
            partner.key_account_group_revenue_prev_12m = previous
            partner.key_account_revenue_yoy = (current - previous) / abs(previous) * 100 if previous else 0.0

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
