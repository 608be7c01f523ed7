import math
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one, in_lang_of
from .key_account_visit_report_mixin import REPORT_CONTENT_FIELDS

VISIT_STATES = [
    ("draft", "Plan"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("done", "Reported"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
VISIT_METHODS = [
    ("onsite", "On Site"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("email", "E-mail"),
    ("video", "Video Call"),
]
OUTCOMES = [("success", "Success"), ("not_yet", "Not Yet")]
# what the reviewers approve: the account, the meeting and its cost (gifts through their lines)
VISIT_MATERIAL_FIELDS = ("partner_id", "company_id", "date_planned", "duration", "method", "budget", "gift_line_ids")
FOLLOW_UP_DAYS = 7  # seed 001 §3.3.3 四.5: 拜访结束后一周内 … 倾听目标大客户的意见


class KeyAccountVisitMixin(models.AbstractModel):
    """The flow visits (we go) and receptions (they come) share (seed 001 §3.3): a plan with
    contacts, purpose, date, method, participants, gifts and budget; layered approval (KA
    Manager, KA Director above the company's budget threshold) that puts the meeting in the
    participants' calendars; a report required to finish (its review and market information:
    key.account.visit.report.mixin); a follow-up within seven days; and expenses that can only
    be claimed once the report is done (无拜访总结/无接待报告不得报销费用), approved once the KA
    Manager has accepted it."""

    _name = "key.account.visit.mixin"
    _inherit = [
        "key.account.confidential.mixin",
        "key.account.approval.mixin",
        "key.account.visit.report.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Key Account Visit or Reception"
    _order = "date_planned desc, id desc"
    _approval_material_fields = VISIT_MATERIAL_FIELDS

    partner_id = fields.Many2one(domain=lambda self: self._partner_id_domain())
    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        VISIT_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        string="Contacts to Meet",
        domain="[('parent_id', '=', partner_id)]",
        help="The customer's people, with their buying roles.",
    )
    purpose = fields.Text()
    date_planned = fields.Datetime(string="Planned For", required=True, tracking=True, index=True)
    duration = fields.Float(string="Duration (Hours)", default=2.0)
    location = fields.Char(string="Place")
    method = fields.Selection(VISIT_METHODS, required=True, default="onsite")
    participant_ids = fields.Many2many("res.users", string="Participants", domain="[('share', '=', False)]")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    budget = fields.Monetary(currency_field="currency_id", tracking=True)
    gift_total = fields.Monetary(
        string="Value of Materials and Gifts", currency_field="currency_id", compute="_compute_totals", store=True
    )
    expense_total = fields.Monetary(
        string="Total Expenses", currency_field="currency_id", compute="_compute_totals", store=True
    )
    calendar_event_id = fields.Many2one(
        "calendar.event", string="Meeting", readonly=True, copy=False, ondelete="set null"
    )

    # report (拜访记录表 / 接待工作报告)
    date_done = fields.Datetime(string="Actual Date", copy=False, tracking=True)
    talking_points = fields.Text(copy=False)
    customer_needs = fields.Text(string="Needs and Views of the Customer", copy=False)
    objections = fields.Text(string="Objections and Handling", copy=False)
    next_appointment = fields.Datetime(copy=False)
    suggestions = fields.Text(copy=False)
    outcome = fields.Selection(OUTCOMES, copy=False, tracking=True)
    outcome_reason = fields.Text(
        string="Why Not Yet", copy=False, help="Analysed when a development has not succeeded yet."
    )

    @api.depends("name", "partner_id", "purpose")
    def _compute_display_name(self):
        """The account and the purpose (its first line, cut at 40 characters): what people look
        for in the calendar, the approval queue and the links; the reference stays on the form."""
        for record in self:
            purpose = next(iter((record.purpose or "").strip().splitlines()), "").strip()
            if len(purpose) > 40:
                purpose = purpose[:40].rstrip() + "…"
            parts = [record.partner_id.display_name, purpose or record.name]
            record.display_name = " · ".join(part for part in parts if part) or record.name

    @api.model
    def _partner_id_domain(self):
        """KA Users plan for the accounts of their team only (the record rules say the same)."""
        domain = [("is_key_account", "=", True)]
        if not self.env.user.has_group("key_account_mgmt.group_ka_clerk"):
            domain.append(("key_account_team_user_ids", "in", self.env.uid))
        return domain

    def _compute_totals(self):
        # the concrete models declare the dependencies: their lines point to them by name
        for record in self:
            record.gift_total = sum(line.quantity * line.unit_value for line in record.gift_line_ids)
            record.expense_total = sum(record.expense_line_ids.mapped("amount"))

    @api.depends("budget", "company_id.key_account_visit_director_budget")
    def _compute_needs_director_approval(self):
        for record in self:
            threshold = record.company_id.key_account_visit_director_budget
            record.needs_director_approval = bool(threshold) and record.budget >= threshold

    @api.constrains("budget", "duration")
    def _check_budget(self):
        for record in self:
            if record.budget < 0 or record.duration < 0:
                raise ValidationError(self.env._("Budget and duration cannot be negative."))

    def write(self, vals):
        if vals.keys() & set(REPORT_CONTENT_FIELDS):
            self._check_report_open()
        return super().write(vals)

    def _unlink_refused_message(self):
        return self.env._("Only plans not yet submitted, or cancelled ones, can be deleted.")

    def _check_submittable(self):
        ensure_one(self)
        if not self.partner_id.sudo().is_key_account:
            raise UserError(self.env._("%(partner)s is not a key account.", partner=self.partner_id.display_name))
        if not (self.purpose or "").strip():
            raise ValidationError(self.env._("Give the purpose of %(name)s.", name=self.name))

    # approval → calendar
    def _on_approved(self):
        for record in self:
            record.sudo().calendar_event_id = self.env["calendar.event"].sudo().create(record._prepare_calendar_event())

    def _on_approval_withdrawn(self):
        # the meeting goes back into the calendars when the plan is approved again
        self.calendar_event_id.sudo().unlink()

    def _calendar_attendees(self):
        return self.user_id | self.participant_ids

    def _prepare_calendar_event(self):
        return {
            "name": f"{self.name} · {self.partner_id.name}",
            "start": self.date_planned,
            "stop": self.date_planned + timedelta(hours=self.duration or 1.0),
            "location": self.location,
            "description": self.purpose,
            "user_id": self.user_id.id,
            "partner_ids": [(6, 0, self._calendar_attendees().partner_id.ids)],
            "privacy": "private",
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    # report
    def action_done(self):
        """File the report (mandatory to finish): the account's visit dates follow, the
        responsible person gets a follow-up within seven days, the next appointment becomes a
        plan (or an activity) and the KA Managers are asked to review the report."""
        for record in self:
            if record.state != "approved":
                raise UserError(self.env._("Only an approved plan can be reported."))
            record._check_report()
            record._check_next_appointment()
        self._write_state({"state": "done", "report_review_state": "pending"})
        for record in self:
            local = in_lang_of(record, record.user_id)
            local.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Datetime.context_timestamp(
                    record.with_user(record.user_id), record.date_done
                ).date()
                + timedelta(days=FOLLOW_UP_DAYS),
                summary=local.env._("Follow up %(name)s: hear the customer's views", name=record.name),
                user_id=record.user_id.id,
            )
        self._update_account_visits(self.partner_id)
        self._on_report_filed()
        return True

    # ------------------------------------------------------------------ the account's visit schedule
    @api.model
    def _update_account_visits(self, partners):
        """Last visit dates and counters of these accounts from their reported visits and
        receptions (one query)."""
        summary = self.env["key.account.activity.metrics"]._visit_summary(partners.ids)
        for partner in partners.sudo():
            last, visits, receptions, last_onsite, onsite_count = summary.get(partner.id, (False, 0, 0, False, 0))
            partner.write(
                {
                    "key_account_last_visit_date": last,
                    "key_account_visit_count": visits,
                    "key_account_reception_count": receptions,
                    "key_account_last_onsite_date": last_onsite,
                    "key_account_onsite_year_count": onsite_count,
                }
            )

    @api.model
    def _next_visit_due(self, partner):
        """The next on-site visit of the account: the last on-site visit plus the tier's visit
        frequency (from the day the account was created when it was never visited on site),
        earlier when the tier's yearly minimum needs it (:meth:`_yearly_minimum_due`); False
        when it is no key account or its tier sets neither."""
        if not partner.is_key_account:
            return False
        tier = partner.key_account_tier_id
        created = (partner.create_date or fields.Datetime.now()).date()
        last = partner.key_account_last_onsite_date
        dues = []
        if tier.visit_frequency_days:
            dues.append(fields.Date.add(last or created, days=tier.visit_frequency_days))
        if tier.min_onsite_visits:
            count = partner.key_account_onsite_year_count if last else 0
            dues.append(self._yearly_minimum_due(last, count, created, tier.min_onsite_visits))
        return min(dues, default=False)

    @api.model
    def _yearly_minimum_due(self, last, count, created, minimum):
        """The day by which the next on-site visit keeps a yearly minimum of ``minimum``: the
        calendar year of the last on-site visit (else of the account's creation) is cut into
        ``minimum`` equal periods, each owing one visit; with ``count`` visits that year the
        next is due at the end of the next period owed. Periods that ended before the account
        existed are not owed; once the year's are met, the first period of the next year."""

        def period_end(year, index):
            days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
            return date(year, 1, 1) + timedelta(days=math.ceil(index * days / minimum) - 1)

        year = (last or created).year
        start = max(date(year, 1, 1), created)
        owed = [end for end in (period_end(year, index) for index in range(1, minimum + 1)) if end >= start]
        return owed[count] if count < len(owed) else period_end(year + 1, 1)

    @api.model
    def _is_overdue(self, partner):
        due = partner.key_account_next_visit_date
        return bool(due) and due < fields.Date.context_today(self)

    @api.model
    def _overdue_domain(self, operator, value):
        """Domain on res.partner: the accounts whose next visit is (not) overdue."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue visits."))
        overdue = (operator == "=") == value
        today = fields.Date.context_today(self)
        if overdue:
            return [("key_account_next_visit_date", "<", today)]
        return ["|", ("key_account_next_visit_date", "=", False), ("key_account_next_visit_date", ">=", today)]

    def _check_report(self):
        missing = [
            self._fields[name]._description_string(self.env)
            for name in ("date_done", "talking_points", "customer_needs", "outcome")
            if not self[name] or (isinstance(self[name], str) and not self[name].strip())
        ]
        if self.outcome == "not_yet" and not (self.outcome_reason or "").strip():
            missing.append(self._fields["outcome_reason"]._description_string(self.env))
        if missing:
            raise ValidationError(
                self.env._("The report of %(name)s is missing: %(fields)s.", name=self.name, fields=", ".join(missing))
            )

    def action_close(self):
        for record in self:
            if record.state != "done":
                raise UserError(self.env._("Only a reported visit can be closed."))
            if record.expense_line_ids.filtered(lambda line: line.state in ("claimed", "approved")):
                raise UserError(
                    self.env._("%(name)s still has expenses waiting for approval or payment.", name=record.name)
                )
            if record.report_review_state != "accepted":
                raise UserError(
                    self.env._("%(name)s closes once a KA Manager has accepted its report.", name=record.name)
                )
        self._write_state({"state": "closed"})
        return True

    def action_cancel(self):
        """A plan is cancelled up to its approval (the meeting leaves the calendars); a visit
        that took place stays in the account's history."""
        if any(record.state in ("done", "closed") for record in self):
            raise UserError(self.env._("A reported visit or reception took place and cannot be cancelled."))
        self.calendar_event_id.sudo().unlink()
        self._write_state({"state": "cancelled"})
        return True

    @api.constrains("state", "date_done", "talking_points", "customer_needs", "outcome", "outcome_reason")
    def _check_report_filed(self):
        """No report, no "done" — not through a direct write of the state either, and a filed
        report cannot be emptied."""
        for record in self.filtered(lambda r: r.state in ("done", "closed")):
            record._check_report()

    # the report and the expenses are written after the approval: keep them editable
    _REPORT_FIELDS = [
        "date_done",
        "talking_points",
        "customer_needs",
        "objections",
        "next_appointment",
        "suggestions",
        "outcome",
        "outcome_reason",
        "expense_line_ids",
        "gift_line_ids",
        "next_appointment_action",
        "quality_feedback",
        "usage_feedback",
        "satisfaction",
        "industry_news",
        "competitor_line_ids",
    ]

    @api.model
    def _get_all_validation_exceptions(self):
        return super()._get_all_validation_exceptions() + self._REPORT_FIELDS

    def action_open_calendar_event(self):
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }

    def action_print_record(self):
        return self.env.ref(f"key_account_mgmt.action_report_{self._table}").report_action(self)
