from odoo import fields, models

from ..tools import ensure_one


class KeyAccountReportSendBackWizard(models.TransientModel):
    """Send the report of a visit or reception back to its author with the reviewer's
    comments: the UI of ``action_send_back_report``."""

    _name = "key.account.report.send.back.wizard"
    _description = "Send the Report Back"

    visit_id = fields.Many2one("key.account.visit", readonly=True)
    reception_id = fields.Many2one("key.account.reception", readonly=True)
    comment = fields.Text(string="Reviewer's Comments", required=True)

    def action_confirm(self):
        ensure_one(self)
        (self.visit_id or self.reception_id).action_send_back_report(self.comment)
        return {"type": "ir.actions.act_window_close"}
