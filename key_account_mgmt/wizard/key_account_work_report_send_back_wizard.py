from odoo import fields, models

from ..tools import ensure_one


class KeyAccountWorkReportSendBackWizard(models.TransientModel):
    """Send a specialist's monthly report back with the reviewer's comments: the UI of
    ``key.account.work.report.action_send_back``."""

    _name = "key.account.work.report.send.back.wizard"
    _description = "Send the Monthly Report Back"

    report_id = fields.Many2one("key.account.work.report", required=True, readonly=True, ondelete="cascade")
    comment = fields.Text(string="Reviewer's Comments", required=True)

    def action_confirm(self):
        ensure_one(self)
        self.report_id.action_send_back(self.comment)
        return {"type": "ir.actions.act_window_close"}
