from odoo import api, fields, models

from ..tools import ensure_one


class KeyAccountCreditOverrideWizard(models.TransientModel):
    """A KA Manager lets orders or invoices on credit through the customer's credit suspension,
    with the reason: the UI of ``action_key_account_override_credit``."""

    _name = "key.account.credit.override.wizard"
    _description = "Let Through a Credit Suspension"

    order_ids = fields.Many2many("sale.order", string="Orders")
    move_ids = fields.Many2many("account.move", string="Invoices")
    warning = fields.Char(compute="_compute_warning")
    reason = fields.Text(required=True)

    @api.depends("order_ids", "move_ids")
    def _compute_warning(self):
        for wizard in self:
            wizard.warning = (wizard.order_ids or wizard.move_ids)[:1].key_account_credit_warning

    @api.model
    def _open_for(self, records):
        field = {"sale.order": "order_ids", "account.move": "move_ids"}[records._name]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Let Through the Credit Suspension"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{field}": records.ids},
        }

    def action_confirm(self):
        ensure_one(self)
        if self.order_ids:
            self.order_ids.action_key_account_override_credit(self.reason)
        if self.move_ids:
            self.move_ids.action_key_account_override_credit(self.reason)
        return {"type": "ir.actions.act_window_close"}
