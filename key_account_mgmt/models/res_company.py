from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .key_account_development_progress_mixin import PROGRESS_FREQUENCIES

# the KPIs weighted in the quarterly appraisal (key.account.appraisal)
APPRAISAL_WEIGHT_KPIS = ("sales", "churn", "development", "archive", "visit", "feedback", "cost", "state")


class ResCompany(models.Model):
    _inherit = "res.company"

    key_account_nomination_director_amount = fields.Monetary(
        string="Nomination: Director Approval From",
        currency_field="currency_id",
        default=5000000.0,
        help="Nominations expecting at least these annual sales are approved by the KA Director "
        "after the KA Manager (0: the KA Manager alone).",
    )
    key_account_visit_director_budget = fields.Monetary(
        string="Visits: Director Approval From",
        currency_field="currency_id",
        default=20000.0,
        help="Visits and receptions with at least this budget are approved by the KA Director after the KA "
        "Manager (0: the KA Manager alone).",
    )
    key_account_development_director_amount = fields.Monetary(
        string="Development Plans: Director Approval From",
        currency_field="currency_id",
        default=5000000.0,
        help="Development plans forecasting at least these annual sales are approved by the KA Director after the "
        "KA Manager (0: the KA Manager alone).",
    )
    key_account_candidate_margin = fields.Float(
        string="Candidates: Margin (%)",
        default=20.0,
        help="Customers reaching at least this much less than a tier's share of annual sales are listed as "
        "candidates too (20: 0.8% for a tier from 1%).",
    )
    key_account_candidate_period = fields.Date(
        string="Candidates Found For",
        readonly=True,
        copy=False,
        help="The last month whose candidates the scheduled action found for this company.",
    )
    key_account_development_report_frequency = fields.Selection(
        PROGRESS_FREQUENCIES,
        string="Development Plans: Progress Reports",
        default="biweekly",
        help="How often the project team of a development plan reports its progress, unless the plan says otherwise.",
    )
    key_account_credit_overdue_days = fields.Integer(
        string="Credit Watch: Overdue Days",
        default=30,
        help="A key account with an invoice instalment open more than this many days past its due date is flagged "
        "by the credit watch, and its team gets an activity (0: any overdue instalment).",
    )

    key_account_checkin_radius = fields.Integer(
        string="Check-in Radius (m)",
        default=1000,
        help="A check-in at most this many metres from the customer's coordinates is in range.",
    )
    key_account_reception_counts_as_visit = fields.Boolean(
        string="Receptions Count as On-site Visits",
        help="Reported receptions satisfy the tiers' visit frequency and yearly minimum of on-site visits, as "
        "on-site visits do.",
    )

    key_account_deviation_tolerance = fields.Float(
        string="Policy Check: Tolerance (%)",
        default=0.5,
        digits=(16, 2),
        help="Invoiced unit prices within this percentage of what the price policies give are not deviations "
        "(rounding of prices).",
    )

    @api.constrains("key_account_deviation_tolerance")
    def _check_key_account_deviation_tolerance(self):
        if any(not 0 <= company.key_account_deviation_tolerance < 100 for company in self):
            raise ValidationError(self.env._("The tolerance of the policy check must be between 0 and 100%."))

    key_account_trip_director_amount = fields.Monetary(
        string="Trips: Director Approval From",
        currency_field="currency_id",
        default=10000.0,
        help="Business trips estimated to cost at least this much are approved by the KA Director after the KA "
        "Manager (0: the KA Manager alone).",
    )
    key_account_trip_days_target = fields.Integer(
        string="Trip Days per Month",
        default=15,
        help="Days a specialist is expected to travel each month (seed 001 第13条: 每月出差不得低于15天); the KPIs "
        "show the trip days against it.",
    )
    key_account_work_report_due_day = fields.Integer(
        string="Monthly Report Due Day",
        default=5,
        help="Day of the month by which each specialist files the report of the month before (seed 001 第15条: "
        "每月5号以前).",
    )

    @api.constrains(
        "key_account_trip_days_target", "key_account_work_report_due_day", "key_account_trip_director_amount"
    )
    def _check_key_account_trip_settings(self):
        for company in self:
            if company.key_account_trip_days_target < 0 or company.key_account_trip_director_amount < 0:
                raise ValidationError(
                    self.env._("The trip days target and the trip approval amount cannot be negative.")
                )
            if not 1 <= company.key_account_work_report_due_day <= 28:
                raise ValidationError(self.env._("The monthly report is due on a day from 1 to 28."))

    key_account_agreement_director_amount = fields.Monetary(
        string="Agreements: Director Approval From",
        currency_field="currency_id",
        default=1000000.0,
        help="Agreements of at least this value are approved by the KA Director after the KA Manager (0: the KA "
        "Manager alone).",
    )
    key_account_agreement_reminder_days = fields.Integer(
        string="Agreements: Reminder Days",
        default=30,
        help="This many days before a signed agreement ends, the account manager gets an activity to renew it.",
    )
    key_account_code_requires_agreements = fields.Boolean(
        string="Code After Supply and Quality Agreements",
        help="A key account gets its key-account code only once a supply agreement and a quality assurance "
        "agreement with it are signed (seed 003 第九–十一条).",
    )

    @api.constrains("key_account_agreement_director_amount", "key_account_agreement_reminder_days")
    def _check_key_account_agreement_settings(self):
        for company in self:
            if company.key_account_agreement_director_amount < 0 or company.key_account_agreement_reminder_days < 0:
                raise ValidationError(
                    self.env._("The agreements' approval amount and reminder days cannot be negative.")
                )

    @api.constrains("key_account_checkin_radius")
    def _check_key_account_checkin_radius(self):
        if any(company.key_account_checkin_radius <= 0 for company in self):
            raise ValidationError(self.env._("The check-in radius must be a positive number of metres."))

    def write(self, vals):
        result = super().write(vals)
        if "key_account_reception_counts_as_visit" in vals:
            # the accounts' on-site visits follow: those received by these companies
            receptions = (
                self.env["key.account.reception"]
                .sudo()
                .search([("company_id", "in", self.ids), ("state", "in", ("done", "closed"))])
            )
            self.env["key.account.visit"]._update_account_visits(receptions.partner_id)
        return result

    @api.constrains("key_account_development_director_amount", "key_account_candidate_margin")
    def _check_key_account_development_settings(self):
        for company in self:
            if company.key_account_development_director_amount < 0:
                raise ValidationError(self.env._("The Director's threshold of development plans cannot be negative."))
            if not 0 <= company.key_account_candidate_margin < 100:
                raise ValidationError(self.env._("The margin of candidates is a percentage from 0 to 99."))

    @api.constrains("key_account_credit_overdue_days")
    def _check_key_account_credit_overdue_days(self):
        if any(company.key_account_credit_overdue_days < 0 for company in self):
            raise ValidationError(self.env._("The overdue days of the credit watch cannot be negative."))

    # quarterly appraisal (考核, seed 001 §1.2.1): the weight of each KPI in the score, 100 in all
    key_account_appraisal_weight_sales = fields.Integer(string="Weight: Sales Plan Completion", default=30)
    key_account_appraisal_weight_churn = fields.Integer(string="Weight: Churn Rate", default=15)
    key_account_appraisal_weight_development = fields.Integer(string="Weight: Development Rate", default=15)
    key_account_appraisal_weight_archive = fields.Integer(string="Weight: Archive Completeness", default=10)
    key_account_appraisal_weight_visit = fields.Integer(string="Weight: Visit Rate", default=10)
    key_account_appraisal_weight_feedback = fields.Integer(string="Weight: Feedback on Time", default=10)
    key_account_appraisal_weight_cost = fields.Integer(string="Weight: Cost Control", default=5)
    key_account_appraisal_weight_state = fields.Integer(string="Weight: State Upgrades and Downgrades", default=5)
    key_account_appraisal_threshold = fields.Float(
        string="Appraisal: Warning Below",
        default=60.0,
        digits=(5, 2),
        help="A quarterly appraisal scoring below this is a verbal warning (口头警告) given by the KA Manager.",
    )
    key_account_target_director_amount = fields.Monetary(
        string="Target Sets: Director Approval From",
        currency_field="currency_id",
        default=10000000.0,
        help="Target sets planning at least these sales for the specialists are approved by the KA Director after "
        "the KA Manager, and so are their changes (0: the KA Manager alone).",
    )

    def _key_account_appraisal_weights(self):
        """{kpi: weight} of the appraisal (key.account.appraisal ``APPRAISAL_KPIS``)."""
        self.ensure_one()
        return {kpi: self[f"key_account_appraisal_weight_{kpi}"] for kpi in APPRAISAL_WEIGHT_KPIS}

    @api.constrains(
        *(f"key_account_appraisal_weight_{kpi}" for kpi in APPRAISAL_WEIGHT_KPIS),
        "key_account_appraisal_threshold",
        "key_account_target_director_amount",
    )
    def _check_key_account_appraisal_settings(self):
        for company in self:
            weights = company._key_account_appraisal_weights()
            if any(weight < 0 for weight in weights.values()) or sum(weights.values()) != 100:
                raise ValidationError(
                    self.env._(
                        "The weights of the appraisal are zero or more and add up to 100 (now %(total)s).",
                        total=sum(weights.values()),
                    )
                )
            if not 0 <= company.key_account_appraisal_threshold <= 100:
                raise ValidationError(self.env._("The warning threshold of the appraisal is a score from 0 to 100."))
            if company.key_account_target_director_amount < 0:
                raise ValidationError(self.env._("The Director's threshold of target sets cannot be negative."))

    key_account_suggestion_complaints = fields.Integer(
        string="State Suggestions: Valid Complaints",
        default=3,
        help="This many valid complaints of a key account within the days below suggest the state Problem customer "
        "(0: never).",
    )
    key_account_suggestion_complaint_days = fields.Integer(
        string="State Suggestions: Complaint Days",
        default=90,
        help="The days counted back from today in which the valid complaints are counted.",
    )
    key_account_suggestion_score_drop = fields.Float(
        string="State Suggestions: Score Drop (Points)",
        default=10.0,
        digits=(5, 2),
        help="A latest monthly score this many points below the one before suggests the state Problem customer "
        "(0: never).",
    )

    @api.constrains(
        "key_account_suggestion_complaints",
        "key_account_suggestion_complaint_days",
        "key_account_suggestion_score_drop",
    )
    def _check_key_account_suggestion_settings(self):
        for company in self:
            if (
                company.key_account_suggestion_complaints < 0
                or company.key_account_suggestion_complaint_days < 0
                or not 0 <= company.key_account_suggestion_score_drop <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The thresholds of the state suggestions cannot be negative, and a score drop is at most 100 "
                        "points."
                    )
                )

    @api.model
    def _key_account_init_calendar_tz(self):
        """On install: working hours still kept in UTC (the default of a new database) are
        those of a Chinese company, China Standard Time, so that complaint deadlines fall in
        office hours. Any other time zone is left alone."""
        calendars = self.sudo().search([]).resource_calendar_id
        calendars.filtered(lambda c: c.tz == "UTC").write({"tz": "Asia/Shanghai"})

    # the satisfaction alerts (issue #20); a new company starts from the former system
    # parameters where they are still set (and the existing ones did, when the column was added)
    key_account_satisfaction_low_score = fields.Float(
        string="Satisfaction: Low Score",
        digits=(5, 2),
        default=lambda self: self._key_account_satisfaction_default("key_account_mgmt.satisfaction_low_score", 60.0),
        help="A satisfaction (0-100) below this gives the account manager an activity proposing to review the "
        "cooperation state.",
    )
    key_account_satisfaction_drop = fields.Float(
        string="Satisfaction: Drop",
        digits=(5, 2),
        default=lambda self: self._key_account_satisfaction_default("key_account_mgmt.satisfaction_drop", 10.0),
        help="A satisfaction this many points below the period before gives the account manager the same activity.",
    )

    @api.model
    def _key_account_satisfaction_default(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return float(value) if value not in (None, False, "") else default
        except ValueError:
            return default

    @api.constrains("key_account_satisfaction_low_score", "key_account_satisfaction_drop")
    def _check_key_account_satisfaction_alerts(self):
        for company in self:
            if not 0 <= company.key_account_satisfaction_low_score <= 100:
                raise ValidationError(self.env._("The low satisfaction score must be between 0 and 100."))
            if not 0 < company.key_account_satisfaction_drop <= 100:
                raise ValidationError(self.env._("The satisfaction drop must be more than 0 and at most 100 points."))
