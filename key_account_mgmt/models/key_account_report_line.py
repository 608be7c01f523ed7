from odoo import fields, models

from .key_account_cooperation_mixin import COOPERATION_STATES
from .key_account_scorecard import GRADES

STATE_CHANGES = [("new", "New"), ("same", "Unchanged"), ("upgrade", "Upgrade"), ("downgrade", "Downgrade")]


class KeyAccountReportLine(models.Model):
    """One key account in a monthly report: the figures of the account in that month, frozen
    when the report is generated. Confidential like the account: a KA User reads the rows of
    the accounts on whose team they are."""

    _name = "key.account.report.line"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Key Account Monthly Report Row"
    _confidential_parents = ("report_id",)
    _order = "report_id desc, revenue_month desc, id"
    _rec_name = "partner_id"

    report_id = fields.Many2one("key.account.report", required=True, index=True, ondelete="cascade")
    period_date = fields.Date(related="report_id.period_date", string="Month", store=True)
    currency_id = fields.Many2one(related="report_id.currency_id", string="Currency")
    key_account_code = fields.Char(string="Code")
    tier_id = fields.Many2one("key.account.tier", ondelete="set null")
    manager_id = fields.Many2one("res.users", string="Account Manager", ondelete="set null")
    grade = fields.Selection(GRADES)
    score = fields.Float(digits=(5, 2), help="The month's score snapshot (0-100).")
    score_change = fields.Float(digits=(5, 2), help="Against the snapshot of the month before.")
    cooperation_state = fields.Selection(COOPERATION_STATES, help="At the end of the month.")
    previous_state = fields.Selection(COOPERATION_STATES, help="At the end of the month before.")
    state_change = fields.Selection(STATE_CHANGES)
    revenue_month = fields.Monetary(string="Revenue of the Month", currency_field="currency_id")
    revenue_ytd = fields.Monetary(string="Revenue Year to Date", currency_field="currency_id")
    revenue_ytd_previous = fields.Monetary(
        string="Same Period Last Year",
        currency_field="currency_id",
        help="Revenue from January to the same month a year before.",
    )
    yoy_percent = fields.Float(
        string="Year on Year (%)",
        digits=(16, 2),
        help="Year to date against the same period last year; empty without sales then.",
    )
    target_year = fields.Monetary(string="Target of the Year", currency_field="currency_id")
    target_completion = fields.Float(
        string="Target Completion (%)", digits=(16, 2), help="Year to date against the target of the year."
    )
    overdue_amount = fields.Monetary(
        string="Overdue Receivables",
        currency_field="currency_id",
        help="Open at the month's end on instalments due before it, tax included (a headquarters with its branches).",
    )
    visits_planned = fields.Integer()
    visits_done = fields.Integer()
    receptions_done = fields.Integer(string="Receptions")
    news_count = fields.Integer(string="News")
    commentary = fields.Text()
