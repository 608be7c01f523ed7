from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools import ensure_one
from .key_account_approval_mixin import APPROVAL_STATES

KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountTargetPlan(models.Model):
    """A set of targets (目标方案, seed 001 §2.2 第3–5条): the sales plans of the specialists,
    teams or regions, key accounts and product categories the KA Manager set for a period,
    approved together with the layered approval (KA Manager; KA Director from the company's
    amount). Approved, its targets change only through change requests
    (key.account.target.change, 第6条: 计划变更须经部门经理批准)."""

    _name = "key.account.target.plan"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Target Set"
    _order = "id desc"
    _approval_material_fields = ("company_id", "title", "target_ids")
    # approved targets change through change requests, not by approving the set again
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    title = fields.Char(required=True, help="What the set plans, e.g. the sales plan of the year.")
    state = fields.Selection(
        APPROVAL_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    target_ids = fields.One2many("key.account.target", "plan_id", string="Targets")
    target_count = fields.Integer(string="Targets Count", compute="_compute_target_count")
    sales_target_total = fields.Monetary(
        string="Sales Planned",
        currency_field="currency_id",
        compute="_compute_totals",
        store=True,
        help="The sales targets of the specialists in the set (teams and categories overlap with them).",
    )
    note = fields.Text(string="Basis", help="Per-capita sales, peers, demand, policy (第3条).")

    @api.depends("target_ids")
    def _compute_target_count(self):
        for plan in self:
            plan.target_count = len(plan.target_ids)

    @api.depends("target_ids.sales_target", "target_ids.user_id")
    def _compute_totals(self):
        for plan in self:
            plan.sales_target_total = sum(plan.target_ids.filtered("user_id").mapped("sales_target"))

    @api.depends("sales_target_total", "company_id.key_account_target_director_amount")
    def _compute_needs_director_approval(self):
        for plan in self:
            threshold = plan.company_id.key_account_target_director_amount
            plan.needs_director_approval = bool(threshold) and plan.sales_target_total >= threshold

    @api.constrains("company_id", "target_ids")
    def _check_company(self):
        for plan in self:
            if plan.target_ids.filtered(lambda target, plan=plan: target.company_id != plan.company_id):
                raise ValidationError(self.env._("The targets of a set belong to its company."))

    def _check_submittable(self):
        plan = ensure_one(self)
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager submits a target set."))
        if not plan.target_ids:
            raise ValidationError(self.env._("Add the targets of %(name)s before submitting it.", name=plan.name))

    def _on_approved(self):
        for plan in self:
            plan.sudo().message_post(
                body=self.env._("Target set approved: its targets now change through change requests only."),
                subtype_xmlid="mail.mt_note",
            )

    def action_view_targets(self):
        plan = ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": plan.title,
            "res_model": "key.account.target",
            "view_mode": "list",
            "domain": [("plan_id", "=", plan.id)],
            "context": {"default_plan_id": plan.id, "default_company_id": plan.company_id.id},
        }
