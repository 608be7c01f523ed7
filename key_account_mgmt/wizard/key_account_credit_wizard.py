from odoo import fields, models

from ..models.key_account_credit_log import CREDIT_DECISIONS
from ..tools import ensure_one


class KeyAccountCreditWizard(models.TransientModel):
    """Suspend or restore credit with the reason: the UI of
    ``res.partner.action_suspend_credit`` / ``action_restore_credit``."""

    _name = "key.account.credit.wizard"
    _description = "Credit Decision"

    partner_ids = fields.Many2many("res.partner", string="Key Accounts", required=True)
    action = fields.Selection(CREDIT_DECISIONS, string="Decision", required=True, default="suspend")
    reason = fields.Text(required=True)

    def action_confirm(self):
        ensure_one(self)
        if self.action == "suspend":
            self.partner_ids.action_suspend_credit(self.reason)
        else:
            self.partner_ids.action_restore_credit(self.reason)
        return {"type": "ir.actions.act_window_close"}
