from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountVisitScheduleMixin(models.AbstractModel):
    """When a key account was last visited and is next due; the rule is ``key.account.visit``'s.
    Only on-site visits (and receptions where the company counts them) satisfy the tier's
    frequency and its yearly minimum; any reported visit or reception is a contact."""

    _name = "key.account.visit.schedule.mixin"
    _description = "Key Account Visit Schedule"

    key_account_last_visit_date = fields.Date(
        string="Last Visit",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Date of the last reported visit or reception, whatever its method.",
    )
    key_account_last_onsite_date = fields.Date(
        string="Last On-site Visit",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Date of the last reported on-site visit (and reception, where the company counts them): the visits "
        "that satisfy the tier's frequency.",
    )
    key_account_onsite_year_count = fields.Integer(
        string="On-site Visits in the Year of the Last",
        copy=False,
        readonly=True,
        groups=KA_USER,
    )
    key_account_onsite_visits_this_year = fields.Integer(
        string="On-site Visits This Year",
        compute="_compute_key_account_onsite_visits_this_year",
        groups=KA_USER,
    )
    key_account_min_onsite_visits = fields.Integer(
        string="Min. On-site Visits a Year", compute="_compute_key_account_onsite_visits_this_year", groups=KA_USER
    )
    key_account_next_visit_date = fields.Date(
        string="Next Visit Due",
        compute="_compute_key_account_next_visit_date",
        store=True,
        groups=KA_USER,
        help="The next on-site visit: the last one plus the tier's visit frequency (from the day the account was "
        "created when it was never visited), earlier when the tier's yearly minimum of on-site visits needs it.",
    )
    key_account_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_key_account_visit_overdue",
        search="_search_key_account_visit_overdue",
        groups=KA_USER,
    )
    key_account_visit_count = fields.Integer(string="Visits Reported", copy=False, readonly=True, groups=KA_USER)
    key_account_reception_count = fields.Integer(
        string="Receptions Reported", copy=False, readonly=True, groups=KA_USER
    )

    @api.depends(
        "is_key_account",
        "key_account_last_onsite_date",
        "key_account_onsite_year_count",
        "key_account_tier_id.visit_frequency_days",
        "key_account_tier_id.min_onsite_visits",
    )
    def _compute_key_account_next_visit_date(self):
        for partner in self:
            partner.key_account_next_visit_date = self.env["key.account.visit"]._next_visit_due(partner)

    @api.depends_context("tz")
    @api.depends(
        "key_account_last_onsite_date", "key_account_onsite_year_count", "key_account_tier_id.min_onsite_visits"
    )
    def _compute_key_account_onsite_visits_this_year(self):
        year = fields.Date.context_today(self).year
        for partner in self:
            last = partner.key_account_last_onsite_date
            this_year = last and last.year == year
            partner.key_account_onsite_visits_this_year = partner.key_account_onsite_year_count if this_year else 0
            partner.key_account_min_onsite_visits = partner.key_account_tier_id.min_onsite_visits

    @api.depends_context("tz")
    @api.depends("key_account_next_visit_date")
    def _compute_key_account_visit_overdue(self):
        for partner in self:
            partner.key_account_visit_overdue = self.env["key.account.visit"]._is_overdue(partner)

    def _search_key_account_visit_overdue(self, operator, value):
        return self.env["key.account.visit"]._overdue_domain(operator, value)
