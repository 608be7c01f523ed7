from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KeyAccountPlanPotential(models.Model):
    """The potential of a product category at the customer for the plan's year (seed 002
    增长性, 潜力), against what the customer and its branches bought from us in the category in
    the last 12 months and the 12 before (key.account.metrics: posted customer invoices net of
    refunds, untaxed, company currency). The whitespace is what of the potential the customer
    does not buy from us yet; a category with no purchases in the last 12 months is flagged."""

    _name = "key.account.plan.potential"
    _inherit = ["key.account.plan.line.mixin"]
    _description = "Account Plan Potential"
    _order = "plan_id, potential_amount desc, id"
    _approval_material_fields = ("plan_id", "categ_id", "potential_amount")

    categ_id = fields.Many2one("product.category", string="Product Category", required=True, ondelete="restrict")
    potential_amount = fields.Monetary(
        string="Potential", currency_field="currency_id", help="What the customer could buy from us in the year."
    )
    purchased_last_12 = fields.Monetary(
        string="Bought, Last 12 Months", compute="_compute_purchases", currency_field="currency_id"
    )
    purchased_previous_12 = fields.Monetary(
        string="Bought, 12 Months Before", compute="_compute_purchases", currency_field="currency_id"
    )
    whitespace_amount = fields.Monetary(
        string="Whitespace",
        compute="_compute_purchases",
        currency_field="currency_id",
        help="The potential minus the last 12 months' purchases.",
    )
    not_bought = fields.Boolean(
        string="Not Bought Yet",
        compute="_compute_purchases",
        help="The customer and its branches bought nothing of the category from us in the last 12 months.",
    )

    @api.model
    def _whitespace_periods(self):
        """The last 12 months up to today, and the 12 months before."""
        last = self.env["key.account.metrics"]._last_12_months()
        start = fields.Date.subtract(last[0], years=1)
        return last, (start, fields.Date.subtract(last[0], days=1))

    @api.depends("categ_id", "potential_amount", "plan_id.partner_id", "plan_id.company_id")
    @api.depends_context("uid")
    def _compute_purchases(self):
        """One statement per company of the plans (the figures of the plan's company)."""
        periods = self._whitespace_periods()
        metrics = self.env["key.account.metrics"]
        bought = {}
        for company in self.company_id:
            lines = self.filtered(lambda line, company=company: line.company_id == company)
            figures = metrics.with_context(allowed_company_ids=company.ids)._purchases_by_category(
                lines.plan_id.partner_id.ids, periods
            )
            bought[company.id] = figures
        for line in self:
            last, previous = (
                bought.get(line.company_id.id, {}).get(line.plan_id.partner_id.id, {}).get(line.categ_id.id, (0.0, 0.0))
            )
            line.purchased_last_12, line.purchased_previous_12 = last, previous
            line.whitespace_amount = line.potential_amount - last
            line.not_bought = last <= 0

    @api.constrains("potential_amount")
    def _check_potential(self):
        if any(line.potential_amount < 0 for line in self):
            raise ValidationError(self.env._("A potential cannot be negative."))
