from odoo import api, fields, models
from odoo.tools import SQL


class KeyAccountMetrics(models.AbstractModel):
    """The satisfaction figures of key.account.metrics (issue #20): the score of an account and
    period from its contacts' answers to the satisfaction survey, in one statement for a batch
    of accounts and periods; and the half-year period of the survey campaigns."""

    # one file per concern of the metrics: key_account_metrics.py is at its ~400-line limit
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "key.account.metrics"

    @api.model
    def _period(self, day, kind="month"):
        """The half year too: (1 January, 30 June) or (1 July, 31 December)."""
        if kind != "half":
            return super()._period(day, kind)
        day = fields.Date.to_date(day)
        first = day.replace(month=1 if day.month <= 6 else 7, day=1)
        return first, fields.Date.end_of(first.replace(month=first.month + 5), "month")

    @api.model
    def _satisfaction_figures(self, keys):
        """{(partner_id, period_start): {"score", "points", "max_points", "responses", "last",
        "questions": {question_id: (score, answers)}}} of the key accounts and periods ``keys``
        [(partner_id, period_start)], from the completed answers (not test entries) to the
        invitations of those periods, in one statement.

        A scored question is a single choice whose choices carry points (``answer_score``, also
        when the survey shows no score to the respondent); an answer earns the points of the
        choice made out of the best choice of its question; skipped questions count for nothing. Score = 100 × points /
        best points, over the answers of one question (its breakdown) or of all the scored
        questions (the account's score). Last: when the latest of the answers was completed."""
        if not keys:
            return {}
        self.env["key.account.survey.invitation"].flush_model(["partner_id", "period_start", "user_input_id"])
        self.env["survey.user_input"].flush_model(["state", "test_entry", "end_datetime"])
        self.env["survey.user_input.line"].flush_model(
            ["user_input_id", "question_id", "skipped", "answer_type", "answer_score"]
        )
        self.env["survey.question"].flush_model(["question_type"])
        self.env["survey.question.answer"].flush_model(["question_id", "answer_score"])
        self.env.cr.execute(
            SQL(
                """
            WITH wanted(partner_id, period_start) AS (
                SELECT * FROM unnest(%(partners)s::int[], %(starts)s::date[])
            ), answered AS (
                SELECT i.partner_id, i.period_start, ui.id AS user_input_id, ui.end_datetime
                  FROM key_account_survey_invitation i
                  JOIN wanted w ON w.partner_id = i.partner_id AND w.period_start = i.period_start
                  JOIN survey_user_input ui ON ui.id = i.user_input_id
                 WHERE ui.state = 'done' AND NOT COALESCE(ui.test_entry, FALSE)
            ), best AS (
                SELECT question_id, MAX(answer_score) AS points
                  FROM survey_question_answer WHERE question_id IS NOT NULL GROUP BY question_id
            )
            SELECT a.partner_id, a.period_start, l.question_id,
                   SUM(l.answer_score) AS points, SUM(b.points) AS max_points,
                   COUNT(*) AS answers, COUNT(DISTINCT a.user_input_id) AS responses,
                   MAX(a.end_datetime) AS last
              FROM answered a
              JOIN survey_user_input_line l ON l.user_input_id = a.user_input_id
              JOIN survey_question q ON q.id = l.question_id
              JOIN best b ON b.question_id = l.question_id
             WHERE q.question_type = 'simple_choice' AND NOT COALESCE(l.skipped, FALSE) AND l.answer_type = 'suggestion'
               AND b.points > 0
             GROUP BY GROUPING SETS ((a.partner_id, a.period_start, l.question_id), (a.partner_id, a.period_start))
            """,
                partners=[partner_id for partner_id, _start in keys],
                starts=[start for _partner_id, start in keys],
            )
        )
        figures = {}
        for partner_id, start, question_id, points, max_points, answers, responses, last in self.env.cr.fetchall():
            entry = figures.setdefault((partner_id, start), {"questions": {}})
            score = 100.0 * float(points) / float(max_points)
            if question_id is None:
                entry.update(
                    score=score, points=float(points), max_points=float(max_points), responses=responses, last=last
                )
            else:
                entry["questions"][question_id] = (score, answers)
        return figures

    @api.model
    def _satisfaction_facts_query(self, date_from, date_to):
        """SQL of (account_id, score): the satisfaction of each key account's latest survey
        period with answers that began by ``date_to`` and ended on or after ``date_from`` (the
        scoring source ``satisfaction``; the caller joins its population)."""
        self.env["key.account.satisfaction"].flush_model(["partner_id", "period_start", "period_end", "score"])
        return SQL(
            """SELECT DISTINCT ON (s.partner_id) s.partner_id AS account_id, s.score
                 FROM key_account_satisfaction s
                WHERE s.response_count > 0 AND s.period_start <= %s AND s.period_end >= %s
                ORDER BY s.partner_id, s.period_start DESC""",
            date_to,
            date_from,
        )

    @api.model
    def _satisfaction_at(self, partner_ids, day):
        """{partner_id: (score, change)} of the latest survey period of these accounts begun by
        ``day`` (the monthly report's column), one statement."""
        if not partner_ids:
            return {}
        self.env["key.account.satisfaction"].flush_model(["partner_id", "period_start", "score", "score_change"])
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (partner_id) partner_id, score, score_change
                     FROM key_account_satisfaction
                    WHERE partner_id = ANY(%s) AND period_start <= %s AND response_count > 0
                    ORDER BY partner_id, period_start DESC""",
                list(partner_ids),
                day,
            )
        )
        return {
            partner_id: (float(score), float(change or 0.0)) for partner_id, score, change in self.env.cr.fetchall()
        }
