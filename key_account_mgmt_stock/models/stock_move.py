from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_new_picking_values(self):
        """Orders of priority supply (strategic key accounts, priority-supply policies in force,
        with the branches of their groups; seed 002 6.2.1) are delivered first: their deliveries
        are created urgent (starred), and their moves follow the delivery's priority."""
        vals = super()._get_new_picking_values()
        if any(self.sale_line_id.order_id.mapped("key_account_priority_supply")):
            vals["priority"] = "1"
        return vals
