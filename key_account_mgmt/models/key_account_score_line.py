from odoo import fields, models


class KeyAccountScoreLine(models.Model):
    """One criterion of a score snapshot: the raw value, the points it earned, its weight and
    its contribution (weight × points / 5). Read through the snapshot's rules; lines have no
    access log columns, as there are a dozen per account and month."""

    _name = "key.account.score.line"
    _inherit = ["key.account.history.mixin"]
    _description = "Key Account Score Line"
    _order = "score_id, sequence, id"
    _log_access = False

    score_id = fields.Many2one("key.account.score", string="Score", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="score_id.partner_id", string="Key Account")
    period_date = fields.Date(related="score_id.period_date", string="Month")
    sequence = fields.Integer(string="Sequence")
    criterion_id = fields.Many2one("key.account.scorecard.criterion", string="Criterion", required=True, ondelete="restrict")
    dimension_id = fields.Many2one("key.account.scorecard.dimension", string="Dimension", ondelete="restrict")
    kind = fields.Selection(related="criterion_id.kind", string="Kind")
    raw_value = fields.Float(string="Value", digits=(16, 2), help="The figure the points come from (manual criteria: the points given).")
    company_average = fields.Float(string="Company Average", digits=(16, 2), help="With the average scale: the average that earns 3 points.")
    points = fields.Float(string="Points", digits=(3, 2))
    weight = fields.Float(string="Weight (%)", digits=(5, 2))
    contribution = fields.Float(string="Contribution", digits=(5, 2), help="Weight × points / 5.")
    note = fields.Selection(
        [("no_value", "No value"), ("not_scored", "Not scored")], string="Note",
        help="No value: the figure cannot be computed (e.g. no revenue the year before); 0 points.\n"
        "Not scored: nobody has rated this manual criterion yet; 0 points.",
    )
