from odoo import api, fields, models


class KeyAccountVisit(models.Model):
    """A visit to a key account (拜访: we go to them)."""

    _name = "key.account.visit"
    _inherit = ["key.account.visit.mixin"]
    _description = "Key Account Visit"

    gift_line_ids = fields.One2many("key.account.visit.gift", "visit_id", string="Materials and Gifts", copy=True)
    expense_line_ids = fields.One2many("key.account.visit.expense", "visit_id", string="Expenses")

    @api.depends("gift_line_ids.quantity", "gift_line_ids.unit_value", "expense_line_ids.amount")
    def _compute_totals(self):
        return super()._compute_totals()
