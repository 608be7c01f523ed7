from odoo import api, fields, models
from odoo.exceptions import ValidationError

# how often the team evaluates its cooperation with an account (合作评估), and so how many
# business reviews (定期服务评估) it owes a year
EVALUATION_FREQUENCIES = [("quarter", "Quarterly"), ("half", "Half-yearly"), ("year", "Yearly"), ("none", "None")]
EVALUATIONS_A_YEAR = {"quarter": 4, "half": 2, "year": 1, "none": 0}
# the lines of the plan: what is counted and owed (gifts: an amount, hours: per month)
SERVICE_KINDS = ("onsite_visit", "business_review", "training", "survey", "service_hours", "gift")


class KeyAccountServicePlan(models.Model):
    """The service standard of a tier in a company (服务规范, seed 002 集团客户层次分类服务管理办法
    and 客户分级管理制度; seed 001 §2.1 KPI 客户服务规范执行情况): what each key account of the tier
    is owed a year — on-site visits, business reviews (the team's cooperation evaluation,
    定期服务评估), trainings, satisfaction surveys, gifts within a budget — and the account
    manager's service hours a month (24/18/12/8 h). The compliance of an account is what was
    done against what is owed (key.account.metrics ``_service_compliance``)."""

    _name = "key.account.service.plan"
    _description = "Key Account Service Plan"
    _order = "sequence, id"
    _rec_name = "tier_id"

    tier_id = fields.Many2one("key.account.tier", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(related="tier_id.sequence", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    onsite_visits = fields.Integer(
        string="On-site Visits a Year",
        help="Reported on-site visits (and receptions where the company counts them as on-site visits).",
    )
    evaluation_frequency = fields.Selection(
        EVALUATION_FREQUENCIES,
        string="Cooperation Evaluation",
        default="year",
        required=True,
        help="How often the team evaluates its cooperation with the account (合作评估 / 定期服务评估); each "
        "evaluation accepted by a KA Manager is a business review done.",
    )
    business_reviews = fields.Integer(string="Business Reviews a Year", compute="_compute_business_reviews", store=True)
    trainings = fields.Integer(string="Trainings a Year", help="Customer trainings (客户培训) the account attended.")
    surveys = fields.Integer(
        string="Satisfaction Surveys a Year", help="Survey periods in which the account's contacts answered."
    )
    gift_budget = fields.Monetary(
        string="Gift Budget a Year",
        currency_field="currency_id",
        help="Value of the materials and gifts of reported visits and receptions the account may receive a year.",
    )
    service_hours = fields.Float(
        string="Service Hours a Month",
        digits=(16, 1),
        help="Hours of the account manager's service each month (seed 002: 24, 18, 12 or 8 hours): the durations "
        "of reported visits (time on site when checked in and out) and receptions.",
    )
    note = fields.Text(string="Service Commitments", translate=True)

    _sql_constraints = [
        ("tier_company_uniq", "unique(tier_id, company_id)", "A tier has one service plan per company."),
    ]

    @api.depends("evaluation_frequency")
    def _compute_business_reviews(self):
        for plan in self:
            plan.business_reviews = EVALUATIONS_A_YEAR[plan.evaluation_frequency or "none"]

    @api.constrains("onsite_visits", "trainings", "surveys", "gift_budget", "service_hours")
    def _check_quantities(self):
        for plan in self:
            values = (plan.onsite_visits, plan.trainings, plan.surveys, plan.gift_budget, plan.service_hours)
            if any(value < 0 for value in values) or plan.service_hours > 744:
                raise ValidationError(
                    self.env._(
                        "The service plan of tier %(tier)s owes no negative quantities, and at most 744 hours a month.",
                        tier=plan.tier_id.name,
                    )
                )

    @api.constrains("tier_id", "company_id")
    def _check_tier_company(self):
        for plan in self:
            if plan.tier_id.company_id and plan.tier_id.company_id != plan.company_id:
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s belongs to another company than its service plan.", tier=plan.tier_id.name
                    )
                )
