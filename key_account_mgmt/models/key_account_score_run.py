from odoo import fields, models


class KeyAccountScoreRun(models.Model):
    """The scoring of one month with one scorecard (评分批次): the plan every snapshot of that
    month was computed with, criterion by criterion (weight, company average, manual or not),
    and the company's revenue behind the shares of annual sales. Stored once per month instead
    of in each of the 20,000 snapshots, whose breakdown then holds only the raw values and
    points (read together as key.account.score.line). Written by the scoring engine only."""

    _name = "key.account.score.run"
    _inherit = ["key.account.history.mixin"]
    _description = "Key Account Scoring Run"
    _order = "period_date desc, scorecard_id"
    _rec_name = "period_date"

    scorecard_id = fields.Many2one("key.account.scorecard", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, string="Company")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    period_date = fields.Date(string="Month", required=True, help="First day of the month scored.")
    date_computed = fields.Datetime(string="Computed On", required=True)
    account_count = fields.Integer(string="Key Accounts", help="The population the company averages were taken over.")
    company_revenue = fields.Monetary(
        string="Company Revenue, Last 12 Months",
        currency_field="currency_id",
        help="All customers' invoiced revenue net of refunds of the 12 months: the base of the shares of annual sales.",
    )
    plan = fields.Json(
        readonly=True,
        copy=False,
        help="Per criterion, in the order of the snapshots' breakdown: [criterion id, weight, company average, "
        "manual].",
    )

    _sql_constraints = [
        ("scorecard_period_uniq", "unique(scorecard_id, period_date)", "A scorecard has one scoring run per month."),
    ]
