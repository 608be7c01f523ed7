from odoo import models


class SaleOrder(models.Model):
    """Orders of a key account whose credit a KA Manager suspended (暂停记账服务) or which the
    credit watch flagged show it to every salesperson; on credit they are not confirmed unless a
    KA Manager lets them through (key.account.credit.suspension)."""

    _name = "sale.order"
    _inherit = ["sale.order", "key.account.credit.suspension"]

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
