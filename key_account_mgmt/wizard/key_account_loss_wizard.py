from odoo import fields, models

from ..models.key_account_loss import LOSS_REASONS
from ..tools import ensure_one


class KeyAccountLossWizard(models.TransientModel):
    """Retire key accounts with their loss analysis: the UI of
    ``res.partner.action_lose_key_account``."""

    _name = "key.account.loss.wizard"
    _description = "Retire Key Account"

    partner_ids = fields.Many2many("res.partner", string="Key Accounts", required=True)
    reason_type = fields.Selection(LOSS_REASONS, string="Main Reason", required=True)
    reason = fields.Text(string="Analysis", required=True)
    destination = fields.Char(string="Where It Went")
    competitor_id = fields.Many2one("res.partner")

    def action_confirm(self):
        ensure_one(self)
        self.partner_ids.action_lose_key_account(
            self.reason_type, self.reason, destination=self.destination, competitor_id=self.competitor_id.id
        )
        return {"type": "ir.actions.act_window_close"}
