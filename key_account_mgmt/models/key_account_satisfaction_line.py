from odoo import fields, models


class KeyAccountSatisfactionLine(models.Model):
    """One scored question of a key account's satisfaction in a period: the score of the
    answers given to it (points earned / best points × 100) and how many answered it."""

    _name = "key.account.satisfaction.line"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Key Account Satisfaction per Question"
    _confidential_parents = ("satisfaction_id",)
    _order = "satisfaction_id, sequence, id"
    _rec_name = "question"

    satisfaction_id = fields.Many2one("key.account.satisfaction", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    period_start = fields.Date(related="satisfaction_id.period_start", store=True, string="Period From")
    question_id = fields.Many2one(
        "survey.question", string="Survey Question", required=True, ondelete="cascade", readonly=True
    )
    # the question's wording read as the superuser: KA Users need no right on the surveys
    question = fields.Char(related="question_id.title", string="Question")
    sequence = fields.Integer(related="question_id.sequence", store=True)
    score = fields.Float(digits=(5, 2), readonly=True, aggregator="avg")
    answers = fields.Integer(readonly=True)
