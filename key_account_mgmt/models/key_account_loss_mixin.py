from odoo import fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountLossMixin(models.AbstractModel):
    """A key account retired with a loss analysis: ``key.account.loss``."""

    _name = "key.account.loss.mixin"
    _description = "Key Account Loss Status"

    key_account_lost = fields.Boolean(
        string="Lost Key Account",
        copy=False,
        readonly=True,
        index=True,
        groups=KA_USER,
        tracking=True,
        help="Retired as a key account with a loss analysis.",
    )
    key_account_loss_ids = fields.One2many("key.account.loss", "partner_id", string="Loss Analyses", groups=KA_USER)

    def action_lose_key_account(self, reason_type, reason, destination=False, competitor_id=False):
        """Retire these key accounts with a loss analysis: ``key.account.loss._retire``. Public RPC API."""
        self.env["key.account.loss"]._retire(self, reason_type, reason, destination, competitor_id)
        return True

    def action_open_loss_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retire Key Account"),
            "res_model": "key.account.loss.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }
