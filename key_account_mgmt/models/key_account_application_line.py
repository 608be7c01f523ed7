from odoo import api, fields, models


class KeyAccountApplicationLine(models.Model):
    """A product the candidate is expected to buy (开发申请: 产品清单及预计金额)."""

    _name = "key.account.application.line"
    _inherit = ["key.account.approval.line.mixin"]
    _description = "Nomination Product Line"
    _approval_parent_fields = ("application_id",)
    _approval_material_fields = ("application_id", "product_id", "quantity", "expected_amount")
    _order = "application_id, sequence, id"

    application_id = fields.Many2one("key.account.application", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", ondelete="restrict")
    name = fields.Char(
        string="Description", required=True, compute="_compute_name", store=True, readonly=False, precompute=True
    )
    quantity = fields.Float(string="Expected Quantity", digits="Product Unit of Measure", default=1.0)
    currency_id = fields.Many2one(related="application_id.currency_id")
    expected_amount = fields.Monetary(currency_field="currency_id")

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.display_name
