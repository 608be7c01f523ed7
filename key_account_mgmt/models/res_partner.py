import math

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import clean_text, ensure_one, label, model_label

KA_USER = "key_account_mgmt.group_ka_user"
KA_CLERK = "key_account_mgmt.group_ka_clerk"
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
# seed 001 §3.3.3 五: the five buyers of a purchase decision
BUYING_ROLES = [
    ("economic", "Economic Buyer"),
    ("technical", "Technical Buyer"),
    ("user", "User Buyer"),
    ("payer", "Paying Buyer"),
    ("coach", "Coach"),
]
GROUP_RELATIONS = [("branch", "Branch"), ("carrier", "Carrier / Agent")]


class ResPartner(models.Model):
    """Key-account fields on the partner.

    No record rule restricts res.partner: core reads partners everywhere as the current user.
    Instead every key-account field carries ``groups=``: any internal user may see whether a
    company is a key account and its tier (SPEC §1), the rest only the key-account groups.
    """

    _name = "res.partner"
    _inherit = ["res.partner", "key.account.search.guard.mixin"]

    # who may change which key-account field, beyond the field's read groups
    _KEY_ACCOUNT_MANAGER_FIELDS = (
        "is_key_account",
        "key_account_tier_id",
        "key_account_manager_id",
        "key_account_team_member_ids",
    )
    _KEY_ACCOUNT_TEAM_FIELDS = ("key_account_category_ids", "key_account_branch_ids", "key_account_carrier_ids")
    # group structure: the team of the branch, of its old or of its new headquarters may set it
    _KEY_ACCOUNT_STRUCTURE_FIELDS = ("key_account_headquarters_id", "key_account_group_relation")
    # changed only through their actions, which keep the history
    _KEY_ACCOUNT_ACTION_FIELDS = (
        "cooperation_state",
        "cooperation_state_date",
        "cooperation_state_unconfirmed",
        "cooperation_reminder_date",
        "key_account_escalated",
        "key_account_code",
        "key_account_lost",
        "key_account_last_visit_date",
        "key_account_visit_count",
        "key_account_reception_count",
        "key_account_score",
        "key_account_grade",
        "key_account_score_period",
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

    key_account_code = fields.Char(
        string="Key Account Code",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups=KA_USER,
        help="大客户编码: assigned from a sequence when the partner becomes a key account.",
    )
    key_account_team_member_ids = fields.One2many(
        "key.account.team.member",
        "partner_id",
        string="Team Members",
        groups=KA_USER,
    )
    key_account_headquarters_id = fields.Many2one(
        "res.partner",
        string="Headquarters",
        index="btree_not_null",
        tracking=True,
        groups=KA_USER,
        copy=False,
        domain="[('is_company', '=', True), ('parent_id', '=', False), ('id', '!=', id)]",
        help="The group customer (集团客户) this company belongs to as a branch or carrier.",
    )
    key_account_group_relation = fields.Selection(
        GROUP_RELATIONS,
        string="Relation to Headquarters",
        groups=KA_USER,
        copy=False,
        help="Branch (分支机构): its purchases count in the group's figures. Carrier / agent (承运商): linked, not consolidated.",
    )
    key_account_branch_ids = fields.One2many(
        "res.partner",
        "key_account_headquarters_id",
        string="Branches",
        groups=KA_USER,
        domain=[("key_account_group_relation", "=", "branch")],
        context={"default_key_account_group_relation": "branch"},
    )
    key_account_carrier_ids = fields.One2many(
        "res.partner",
        "key_account_headquarters_id",
        string="Carriers / Agents",
        groups=KA_USER,
        domain=[("key_account_group_relation", "=", "carrier")],
        context={"default_key_account_group_relation": "carrier"},
    )
    key_account_revenue_12m = fields.Monetary(
        string="Revenue, Last 12 Months",
        compute="_compute_key_account_revenue",
        groups=KA_USER,
        currency_field="key_account_currency_id",
        help="Posted customer invoices net of refunds, untaxed.",
    )
    key_account_group_revenue_12m = fields.Monetary(
        string="Group Revenue, Last 12 Months",
        compute="_compute_key_account_revenue",
        groups=KA_USER,
        currency_field="key_account_currency_id",
        help="This company and its branches.",
    )
    key_account_currency_id = fields.Many2one(
        "res.currency", compute="_compute_key_account_revenue", groups=KA_USER, string="Revenue Currency"
    )
    buying_role = fields.Selection(
        BUYING_ROLES,
        string="Buying Role",
        groups=KA_USER,
        tracking=True,
        copy=False,
        help="The contact's part in the customer's purchase decisions: economic (approves the money), technical "
        "(judges the offer, may veto), user (works with the product), paying (places and pays the order), coach "
        "(guides us inside the customer).",
    )
    buying_role_economic = fields.Boolean(
        string="Economic Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_technical = fields.Boolean(
        string="Technical Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_user = fields.Boolean(
        string="User Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_payer = fields.Boolean(
        string="Paying Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_coach = fields.Boolean(string="Coach Known", compute="_compute_buying_role_coverage", groups=KA_USER)
    buying_role_coverage = fields.Integer(
        string="Buying Roles Covered",
        compute="_compute_buying_role_coverage",
        groups=KA_USER,
        help="How many of the five buying roles have a contact.",
    )
    key_account_branch_names = fields.Char(
        string="Branch Offices", compute="_compute_statistics_columns", groups=KA_USER
    )
    key_account_main_contact_id = fields.Many2one(
        "res.partner",
        string="Main Contact",
        compute="_compute_statistics_columns",
        groups=KA_USER,
        help="The economic buyer, else the first contact person.",
    )
    key_account_main_contact_phone = fields.Char(
        string="Contact Phone", compute="_compute_statistics_columns", groups=KA_USER
    )
    key_account_lost = fields.Boolean(
        string="Lost Key Account",
        copy=False,
        readonly=True,
        index=True,
        groups=KA_USER,
        tracking=True,
        help="Retired as a key account with a loss analysis.",
    )
    key_account_loss_ids = fields.One2many("key.account.loss", "partner_id", string="Loss Analyses", groups=KA_USER)
    key_account_last_visit_date = fields.Date(
        string="Last Visit",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Date of the last reported visit or reception.",
    )
    key_account_next_visit_date = fields.Date(
        string="Next Visit Due",
        compute="_compute_key_account_next_visit_date",
        store=True,
        groups=KA_USER,
        help="The last visit plus the tier's visit frequency (from the day the account was created when it was never visited).",
    )
    key_account_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_key_account_visit_overdue",
        search="_search_key_account_visit_overdue",
        groups=KA_USER,
    )
    key_account_visit_count = fields.Integer(string="Visits Reported", copy=False, readonly=True, groups=KA_USER)
    key_account_reception_count = fields.Integer(
        string="Receptions Reported", copy=False, readonly=True, groups=KA_USER
    )
    key_account_open_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "key_account_id",
        string="Open Complaints and Requests",
        domain=[("stage_id.closed", "=", False)],
        groups=KA_USER,
        help="Complaints and service requests of this key account not closed yet.",
    )
    key_account_open_ticket_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_key_account_open_ticket_count",
        groups=KA_USER,
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
        help="Users who see this account's confidential records: the account manager and the team members.",
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
    cooperation_work_plan = fields.Char(string="Work Plan", compute="_compute_cooperation_color", groups=KA_USER)
    cooperation_state_date = fields.Datetime(
        string="State Confirmed On",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Last change or monthly confirmation of the cooperation state.",
    )
    cooperation_state_unconfirmed = fields.Boolean(
        string="State Not Confirmed",
        copy=False,
        readonly=True,
        index=True,
        groups=KA_USER,
        help="The state was not changed or confirmed this month by the deadline.",
    )
    cooperation_reminder_date = fields.Date(
        string="State Reminder Sent On",
        copy=False,
        readonly=True,
        groups=KA_USER,
    )
    key_account_escalated = fields.Boolean(
        string="Escalated",
        copy=False,
        tracking=True,
        index=True,
        groups=KA_USER,
        help="A downgrade calls for a special meeting (专题会议) of the KA Manager.",
    )
    state_log_ids = fields.One2many("key.account.state.log", "partner_id", string="State History", groups=KA_USER)
    # scoring (issue #4): the latest snapshot of the current company's scorecard, read on demand
    # (the monthly run writes snapshots only: rewriting 20,000 wide partner rows cost more than
    # the whole scoring, see bench/README.md)
    key_account_score = fields.Float(
        string="Score",
        digits=(5, 2),
        compute="_compute_key_account_score",
        search="_search_key_account_score",
        groups=KA_USER,
        help="Latest score (0-100) of the account: Σ weight × points / 5 over the criteria of the scorecard.",
    )
    key_account_grade = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")],
        string="Grade",
        compute="_compute_key_account_score",
        search="_search_key_account_grade",
        groups=KA_USER,
        help="Grade of the latest score: A ≥ 80, B 60-79, C < 60 (bands of the scorecard).",
    )
    key_account_score_period = fields.Date(string="Scored For", compute="_compute_key_account_score", groups=KA_USER)
    key_account_score_ids = fields.One2many("key.account.score", "partner_id", string="Score History", groups=KA_USER)

    @api.depends("key_account_manager_id", "key_account_team_member_ids.user_id")
    def _compute_key_account_team_user_ids(self):
        for partner in self:
            partner.key_account_team_user_ids = (
                partner.key_account_manager_id | partner.key_account_team_member_ids.user_id
            )

    @api.depends_context("allowed_company_ids")
    def _compute_key_account_revenue(self):
        metrics = self.env["key.account.metrics"]
        date_from, date_to = metrics._last_12_months()
        partner_ids = [pid for pid in self.ids if pid]
        own = metrics._revenue(partner_ids, date_from, date_to)
        group = metrics._revenue(partner_ids, date_from, date_to, consolidate=True)
        for partner in self:
            partner.key_account_currency_id = self.env.company.currency_id
            partner.key_account_revenue_12m = own.get(partner.id, 0.0)
            partner.key_account_group_revenue_12m = group.get(partner.id, 0.0)

    @api.depends("child_ids.buying_role", "child_ids.active")
    def _compute_buying_role_coverage(self):
        for partner in self:
            roles = set(partner.child_ids.mapped("buying_role"))
            for role, _label in BUYING_ROLES:
                partner[f"buying_role_{role}"] = role in roles
            partner.buying_role_coverage = len(roles & {role for role, _label in BUYING_ROLES})

    @api.depends("key_account_branch_ids.name", "child_ids.buying_role", "child_ids.phone", "child_ids.mobile")
    def _compute_statistics_columns(self):
        """客户统计表 (seed 002): branch offices, main contact and phone per customer."""
        rank = {role: index for index, (role, _label) in enumerate(BUYING_ROLES)}
        for partner in self:
            contacts = partner.child_ids.filtered(lambda c: c.type == "contact" and not c.is_company)
            main = contacts.sorted(lambda c: (rank.get(c.buying_role, len(rank)), c.id))[:1]
            partner.key_account_branch_names = ", ".join(partner.key_account_branch_ids.mapped("name"))
            partner.key_account_main_contact_id = main
            partner.key_account_main_contact_phone = main.phone or main.mobile or partner.phone

    @api.constrains("key_account_headquarters_id", "key_account_group_relation")
    def _check_key_account_group_structure(self):
        for partner in self:
            headquarters = partner.key_account_headquarters_id
            if not headquarters:
                continue
            if not partner.key_account_group_relation:
                raise ValidationError(
                    self.env._(
                        "Say whether %(partner)s is a branch or a carrier of %(hq)s.",
                        partner=partner.name,
                        hq=headquarters.name,
                    )
                )
            if headquarters == partner or headquarters.key_account_headquarters_id:
                raise ValidationError(
                    self.env._(
                        "%(hq)s cannot be the headquarters of %(partner)s: a headquarters is not itself a branch or "
                        "carrier.",
                        hq=headquarters.name,
                        partner=partner.name,
                    )
                )
            if partner.parent_id or partner.key_account_branch_ids or partner.key_account_carrier_ids:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be a branch or carrier: it is a contact or a headquarters itself.",
                        partner=partner.name,
                    )
                )

    @api.depends("is_key_account", "key_account_last_visit_date", "key_account_tier_id.visit_frequency_days")
    def _compute_key_account_next_visit_date(self):
        for partner in self:
            start = partner.key_account_last_visit_date or (partner.create_date or fields.Datetime.now()).date()
            frequency = partner.key_account_tier_id.visit_frequency_days
            partner.key_account_next_visit_date = (
                fields.Date.add(start, days=frequency) if partner.is_key_account and frequency else False
            )

    @api.depends_context("tz")
    @api.depends("key_account_next_visit_date")
    def _compute_key_account_visit_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.key_account_visit_overdue = (
                bool(partner.key_account_next_visit_date) and partner.key_account_next_visit_date < today
            )

    def _search_key_account_visit_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue visits."))
        overdue = (operator == "=") == value
        today = fields.Date.context_today(self)
        if overdue:
            return [("key_account_next_visit_date", "<", today)]
        return ["|", ("key_account_next_visit_date", "=", False), ("key_account_next_visit_date", ">=", today)]

    def _update_key_account_visits(self):
        """Last visit date and counters from the reported visits and receptions (one query)."""
        summary = self.env["key.account.metrics"]._visit_summary(self.ids)
        for partner in self.sudo():
            last, visits, receptions = summary.get(partner.id, (False, 0, 0))
            partner.write(
                {
                    "key_account_last_visit_date": last,
                    "key_account_visit_count": visits,
                    "key_account_reception_count": receptions,
                }
            )

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
                        "%(partner)s is a contact of %(parent)s: only the company itself can be a key account.",
                        partner=partner.name,
                        parent=partner.parent_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # defaults given in the context (an RPC client sets them at will): those the user may
            # not set are ignored, the others checked like values
            self, vals_list = self._key_account_context_defaults(vals_list)
        for vals in vals_list:
            self._check_key_account_values(vals)  # before the guards read them (base runs last)
            # on an empty recordset: copy() calls create() on the original record
            self.browse()._check_key_account_rights(vals)
        partners = super().create(vals_list)
        if any(vals.get("is_key_account") for vals in vals_list):
            partners._assign_key_account_codes()
        return partners

    def write(self, vals):
        self._check_key_account_values(vals)  # before the guards read them (base runs last)
        self._check_key_account_rights(vals)
        result = super().write(vals)
        if vals.keys() & {"key_account_manager_id", "key_account_team_member_ids"}:
            self._flush_team_of()
        if vals.get("is_key_account"):
            self._assign_key_account_codes()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_key_account(self):
        """Key accounts (and former ones) are deleted by KA Managers only, and no partner with a
        key-account history (archive, state history, scores, visits, losses, policies, …) is
        deleted at all: histories are never deleted with their account (the snapshots have no
        foreign key to stop it). Archive the partner instead."""
        accounts = self.filtered(lambda p: p._has_key_account_data())
        if accounts and not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(
                self.env._(
                    "Only a Key Account Manager may delete the key account %(partners)s.",
                    partners=", ".join(accounts.sudo().mapped("display_name")),
                )
            )
        accounts._key_account_check_access(
            "write", self.env._("Only a Key Account Manager of its company may delete the key account %(partners)s.")
        )
        with_history = self._key_account_with_history()
        if with_history:
            raise UserError(
                self.env._(
                    "%(partners)s has a key-account history (archive, state history, scores, visits, …), which is "
                    "never deleted: archive the partner instead.",
                    partners=", ".join(with_history.sudo().mapped("display_name")),
                )
            )

    def _key_account_with_history(self):
        """The partners among these that confidential key-account records refer to."""
        registry = self.env.registry
        models_with_history = [
            name
            for name in registry.descendants(["key.account.confidential.mixin"], "_inherit")
            if not registry[name]._abstract and registry[name]._auto
        ] + ["key.account.application"]
        found = self.browse()
        for name in models_with_history:
            rows = (
                self.env[name]
                .sudo()
                .with_context(active_test=False)
                ._read_group([("partner_id", "in", (self - found).ids)], ["partner_id"])
            )
            found |= self.browse([partner.id for (partner,) in rows])
        return found

    def _key_account_context_defaults(self, vals_list):
        ignored = set(self._key_account_protected_fields())
        if not self.env.user.has_group(KA_MANAGER):
            ignored |= set(self._KEY_ACCOUNT_MANAGER_FIELDS)
        checked = {*self._KEY_ACCOUNT_STRUCTURE_FIELDS, *self._KEY_ACCOUNT_TEAM_FIELDS}
        context, defaults = {}, {}
        for key, value in self.env.context.items():
            name = key[len("default_") :] if key.startswith("default_") else None
            if name in ignored:
                continue
            if name in checked:
                defaults[name] = value
            context[key] = value
        if len(context) == len(self.env.context) and not defaults:
            return self, vals_list
        return self.with_context(context), [{**defaults, **vals} for vals in vals_list]

    def _flush_team_of(self):
        """The record rules of confidential models read the stored team: write it now, so a
        search later in the same transaction sees the new team."""
        self.flush_recordset(["key_account_team_user_ids"])

    def _key_account_team_users(self):
        """Users on the account team of these partners (sudo: called for rights checks)."""
        return self.sudo().key_account_team_user_ids

    # ------------------------------------------------------------------ the trust boundary
    def _key_account_filtered_access(self, operation="read"):
        """THE rule of SPEC §1 deciding who may see (``operation="read"``) or change
        (``"write"``) the confidential data of these accounts; returns those the current user
        may. Every other check (actions, write guards, read-side checks) asks this one.

        - superuser: all;
        - only accounts of the user's companies (an account without company is shared);
        - KA Manager / Director: all of them, read and write;
        - KA Clerk: reads all of them, changes those on whose team they are;
        - KA User: those on whose team they are (account manager or team member);
        - anybody else: none.
        The team is the stored ``key_account_team_user_ids`` (written only by its compute)."""
        if operation not in ("read", "write"):
            raise ValueError(f"Unknown key-account operation {operation!r}")
        if self.env.su:
            return self
        user = self.env.user
        if not user.has_group(KA_USER):
            return self.browse()
        companies = user.company_ids
        mine = self.filtered(lambda p: not p.sudo().company_id or p.sudo().company_id in companies)
        if user.has_group(KA_MANAGER) or (operation == "read" and user.has_group(KA_CLERK)):
            return mine
        return mine.filtered(lambda p: user in p.sudo().key_account_team_user_ids)

    def _key_account_has_access(self, operation="read"):
        """Boolean variant of :meth:`_key_account_check_access`: may the current user see
        (``"read"``) or change (``"write"``) the confidential data of all these accounts?"""
        return len(self._key_account_filtered_access(operation)) == len(self)

    def _key_account_check_access(self, operation="read", message=None, **params):
        """Raise a translated AccessError naming the accounts among these whose confidential
        data the current user may not see (``"read"``) or change (``"write"``), see
        :meth:`_key_account_filtered_access`. ``message``: a translated text with the
        placeholder ``%(partners)s`` saying what was refused (default: a generic one), and of
        ``params``."""
        denied = self - self._key_account_filtered_access(operation)
        if not denied:
            return
        names = ", ".join(denied.sudo().mapped("display_name"))
        if message:
            raise AccessError(message % {**params, "partners": names})
        if operation == "read":
            raise AccessError(
                self.env._(
                    "Only the account team of %(partners)s and the Key Account Clerks and Managers of its company may see "
                    "its confidential data.",
                    partners=names,
                )
            )
        raise AccessError(
            self.env._(
                "Only the account team of %(partners)s and the Key Account Managers of its company may change its "
                "confidential data.",
                partners=names,
            )
        )

    @api.model
    @tools.ormcache()
    def _key_account_protected_fields(self):
        """Key-account fields of the partner written only by the actions that own them (in
        sudo): the listed ones and, found by introspection, every stored field of this addon
        that is computed (the team feeding the record rules, the next visit due, …) or read-only
        (codes, dates, counters, credit flags)."""
        return frozenset(self._KEY_ACCOUNT_ACTION_FIELDS) | {
            name
            for name, field in self._fields.items()
            if field._module == "key_account_mgmt" and field.store and field.readonly
        }

    def _check_key_account_rights(self, vals):
        """Field ``groups`` decide who reads the key-account fields; this decides who changes
        them: fields of actions only through their actions, making a key account, its tier and
        its team belong to KA Managers; the categories also to the account team
        (:meth:`_key_account_check_access`)."""
        if self.env.su:
            return
        action_fields = sorted(vals.keys() & self._key_account_protected_fields())
        # a new partner may come with the defaults (False): only a real value counts
        if action_fields and (self or any(vals[f] for f in action_fields)):
            if set(action_fields) <= set(self._KEY_ACCOUNT_ACTION_FIELDS[:5]):
                raise AccessError(
                    self.env._(
                        "Change the cooperation state with “Set Cooperation State” and close "
                        "escalations with their button: both keep the history."
                    )
                )
            raise AccessError(
                self.env._(
                    "%(fields)s change only through the actions that own them, which check the rights and keep the "
                    "history.",
                    fields=", ".join(self._fields[f]._description_string(self.env) for f in action_fields),
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
        team_fields = vals.keys() & set(self._KEY_ACCOUNT_TEAM_FIELDS)
        if self and team_fields:
            self._key_account_check_access(
                "write",
                self.env._("Only the account team of %(partners)s or a Key Account Manager may change: %(fields)s."),
                fields=", ".join(self._fields[f]._description_string(self.env) for f in sorted(team_fields)),
            )
        if vals.keys() & set(self._KEY_ACCOUNT_STRUCTURE_FIELDS):
            self._check_group_structure_rights(vals)

    def _check_group_structure_rights(self, vals):
        """A branch or carrier is linked to (or unlinked from) a headquarters by whoever may
        change the key-account data of the headquarters, old and new, and of the branch when it
        has key-account data itself: nobody pulls another team's account into their group
        figures, nor their account out of another team's group."""
        new_headquarters = self.browse(vals.get("key_account_headquarters_id") or [])
        if not self and not new_headquarters:
            return
        for partner in self or [self.browse()]:
            involved = (partner.sudo().key_account_headquarters_id | new_headquarters).with_env(self.env)
            if partner and partner._has_key_account_data():
                involved |= partner
            if not involved._key_account_has_access("write"):
                raise AccessError(
                    self.env._(
                        "Only the account team of the branch or of its headquarters, or a Key Account Manager, may "
                        "change the group structure of %(partner)s.",
                        partner=partner.display_name or new_headquarters.display_name,
                    )
                )

    def _has_key_account_data(self):
        """Is (or was) this partner managed as a key account, with confidential records?"""
        self.ensure_one()
        partner = self.sudo()
        return bool(partner.is_key_account or partner.key_account_lost or partner.key_account_team_user_ids)

    def _assign_key_account_codes(self):
        """大客户编码: every key account gets its code once, from the sequence."""
        for partner in self.sudo().filtered(lambda p: p.is_key_account and not p.key_account_code):
            partner.write(
                {
                    "key_account_code": self.env["ir.sequence"].next_by_code("key.account.code"),
                    "key_account_lost": False,
                }
            )
        self.sudo().filtered(lambda p: p.is_key_account and p.key_account_lost).write({"key_account_lost": False})

    # ------------------------------------------------------------------ cooperation state
    def action_set_cooperation_state(self, state, reason, remedy_plan=False):
        """Change the cooperation state of these key accounts, or confirm it when unchanged
        (the monthly duty). Writes one state log row per account; a downgrade needs an
        explanation and a remedy plan, and may escalate. Public RPC API (SPEC §11)."""
        if not isinstance(state, str) or state not in COOPERATION_RANK:
            raise ValidationError(self.env._("Unknown cooperation state: %(state)s.", state=repr(state)[:40]))
        reason = clean_text(self.env, reason, label(self.env, "key.account.state.log", "reason"))
        remedy_plan = clean_text(self.env, remedy_plan, label(self.env, "key.account.state.log", "remedy_plan"))
        self._check_can_set_cooperation_state()
        for partner in self:
            partner._set_cooperation_state(state, reason, remedy_plan)
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
        self._key_account_check_access(
            "write",
            self.env._("Only the account team or a Key Account Manager may set the cooperation state of %(partners)s."),
        )

    def _set_cooperation_state(self, state, reason, remedy_plan):
        ensure_one(self)
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
        log = (
            self.env["key.account.state.log"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
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
                }
            )
        )
        vals = {"cooperation_state": state, "cooperation_state_date": now, "cooperation_state_unconfirmed": False}
        if escalate:
            vals["key_account_escalated"] = True
        self.sudo().write(vals)
        if escalate:
            self._schedule_special_meeting(log)
        return log

    def _last_change_was_downgrade(self):
        last_change = (
            self.env["key.account.state.log"]
            .sudo()
            .search(
                [("partner_id", "=", self.id), ("change_type", "in", ("upgrade", "downgrade"))],
                order="date desc, id desc",
                limit=1,
            )
        )
        return last_change.change_type == "downgrade"

    def _key_account_managers(self):
        """KA Managers of the account's company who get its escalations (directors only when
        the company has no manager below them)."""
        company = self.company_id or self.env.company
        managers = self.env.ref(KA_MANAGER).sudo().users.filtered(lambda u: not u.share and company in u.company_ids)
        below_director = managers.filtered(lambda u: not u.has_group("key_account_mgmt.group_ka_director"))
        return below_director or managers

    def _schedule_special_meeting(self, log):
        """The special meeting (专题会议) of an escalation: an activity of each KA Manager on the
        state log row, which only they and the account team read (not on the partner, whose
        activities every internal user reads)."""
        state_labels = dict(self._fields["cooperation_state"]._description_selection(self.env))
        summary = self.env._("Special meeting (专题会议): %(partner)s", partner=self.display_name)
        note = self.env._(
            "Cooperation state went from %(old)s to %(new)s. Explanation: %(reason)s. Remedy plan: %(plan)s",
            old=state_labels.get(log.state_from, ""),
            new=state_labels.get(log.state_to, ""),
            reason=log.reason,
            plan=log.remedy_plan,
        )
        # created by the superuser: the downgrading user may not reschedule or cancel it
        for manager in self._key_account_managers():
            log.with_user(SUPERUSER_ID).activity_schedule(
                "key_account_mgmt.mail_activity_type_special_meeting",
                summary=summary,
                note=note,
                user_id=manager.id,
            )

    def _open_escalation_logs(self):
        """State log rows of these accounts whose escalation is not closed yet (sudo)."""
        return (
            self.env["key.account.state.log"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("escalated", "=", True), ("escalation_closed_date", "=", False)])
        )

    def action_close_escalation(self, conclusion):
        """Close the escalation of these accounts with the special meeting's conclusion, kept
        on the escalated state log rows (their special meetings are marked done with it)."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may close an escalation."))
        conclusion = clean_text(self.env, conclusion, label(self.env, "key.account.state.wizard", "conclusion"))
        if not conclusion:
            raise ValidationError(self.env._("Write the conclusion of the special meeting to close the escalation."))
        meeting_type = self.env.ref("key_account_mgmt.mail_activity_type_special_meeting")
        for partner in self.filtered("key_account_escalated"):
            partner.sudo().write({"key_account_escalated": False})
            logs = partner._open_escalation_logs()
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
            "|",
            ("cooperation_state_date", "=", False),
            ("cooperation_state_date", "<", month_start),
            "|",
            ("cooperation_reminder_date", "=", False),
            ("cooperation_reminder_date", "<", today.replace(day=1)),
        ]
        partners = self.search(domain, limit=batch_size)
        remaining = self.search_count(domain) - len(partners)
        deadline = today.replace(day=1) + relativedelta(months=1, days=-1)
        latest_logs = partners._latest_state_logs()
        for manager, accounts in partners.grouped("key_account_manager_id").items():
            if manager:
                # on the account's latest state log row, which only the team reads; an account
                # without any state yet has no row: the reminder stays on it
                logs = (
                    self.env["key.account.state.log"]
                    .sudo()
                    .concat(*(latest_logs[p.id] for p in accounts if p.id in latest_logs))
                )
                for records in (logs, accounts.filtered(lambda p: p.id not in latest_logs)):
                    records.activity_schedule(
                        "key_account_mgmt.mail_activity_type_state_confirmation",
                        date_deadline=deadline,
                        summary=self.env._("Confirm the cooperation state of this month"),
                        user_id=manager.id,
                    )
        partners.write({"cooperation_state_unconfirmed": True, "cooperation_reminder_date": today})
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)

    def _latest_state_logs(self):
        """{partner id: its latest state log row} (sudo)."""
        logs = (
            self.env["key.account.state.log"]
            .sudo()
            .search([("partner_id", "in", self.ids)], order="partner_id, date desc, id desc")
        )
        latest = {}
        for log in logs:
            latest.setdefault(log.partner_id.id, log)
        return latest

    # ------------------------------------------------------------------ archive
    def action_open_key_account_archive(self):
        """Open the account's archive: the archive itself when the user may read it, an access
        request when it exists but is closed to them, a new archive when there is none."""
        ensure_one(self)
        archive_model = self.env["key.account.archive"]
        action = {"type": "ir.actions.act_window", "res_model": "key.account.archive", "view_mode": "form"}
        archive = archive_model.search([("partner_id", "=", self.id)], limit=1)
        if archive:
            return archive._get_form_action()
        closed = archive_model.sudo().search([("partner_id", "=", self.id)], limit=1)
        if closed:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Request Archive Access"),
                "res_model": "key.account.archive.grant",
                "view_mode": "form",
                "target": "new",
                "context": {"default_archive_id": closed.id},
            }
        return dict(action, context={"default_partner_id": self.id})

    # ------------------------------------------------------------------ loss
    def action_lose_key_account(self, reason_type, reason, destination=False, competitor_id=False):
        """Retire these key accounts with a loss analysis (流失分析). They keep their code,
        team, archive and history, and stay reportable through their loss rows."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may retire a key account."))
        not_key = self.filtered(lambda p: not p.is_key_account)
        if not_key:
            raise UserError(
                self.env._("%(partners)s is not a key account.", partners=", ".join(not_key.mapped("display_name")))
            )
        reason = clean_text(self.env, reason, label(self.env, "key.account.loss", "reason"))
        destination = clean_text(self.env, destination, label(self.env, "key.account.loss", "destination")) or False
        if not reason or not reason_type:
            raise ValidationError(self.env._("A lost key account needs its main reason and a written analysis."))
        if reason_type not in self.env["key.account.loss"]._fields["reason_type"].get_values(self.env):
            raise ValidationError(
                self.env._("Unknown main reason of a loss: %(reason)s.", reason=repr(reason_type)[:40])
            )
        metrics = self.env["key.account.metrics"]
        revenue = metrics._revenue(self.ids, *metrics._last_12_months())
        losses = (
            self.env["key.account.loss"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "reason_type": reason_type,
                        "reason": reason,
                        "destination": destination,
                        "competitor_id": competitor_id,
                        "user_id": self.env.uid,
                        "responsible_id": partner.sudo().key_account_manager_id.id,
                        "tier_id": partner.key_account_tier_id.id,
                        "revenue_12m": revenue.get(partner.id, 0.0),
                    }
                    for partner in self
                ]
            )
        )
        self.sudo().write({"is_key_account": False, "key_account_lost": True})
        # the analysis is confidential: on the loss row, not on the partner's chatter
        for loss in losses:
            loss.message_post(
                body=self.env._("Retired as a key account: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_open_loss_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retire Key Account"),
            "res_model": "key.account.loss.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def action_open_key_account_records(self):
        """Smart buttons: the confidential records of this account (model in the context)."""
        ensure_one(self)
        model = self.env.context.get("key_account_model")
        if model not in (
            "key.account.application",
            "key.account.archive.grant",
            "key.account.loss",
            "key.account.visit",
            "key.account.reception",
            "key.account.news",
            "key.account.monthly.review",
            "key.account.target",
        ):
            raise UserError(self.env._("Nothing to open here."))
        return {
            "type": "ir.actions.act_window",
            "name": model_label(self.env[model]),
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    def _compute_key_account_open_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("key_account_id", "in", self.ids), ("stage_id.closed", "=", False)],
                ["key_account_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.key_account_open_ticket_count = counts.get(partner, 0)

    def action_open_key_account_tickets(self):
        """Smart button: the open complaints and requests of this key account."""
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.helpdesk_ticket_action")
        action["domain"] = [("key_account_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_open": 1}
        return action

    def action_nominate_key_account(self):
        """Any internal user, branch sales teams included, proposes this company (开发申请)."""
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Key Account Nomination"),
            "res_model": "key.account.application",
            "view_mode": "form",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_open_reassign_wizard(self):
        """One-click reassignment of the account manager (after an escalation)."""
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign Key Account"),
            "res_model": "key.account.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_from_user_id": self.sudo().key_account_manager_id.id,
                "default_note": self.env._("Escalation") if self.key_account_escalated else False,
            },
        }

    # ------------------------------------------------------------------ scoring (issue #4)
    def _latest_scores_query(self, partner_ids=None):
        """SQL of the latest snapshot (partner_id, score, grade, period_date) of each account with
        the scorecards of the current company."""
        return SQL(
            """
            SELECT DISTINCT ON (s.partner_id) s.partner_id, s.score, s.grade, s.period_date
              FROM key_account_score s
              JOIN key_account_scorecard c ON c.id = s.scorecard_id
             WHERE c.company_id = %s %s
             ORDER BY s.partner_id, s.period_date DESC, s.id DESC
            """,
            self.env.company.id,
            SQL("AND s.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL(),
        )

    @api.depends_context("company")
    def _compute_key_account_score(self):
        self.env["key.account.score"].flush_model(["partner_id", "scorecard_id", "score", "grade", "period_date"])
        self.env.cr.execute(self._latest_scores_query([pid for pid in self.ids if pid]))
        latest = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            score, grade, period = latest.get(partner.id, (0.0, False, False))
            partner.key_account_score, partner.key_account_grade, partner.key_account_score_period = (
                score,
                grade,
                period,
            )

    def _search_latest_score(self, column, operator, value):
        if operator not in ("=", "!=", "<", "<=", ">", ">=", "in", "not in"):
            raise UserError(self.env._("Scores and grades cannot be searched with %(operator)s.", operator=operator))
        if value is None and operator in ("=", "!="):
            value = False
        values = value if operator in ("in", "not in") else [value]
        if not (value is False and operator in ("=", "!=")) and not (
            isinstance(values, (list, tuple)) and all(self._is_latest_score_value(column, v) for v in values)
        ):
            raise UserError(self.env._("%(value)s is not a score or grade to search for.", value=repr(value)[:40]))
        self.env["key.account.score"].flush_model(["partner_id", "scorecard_id", "score", "grade", "period_date"])
        if value is False and operator in ("=", "!="):  # never scored / scored
            scored = SQL("(SELECT latest.partner_id FROM (%s) AS latest)", self._latest_scores_query())
            return [("id", "not in" if operator == "=" else "in", scored)]
        if operator in ("in", "not in"):
            condition = SQL("latest.%s = ANY(%s)", SQL.identifier(column), list(value))
        else:
            condition = SQL(f"latest.%s {'<>' if operator == '!=' else operator} %s", SQL.identifier(column), value)
        if operator in ("!=", "not in"):
            condition = SQL("NOT (%s)", condition)
        return [
            (
                "id",
                "in",
                SQL("(SELECT latest.partner_id FROM (%s) AS latest WHERE %s)", self._latest_scores_query(), condition),
            )
        ]

    def _is_latest_score_value(self, column, value):
        if column == "grade":
            return isinstance(value, str) and value in self._fields["key_account_grade"].get_values(self.env)
        return (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and abs(value) < 1e6
        )

    def _search_key_account_score(self, operator, value):
        return self._search_latest_score("score", operator, value)

    def _search_key_account_grade(self, operator, value):
        return self._search_latest_score("grade", operator, value)

    def action_compute_key_account_score(self):
        """Score these key accounts now (this month's snapshot, replacing an earlier one of the
        same month) with the scorecard of the current company. Public RPC API (SPEC §11): the
        account team or a KA Manager; returns True."""
        accounts = self.commercial_partner_id.filtered(lambda p: p.sudo().is_key_account)
        if not accounts:
            raise UserError(self.env._("Only key accounts are scored."))
        accounts._key_account_check_access(
            "write",
            self.env._("Only the account team or a Key Account Manager may compute the score of %(partners)s."),
        )
        scorecard = self.env["key.account.scorecard"].sudo()._for_company(self.env.company)
        if not scorecard:
            raise UserError(self.env._("Company %(company)s has no active scorecard.", company=self.env.company.name))
        scorecard._compute_scores(partner_ids=accounts.ids)
        return True

    def action_open_score_history(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_score_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_by_scorecard": 0}
        action["view_mode"] = "graph,list,form"
        action["views"] = [(False, "graph"), (False, "list"), (False, "form")]
        return action
