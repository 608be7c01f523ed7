from odoo import fields, models

from ..tools import ensure_one


class KeyAccountEvaluationSendBackWizard(models.TransientModel):
    """Send a cooperation evaluation back to its author with the reason: the UI of
    ``key.account.evaluation.action_send_back``."""

    _name = "key.account.evaluation.send.back.wizard"
    _description = "Send the Evaluation Back"

    evaluation_id = fields.Many2one("key.account.evaluation", readonly=True)
    comment = fields.Text(string="Reason Sent Back", required=True)

    def action_confirm(self):
        ensure_one(self)
        self.evaluation_id.action_send_back(self.comment)
        return {"type": "ir.actions.act_window_close"}
