from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KeyAccountPlanCompetitor(models.Model):
    """A competitor present at the customer (seed 001 第11条 竞争产品使用情况) and its estimated
    share of the customer's purchases in our field, as the team judges it for the plan. The
    competitor products seen on visits (key.account.visit.competitor) are the evidence; this is
    the plan's summary of them."""

    _name = "key.account.plan.competitor"
    _inherit = ["key.account.plan.line.mixin"]
    _description = "Account Plan Competitor"
    _order = "plan_id, share desc, id"
    _approval_material_fields = ("plan_id", "competitor", "share")

    competitor = fields.Char(required=True, index="trigram")
    products = fields.Char(string="Their Products")
    share = fields.Float(string="Estimated Share (%)", digits=(5, 1), help="Their share of the customer's purchases.")
    note = fields.Text(string="Strengths and Weaknesses")

    @api.constrains("share")
    def _check_share(self):
        if any(not 0 <= line.share <= 100 for line in self):
            raise ValidationError(self.env._("A competitor's share is a percentage between 0 and 100."))
