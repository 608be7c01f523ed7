from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

SPECIAL_MEETING = "key_account_mgmt.mail_activity_type_special_meeting"
PLAN = "key.account.plan"


class MailActivity(models.Model):
    """Glue: marking the special meeting (专题会议) of an escalation done closes the escalation
    with the feedback as its conclusion, like “Close Escalation” does; only KA Managers change
    or cancel a special meeting (the account team reads it on the state log).

    The actions of an account plan are its activities, linked to one of its objectives; done,
    they are kept (archived with their done date, as Odoo keeps those of a "Keep Done" type)
    whatever their type, so that the plan's progress counts them from the activities themselves:
    no counter to keep in step, and the done action stays with its objective, owner and date."""

    _inherit = "mail.activity"

    key_account_objective_id = fields.Many2one(
        "key.account.plan.objective",
        string="Plan Objective",
        index="btree_not_null",
        ondelete="set null",
        domain="[('plan_id', '=', res_id)]",
        help="The objective of the account plan this action serves.",
    )

    @api.constrains("key_account_objective_id", "res_model", "res_id")
    def _check_key_account_objective(self):
        for activity in self.sudo().filtered("key_account_objective_id"):
            if activity.res_model != PLAN or activity.key_account_objective_id.plan_id.id != activity.res_id:
                raise ValidationError(self.env._("An action serves an objective of the account plan it is planned on."))

    @api.model
    def _key_account_plan_counts(self, field, ids):
        """{id: (planned, done)} of the plan actions grouped by ``field`` (``res_id`` of the
        plans, or the objective), done ones included (archived). As the system: the caller
        read the plan or objective."""
        ids = [record_id for record_id in ids if record_id]
        if not ids:
            return {}
        domain = [(field, "in", ids), ("res_model", "=", PLAN)]
        groups = self.sudo().with_context(active_test=False)._read_group(domain, [field, "active"], ["__count"])
        counts = {}
        for key, active, count in groups:
            key = key.id if isinstance(key, models.BaseModel) else key
            planned, done = counts.get(key, (0, 0))
            counts[key] = (planned + count, done + (0 if active else count))
        return counts

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
        plan_actions = self.filtered(lambda a: a.res_model == PLAN)
        done = self.with_context(key_account_keep_done=tuple(plan_actions.ids)) if plan_actions else self
        result = super(MailActivity, done)._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if accounts:
            accounts.with_env(self.env).action_close_escalation(feedback)
        return result

    def unlink(self):
        """Done plan actions are archived instead (see the class)."""
        kept = self.env.context.get("key_account_keep_done")
        done = self.filtered(lambda a: a.id in kept and a.active) if kept else self.browse()
        done.action_archive()
        return super(MailActivity, self - done).unlink()
