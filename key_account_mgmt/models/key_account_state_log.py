from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import clean_text, in_lang_of, label
from .key_account_cooperation_mixin import COOPERATION_RANK, COOPERATION_STATES, ESCALATING_STATES


class KeyAccountStateLog(models.Model):
    """One row per change or monthly confirmation of a key account's cooperation state
    (seed 002 客户合作状态分类管理办法): who, when, from, to, why, and the remedy plan of a
    downgrade. Append-only.

    The confidential texts around a change live here, not on the partner (whose chatter every
    internal user reads): the special meeting (专题会议) of an escalation is an activity of the
    row, its conclusion is kept on the row and in its chatter."""

    _name = "key.account.state.log"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Cooperation State History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # the team and the KA roles read its activities (the special meeting) and write notes on a
    # row they may only read; the meeting itself is changed only by KA Managers (mail_activity.py)
    _mail_post_access = "read"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    period = fields.Date(string="Month", required=True, index=True, help="First day of the month the entry counts for.")
    user_id = fields.Many2one("res.users", string="Changed by", required=True, index=True)
    responsible_id = fields.Many2one(
        "res.users",
        index=True,
        help="The account manager at the time: upgrades are counted for this person.",
    )
    state_from = fields.Selection(COOPERATION_STATES, string="From State")
    state_to = fields.Selection(COOPERATION_STATES, string="To State", required=True)
    change_type = fields.Selection(
        [
            ("initial", "Initial"),
            ("confirm", "Confirmation"),
            ("upgrade", "Upgrade"),
            ("downgrade", "Downgrade"),
        ],
        string="Change",
        required=True,
        index=True,
    )
    levels = fields.Integer(help="Levels gained (positive) or lost (negative) by the change.")
    reason = fields.Text(string="Reason / Explanation")
    remedy_plan = fields.Text()
    escalated = fields.Boolean(help="The change triggered an escalation.")
    conclusion = fields.Text(
        string="Special Meeting Conclusion",
        readonly=True,
        help="Written by the KA Manager who closed the escalation of this change.",
    )
    escalation_closed_date = fields.Datetime(string="Escalation Closed On", readonly=True)

    # ------------------------------------------------------------------ the state machine
    @api.model
    def _change_state(self, partners, state, reason, remedy_plan=False):
        """Change the cooperation state of these key accounts, or confirm it when unchanged
        (the monthly duty): one row per account; a downgrade needs an explanation and a remedy
        plan, and may escalate. Returns the new rows (sudo)."""
        if not isinstance(state, str) or state not in COOPERATION_RANK:
            raise ValidationError(self.env._("Unknown cooperation state: %(state)s.", state=repr(state)[:40]))
        reason = clean_text(self.env, reason, label(self.env, self._name, "reason"))
        remedy_plan = clean_text(self.env, remedy_plan, label(self.env, self._name, "remedy_plan"))
        self._check_can_change_state(partners)
        logs = self.sudo().browse()
        for partner in partners:
            logs |= self._record_change(partner, state, reason, remedy_plan)
        return logs

    @api.model
    def _check_can_change_state(self, partners):
        not_key = partners.filtered(lambda p: not p.is_key_account)
        if not_key:
            raise UserError(
                self.env._(
                    "%(partners)s is not a key account: it has no cooperation state.",
                    partners=", ".join(not_key.mapped("display_name")),
                )
            )
        partners._key_account_check_access(
            "write",
            self.env._("Only the account team or a Key Account Manager may set the cooperation state of %(partners)s."),
        )

    @api.model
    def _record_change(self, partner, state, reason, remedy_plan):
        """One account's change: its row, the partner's state, and the escalation of a downgrade."""
        partner.ensure_one()
        old = partner.cooperation_state
        levels = COOPERATION_RANK[old] - COOPERATION_RANK[state] if old else 0
        if not old:
            change = "initial"
        else:
            change = "confirm" if levels == 0 else "upgrade" if levels > 0 else "downgrade"
        if change == "downgrade" and not (reason and remedy_plan):
            raise ValidationError(
                self.env._(
                    "Downgrading %(partner)s needs a written explanation and a remedy plan.",
                    partner=partner.display_name,
                )
            )
        escalate = change == "downgrade" and (
            levels <= -2 or state in ESCALATING_STATES or self._last_change_was_downgrade(partner)
        )
        now = fields.Datetime.now()
        log = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": partner.id,
                    "date": now,
                    "period": self.env["key.account.metrics"]._period(fields.Date.context_today(self))[0],
                    "user_id": self.env.user.id,
                    "responsible_id": partner.sudo().key_account_manager_id.id,
                    "state_from": old,
                    "state_to": state,
                    "change_type": change,
                    "levels": levels,
                    "reason": reason,
                    "remedy_plan": remedy_plan,
                    "escalated": escalate,
                }
            )
        )
        vals = {"cooperation_state": state, "cooperation_state_date": now, "cooperation_state_unconfirmed": False}
        if escalate:
            vals["key_account_escalated"] = True
        partner.sudo().write(vals)
        if escalate:
            log._schedule_special_meeting()
        return log

    @api.model
    def _last_change_was_downgrade(self, partner):
        last_change = self.sudo().search(
            [("partner_id", "=", partner.id), ("change_type", "in", ("upgrade", "downgrade"))],
            order="date desc, id desc",
            limit=1,
        )
        return last_change.change_type == "downgrade"

    # ------------------------------------------------------------------ escalation
    def _schedule_special_meeting(self):
        """The special meeting (专题会议) of an escalation: an activity of each KA Manager on this
        row, in the manager's language, which only they and the account team read (not on the
        partner, whose activities every internal user reads)."""
        self.ensure_one()
        partner = self.partner_id
        for manager in partner._key_account_managers():
            # created by the superuser: the downgrading user may not reschedule or cancel it
            log = in_lang_of(self.with_user(SUPERUSER_ID), manager)
            state_labels = dict(partner._fields["cooperation_state"]._description_selection(log.env))
            log.activity_schedule(
                "key_account_mgmt.mail_activity_type_special_meeting",
                summary=log.env._("Special meeting (专题会议): %(partner)s", partner=partner.display_name),
                note=log.env._(
                    "Cooperation state went from %(old)s to %(new)s. Explanation: %(reason)s. Remedy plan: %(plan)s",
                    old=state_labels.get(self.state_from, ""),
                    new=state_labels.get(self.state_to, ""),
                    reason=self.reason,
                    plan=self.remedy_plan,
                ),
                user_id=manager.id,
            )

    @api.model
    def _open_escalations(self, partners):
        """Rows of these accounts whose escalation is not closed yet (sudo)."""
        return self.sudo().search(
            [("partner_id", "in", partners.ids), ("escalated", "=", True), ("escalation_closed_date", "=", False)]
        )

    @api.model
    def _close_escalations(self, partners, conclusion):
        """Close the escalation of these accounts with the special meeting's conclusion, kept
        on the escalated rows (their special meetings are marked done with it)."""
        partners._key_account_check_manager(self.env._("Only a Key Account Manager may close an escalation."))
        conclusion = clean_text(self.env, conclusion, label(self.env, "key.account.state.wizard", "conclusion"))
        if not conclusion:
            raise ValidationError(self.env._("Write the conclusion of the special meeting to close the escalation."))
        meeting_type = self.env.ref("key_account_mgmt.mail_activity_type_special_meeting")
        for partner in partners.filtered("key_account_escalated"):
            partner.sudo().write({"key_account_escalated": False})
            logs = self._open_escalations(partner)
            logs.write({"conclusion": conclusion, "escalation_closed_date": fields.Datetime.now()})
            # as the manager: the activities assigned to other managers are closed in their name too
            logs.activity_ids.filtered(lambda a: a.activity_type_id == meeting_type).sudo().action_feedback(
                feedback=conclusion
            )
            for log in logs:
                log.message_post(
                    body=self.env._("Escalation closed. Conclusion: %(conclusion)s", conclusion=conclusion),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    # ------------------------------------------------------------------ monthly confirmation
    @api.model
    def _cron_state_confirmation(self, batch_size=500):
        """Monthly duty (seed 002: 客户合作状态每月更新): from the configured day of the month,
        flag the key accounts whose state was neither changed nor confirmed this month and give
        their account manager one activity. Idempotent within a month; batched."""
        today = fields.Date.context_today(self)
        day = int(self.env["ir.config_parameter"].sudo().get_param("key_account_mgmt.state_confirmation_day", 25))
        if today.day < min(max(day, 1), 28):
            return
        month_start, deadline = self.env["key.account.metrics"]._period(today)
        domain = [
            ("is_key_account", "=", True),
            "|",
            ("cooperation_state_date", "=", False),
            ("cooperation_state_date", "<", fields.Datetime.to_datetime(month_start)),
            "|",
            ("cooperation_reminder_date", "=", False),
            ("cooperation_reminder_date", "<", month_start),
        ]
        Partner = self.env["res.partner"]
        partners = Partner.search(domain, limit=batch_size)
        remaining = Partner.search_count(domain) - len(partners)
        latest_logs = self._latest_of(partners)
        for manager, accounts in partners.grouped("key_account_manager_id").items():
            if manager:
                # on the account's latest state log row, which only the team reads; an account
                # without any state yet has no row: the reminder stays on it
                logs = self.sudo().concat(*(latest_logs[p.id] for p in accounts if p.id in latest_logs))
                for records in (logs, accounts.filtered(lambda p: p.id not in latest_logs)):
                    records = in_lang_of(records, manager)
                    records.activity_schedule(
                        "key_account_mgmt.mail_activity_type_state_confirmation",
                        date_deadline=deadline,
                        summary=records.env._("Confirm the cooperation state of this month"),
                        user_id=manager.id,
                    )
        partners.write({"cooperation_state_unconfirmed": True, "cooperation_reminder_date": today})
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)

    @api.model
    def _latest_of(self, partners):
        """{partner id: its latest state log row} (sudo)."""
        logs = self.sudo().search([("partner_id", "in", partners.ids)], order="partner_id, date desc, id desc")
        latest = {}
        for log in logs:
            latest.setdefault(log.partner_id.id, log)
        return latest
