from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountVisitScheduleMixin(models.AbstractModel):
    """When a key account was last visited and is next due; the rule is ``key.account.visit``'s."""

    _name = "key.account.visit.schedule.mixin"
    _description = "Key Account Visit Schedule"

    key_account_last_visit_date = fields.Date(
        string="Last Visit",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Date of the last reported visit or reception.",
    )
    key_account_next_visit_date = fields.Date(
        string="Next Visit Due",
        compute="_compute_key_account_next_visit_date",
        store=True,
        groups=KA_USER,
        help="The last visit plus the tier's visit frequency (from the day the account was created when it was never visited).",
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

    @api.depends("is_key_account", "key_account_last_visit_date", "key_account_tier_id.visit_frequency_days")
    def _compute_key_account_next_visit_date(self):
        for partner in self:
            partner.key_account_next_visit_date = self.env["key.account.visit"]._next_visit_due(partner)

    @api.depends_context("tz")
    @api.depends("key_account_next_visit_date")
    def _compute_key_account_visit_overdue(self):
        for partner in self:
            partner.key_account_visit_overdue = self.env["key.account.visit"]._is_overdue(partner)

    def _search_key_account_visit_overdue(self, operator, value):
        return self.env["key.account.visit"]._overdue_domain(operator, value)
