from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import DATE_MAX, DATE_MIN, ensure_one, in_lang_of, label, post_for, to_date

KA_MANAGER = "key_account_mgmt.group_ka_manager"
GRANT_STATES = [
    ("requested", "Requested"),
    ("granted", "Granted"),
    ("refused", "Refused"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
]


class KeyAccountArchiveGrant(models.Model):
    """Access to a client archive for someone off the account team (seed 003 第十九条: 须根据
    权限提供相应的信息，并同时完成登记手续): requested with a reason, decided by a KA Manager,
    valid until the end of its expiry date in the requester's time zone. The archive's record
    rules read ``valid_until``."""

    _name = "key.account.archive.grant"
    _inherit = ["key.account.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _confidential_parents = ("archive_id",)
    # requested by people off the team: they cannot write, nor even read, the archive
    _confidential_parent_access = None
    _description = "Archive Access Grant"
    _order = "id desc"
    _rec_name = "archive_id"

    archive_id = fields.Many2one("key.account.archive", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    reason = fields.Text(required=True)
    date_expiry = fields.Date(
        string="Valid Until",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.add(fields.Date.context_today(self), days=7),
    )
    valid_until = fields.Datetime(
        string="Valid Until (UTC)",
        compute="_compute_valid_until",
        store=True,
        index=True,
        help="Midnight after the last day, in the requester's time zone: the record rules compare with it.",
    )
    state = fields.Selection(
        GRANT_STATES, string="Status", required=True, default="requested", tracking=True, index=True
    )
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    decision_note = fields.Char()
    access_log_ids = fields.One2many("key.account.archive.access.log", "grant_id", string="Reads")

    @api.depends("archive_id.name")
    def _compute_display_name(self):
        # the archive's number: a requester off the team reads their request, not the archive
        for grant in self:
            grant.display_name = grant.archive_id.sudo().display_name

    @api.depends("date_expiry", "user_id.tz")
    def _compute_valid_until(self):
        for grant in self:
            expiry = grant.date_expiry if grant.date_expiry and DATE_MIN <= grant.date_expiry <= DATE_MAX else None
            end_of_day = datetime.combine(expiry + timedelta(days=1), time.min) if expiry else None
            zone = pytz.timezone(grant.user_id.tz or grant.env.user.tz or "UTC")
            grant.valid_until = end_of_day and zone.localize(end_of_day).astimezone(pytz.utc).replace(tzinfo=None)

    @api.constrains("date_expiry")
    def _check_date_expiry(self):
        today = fields.Date.context_today(self)
        for grant in self:
            to_date(self.env, grant.date_expiry, label(self.env, self._name, "date_expiry"))
            if grant.state in ("requested", "granted") and grant.date_expiry < today:
                raise ValidationError(self.env._("An access grant cannot expire in the past."))

    @api.constrains("reason")
    def _check_reason(self):
        for grant in self:
            if not (grant.reason or "").strip():
                raise ValidationError(self.env._("Say why you need to read this archive."))

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            for vals in vals_list:
                if vals.get("user_id", self.env.uid) != self.env.uid or vals.get("state", "requested") != "requested":
                    raise AccessError(self.env._("You can only request archive access for yourself."))
        grants = super().create(vals_list)
        grants.filtered(lambda g: g.state == "requested")._notify_managers()
        return grants

    def _notify_managers(self):
        """An activity for each KA Manager, in the manager's language."""
        for grant in self:
            for manager in grant.partner_id._key_account_managers():
                local = in_lang_of(grant.sudo(), manager)
                local.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=local.env._("Archive access requested by %(user)s", user=grant.user_id.name),
                    note=grant.reason,
                    user_id=manager.id,
                )

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may decide on archive access."))

    def _decide(self, state, from_states):
        self._check_manager()
        wrong = self.filtered(lambda g: g.state not in from_states)
        if wrong:
            raise UserError(self.env._("This access request was already decided."))
        self.sudo().write({"state": state, "decided_by_id": self.env.uid, "decided_date": fields.Datetime.now()})
        # the managers' activities are closed in each one's language, the requester told in theirs
        for activity in self.activity_ids.sudo():
            activity = in_lang_of(activity, activity.user_id)
            activity.action_feedback(feedback=dict(self._fields["state"]._description_selection(activity.env))[state])
        for grant in self:
            post_for(
                grant, grant.user_id, lambda local: local._decision_message(state), subtype_xmlid="mail.mt_comment"
            )
        return True

    def _decision_message(self, state):
        return {
            "granted": self.env._("Archive access granted."),
            "refused": self.env._("Archive access refused."),
            "revoked": self.env._("Archive access revoked."),
        }[state]

    def action_grant(self):
        self._check_date_expiry()
        return self._decide("granted", ("requested",))

    def action_refuse(self):
        return self._decide("refused", ("requested",))

    def action_revoke(self):
        return self._decide("revoked", ("granted",))

    def action_open_archive(self):
        ensure_one(self)
        return self.archive_id._get_form_action()

    def action_send_request(self):
        """The dialog's button: the request is saved (and the managers told) already."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Your request was sent to the Key Account Managers."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_expire_grants(self, batch_size=1000):
        """Close granted access whose day has passed (the record rules already ignore them:
        this keeps the list truthful). Idempotent and batched."""
        domain = [("state", "=", "granted"), ("valid_until", "<=", fields.Datetime.now())]
        grants = self.sudo().search(domain, limit=batch_size)
        grants.write({"state": "expired"})
        self.env["ir.cron"]._notify_progress(done=len(grants), remaining=self.sudo().search_count(domain))
