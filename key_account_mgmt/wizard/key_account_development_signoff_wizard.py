from odoo import fields, models

from ..tools import ensure_one


class KeyAccountDevelopmentSignoffWizard(models.TransientModel):
    """The signer's dialog: sign off or refuse the on-site investigation with a comment, the UI
    of ``key.account.development.signoff.action_sign`` / ``action_refuse``."""

    _name = "key.account.development.signoff.wizard"
    _description = "Sign Off the Investigation"

    signoff_id = fields.Many2one("key.account.development.signoff", required=True, readonly=True, ondelete="cascade")
    comment = fields.Text()

    def action_sign(self):
        ensure_one(self).signoff_id.action_sign(self.comment)
        return {"type": "ir.actions.act_window_close"}

    def action_refuse(self):
        ensure_one(self).signoff_id.action_refuse(self.comment)
        return {"type": "ir.actions.act_window_close"}
