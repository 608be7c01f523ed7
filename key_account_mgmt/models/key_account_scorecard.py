from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

GRADES = [("a", "A"), ("b", "B"), ("c", "C")]


class KeyAccountScorecard(models.Model):
    """The weighted scorecard of a company (seed 002 客户分类管理办法 / 客户分级管理办法): its
    dimensions and criteria, their weights and the grade bands. Score = Σ weight × points / 5
    (0-100), grade A/B/C by the bands. The scoring itself is key.account.score.engine's; the
    scorecard keeps the state of its last monthly run (``run_*``, written by the engine)."""

    _name = "key.account.scorecard"
    _description = "Key Account Scorecard"
    _order = "company_id, sequence, id"

    name = fields.Char(string="Scorecard", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    dimension_ids = fields.One2many("key.account.scorecard.dimension", "scorecard_id", string="Dimensions", copy=True)
    criterion_ids = fields.One2many("key.account.scorecard.criterion", "scorecard_id", string="Criteria")
    total_weight = fields.Float(string="Total Weight (%)", compute="_compute_total_weight", digits=(5, 2))
    grade_a_min = fields.Float(
        string="Grade A From", default=80.0, digits=(5, 2), help="Score from which an account is graded A."
    )
    grade_b_min = fields.Float(
        string="Grade B From", default=60.0, digits=(5, 2), help="Score from which an account is graded B; below it, C."
    )
    run_period = fields.Date(string="Last Run Period", readonly=True, copy=False)
    run_started = fields.Datetime(string="Last Run Started", readonly=True, copy=False)
    run_done = fields.Boolean(string="Last Run Complete", readonly=True, copy=False, default=True)

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A scorecard with this name already exists in this company."),
    ]

    @api.depends("dimension_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.dimension_ids.mapped("weight"))

    @api.constrains("dimension_ids")
    def _check_weights(self):
        for scorecard in self:
            total = sum(scorecard.dimension_ids.mapped("weight"))
            if scorecard.dimension_ids and float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The weights of the dimensions of scorecard %(scorecard)s add up to %(total)s: they must add "
                        "up to 100.",
                        scorecard=scorecard.name,
                        total=round(total, 2),
                    )
                )

    @api.constrains("grade_a_min", "grade_b_min")
    def _check_bands(self):
        for scorecard in self:
            if not 0 < scorecard.grade_b_min < scorecard.grade_a_min <= 100:
                raise ValidationError(
                    self.env._(
                        "Grade bands of %(scorecard)s: 0 < grade B from < grade A from ≤ 100.", scorecard=scorecard.name
                    )
                )

    def _check_complete(self):
        """Refuse to score with an incomplete scorecard."""
        for scorecard in self:
            scorecard._check_weights()
            if not scorecard.dimension_ids:
                raise UserError(self.env._("Scorecard %(scorecard)s has no dimensions.", scorecard=scorecard.name))
            empty = scorecard.dimension_ids.filtered(lambda d: not d.criterion_ids.filtered("active"))
            if empty:
                raise UserError(
                    self.env._(
                        "Dimension %(dimension)s of scorecard %(scorecard)s has no active criterion.",
                        dimension=empty[0].name,
                        scorecard=scorecard.name,
                    )
                )

    def _grade(self, score):
        return "a" if score >= self.grade_a_min else "b" if score >= self.grade_b_min else "c"

    @api.model
    def _for_company(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _plan(self):
        """[(criterion, dimension weight, number of active criteria of the dimension)], dimension
        by dimension: the weight of a dimension is shared by its active criteria."""
        plan = []
        for dimension in self.dimension_ids:
            criteria = dimension.criterion_ids.filtered("active")
            plan += [(criterion, dimension.weight, len(criteria)) for criterion in criteria]
        return plan

    def _compute_scores(self, period_date=None, partner_ids=None, batch_size=2000, resume=False):
        """Score the key accounts of this scorecard for a month: see
        key.account.score.engine._compute_scores."""
        return self.env["key.account.score.engine"]._compute_scores(
            self, period_date=period_date, partner_ids=partner_ids, batch_size=batch_size, resume=resume
        )

    def action_compute_scores(self):
        """Button: score all key accounts of the company now (this month's snapshot)."""
        if not self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            raise UserError(self.env._("Only a Key Account Manager may recompute all scores."))
        for scorecard in self:
            scorecard.sudo()._compute_scores()
        return True
