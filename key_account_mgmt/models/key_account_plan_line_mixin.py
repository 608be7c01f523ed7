from odoo import fields, models


class KeyAccountPlanLineMixin(models.AbstractModel):
    """A line of an account plan (objective, competitor, potential): it takes the plan's key
    account and company (confidential like the plan, the same three rules), and what it says is
    part of what the KA Manager approves (key.account.approval.line.mixin)."""

    _name = "key.account.plan.line.mixin"
    _inherit = ["key.account.confidential.mixin", "key.account.approval.line.mixin"]
    _description = "Account Plan Line"
    _confidential_parents = ("plan_id",)
    _approval_parent_fields = ("plan_id",)

    plan_id = fields.Many2one("key.account.plan", string="Account Plan", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", string="Currency")
