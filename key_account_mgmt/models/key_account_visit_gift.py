from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KeyAccountVisitGift(models.Model):
    """Materials and gifts prepared for a visit or reception (拜访准备: 物料名称, 数量), and what
    was given."""

    _name = "key.account.visit.gift"
    _inherit = ["key.account.visit.line.mixin", "key.account.approval.line.mixin"]
    _description = "Visit Materials and Gifts"
    _order = "id"
    _approval_parent_fields = ("visit_id", "reception_id")
    # what is given (quantity_given) is reported after the approval
    _approval_material_fields = ("visit_id", "reception_id", "name", "quantity", "unit_value")

    name = fields.Char(string="Item", required=True)
    quantity = fields.Float(default=1.0)
    unit_value = fields.Monetary(currency_field="currency_id")
    subtotal = fields.Monetary(string="Value", currency_field="currency_id", compute="_compute_subtotal", store=True)
    quantity_given = fields.Float()

    @api.depends("quantity", "unit_value")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.unit_value

    @api.constrains("quantity", "unit_value", "quantity_given")
    def _check_values(self):
        for line in self:
            if line.quantity < 0 or line.unit_value < 0 or line.quantity_given < 0:
                raise ValidationError(self.env._("Quantities and values cannot be negative."))
