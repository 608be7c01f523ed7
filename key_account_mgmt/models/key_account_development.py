from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ensure_one
from .key_account_approval_mixin import APPROVAL_STATES

SENSITIVITY = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# seed 003 第二–五条: the selection standards a key account must meet
STANDARDS = ("standard_operation", "standard_cooperation", "standard_confidentiality", "standard_cost")


class KeyAccountDevelopment(models.Model):
    """Development plan (大客户开发方案, seed 001 §3.2): the team's file on a potential key
    account — classification, selection standards (seed 003 第二–五条), customer analysis, the
    six competitive advantages to establish, the forecast that says whether the customer is
    worth developing, the development method and the project team (统筹人, 拓展, 协调人, 升级活动负责人,
    培训负责人). Approved with the layered approval (KA Manager; the Director from the company's
    threshold of forecast sales), then carried out; it ends won (a nomination prefilled from
    the plan, key.account.development.outcome.mixin) or failed (a reason and its analysis).

    Confidential like an archive: its project team joins the customer's account team
    (``key_account_team_user_ids``) while the customer is not a key account, so the one rule of
    confidential records and the one helper (``_key_account_filtered_access``) decide who sees
    the plan, its lines and the customer's file."""

    _name = "key.account.development"
    _inherit = [
        "key.account.confidential.mixin",
        "key.account.approval.mixin",
        "key.account.development.progress.mixin",
        "key.account.development.investigation.mixin",
        "key.account.development.outcome.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Key Account Development Plan"
    _order = "id desc"
    _approval_material_fields = (
        "partner_id",
        "company_id",
        "user_id",
        "class_important",
        "class_high_value",
        "class_group",
        "class_strategic",
        *STANDARDS,
        "forecast_sales",
        "forecast_profit",
        "cost_personnel",
        "cost_travel",
        "cost_management",
        "risk_factor",
        "method_presentation",
        "method_materials",
        "method_visit",
        "method_other",
        "member_ids",
    )

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        APPROVAL_STATES, string="Status", default="draft", required=True, tracking=True, copy=False
    )
    partner_id = fields.Many2one(
        string="Customer",
        tracking=True,
        domain="[('is_company', '=', True), ('parent_id', '=', False), ('is_key_account', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Coordinator",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="统筹人: organises and follows the whole development.",
    )
    candidate_id = fields.Many2one("key.account.candidate", readonly=True, copy=False)
    date = fields.Date(string="Plan Date", required=True, default=fields.Date.context_today)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    # classification (seed 001 §3.2.2 一): the four classes may overlap
    class_important = fields.Boolean(string="Important Customer", help="重要客户: party, government, army.")
    class_high_value = fields.Boolean(string="High-Value Customer", help="高值客户: many machines, large purchases.")
    class_group = fields.Boolean(string="Group Customer", help="集团客户: affiliated units buying as one.")
    class_strategic = fields.Boolean(
        string="Strategic Customer", help="战略客户: an example to its industry, contested by competitors."
    )
    # selection standards (seed 003 第二–五条)
    standard_operation = fields.Boolean(
        string="Strong Operations, Sound Finances, Good Credit",
        help="第二条: 较高的经营能力, 稳健的财务状况和良好的信用记录.",
    )
    standard_cooperation = fields.Boolean(string="Cooperative", help="第三条: 良好的合作精神.")
    standard_confidentiality = fields.Boolean(
        string="Keeps Business and Technical Secrets", help="第四条: 遵循商业和技术领域的保密原则."
    )
    standard_cost = fields.Boolean(
        string="Cost Control Meets Our Standards", help="第五条: 成本控制和成本标准满足公司要求."
    )
    # customer analysis (seed 001 §3.2.2 二.2)
    needs = fields.Text(string="Needs and Pain Points")
    equipment = fields.Text(string="Equipment and Products Used")
    organisation = fields.Text()
    decision_process = fields.Text(help="Who starts, who decides, for small and bulk purchases.")
    business_plans = fields.Text(string="Business Development Plans")
    purchase_budget = fields.Monetary(string="Yearly Purchase Budget", currency_field="currency_id")
    price_sensitivity = fields.Selection(SENSITIVITY)
    quality_sensitivity = fields.Selection(SENSITIVITY, string="Quality and Service Sensitivity")
    purchase_factors = fields.Text(
        string="Purchase-Influence Factors", help="Purchase cost, technical content, policy and social factors."
    )
    trade_history = fields.Text(help="For an existing customer: what it bought from us.")
    advantage_ids = fields.One2many(
        "key.account.development.advantage",
        "development_id",
        string="Competitive Advantages",
        copy=True,
        default=lambda self: self.env["key.account.development.advantage"]._default_lines(),
    )
    # forecast (seed 001 §3.2.2 二.2 (5))
    forecast_sales = fields.Monetary(string="Forecast Annual Sales", currency_field="currency_id", tracking=True)
    forecast_profit = fields.Monetary(string="Forecast Annual Profit", currency_field="currency_id")
    cost_personnel = fields.Monetary(string="Personnel Cost", currency_field="currency_id")
    cost_travel = fields.Monetary(string="Travel Cost", currency_field="currency_id")
    cost_management = fields.Monetary(string="Management and Operating Cost", currency_field="currency_id")
    risk_factor = fields.Float(string="Risk Factor (%)", help="The chance (0-100) that the development fails.")
    development_cost = fields.Monetary(
        currency_field="currency_id", compute="_compute_forecast", store=True, help="Personnel, travel and management."
    )
    expected_value = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_forecast",
        store=True,
        help="Profit weighted by the chance of success, less the development cost.",
    )
    worth_developing = fields.Boolean(compute="_compute_forecast", store=True)
    # development method (seed 001 §3.3.3 二.4)
    method_presentation = fields.Boolean(string="Presentation / Promotion Meeting", help="介绍会/推广会")
    method_materials = fields.Boolean(string="Send Materials", help="寄送资料")
    method_visit = fields.Boolean(string="Visits", help="拜访")
    method_other = fields.Char(string="Other Method")
    member_ids = fields.One2many("key.account.development.member", "development_id", string="Project Team", copy=True)

    @api.depends("forecast_profit", "cost_personnel", "cost_travel", "cost_management", "risk_factor")
    def _compute_forecast(self):
        for plan in self:
            plan.development_cost = plan.cost_personnel + plan.cost_travel + plan.cost_management
            plan.expected_value = plan.forecast_profit * (100 - plan.risk_factor) / 100 - plan.development_cost
            plan.worth_developing = plan.expected_value > 0

    @api.depends("forecast_sales", "company_id.key_account_development_director_amount")
    def _compute_needs_director_approval(self):
        for plan in self:
            threshold = plan.company_id.key_account_development_director_amount
            plan.needs_director_approval = bool(threshold) and plan.forecast_sales >= threshold

    @api.constrains("forecast_sales", "forecast_profit", "cost_personnel", "cost_travel", "cost_management")
    def _check_amounts(self):
        names = ("forecast_sales", "cost_personnel", "cost_travel", "cost_management", "purchase_budget")
        for plan in self:
            if any(plan[name] < 0 for name in names):
                raise ValidationError(self.env._("The forecast sales, the budget and the costs cannot be negative."))

    @api.constrains("risk_factor")
    def _check_risk_factor(self):
        if any(not 0 <= plan.risk_factor <= 100 for plan in self):
            raise ValidationError(self.env._("The risk factor is a percentage from 0 to 100."))

    # ------------------------------------------------------------------ creation and the team
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                self._check_start(vals)
        self._join_account_team(vals_list)
        plans = super().create(vals_list)
        plans._sync_account_team()
        return plans

    @api.model
    def _check_start(self, vals):
        """A KA User starts a plan for a customer nobody develops or manages yet (and joins its
        team), or for one whose account team they are on; one open plan per customer."""
        partner = self.env["res.partner"].browse(
            vals.get("partner_id") if isinstance(vals.get("partner_id"), int) else []
        )
        if not partner.exists():
            raise UserError(self.env._("Choose the customer to develop."))
        partner._key_account_check_development_free()
        if vals.get("user_id", self.env.uid) != self.env.uid and not self.env.user.has_group(
            "key_account_mgmt.group_ka_manager"
        ):
            raise AccessError(self.env._("Only a Key Account Manager may make someone else coordinator of a plan."))
        self._check_one_open(partner)

    @api.model
    def _check_one_open(self, partner, exclude=None):
        open_plan = self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("state", "not in", ("rejected", "cancelled")),
                ("outcome", "=", "open"),
                ("id", "not in", exclude.ids if exclude else []),
            ],
            limit=1,
        )
        if open_plan:
            raise UserError(
                self.env._(
                    "%(partner)s is already being developed (%(plan)s).",
                    partner=partner.display_name,
                    plan=open_plan.name,
                )
            )

    @api.model
    def _join_account_team(self, vals_list):
        """Before the plan is created (its lines check the user's access to it): the
        coordinator joins the account team of a customer that is no key account."""
        Member = self.env["key.account.team.member"].sudo()
        for vals in vals_list:
            partner = self.env["res.partner"].sudo().browse(vals.get("partner_id") or []).exists()
            user_id = vals.get("user_id") or self.env.uid
            if not partner or partner.is_key_account:
                continue
            if not partner.key_account_team_member_ids.filtered(
                lambda m, user_id=user_id: m.user_id.id == user_id and m.role == "coordinator"
            ):
                Member.create({"partner_id": partner.id, "user_id": user_id, "role": "coordinator"})

    def write(self, vals):
        if "user_id" in vals and not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
            raise AccessError(
                self.env._("Only a Key Account Manager may change the coordinator of a development plan.")
            )
        left = {(plan.sudo().user_id.id, "coordinator") for plan in self} if "user_id" in vals else set()
        result = super().write(vals)
        if "user_id" in vals:
            self._sync_account_team()
            self._prune_account_team(left)
        return result

    def _sync_account_team(self):
        """The project team joins the customer's account team while the customer is no key
        account (then the account team is the KA Managers' to set): the rules of confidential
        records read it. Added by the plan, as the system; members leaving are removed by
        key.account.development.member."""
        Member = self.env["key.account.team.member"].sudo()
        for plan in self.sudo():
            partner = plan.partner_id
            if partner.is_key_account or plan.outcome != "open":
                continue
            wanted = {(plan.user_id.id, "coordinator")} | {
                (member.user_id.id, member._team_role()) for member in plan.member_ids
            }
            have = {(member.user_id.id, member.role) for member in partner.key_account_team_member_ids}
            missing = wanted - have
            if missing:
                Member.create([{"partner_id": partner.id, "user_id": user, "role": role} for user, role in missing])

    def _prune_account_team(self, pairs):
        """Members ``pairs`` (user id, team role) left the project team: they leave the
        customer's account team too, unless still on an open plan of it, or the customer is a
        key account."""
        Member = self.env["key.account.team.member"].sudo()
        for plan in self.sudo().exists():
            partner = plan.partner_id
            if partner.is_key_account:
                continue
            plans = self.sudo().search([("partner_id", "=", partner.id), ("outcome", "=", "open")])
            kept = {(p.user_id.id, "coordinator") for p in plans} | {
                (member.user_id.id, member._team_role()) for member in plans.member_ids
            }
            gone = partner.key_account_team_member_ids.filtered(
                lambda member, kept=kept: (member.user_id.id, member.role) in pairs - kept
            )
            Member.browse(gone.ids).unlink()

    def _check_submittable(self):
        ensure_one(self)
        if self.partner_id.sudo().is_key_account:
            raise UserError(self.env._("%(partner)s is already a key account.", partner=self.partner_id.display_name))
        missing = [self._fields[name]._description_string(self.env) for name in STANDARDS if not self[name]]
        if missing:
            raise ValidationError(
                self.env._(
                    "%(partner)s does not meet the selection standards yet: %(standards)s.",
                    partner=self.partner_id.display_name,
                    standards=", ".join(missing),
                )
            )
        if not self.forecast_sales:
            raise ValidationError(self.env._("Give the forecast annual sales of the development."))
        if not self.worth_developing:
            raise ValidationError(
                self.env._(
                    "The forecast says %(partner)s is not worth developing: the expected value is not positive.",
                    partner=self.partner_id.display_name,
                )
            )
        if not (self.method_presentation or self.method_materials or self.method_visit or self.method_other):
            raise ValidationError(self.env._("Choose at least one development method."))
        self._check_one_open(self.partner_id, exclude=self)

    def _approval_locked(self, what, account=False):
        if self.outcome != "open":
            raise ValidationError(
                self.env._(
                    "%(record)s is closed: its %(fields)s cannot change anymore.", record=self.display_name, fields=what
                )
            )
        return super()._approval_locked(what, account=account)

    # ------------------------------------------------------------------ from a candidate
    @api.model
    def _start_for_candidate(self, candidate):
        """The open plan of the candidate's customer, or a new one made from the candidate."""
        plan = self.search(
            [("partner_id", "=", candidate.partner_id.id), ("outcome", "=", "open"), ("state", "!=", "cancelled")],
            limit=1,
        )
        if not plan:
            plan = self.create(
                {
                    "partner_id": candidate.partner_id.id,
                    "forecast_sales": candidate.revenue,
                    "trade_history": self.env._(
                        "Sales of the 12 months: %(revenue)s (%(share)s%% of the company's), growth %(growth)s%%, "
                        "%(invoices)s invoices, %(orders)s orders.",
                        revenue=candidate.currency_id.format(candidate.revenue),
                        share=round(candidate.sales_share, 2),
                        growth=round(candidate.growth, 1),
                        invoices=candidate.invoice_count,
                        orders=candidate.order_count,
                    ),
                }
            )
            plan.sudo().candidate_id = candidate
        candidate.sudo().development_id = plan
        return plan

    def _action_open(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
        }

    def action_open_customer_file(self):
        """The customer's file (seed 001 §1.2.3 职责3: 潜在客户资料的收集整理, 建立自己的客户的档案): the
        client archive of the customer, confidential by the archive's rules — the project team is
        on the customer's account team — and kept with the customer once it is a key account."""
        plan = ensure_one(self)
        plan.check_access("read")
        return self.env["key.account.archive"]._action_open_for(plan.partner_id)
