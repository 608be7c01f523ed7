from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

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
    satisfaction = fields.Float(
        digits=(5, 2),
        help="Customer satisfaction (0-100) of the latest survey period begun by the month's end; empty if none.",
    )
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

    # a report's rows are figures only, no compute, no tracking: written and read in bulk (the
    # ORM would take seconds per thousand rows)
    @api.model
    def _replace_rows(self, report, rows, chunk=1000):
        """Replace the rows of ``report`` by ``rows`` (dicts of column values); the cache is
        invalidated after."""
        self.flush_model()
        self.env.cr.execute(SQL("DELETE FROM key_account_report_line WHERE report_id = %s", report.id))
        if rows:
            columns = list(rows[0])
            fixed = {
                "report_id": report.id,
                "company_id": report.company_id.id,
                "period_date": report.period_date,
                "create_uid": self.env.uid,
                "write_uid": self.env.uid,
            }
            names = SQL(", ").join(SQL.identifier(name) for name in [*fixed, "create_date", "write_date", *columns])
            for start in range(0, len(rows), chunk):
                values = SQL(", ").join(
                    SQL(
                        "(%s)",
                        SQL(", ").join(
                            [
                                *(SQL("%s", value) for value in fixed.values()),
                                SQL("now() AT TIME ZONE 'UTC'"),
                                SQL("now() AT TIME ZONE 'UTC'"),
                                *(SQL("%s", row[name] if row[name] is not False else None) for name in columns),
                            ]
                        ),
                    )
                    for row in rows[start : start + chunk]
                )
                self.env.cr.execute(SQL("INSERT INTO key_account_report_line (%s) VALUES %s", names, values))
        self.invalidate_model()
        report.invalidate_recordset(["line_ids"])

    @api.model
    def _rows_of(self, report, columns):
        """The rows of ``report`` as written (dicts of ``columns``): empty figures stay empty
        (NULL, not 0)."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM key_account_report_line WHERE report_id = %s ORDER BY id",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                report.id,
            )
        )
        return [
            {name: float(value) if isinstance(value, Decimal) else value for name, value in row.items()}
            for row in self.env.cr.dictfetchall()
        ]
