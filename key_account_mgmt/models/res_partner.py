from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

KA_USER = "key_account_mgmt.group_ka_user"
KA_MANAGER = "key_account_mgmt.group_ka_manager"

# seed 002 业务管理-客户合作状态分类管理办法, best first: the order defines up- and downgrades
COOPERATION_STATES = [
    ("good", "Good cooperation"),
    ("maintained", "Maintained"),
    ("problem", "Problem customer"),
    ("no_cooperation", "No cooperation"),
    ("refused", "Refused cooperation"),
]
COOPERATION_RANK = {state: rank for rank, (state, _label) in enumerate(COOPERATION_STATES)}
# colour index of Odoo's palette per state: green, blue, yellow, white (none), black (dark)
COOPERATION_COLOR = {"good": 10, "maintained": 4, "problem": 3, "no_cooperation": 0, "refused": 11}
ESCALATING_STATES = ("no_cooperation", "refused")


class ResPartner(models.Model):
    """Key-account fields on the partner.

    No record rule restricts res.partner: core reads partners everywhere as the current user.
    Instead every key-account field carries ``groups=``: any internal user may see whether a
    company is a key account and its tier (SPEC §1), the rest only the key-account groups.
    """

    _inherit = "res.partner"

    # who may change which key-account field, beyond the field's read groups
    _KEY_ACCOUNT_MANAGER_FIELDS = ("is_key_account", "key_account_tier_id", "key_account_manager_id")
    _KEY_ACCOUNT_TEAM_FIELDS = ("key_account_category_ids",)
    # changed only through their actions, which keep the history
    _KEY_ACCOUNT_ACTION_FIELDS = (
        "cooperation_state",
        "cooperation_state_date",
        "cooperation_state_unconfirmed",
        "cooperation_reminder_date",
        "key_account_escalated",
    )

    is_key_account = fields.Boolean(
        string="Key Account",
        copy=False,
        index=True,
        tracking=True,
        groups="base.group_user",
        help="This company is managed as a key account (大客户).",
    )
    key_account_tier_id = fields.Many2one(
        "key.account.tier",
        string="Tier",
        copy=False,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        groups="base.group_user",
        domain="['|', ('company_id', '=', False), ('company_id', 'in', allowed_company_ids)]",
    )
    key_account_tier_color = fields.Integer(
        related="key_account_tier_id.color", string="Tier Colour", groups="base.group_user"
    )
    key_account_category_ids = fields.Many2many(
        "key.account.category",
        "res_partner_key_account_category_rel",
        "partner_id",
        "category_id",
        string="Key Account Categories",
        copy=False,
        groups=KA_USER,
    )
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        copy=False,
        index="btree_not_null",
        tracking=True,
        groups=KA_USER,
        domain="[('share', '=', False)]",
        help="The key-account specialist responsible for this account (客户经理).",
    )

    key_account_team_user_ids = fields.Many2many(
        "res.users",
        "res_partner_key_account_team_user_rel",
        "partner_id",
        "user_id",
        string="Account Team",
        compute="_compute_key_account_team_user_ids",
        store=True,
        groups=KA_USER,
        help="Users who see this account's confidential records: the account manager and the "
        "team members.",
    )
    cooperation_state = fields.Selection(
        COOPERATION_STATES,
        string="Cooperation State",
        tracking=True,
        copy=False,
        index=True,
        groups="base.group_user",
        help="Good (green): contract won, pleasant cooperation — maintain actively.\n"
        "Maintained (blue): good contact, no running contract — keep close contact.\n"
        "Problem (yellow): problems, a competitor got in, the customer wavers — communicate "
        "actively.\n"
        "No cooperation (white): none in three years — plan development.\n"
        "Refused (black): mutual blacklist.",
    )
    cooperation_color = fields.Integer(
        string="Cooperation Colour", compute="_compute_cooperation_color", groups="base.group_user"
    )
    cooperation_work_plan = fields.Char(
        string="Work Plan", compute="_compute_cooperation_color", groups=KA_USER
    )
    cooperation_state_date = fields.Datetime(
        string="State Confirmed On", copy=False, readonly=True, groups=KA_USER,
        help="Last change or monthly confirmation of the cooperation state.",
    )
    cooperation_state_unconfirmed = fields.Boolean(
        string="State Not Confirmed", copy=False, readonly=True, index=True, groups=KA_USER,
        help="The state was not changed or confirmed this month by the deadline.",
    )
    cooperation_reminder_date = fields.Date(
        string="State Reminder Sent On", copy=False, readonly=True, groups=KA_USER,
    )
    key_account_escalated = fields.Boolean(
        string="Escalated", copy=False, tracking=True, index=True, groups=KA_USER,
        help="A downgrade calls for a special meeting (专题会议) of the KA Manager.",
    )
    state_log_ids = fields.One2many(
        "key.account.state.log", "partner_id", string="State History", groups=KA_USER
    )

    @api.depends("key_account_manager_id")
    def _compute_key_account_team_user_ids(self):
        for partner in self:
            partner.key_account_team_user_ids = partner.key_account_manager_id

    @api.depends("cooperation_state")
    def _compute_cooperation_color(self):
        plans = {
            "good": self.env._("Maintain actively"),
            "maintained": self.env._("Keep close contact"),
            "problem": self.env._("Communicate actively"),
            "no_cooperation": self.env._("Plan development"),
            "refused": "",
        }
        for partner in self:
            partner.cooperation_color = COOPERATION_COLOR.get(partner.cooperation_state, 0)
            partner.cooperation_work_plan = plans.get(partner.cooperation_state, "")

    @api.constrains("is_key_account", "parent_id")
    def _check_key_account_is_commercial(self):
        for partner in self:
            if partner.is_key_account and partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a contact of %(parent)s: only the company itself can be a "
                        "key account.",
                        partner=partner.name,
                        parent=partner.parent_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_rights(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_key_account_rights(vals)
        return super().write(vals)

    def _key_account_team_users(self):
        """Users on the account team of these partners (sudo: called for rights checks)."""
        return self.sudo().key_account_team_user_ids

    def _check_key_account_rights(self, vals):
        """Field ``groups`` decide who reads the key-account fields; this decides who changes
        them: making a key account, its tier and its manager belong to KA Managers; the
        categories also to the account team."""
        if self.env.su:
            return
        action_fields = [f for f in self._KEY_ACCOUNT_ACTION_FIELDS if f in vals]
        if action_fields and (self or any(vals[f] for f in action_fields)):
            raise AccessError(
                self.env._(
                    "Change the cooperation state with “Set Cooperation State” and close "
                    "escalations with their button: both keep the history."
                )
            )
        if self.env.user.has_group(KA_MANAGER):
            return
        manager_fields = [f for f in self._KEY_ACCOUNT_MANAGER_FIELDS if f in vals]
        # a new plain partner may come with is_key_account=False: only a real value counts
        if manager_fields and (self or any(vals[f] for f in manager_fields)):
            raise AccessError(
                self.env._(
                    "Only Key Account Managers may change: %(fields)s.",
                    fields=", ".join(self._fields[f]._description_string(self.env) for f in manager_fields),
                )
            )
        if self and vals.keys() & set(self._KEY_ACCOUNT_TEAM_FIELDS):
            outsiders = self.filtered(lambda p: self.env.user not in p._key_account_team_users())
            if outsiders:
                raise AccessError(
                    self.env._(
                        "Only the account team of %(partners)s or a Key Account Manager may "
                        "change its key account categories.",
                        partners=", ".join(outsiders.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------ cooperation state
    def action_set_cooperation_state(self, state, reason, remedy_plan=False):
        """Change the cooperation state of these key accounts, or confirm it when unchanged
        (the monthly duty). Writes one state log row per account; a downgrade needs an
        explanation and a remedy plan, and may escalate. Public RPC API (SPEC §11)."""
        if state not in COOPERATION_RANK:
            raise ValidationError(self.env._("Unknown cooperation state: %(state)s.", state=state))
        self._check_can_set_cooperation_state()
        for partner in self:
            partner._set_cooperation_state(state, (reason or "").strip(), (remedy_plan or "").strip())
        return True

    def _check_can_set_cooperation_state(self):
        not_key = self.filtered(lambda p: not p.is_key_account)
        if not_key:
            raise UserError(
                self.env._(
                    "%(partners)s is not a key account: it has no cooperation state.",
                    partners=", ".join(not_key.mapped("display_name")),
                )
            )
        user = self.env.user
        if self.env.su or user.has_group(KA_MANAGER):
            return
        outsiders = self.filtered(lambda p: user not in p._key_account_team_users())
        if outsiders or not user.has_group(KA_USER):
            raise AccessError(
                self.env._(
                    "Only the account team or a Key Account Manager may set the cooperation "
                    "state of %(partners)s.",
                    partners=", ".join((outsiders or self).mapped("display_name")),
                )
            )

    def _set_cooperation_state(self, state, reason, remedy_plan):
        self.ensure_one()
        old = self.cooperation_state
        levels = COOPERATION_RANK[old] - COOPERATION_RANK[state] if old else 0
        if not old:
            change = "initial"
        else:
            change = "confirm" if levels == 0 else "upgrade" if levels > 0 else "downgrade"
        if change == "downgrade" and not (reason and remedy_plan):
            raise ValidationError(
                self.env._(
                    "Downgrading %(partner)s needs a written explanation and a remedy plan.",
                    partner=self.display_name,
                )
            )
        escalate = change == "downgrade" and (
            levels <= -2 or state in ESCALATING_STATES or self._last_change_was_downgrade()
        )
        now = fields.Datetime.now()
        log = self.env["key.account.state.log"].sudo().create({
            "partner_id": self.id,
            "date": now,
            "period": fields.Date.context_today(self).replace(day=1),
            "user_id": self.env.user.id,
            "responsible_id": self.sudo().key_account_manager_id.id,
            "state_from": old,
            "state_to": state,
            "change_type": change,
            "levels": levels,
            "reason": reason,
            "remedy_plan": remedy_plan,
            "escalated": escalate,
        })
        vals = {"cooperation_state": state, "cooperation_state_date": now, "cooperation_state_unconfirmed": False}
        if escalate:
            vals["key_account_escalated"] = True
        self.sudo().write(vals)
        if escalate:
            self._schedule_special_meeting(log)
        return log

    def _last_change_was_downgrade(self):
        last_change = self.env["key.account.state.log"].sudo().search(
            [("partner_id", "=", self.id), ("change_type", "in", ("upgrade", "downgrade"))],
            order="date desc, id desc",
            limit=1,
        )
        return last_change.change_type == "downgrade"

    def _key_account_managers(self):
        """KA Managers of the account's company who get its escalations (directors only when
        the company has no manager below them)."""
        company = self.company_id or self.env.company
        managers = self.env.ref(KA_MANAGER).sudo().users.filtered(
            lambda u: not u.share and company in u.company_ids
        )
        below_director = managers.filtered(lambda u: not u.has_group("key_account_mgmt.group_ka_director"))
        return below_director or managers

    def _schedule_special_meeting(self, log):
        state_labels = dict(self._fields["cooperation_state"]._description_selection(self.env))
        summary = self.env._("Special meeting (专题会议): %(partner)s", partner=self.display_name)
        note = self.env._(
            "Cooperation state went from %(old)s to %(new)s. Explanation: %(reason)s. Remedy "
            "plan: %(plan)s",
            old=state_labels.get(log.state_from, ""),
            new=state_labels.get(log.state_to, ""),
            reason=log.reason,
            plan=log.remedy_plan,
        )
        for manager in self._key_account_managers():
            self.sudo().activity_schedule(
                "key_account_mgmt.mail_activity_type_special_meeting",
                summary=summary,
                note=note,
                user_id=manager.id,
            )

    def action_close_escalation(self, conclusion):
        """Close the escalation of these accounts with the special meeting's conclusion."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may close an escalation."))
        conclusion = (conclusion or "").strip()
        if not conclusion:
            raise ValidationError(self.env._("Write the conclusion of the special meeting to close the escalation."))
        meeting_type = self.env.ref("key_account_mgmt.mail_activity_type_special_meeting")
        for partner in self.filtered("key_account_escalated"):
            partner.sudo().write({"key_account_escalated": False})
            partner.sudo().activity_ids.filtered(lambda a: a.activity_type_id == meeting_type).action_feedback(
                feedback=conclusion
            )
            partner.message_post(
                body=self.env._("Escalation closed. Conclusion: %(conclusion)s", conclusion=conclusion),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_cooperation_state_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Set Cooperation State"),
            "res_model": "key.account.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids, "default_state": self[:1].cooperation_state or "good"},
        }

    def action_open_close_escalation_wizard(self):
        action = self.action_open_cooperation_state_wizard()
        action["name"] = self.env._("Close Escalation")
        action["context"] = {"default_partner_ids": self.ids, "default_mode": "close_escalation"}
        return action

    @api.model
    def _cron_state_confirmation(self, batch_size=500):
        """Monthly duty (seed 002: 客户合作状态每月更新): from the configured day of the month,
        flag the key accounts whose state was neither changed nor confirmed this month and give
        their account manager one activity. Idempotent within a month; batched."""
        today = fields.Date.context_today(self)
        day = int(self.env["ir.config_parameter"].sudo().get_param("key_account_mgmt.state_confirmation_day", 25))
        if today.day < min(max(day, 1), 28):
            return
        month_start = fields.Datetime.to_datetime(today.replace(day=1))
        domain = [
            ("is_key_account", "=", True),
            "|", ("cooperation_state_date", "=", False), ("cooperation_state_date", "<", month_start),
            "|", ("cooperation_reminder_date", "=", False), ("cooperation_reminder_date", "<", today.replace(day=1)),
        ]
        partners = self.search(domain, limit=batch_size)
        remaining = self.search_count(domain) - len(partners)
        deadline = today.replace(day=1) + relativedelta(months=1, days=-1)
        for manager, accounts in partners.grouped("key_account_manager_id").items():
            if manager:
                accounts.activity_schedule(
                    "key_account_mgmt.mail_activity_type_state_confirmation",
                    date_deadline=deadline,
                    summary=self.env._("Confirm the cooperation state of this month"),
                    user_id=manager.id,
                )
        partners.write({"cooperation_state_unconfirmed": True, "cooperation_reminder_date": today})
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
