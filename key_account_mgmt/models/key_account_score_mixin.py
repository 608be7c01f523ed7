from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"
TREND_MONTHS = 12


class KeyAccountScoreMixin(models.AbstractModel):
    """The latest score and grade of a key account, and its score history."""

    _name = "key.account.score.mixin"
    _description = "Key Account Latest Score"

    # scoring (issue #4): the latest snapshot of the current company's scorecard, read on demand
    # (the monthly run writes snapshots only: rewriting 20,000 wide partner rows cost more than
    # the whole scoring, see bench/README.md)
    key_account_score = fields.Float(
        string="Score",
        digits=(5, 2),
        compute="_compute_key_account_score",
        search="_search_key_account_score",
        groups=KA_USER,
        help="Latest score (0-100) of the account: Σ weight × points / 5 over the criteria of the scorecard.",
    )
    key_account_grade = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")],
        string="Grade",
        compute="_compute_key_account_score",
        search="_search_key_account_grade",
        groups=KA_USER,
        help="Grade of the latest score: A ≥ 80, B 60-79, C < 60 (bands of the scorecard).",
    )
    key_account_score_period = fields.Date(string="Scored For", compute="_compute_key_account_score", groups=KA_USER)
    key_account_score_trend = fields.Json(
        string="Score Trend",
        compute="_compute_key_account_score_trend",
        groups=KA_USER,
        help="The score and grade of each of the last 12 months, oldest first (none for a month not scored).",
    )
    key_account_score_ids = fields.One2many("key.account.score", "partner_id", string="Score History", groups=KA_USER)

    @api.depends_context("company")
    def _compute_key_account_score(self):
        latest = self.env["key.account.score"]._latest_of(self)
        for partner in self:
            score, grade, period = latest.get(partner.id, (0.0, False, False))
            partner.key_account_score, partner.key_account_grade, partner.key_account_score_period = (
                score,
                grade,
                period,
            )

    @api.depends_context("company")
    def _compute_key_account_score_trend(self):
        """[{'month': 'YYYY-MM', 'score': float or None, 'grade': 'a'/'b'/'c' or None}] of the
        12 months to this one, from the monthly snapshots of all these accounts at once."""
        this_month = self.env["key.account.metrics"]._period(fields.Date.context_today(self))[0]
        months = [this_month - relativedelta(months=back) for back in range(TREND_MONTHS - 1, -1, -1)]
        scores = self.env["key.account.score"]._monthly_of(self, months[0], this_month)
        for partner in self:
            trend = []
            for month in months:
                score, grade = scores.get(partner.id, {}).get(month, (None, None))
                trend.append({"month": month.strftime("%Y-%m"), "score": score, "grade": grade})
            partner.key_account_score_trend = trend

    def _search_key_account_score(self, operator, value):
        return self.env["key.account.score"]._search_latest("score", operator, value)

    def _search_key_account_grade(self, operator, value):
        return self.env["key.account.score"]._search_latest("grade", operator, value)

    def action_compute_key_account_score(self):
        """Score these key accounts now: ``key.account.score._compute_now``. Public RPC API (SPEC §11)."""
        self.env["key.account.score"]._compute_now(self)
        return True

    def action_open_score_history(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_score_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_by_scorecard": 0}
        action["view_mode"] = "graph,list,form"
        action["views"] = [(False, "graph"), (False, "list"), (False, "form")]
        return action
