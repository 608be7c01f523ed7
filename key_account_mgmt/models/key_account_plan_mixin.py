from odoo import api, fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountPlanMixin(models.AbstractModel):
    """The account plans on the partner: this year's plan of the key account (else its latest
    one), its progress, and the way to its whitespace. The plans
    are confidential: the reader sees those the record rules let them read."""

    _name = "key.account.plan.mixin"
    _description = "Key Account Plans"

    key_account_plan_ids = fields.One2many("key.account.plan", "partner_id", string="Account Plans", groups=KA_USER)
    key_account_plan_id = fields.Many2one(
        "key.account.plan", string="Account Plan", compute="_compute_key_account_plan", groups=KA_USER
    )
    key_account_plan_progress = fields.Float(
        string="Plan Progress", compute="_compute_key_account_plan", groups=KA_USER
    )

    @api.depends_context("uid")
    def _compute_key_account_plan(self):
        year = fields.Date.context_today(self).year
        plans = self.env["key.account.plan"].search(
            [("partner_id", "in", self._origin.ids), ("state", "not in", ("cancelled", "rejected"))],
            order="year desc, id desc",
        )
        for partner in self:
            own = plans.filtered(lambda p, partner=partner: p.partner_id == partner._origin)
            plan = own.filtered(lambda p: p.year == year)[:1] or own[:1]
            partner.key_account_plan_id = plan
            partner.key_account_plan_progress = plan.progress if plan else 0.0

    def action_open_key_account_plan(self):
        """The account's current plan, or its plans when it has none yet (to write one)."""
        ensure_one(self)
        plan = self.key_account_plan_id
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Account Plans"),
            "res_model": "key.account.plan",
            "context": {"default_partner_id": self.id},
        }
        if plan:
            return {**action, "res_id": plan.id, "view_mode": "form", "views": [(False, "form")]}
        return {**action, "view_mode": "list,form", "domain": [("partner_id", "=", self.id)]}

    def action_open_key_account_whitespace(self):
        ensure_one(self)
        plan = self.key_account_plan_id
        if plan:
            return plan.action_open_whitespace()
        return self.action_open_key_account_plan()
