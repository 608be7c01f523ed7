from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ensure_one, model_label

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
    _inherit = ["res.partner", "key.account.search.guard.mixin", "key.account.write.guard"]

    # key.account.write.guard: the fields of this addon only (their rules and actions), and these
    # too, changed only through their actions, which keep the history
    _key_account_guards_own_fields_only = True
    _key_account_action_fields = (
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
    # set by the credit watch and the suspension only (named in their refusal)
    _KEY_ACCOUNT_CREDIT_FIELDS = (
        "key_account_credit_flag",
        "key_account_credit_flag_reason",
        "key_account_credit_flag_date",
        "key_account_credit_suspended",
        "key_account_credit_watch_pass",
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

    # credit watch (seed 003 第十四条: 信用档案和欠款监控预警机制; seed 002 客户资信等级评估表) and policies
    key_account_overdue_amount = fields.Monetary(
        string="Overdue Receivables",
        compute="_compute_key_account_receivables",
        currency_field="key_account_currency_id",
        groups=KA_USER,
        help="Open amount of invoice instalments past their due date (headquarters: with their branches).",
    )
    key_account_receivable_amount = fields.Monetary(
        string="Open Receivables",
        compute="_compute_key_account_receivables",
        currency_field="key_account_currency_id",
        groups=KA_USER,
    )
    key_account_overdue_days = fields.Integer(
        string="Days Overdue",
        compute="_compute_key_account_receivables",
        groups=KA_USER,
        help="Days past due of the oldest open invoice instalment.",
    )
    key_account_credit_flag = fields.Boolean(
        string="Credit Warning",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        groups=KA_USER,
        help="Set by the credit watch: receivables overdue longer than the company allows, or over the credit limit.",
    )
    key_account_credit_flag_reason = fields.Char(
        string="Credit Warning Reason", copy=False, readonly=True, groups=KA_USER
    )
    key_account_credit_flag_date = fields.Date(string="Credit Warning Since", copy=False, readonly=True, groups=KA_USER)
    key_account_credit_suspended = fields.Boolean(
        string="Credit Suspended",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        groups=KA_USER,
        help="A KA Manager suspended sales on credit (暂停记账服务): quotations of the customer show it.",
    )
    key_account_credit_log_ids = fields.One2many(
        "key.account.credit.log", "partner_id", string="Credit Decisions", groups=KA_USER
    )
    key_account_credit_watch_pass = fields.Integer(
        string="Credit Watch Pass",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Technical: the last pass of the credit watch that checked this account.",
    )
    key_account_policy_ids = fields.One2many(
        "key.account.policy", "partner_id", string="Preferential Policies", groups=KA_USER
    )
    key_account_active_policy_ids = fields.Many2many(
        "key.account.policy",
        string="Policies in Force",
        compute="_compute_key_account_active_policy_ids",
        groups=KA_USER,
    )
    key_account_policy_count = fields.Integer(
        string="Policies", compute="_compute_key_account_active_policy_ids", groups=KA_USER
    )

    @api.depends_context("allowed_company_ids")
    def _compute_key_account_receivables(self):
        figures = self._key_account_receivables()
        for partner in self:
            summary = figures.get(partner.id, {})
            partner.key_account_overdue_amount = summary.get("overdue", 0.0)
            partner.key_account_receivable_amount = summary.get("residual", 0.0)
            partner.key_account_overdue_days = summary.get("overdue_days", 0)

    def _key_account_receivables(self, date=None):
        """{partner id: receivable summary}: the group figure (集团客户: a headquarters with its
        branches, a branch on its own), one statement."""
        return self.env["key.account.metrics"]._receivable_summary(
            self.sudo().filtered("id").ids, date, consolidate=True
        )

    @api.depends_context("uid")
    @api.depends("key_account_policy_ids.state", "key_account_policy_ids.date_from", "key_account_policy_ids.date_to")
    def _compute_key_account_active_policy_ids(self):
        # as the current user: the record rules keep policies within the account team
        policies = self.env["key.account.policy"].search([("partner_id", "in", self.ids), ("is_active", "=", True)])
        counts = dict(
            self.env["key.account.policy"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        by_partner = policies.grouped("partner_id")
        for partner in self:
            partner.key_account_active_policy_ids = by_partner.get(partner, policies.browse())
            partner.key_account_policy_count = counts.get(partner, 0)

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
            partner.key_account_next_visit_date = self.env["key.account.visit"]._next_visit_due(partner)

    @api.depends_context("tz")
    @api.depends("key_account_next_visit_date")
    def _compute_key_account_visit_overdue(self):
        for partner in self:
            partner.key_account_visit_overdue = self.env["key.account.visit"]._is_overdue(partner)

    def _search_key_account_visit_overdue(self, operator, value):
        return self.env["key.account.visit"]._overdue_domain(operator, value)

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
        if accounts:
            self._key_account_check_manager(
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

    @api.model
    def _key_account_check_manager(self, message):
        """Raise ``message`` (translated) as an AccessError unless the current user is a KA
        Manager (or Director) or the superuser: the decisions reserved to managers, whatever
        the account (retiring, escalations, credit, hand-overs)."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(message)

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
    def _key_account_refuse_action_fields(self, names):
        """The credit and the cooperation state name the buttons that change them."""
        if set(names) & set(self._KEY_ACCOUNT_CREDIT_FIELDS):
            raise AccessError(
                self.env._(
                    "The credit warning is set by the credit watch, the suspension with its button (kept in the history)."
                )
            )
        if set(names) <= set(self._key_account_action_fields[:5]):
            raise AccessError(
                self.env._(
                    "Change the cooperation state with “Set Cooperation State” and close "
                    "escalations with their button: both keep the history."
                )
            )
        super()._key_account_refuse_action_fields(names)

    def _check_key_account_rights(self, vals):
        """Field ``groups`` decide who reads the key-account fields, key.account.write.guard
        keeps the fields of actions; this decides who changes the others: making a key account,
        its tier and its team belong to KA Managers; the categories also to the account team
        (:meth:`_key_account_check_access`), the group structure to the teams involved."""
        if self.env.su or self.env.user.has_group(KA_MANAGER):
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
        (the monthly duty): ``key.account.state.log._change_state``. Public RPC API (SPEC §11)."""
        self.env["key.account.state.log"]._change_state(self, state, reason, remedy_plan)
        return True

    def _key_account_managers(self):
        """KA Managers of the account's company who get its escalations (directors only when
        the company has no manager below them)."""
        company = self.company_id or self.env.company
        managers = self.env.ref(KA_MANAGER).sudo().users.filtered(lambda u: not u.share and company in u.company_ids)
        below_director = managers.filtered(lambda u: not u.has_group("key_account_mgmt.group_ka_director"))
        return below_director or managers

    def action_close_escalation(self, conclusion):
        """Close the escalation of these accounts with the special meeting's conclusion
        (``key.account.state.log._close_escalations``). Public RPC API."""
        return self.env["key.account.state.log"]._close_escalations(self, conclusion)

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

    # ------------------------------------------------------------------ archive
    def action_open_key_account_archive(self):
        """Smart button: the account's archive, an access request, or a new archive."""
        ensure_one(self)
        return self.env["key.account.archive"]._action_open_for(self)

    # ------------------------------------------------------------------ loss
    def action_lose_key_account(self, reason_type, reason, destination=False, competitor_id=False):
        """Retire these key accounts with a loss analysis: ``key.account.loss._retire``. Public RPC API."""
        self.env["key.account.loss"]._retire(self, reason_type, reason, destination, competitor_id)
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
    @api.depends_context("company")
    def _compute_key_account_score(self):
        latest = self.env["key.account.score"]._latest_of(self)
        for partner in self:
            score, grade, period = latest.get(partner.id, (0.0, False, False))
            partner.key_account_score, partner.key_account_grade, partner.key_account_score_period = (
                score,
                grade,
                period,
            )

    def _search_key_account_score(self, operator, value):
        return self.env["key.account.score"]._search_latest("score", operator, value)

    def _search_key_account_grade(self, operator, value):
        return self.env["key.account.score"]._search_latest("grade", operator, value)

    def action_compute_key_account_score(self):
        """Score these key accounts now: ``key.account.score._compute_now``. Public RPC API (SPEC §11)."""
        self.env["key.account.score"]._compute_now(self)
        return True

    def action_open_score_history(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_score_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_by_scorecard": 0}
        action["view_mode"] = "graph,list,form"
        action["views"] = [(False, "graph"), (False, "list"), (False, "form")]
        return action

    # ------------------------------------------------------------------ credit
    def action_check_credit(self):
        """Run the credit watch now on these key accounts, or on all of them when called
        without records: ``key.account.credit._watch_now`` (KA Managers; over RPC too)."""
        return self.env["key.account.credit"]._watch_now(self)

    def action_suspend_credit(self, reason):
        """暂停记账服务: the KA Manager suspends sales on credit, with the reason (history)."""
        return self.env["key.account.credit"]._set_suspension(self, True, reason)

    def action_restore_credit(self, reason):
        """The KA Manager restores sales on credit, with the reason (history)."""
        return self.env["key.account.credit"]._set_suspension(self, False, reason)

    def action_open_credit_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Decision"),
            "res_model": "key.account.credit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_action": "restore" if self[:1].key_account_credit_suspended else "suspend",
            },
        }

    def action_open_receivable_report(self):
        """出货回款: invoiced, paid and overdue by month of this account (with its branches)."""
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_receivable_report_action")
        action["domain"] = ["|", ("partner_id", "=", self.id), ("account_id", "=", self.id)]
        action["context"] = {"search_default_group_month": 1}
        return action

    def action_open_policies(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_policy_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
