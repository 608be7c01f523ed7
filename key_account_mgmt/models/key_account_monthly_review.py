from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import in_lang_of, label, to_date
from .key_account_cooperation_mixin import COOPERATION_STATES


class KeyAccountMonthlyReview(models.Model):
    """Monthly review of a key account (月度回顾, seed 000 §三 5): the month's actual purchases,
    computed from invoices, the account manager's short commentary on the relationship, and
    the confirmation (or change) of the cooperation state. One per account and month; the
    monthly report quotes it."""

    _name = "key.account.monthly.review"
    _inherit = ["key.account.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Key Account Monthly Review"
    _order = "period_date desc, partner_id"
    _rec_name = "partner_id"
    # done only by action_done, which writes the state log row
    _key_account_action_fields = ("state",)

    period_date = fields.Date(
        string="Month",
        required=True,
        index=True,
        default=lambda self: self.env["key.account.metrics"]._period(fields.Date.context_today(self))[0],
        help="First day of the month reviewed.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("draft", "To Write"), ("done", "Done")], string="Status", default="draft", required=True, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    purchases = fields.Monetary(
        string="Purchases of the Month",
        currency_field="currency_id",
        compute="_compute_purchases",
        help="Invoiced to this account in the month (a headquarters with its branches), net of refunds, untaxed.",
    )
    commentary = fields.Text(string="Relationship Commentary", tracking=True)
    cooperation_state = fields.Selection(
        COOPERATION_STATES,
        help="Confirmed, or changed, when the review is done.",
    )
    state_reason = fields.Text(string="Explanation", help="Needed for a downgrade.")
    remedy_plan = fields.Text(help="Needed for a downgrade.")
    done_date = fields.Datetime(string="Done On", readonly=True, copy=False)
    state_suggestion_ids = fields.Many2many(
        "key.account.state.suggestion",
        string="State Suggestions",
        compute="_compute_state_suggestion_ids",
        help="Cooperation states the data suggests for the account, still to accept or dismiss.",
    )
    reminder_date = fields.Date(string="Reminded On", readonly=True, copy=False)

    _sql_constraints = [
        ("partner_period_unique", "unique(partner_id, period_date)", "A key account has one review per month."),
    ]

    @api.depends("partner_id", "period_date")
    def _compute_purchases(self):
        metrics = self.env["key.account.metrics"]
        for period, reviews in self.grouped("period_date").items():
            if not period:
                reviews.purchases = 0.0
                continue
            revenue = metrics._revenue(reviews.partner_id.ids, *metrics._period(period), consolidate=True)
            for review in reviews:
                review.purchases = revenue.get(review.partner_id.id, 0.0)

    @api.depends("partner_id")
    @api.depends_context("uid")
    def _compute_state_suggestion_ids(self):
        for review in self:
            review.state_suggestion_ids = review.partner_id.key_account_state_suggestion_ids

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """Propose the account's current state and manager: confirming is the usual case."""
        if self.partner_id:
            self.cooperation_state = self.partner_id.sudo().cooperation_state
            self.user_id = self.partner_id.sudo().key_account_manager_id or self.user_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_values(vals)  # before reading them (base runs last)
            self._normalise_period(vals)
            if vals.get("partner_id") and not vals.get("cooperation_state"):
                vals["cooperation_state"] = self.env["res.partner"].browse(vals["partner_id"]).sudo().cooperation_state
        self._check_not_reviewed(vals_list)
        return super().create(vals_list)

    def _check_not_reviewed(self, vals_list):
        """A clear message before the unique index would refuse a second review of a month
        (one query for the whole batch: the reminder cron creates hundreds at once)."""
        default_period = fields.Date.to_date(self.default_get(["period_date"]).get("period_date"))
        wanted = {(vals.get("partner_id"), vals.get("period_date") or default_period) for vals in vals_list}
        existing = self.sudo().search(
            [
                ("partner_id", "in", [partner for partner, _period in wanted]),
                ("period_date", "in", [period for _partner, period in wanted]),
            ]
        )
        for review in existing:
            if (review.partner_id.id, review.period_date) in wanted:
                raise ValidationError(
                    self.env._(
                        "%(account)s already has its review of %(month)s.",
                        account=review.partner_id.display_name,
                        month=review.period_date.strftime("%Y-%m"),
                    )
                )

    def write(self, vals):
        self._check_key_account_values(vals)
        self._normalise_period(vals)
        return super().write(vals)

    @api.model
    def _normalise_period(self, vals):
        if vals.get("period_date"):
            day = to_date(self.env, vals["period_date"], label(self.env, self._name, "period_date"))
            vals["period_date"] = self.env["key.account.metrics"]._period(day)[0]

    @api.constrains("state", "commentary", "cooperation_state")
    def _check_done_review(self):
        self.filtered(lambda r: r.state == "done")._check_complete()

    def _check_complete(self):
        for review in self:
            if not (review.commentary or "").strip() or not review.cooperation_state:
                raise ValidationError(
                    self.env._(
                        "The review of %(account)s needs a commentary and the cooperation state.",
                        account=review.partner_id.display_name,
                    )
                )

    def action_done(self):
        """File the review: the cooperation state is confirmed or changed through the state
        mechanism (same rights, same downgrade rules, one state log row)."""
        for review in self.filtered(lambda r: r.state == "draft"):
            review._check_complete()
            review.partner_id.action_set_cooperation_state(
                review.cooperation_state, review.state_reason or review.commentary, review.remedy_plan
            )
            # a suggestion of the state confirmed or set is accepted by the review
            logs = self.env["key.account.state.log"]._latest_of(review.partner_id)
            self.env["key.account.state.suggestion"]._accept_for(list(logs.values()))
            review._write_state({"state": "done", "done_date": fields.Datetime.now()})
            for activity in review.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("key_account_mgmt.mail_activity_type_monthly_review")
            ):
                activity = in_lang_of(activity, activity.user_id)
                activity.action_feedback(feedback=activity.env._("Review written."))
        return True

    def action_reset_draft(self):
        self.filtered(lambda r: r.state == "done")._write_state({"state": "draft", "done_date": False})
        return True

    def _write_state(self, vals):
        """The status and its date are written by the actions only (after their checks): the
        user must be allowed to write the review; the write runs as superuser."""
        self.check_access("write")
        return self.sudo().write(vals)

    @api.model
    def _cron_remind(self, batch_size=500):
        """From the configured day of the month, open this month's review for every key account
        with an account manager and give the manager one activity per review still to write.
        Idempotent within a month (the review is unique, the reminder dated); batched."""
        today = fields.Date.context_today(self)
        day = int(self.env["ir.config_parameter"].sudo().get_param("key_account_mgmt.monthly_review_day", 25))
        if today.day < min(max(day, 1), 28):
            return
        month_start, month_end = self.env["key.account.metrics"]._period(today)
        reviewed = self.sudo().search([("period_date", "=", month_start)]).partner_id
        account_domain = [
            ("is_key_account", "=", True),
            ("key_account_manager_id", "!=", False),
            ("id", "not in", reviewed.ids),
        ]
        accounts = self.env["res.partner"].sudo().search(account_domain, limit=batch_size)
        self.sudo().create(
            [
                {"partner_id": account.id, "period_date": month_start, "user_id": account.key_account_manager_id.id}
                for account in accounts
            ]
        )
        domain = [("period_date", "=", month_start), ("state", "=", "draft"), ("reminder_date", "=", False)]
        reviews = self.sudo().search(domain, limit=batch_size)
        for user, user_reviews in reviews.grouped("user_id").items():
            user_reviews = in_lang_of(user_reviews, user)
            user_reviews.activity_schedule(
                "key_account_mgmt.mail_activity_type_monthly_review",
                date_deadline=month_end,
                summary=user_reviews.env._("Write the monthly review of this key account"),
                user_id=user.id,
            )
        reviews.write({"reminder_date": today})
        remaining = (
            self.sudo().search_count(domain)
            + self.env["res.partner"].sudo().search_count(account_domain)
            - len(accounts)
        )
        self.env["ir.cron"]._notify_progress(done=len(accounts) + len(reviews), remaining=remaining)
