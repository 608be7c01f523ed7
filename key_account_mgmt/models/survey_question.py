from odoo import models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    def _satisfaction_scored(self):
        """These questions that give a satisfaction score: single choices with points."""
        return self.filtered(
            lambda q: q.question_type == "simple_choice" and any(a.answer_score > 0 for a in q.suggested_answer_ids)
        )
