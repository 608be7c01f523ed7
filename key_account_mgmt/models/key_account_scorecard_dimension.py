from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KeyAccountScorecardDimension(models.Model):
    """A dimension of the scorecard (seed 002 客户分类管理办法: A contribution, B growth, C
    industry potential, D market influence, E cooperation, F credit) with its weight in the
    score; its points are the average of its criteria's points."""

    _name = "key.account.scorecard.dimension"
    _description = "Scorecard Dimension"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("key.account.scorecard", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, string="Company")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Dimension", required=True, translate=True)
    weight = fields.Float(
        string="Weight (%)",
        digits=(5, 2),
        required=True,
        help="Share of this dimension in the score (0-100). The weights of a scorecard add up to 100; each "
        "criterion of the dimension weighs the dimension's weight divided by the number of its criteria.",
    )
    criterion_ids = fields.One2many("key.account.scorecard.criterion", "dimension_id", string="Criteria", copy=True)

    @api.constrains("weight")
    def _check_weight(self):
        for dimension in self:
            if not 0 < dimension.weight <= 100:
                raise ValidationError(
                    self.env._(
                        "The weight of dimension %(dimension)s must lie between 0 and 100.", dimension=dimension.name
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_in_scores(self):
        # its criteria go with it (ON DELETE CASCADE, without their own ondelete check)
        self.with_context(active_test=False).criterion_ids._check_unused()

    def write(self, vals):
        result = super().write(vals)
        if "weight" in vals or "scorecard_id" in vals:
            # editing one weight must keep the total at 100 (the scorecard form saves all at once)
            self.scorecard_id._check_weights()
        return result
