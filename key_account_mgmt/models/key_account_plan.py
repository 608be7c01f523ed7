from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one
from .key_account_approval_mixin import APPROVAL_STATES

PLAN_STATES = [
    ("draft", "Draft"),
    ("submitted", "To Approve"),
    *[state for state in APPROVAL_STATES if state[0] not in ("draft", "submitted")],
    ("closed", "Closed"),
]
# what the KA Manager approves: the account and year, the customer's goals and the SWOT
# (objectives, competitors and potentials are lines: key.account.approval.line.mixin)
MATERIAL_FIELDS = (
    "partner_id",
    "company_id",
    "year",
    "customer_goals",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
)


class KeyAccountPlan(models.Model):
    """The account plan of a key account for a year (大客户经营计划; seed 001 §3.2.2 二 业务发展
    计划, seed 000 成功手册 四.1 个性化方案): the customer's goals and plans, our objectives and
    the actions (activities) that serve them, the SWOT, the competitors present and their share,
    and the potential of each product category against what the customer buys from us (the
    whitespace). One per account, company and year; approved by the KA Manager (and the
    Director when its potential reaches the company's nomination threshold) with the layered
    approval; confidential like the archive.

    Progress is the share of the plan's activities done: done activities of a plan are kept
    (archived, as Odoo does for the activity types that keep them, see models/mail_activity.py),
    so the count of planned and done ones is read from mail.activity itself."""

    _name = "key.account.plan"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.confidential.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Account Plan"
    _order = "year desc, partner_id, id desc"
    _approval_material_fields = MATERIAL_FIELDS

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    year = fields.Integer(
        required=True,
        index=True,
        tracking=True,
        copy=False,  # a copy of an earlier plan is this year's: one plan per account and year
        default=lambda self: fields.Date.context_today(self).year,
        aggregator=False,
    )
    state = fields.Selection(
        PLAN_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    customer_goals = fields.Text(
        string="Customer's Goals and Plans",
        help="What the customer wants to achieve this year: business development, investments, purchase plans.",
    )
    strengths = fields.Text(help="Our strengths with this customer.")
    weaknesses = fields.Text(help="Our weaknesses with this customer.")
    opportunities = fields.Text(help="Opportunities at the customer: projects, new sites, needs we can serve.")
    threats = fields.Text(help="Threats: competitors, budget cuts, people who oppose us.")
    objective_ids = fields.One2many("key.account.plan.objective", "plan_id", string="Objectives", copy=True)
    competitor_ids = fields.One2many("key.account.plan.competitor", "plan_id", string="Competitors", copy=True)
    potential_ids = fields.One2many("key.account.plan.potential", "plan_id", copy=True)
    activity_planned_count = fields.Integer(string="Actions Planned", compute="_compute_progress")
    activity_done_count = fields.Integer(string="Actions Done", compute="_compute_progress")
    progress = fields.Float(
        compute="_compute_progress", help="Actions done out of the actions planned on the plan (its activities)."
    )
    potential_amount = fields.Monetary(
        string="Total Potential", compute="_compute_whitespace_totals", currency_field="currency_id"
    )
    purchased_last_12 = fields.Monetary(
        string="Bought, Last 12 Months", compute="_compute_whitespace_totals", currency_field="currency_id"
    )
    whitespace_amount = fields.Monetary(
        string="Whitespace",
        compute="_compute_whitespace_totals",
        currency_field="currency_id",
        help="Potential not yet bought from us: the potential of the categories minus the last 12 months' purchases.",
    )

    _sql_constraints = [
        ("year_unique", "unique(partner_id, company_id, year)", "A key account has one account plan per year."),
    ]

    @api.depends("partner_id.name", "year")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = f"{plan.partner_id.sudo().name or ''} {plan.year or ''}".strip()

    @api.depends("potential_ids.potential_amount", "company_id.key_account_nomination_director_amount")
    def _compute_needs_director_approval(self):
        for plan in self:
            threshold = plan.company_id.key_account_nomination_director_amount
            plan.needs_director_approval = bool(threshold) and plan._potential_total() >= threshold

    def _potential_total(self):
        return sum(self.potential_ids.mapped("potential_amount"))

    @api.depends_context("uid")
    def _compute_progress(self):
        counts = self.env["mail.activity"]._key_account_plan_counts("res_id", self._origin.ids)
        for plan in self:
            planned, done = counts.get(plan._origin.id, (0, 0))
            plan.activity_planned_count, plan.activity_done_count = planned, done
            plan.progress = 100.0 * done / planned if planned else 0.0

    @api.depends("potential_ids.potential_amount", "potential_ids.purchased_last_12")
    def _compute_whitespace_totals(self):
        for plan in self:
            lines = plan.potential_ids
            plan.potential_amount = sum(lines.mapped("potential_amount"))
            plan.purchased_last_12 = sum(lines.mapped("purchased_last_12"))
            plan.whitespace_amount = sum(lines.mapped("whitespace_amount"))

    @api.constrains("year")
    def _check_year(self):
        if any(not 2000 <= plan.year <= 2100 for plan in self):
            raise ValidationError(self.env._("The year of an account plan lies between 2000 and 2100."))

    # ------------------------------------------------------------------ approval
    def _check_submittable(self):
        ensure_one(self)
        if not self.partner_id.sudo().is_key_account:
            raise UserError(self.env._("%(partner)s is not a key account.", partner=self.partner_id.display_name))
        if not (self.customer_goals or "").strip():
            raise ValidationError(self.env._("Describe the customer's goals and plans before submitting the plan."))
        if not self.objective_ids:
            raise ValidationError(self.env._("Give the plan at least one objective before submitting it."))
        categories = self.potential_ids.categ_id
        if len(categories) != len(self.potential_ids):
            raise ValidationError(self.env._("Give each product category's potential once."))

    def action_close(self):
        """The year is over: the approved plan is closed (its actions and figures stay)."""
        if any(plan.state != "approved" for plan in self):
            raise UserError(self.env._("Only an approved account plan can be closed."))
        self._write_state({"state": "closed"})
        return True

    def action_cancel(self):
        if any(plan.state == "closed" for plan in self):
            raise UserError(self.env._("A closed account plan cannot be cancelled."))
        return super().action_cancel()

    @api.ondelete(at_uninstall=False)
    def _unlink_activities(self):
        """The done actions (archived activities) go with the plan, as the open ones do."""
        self.env["mail.activity"].sudo().with_context(active_test=False).search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()

    @api.model
    def _get_under_validation_exceptions(self):
        # who is responsible for the plan is not what the KA Manager approves
        return super()._get_under_validation_exceptions() + ["user_id"]

    # ------------------------------------------------------------------ whitespace
    def action_add_purchased_categories(self):
        """Add a line without potential for each product category the account (with its
        branches) bought from us in the last 24 months and the plan does not list yet."""
        ensure_one(self)
        self.check_access("write")
        metrics = self.env["key.account.metrics"].with_context(allowed_company_ids=self.company_id.ids)
        last, previous = self.env["key.account.plan.potential"]._whitespace_periods()
        bought = metrics._purchases_by_category(self.partner_id.ids, [last, previous]).get(self.partner_id.id, {})
        missing = set(bought) - set(self.potential_ids.categ_id.ids)
        if missing:
            self.env["key.account.plan.potential"].create(
                [{"plan_id": self.id, "categ_id": categ_id} for categ_id in sorted(missing)]
            )
        return True

    def action_open_whitespace(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_plan_potential_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        action["name"] = self.env._("Whitespace of %(plan)s", plan=self.display_name)
        return action
