from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    key_account_priority_supply = fields.Boolean(
        string="Key Account Priority Supply",
        related="sale_id.key_account_priority_supply",
        help="The delivery of an order of priority supply: a strategic key account or a priority-supply policy in "
        "force (seed 002 6.2.1).",
    )
