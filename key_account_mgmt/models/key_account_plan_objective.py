from odoo import api, fields, models

from ..tools import ensure_one


class KeyAccountPlanObjective(models.Model):
    """An objective of an account plan: what we want to win this year at the customer, how it is
    measured, the target, the due date and who owns it. Our actions towards it are the plan's
    activities linked to it (mail.activity.key_account_objective_id); its progress is the share
    of them done."""

    _name = "key.account.plan.objective"
    _inherit = ["key.account.plan.line.mixin"]
    _description = "Account Plan Objective"
    _order = "plan_id, sequence, id"
    _approval_material_fields = ("plan_id", "name", "measure", "target_value", "date_deadline", "user_id")

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Objective", required=True)
    measure = fields.Char(help="How the objective is measured, e.g. revenue of valves, share of the pump tender.")
    target_value = fields.Float(string="Target", digits=(16, 2), help="The measurable target, in the measure's unit.")
    date_deadline = fields.Date(string="Due Date")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    activity_planned_count = fields.Integer(string="Actions Planned", compute="_compute_progress")
    activity_done_count = fields.Integer(string="Actions Done", compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", help="Actions done out of the actions planned for it.")

    @api.depends_context("uid")
    def _compute_progress(self):
        counts = self.env["mail.activity"]._key_account_plan_counts("key_account_objective_id", self._origin.ids)
        for objective in self:
            planned, done = counts.get(objective._origin.id, (0, 0))
            objective.activity_planned_count, objective.activity_done_count = planned, done
            objective.progress = 100.0 * done / planned if planned else 0.0

    def action_schedule_activity(self):
        """Plan an action for this objective: an activity of the plan, linked to it."""
        ensure_one(self)
        self.plan_id.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan an Action"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_res_model": self.plan_id._name,
                "default_res_model_id": self.env["ir.model"]._get_id(self.plan_id._name),
                "default_res_id": self.plan_id.id,
                "default_key_account_objective_id": self.id,
                "default_user_id": (self.user_id or self.env.user).id,
                "default_summary": self.name,
            },
        }
