from odoo import fields, models

from ..tools import ensure_one


class KeyAccountStateSuggestionDismiss(models.TransientModel):
    """Dismiss a cooperation state suggestion with a reason: the UI of
    ``key.account.state.suggestion.action_dismiss``."""

    _name = "key.account.state.suggestion.dismiss"
    _description = "Dismiss Suggestion"

    suggestion_id = fields.Many2one("key.account.state.suggestion", required=True, readonly=True)
    reason = fields.Text(string="Why Dismissed", required=True)

    def action_confirm(self):
        ensure_one(self)
        self.suggestion_id.action_dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
