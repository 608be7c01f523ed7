from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Orders of a key account whose credit a KA Manager suspended (暂停记账服务) or which the
    credit watch flagged show it to every salesperson; on credit they are not confirmed unless a
    KA Manager lets them through (key.account.credit.suspension)."""

    _name = "sale.order"
    _inherit = ["sale.order", "key.account.credit.suspension"]

    key_account_priority_supply = fields.Boolean(
        string="Priority Supply",
        compute="_compute_key_account_priority_supply",
        search="_search_key_account_priority_supply",
        help="The customer, or the group it is a branch of, is a strategic key account or has a priority-supply "
        "policy in force: its orders come first for lead times, rush orders and stock (seed 002 6.2.1).",
    )

    @api.depends("partner_id")
    def _compute_key_account_priority_supply(self):
        covered = self.env["key.account.policy"]._priority_supply_customers()
        for order in self:
            order.key_account_priority_supply = order.partner_id.commercial_partner_id in covered

    def _search_key_account_priority_supply(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on priority supply."))
        covered = self.env["key.account.policy"]._priority_supply_customers()
        return [("partner_id.commercial_partner_id", "in" if (operator == "=") == value else "not in", covered.ids)]

    def _key_account_customer(self):
        return self.partner_id.sudo()

    def _key_account_on_credit(self):
        return self._key_account_payment_term_on_credit(self.payment_term_id)

    def action_confirm(self):
        self._key_account_check_credit()
        return super().action_confirm()

    def action_key_account_override_credit(self, reason):
        """Let these orders on credit through the customer's credit suspension (KA Managers),
        kept in the credit history; the orders the manager may change are confirmed, the others
        when their salesperson confirms them."""
        changeable = self._key_account_override_credit(reason)
        if changeable:
            changeable.action_confirm()
        return True

    def action_open_key_account_override_wizard(self):
        return self.env["key.account.credit.override.wizard"]._open_for(self)
