from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    key_account_nomination_director_amount = fields.Monetary(
        related="company_id.key_account_nomination_director_amount",
        readonly=False,
        currency_field="key_account_currency_id",
    )
    key_account_visit_director_budget = fields.Monetary(
        related="company_id.key_account_visit_director_budget", readonly=False, currency_field="key_account_currency_id"
    )
    key_account_development_director_amount = fields.Monetary(
        related="company_id.key_account_development_director_amount",
        readonly=False,
        currency_field="key_account_currency_id",
    )
    key_account_candidate_margin = fields.Float(related="company_id.key_account_candidate_margin", readonly=False)
    key_account_development_report_frequency = fields.Selection(
        related="company_id.key_account_development_report_frequency", readonly=False
    )
    key_account_currency_id = fields.Many2one(related="company_id.currency_id", string="Key Account Currency")
    key_account_state_confirmation_day = fields.Integer(
        string="Cooperation State Deadline (Day of Month)",
        config_parameter="key_account_mgmt.state_confirmation_day",
        default=25,
    )
    key_account_monthly_review_day = fields.Integer(
        string="Monthly Review Reminder (Day of Month)",
        config_parameter="key_account_mgmt.monthly_review_day",
        default=25,
    )
    key_account_credit_overdue_days = fields.Integer(
        related="company_id.key_account_credit_overdue_days", readonly=False
    )
    key_account_checkin_radius = fields.Integer(related="company_id.key_account_checkin_radius", readonly=False)
    key_account_reception_counts_as_visit = fields.Boolean(
        related="company_id.key_account_reception_counts_as_visit", readonly=False
    )
    key_account_deviation_tolerance = fields.Float(related="company_id.key_account_deviation_tolerance", readonly=False)
    key_account_trip_director_amount = fields.Monetary(
        related="company_id.key_account_trip_director_amount", readonly=False, currency_field="key_account_currency_id"
    )
    key_account_trip_days_target = fields.Integer(related="company_id.key_account_trip_days_target", readonly=False)
    key_account_work_report_due_day = fields.Integer(
        related="company_id.key_account_work_report_due_day", readonly=False
    )
    key_account_suggestion_complaints = fields.Integer(
        related="company_id.key_account_suggestion_complaints", readonly=False
    )
    key_account_suggestion_complaint_days = fields.Integer(
        related="company_id.key_account_suggestion_complaint_days", readonly=False
    )
    key_account_suggestion_score_drop = fields.Float(
        related="company_id.key_account_suggestion_score_drop", readonly=False
    )
    key_account_agreement_director_amount = fields.Monetary(
        related="company_id.key_account_agreement_director_amount",
        readonly=False,
        currency_field="key_account_currency_id",
    )
    key_account_agreement_reminder_days = fields.Integer(
        related="company_id.key_account_agreement_reminder_days", readonly=False
    )
    key_account_code_requires_agreements = fields.Boolean(
        related="company_id.key_account_code_requires_agreements", readonly=False
    )
    key_account_satisfaction_low_score = fields.Float(
        related="company_id.key_account_satisfaction_low_score", readonly=False
    )
    key_account_satisfaction_drop = fields.Float(related="company_id.key_account_satisfaction_drop", readonly=False)
    key_account_appraisal_weight_sales = fields.Integer(
        related="company_id.key_account_appraisal_weight_sales", readonly=False
    )
    key_account_appraisal_weight_churn = fields.Integer(
        related="company_id.key_account_appraisal_weight_churn", readonly=False
    )
    key_account_appraisal_weight_development = fields.Integer(
        related="company_id.key_account_appraisal_weight_development", readonly=False
    )
    key_account_appraisal_weight_archive = fields.Integer(
        related="company_id.key_account_appraisal_weight_archive", readonly=False
    )
    key_account_appraisal_weight_visit = fields.Integer(
        related="company_id.key_account_appraisal_weight_visit", readonly=False
    )
    key_account_appraisal_weight_feedback = fields.Integer(
        related="company_id.key_account_appraisal_weight_feedback", readonly=False
    )
    key_account_appraisal_weight_cost = fields.Integer(
        related="company_id.key_account_appraisal_weight_cost", readonly=False
    )
    key_account_appraisal_weight_state = fields.Integer(
        related="company_id.key_account_appraisal_weight_state", readonly=False
    )
    key_account_appraisal_threshold = fields.Float(related="company_id.key_account_appraisal_threshold", readonly=False)
    key_account_target_director_amount = fields.Monetary(
        related="company_id.key_account_target_director_amount",
        readonly=False,
        currency_field="key_account_currency_id",
    )
