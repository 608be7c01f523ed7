from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

SPECIAL_MEETING = "key_account_mgmt.mail_activity_type_special_meeting"


class MailActivity(models.Model):
    """Glue: marking the special meeting (专题会议) of an escalation done closes the escalation
    with the feedback as its conclusion, like “Close Escalation” does; only KA Managers change
    or cancel a special meeting (the account team reads it on the state log)."""

    _inherit = "mail.activity"

    def write(self, vals):
        self._check_special_meeting_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_special_meeting(self):
        self._check_special_meeting_change()

    def _check_special_meeting_change(self):
        if self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            return
        meeting_type = self.env.ref(SPECIAL_MEETING, raise_if_not_found=False)
        if meeting_type and self.sudo().filtered(
            lambda a: a.activity_type_id == meeting_type and a.res_model == "key.account.state.log"
        ):
            raise AccessError(self.env._("Only a Key Account Manager may change or cancel a special meeting."))

    def _action_done(self, feedback=False, attachment_ids=None):
        meeting_type = self.env.ref(SPECIAL_MEETING, raise_if_not_found=False)
        meetings = self.filtered(
            lambda a: meeting_type and a.activity_type_id == meeting_type and a.res_model == "key.account.state.log"
        )
        accounts = self.env["key.account.state.log"].sudo().browse(meetings.mapped("res_id")).exists().partner_id
        accounts = accounts.filtered("key_account_escalated")
        if accounts:
            if not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
                raise AccessError(self.env._("Only a Key Account Manager may close an escalation."))
            if not (feedback or "").strip():
                raise ValidationError(
                    self.env._("Write the conclusion of the special meeting to close the escalation.")
                )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if accounts:
            accounts.with_env(self.env).action_close_escalation(feedback)
        return result
