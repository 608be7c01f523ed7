from odoo import api, fields, models


class KeyAccountEvaluationImprovement(models.Model):
    """An improvement agreed in a cooperation evaluation (改进措施): what, who owns it and by
    when. Written with its evaluation, kept with it once submitted; the owner gets an activity
    when the evaluation is accepted."""

    _name = "key.account.evaluation.improvement"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Improvement Agreed"
    _confidential_parents = ("evaluation_id",)
    _order = "evaluation_id, date_due, id"

    evaluation_id = fields.Many2one("key.account.evaluation", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    name = fields.Text(string="Improvement", required=True)
    owner_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, domain="[('share', '=', False)]"
    )
    date_due = fields.Date(string="Due Date", required=True, default=fields.Date.context_today)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.evaluation_id._check_improvements_open()
        return records

    def write(self, vals):
        self.evaluation_id._check_improvements_open()
        result = super().write(vals)
        self.evaluation_id._check_improvements_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.evaluation_id._check_improvements_open()
