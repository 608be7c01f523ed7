from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import clean_text, ensure_one, in_lang_of, label, post_for, to_date

WORK_REPORT_STATES = [
    ("draft", "To Write"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("sent_back", "Sent Back"),
]
# what the specialist writes (seed 001 第15条; seed 004 第十条: 大客户需求和趋势)
CONTENT_FIELDS = ("summary", "forecast", "problems", "solutions", "customer_trends")
FIGURE_FIELDS = ("account_count", "sales_month", "visits_planned", "visits_done", "trip_days")
KA_MANAGER = "key_account_mgmt.group_ka_manager"
ACTIVITY_TYPE = "key_account_mgmt.mail_activity_type_work_report"


class KeyAccountWorkReport(models.Model):
    """The specialist's monthly market analysis report (所辖市场分析报告, seed 001 第15条): by the
    company's due day (default the 5th) each specialist — the account manager of key accounts —
    files the report of the month before: the month's summary, the forecast for the next, the
    problems met and their solutions, and what the key accounts need and where they go (seed
    004 第十条), above the month's figures of their accounts (prefilled from the metrics). A KA
    Manager other than its author accepts it or sends it back with comments, like the report of
    a visit. One per specialist, company and month; a daily cron opens it with a reminder once
    and marks it late after the due day; the KPIs count those on time.

    Not key.account.monthly.review (one account's month, its cooperation state) nor
    key.account.report (the company's report of every account): this one is a person's own,
    seen by them, the clerks and managers of its company."""

    _name = "key.account.work.report"
    _inherit = [
        "key.account.write.guard",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Specialist's Monthly Report"
    _order = "period_date desc, user_id"
    _rec_name = "user_id"
    # opened by the cron or "My Monthly Report" for its specialist and month, never moved
    _key_account_action_fields = ("state", "user_id", "period_date")

    user_id = fields.Many2one(
        "res.users",
        string="Specialist",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    period_date = fields.Date(
        string="Month",
        required=True,
        index=True,
        default=lambda self: self._default_period(),
        help="First day of the month reported.",
    )
    date_due = fields.Date(string="Due On", compute="_compute_date_due", store=True)
    state = fields.Selection(
        WORK_REPORT_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    late = fields.Boolean(readonly=True, copy=False, help="Not submitted by its due day.")
    summary = fields.Text(string="Summary of the Month", help="本月总结")
    forecast = fields.Text(string="Forecast for Next Month", help="下月预测")
    problems = fields.Text(help="存在的问题")
    solutions = fields.Text(help="解决的办法")
    customer_trends = fields.Text(
        string="Customer Needs and Trends", help="What the key accounts need and where they are going (需求和趋势)."
    )
    # the month's figures of the specialist's accounts, taken when it is opened and submitted
    account_count = fields.Integer(string="Key Accounts Managed", readonly=True)
    sales_month = fields.Monetary(string="Sales of the Month", currency_field="currency_id", readonly=True)
    visits_planned = fields.Integer(readonly=True)
    visits_done = fields.Integer(readonly=True)
    trip_days = fields.Integer(readonly=True)
    trip_days_target = fields.Integer(related="company_id.key_account_trip_days_target", string="Trip Days Target")
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    reminder_date = fields.Date(string="Reminded On", readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", string="Reviewed by", readonly=True, copy=False)
    review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    review_comment = fields.Text(string="Reviewer's Comments", readonly=True, copy=False)
    is_mine = fields.Boolean(string="My Report", compute="_compute_is_mine")

    _sql_constraints = [
        (
            "user_period_unique",
            "unique(company_id, user_id, period_date)",
            "A specialist files one monthly report per month.",
        ),
    ]

    @api.model
    def _default_period(self):
        """The month before this one: the report due now."""
        first = self.env["key.account.metrics"]._period(fields.Date.context_today(self))[0]
        return fields.Date.subtract(first, months=1)

    @api.depends("period_date", "company_id.key_account_work_report_due_day")
    def _compute_date_due(self):
        for report in self:
            day = report.company_id.key_account_work_report_due_day or 5
            report.date_due = (
                fields.Date.add(report.period_date, months=1, day=min(max(day, 1), 28)) if report.period_date else False
            )

    @api.depends("user_id", "period_date")
    def _compute_display_name(self):
        for report in self:
            month = report.period_date.strftime("%Y-%m") if report.period_date else ""
            report.display_name = " · ".join(part for part in (report.user_id.name, month) if part)

    @api.depends_context("uid")
    @api.depends("user_id")
    def _compute_is_mine(self):
        for report in self:
            report.is_mine = report.user_id == self.env.user

    # ------------------------------------------------------------------ protection
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_values(vals)
            self._normalise_period(vals)
        reports = super().create(vals_list)
        reports.sudo()._refresh_figures()
        return reports

    def write(self, vals):
        self._check_key_account_values(vals)
        self._normalise_period(vals)
        if not self.env.su and vals.keys() & set(CONTENT_FIELDS):
            locked = self.filtered(lambda report: report.state in ("submitted", "accepted"))
            if locked:
                raise ValidationError(
                    self.env._(
                        "%(report)s has been submitted: it changes only when the reviewer sends it back.",
                        report=locked[0].display_name,
                    )
                )
        return super().write(vals)

    @api.model
    def _normalise_period(self, vals):
        if vals.get("period_date"):
            day = to_date(self.env, vals["period_date"], label(self.env, self._name, "period_date"))
            vals["period_date"] = self.env["key.account.metrics"]._period(day)[0]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(report.submitted_date for report in self):
            raise UserError(self.env._("A monthly report that was submitted is kept."))

    def _write_state(self, vals):
        """Written by the actions only, after their checks (the user must be allowed to write
        the report; the write runs as superuser)."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------ figures
    def _refresh_figures(self):
        """The month's figures of the specialist's accounts (one query per figure and batch
        of a company and month): key accounts they manage, their sales (a headquarters with
        its branches, each invoice once), the visits planned and reported, the trip days."""
        metrics, activity = self.env["key.account.metrics"], self.env["key.account.activity.metrics"]
        for (company, period), reports in self.grouped(lambda r: (r.company_id, r.period_date)).items():
            start, end = metrics._period(period)
            users = reports.user_id
            accounts = (
                self.env["res.partner"]
                .sudo()
                .search(
                    [
                        ("is_key_account", "=", True),
                        ("key_account_manager_id", "in", users.ids),
                        ("company_id", "in", [False, company.id]),
                    ]
                )
                .grouped("key_account_manager_id")
            )
            scoped = activity.with_company(company).with_context(allowed_company_ids=company.ids)
            rates = scoped._visit_rate(start, end, users.ids)
            days = scoped._trip_days(start, end, users.ids)
            for report in reports:
                mine = accounts.get(report.user_id, self.env["res.partner"])
                planned, done = rates.get(report.user_id.id, (0, 0))
                report.write(
                    {
                        "account_count": len(mine),
                        "sales_month": metrics.with_context(allowed_company_ids=company.ids)._revenue(
                            mine.ids, start, end, consolidate=True, total=True
                        ),
                        "visits_planned": planned,
                        "visits_done": done,
                        "trip_days": days.get(report.user_id.id, 0),
                    }
                )

    def action_refresh_figures(self):
        for report in self:
            report.check_access("write")
            if report.state not in ("draft", "sent_back"):
                raise UserError(self.env._("The figures of a submitted report stay as they were submitted."))
        self.sudo()._refresh_figures()
        return True

    # ------------------------------------------------------------------ filing and review
    def action_submit(self):
        """Submit the report (again, when it was sent back): complete, by its specialist; late
        when after its due day; the KA Managers are asked to review it."""
        today = fields.Date.context_today(self)
        for report in self:
            if not self.env.su and self.env.user != report.user_id:
                raise AccessError(self.env._("Only %(user)s submits their monthly report.", user=report.user_id.name))
            if report.state not in ("draft", "sent_back"):
                raise UserError(self.env._("%(report)s has been submitted already.", report=report.display_name))
            missing = [
                report._fields[name]._description_string(self.env)
                for name in CONTENT_FIELDS
                if not (report[name] or "").strip()
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "The monthly report %(report)s is missing: %(fields)s.",
                        report=report.display_name,
                        fields=", ".join(missing),
                    )
                )
            if report.period_date >= self.env["key.account.metrics"]._period(today)[0]:
                raise ValidationError(self.env._("A monthly report is submitted once its month is over."))
            report.sudo()._refresh_figures()
            vals = {"state": "submitted"}
            if not report.submitted_date:  # on time or late: the first submission counts
                vals.update(submitted_date=fields.Datetime.now(), late=report.late or today > report.date_due)
            report._write_state(vals)
            report._close_reminders()
            post_for(
                report,
                report._reviewers(),
                lambda local: local.env._("Monthly report submitted: accept it or send it back with your comments."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _reviewers(self):
        self.ensure_one()
        managers = (
            self.env.ref(KA_MANAGER)
            .sudo()
            .users.filtered(lambda user: not user.share and self.company_id in user.company_ids)
        )
        return managers - self.user_id

    def _close_reminders(self):
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(ACTIVITY_TYPE))
        for activity in activities:
            in_lang_of(activity, activity.user_id).action_feedback(feedback=self.env._("Report submitted."))

    def _check_reviewer(self):
        self.ensure_one()
        if self.env.su:
            return
        message = self.env._("Only a Key Account Manager of its company reviews %(report)s.", report=self.display_name)
        self.env["res.partner"]._key_account_check_manager(message)
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(message)
        self.check_access("write")
        if self.env.user == self.user_id:
            raise AccessError(
                self.env._(
                    "%(report)s is your own report: another Key Account Manager reviews it.", report=self.display_name
                )
            )
        if self.state != "submitted":
            raise UserError(self.env._("Only a submitted report waiting for its review is accepted or sent back."))

    def action_accept(self):
        for report in self:
            report._check_reviewer()
            report._write_state(
                {"state": "accepted", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()}
            )
            post_for(
                report,
                report.user_id,
                lambda local: local.env._("Monthly report accepted by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_send_back(self, comment=None):
        """Send the report back with the reviewer's comments: the specialist reworks it and
        submits it again (an activity tells them)."""
        comment = clean_text(self.env, comment, self.env._("Reviewer's Comments"))
        if not comment:
            raise ValidationError(self.env._("Say what the report needs: the comments are sent to its author."))
        for report in self:
            report._check_reviewer()
            report._write_state(
                {
                    "state": "sent_back",
                    "reviewer_id": self.env.uid,
                    "review_date": fields.Datetime.now(),
                    "review_comment": comment,
                }
            )
            local = in_lang_of(report, report.user_id)
            local.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=local.env._("Rework your monthly report %(report)s", report=report.display_name),
                note=comment,
                user_id=report.user_id.id,
            )
        return True

    def action_open_send_back_wizard(self):
        ensure_one(self)._check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the Report Back"),
            "res_model": "key.account.work.report.send.back.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }

    # ------------------------------------------------------------------ opening
    @api.model
    def action_open_my_report(self):
        """Open the current user's report of last month in the current company (created, with
        its figures, when the cron has not opened it yet)."""
        if not self.env.user.has_group("key_account_mgmt.group_ka_user"):
            raise AccessError(self.env._("Only key-account specialists file a monthly report."))
        period = self._default_period()
        key = [("company_id", "=", self.env.company.id), ("user_id", "=", self.env.uid), ("period_date", "=", period)]
        report = self.sudo().search(key, limit=1) or self.sudo().create(
            {"company_id": self.env.company.id, "user_id": self.env.uid, "period_date": period}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ reminders
    @api.model
    def _cron_remind(self, batch_size=500):
        """Every day: open last month's report of every specialist (the account manager of a
        key account) with one reminder activity due on the due day — once per specialist and
        month —, then mark late the reports still not submitted after their due day. Batched;
        idempotent."""
        today = fields.Date.context_today(self)
        period = fields.Date.subtract(self.env["key.account.metrics"]._period(today)[0], months=1)
        Report = self.sudo()
        # (company, specialist) pairs from the accounts, as one grouped query
        pairs = {
            (company.id or user.company_id.id, user.id)
            for company, user in self.env["res.partner"]
            .sudo()
            ._read_group(
                [("is_key_account", "=", True), ("key_account_manager_id", "!=", False)],
                ["company_id", "key_account_manager_id"],
            )
            if user.active and not user.share
        }
        opened = {(r.company_id.id, r.user_id.id) for r in Report.search([("period_date", "=", period)])}
        missing = sorted(pairs - opened)
        Report.create([{"company_id": c, "user_id": u, "period_date": period} for c, u in missing[:batch_size]])
        remind_domain = [("period_date", "=", period), ("state", "=", "draft"), ("reminder_date", "=", False)]
        to_remind = Report.search(remind_domain, limit=batch_size)
        for report in to_remind:
            local = in_lang_of(report, report.user_id)
            local.activity_schedule(
                ACTIVITY_TYPE,
                date_deadline=report.date_due,
                summary=local.env._("Submit your monthly market report by %(day)s", day=report.date_due),
                user_id=report.user_id.id,
            )
        to_remind.write({"reminder_date": today})
        late_domain = [("state", "=", "draft"), ("late", "=", False), ("date_due", "<", today)]
        overdue = Report.search(late_domain, limit=batch_size)
        overdue.write({"late": True})
        for report in overdue:
            post_for(
                report,
                report.user_id | report._reviewers(),
                lambda local, report=report: local.env._(
                    "The monthly report was due on %(day)s and is late.", day=report.date_due
                ),
                subtype_xmlid="mail.mt_note",
            )
        remaining = (
            max(len(missing) - batch_size, 0) + Report.search_count(remind_domain) + Report.search_count(late_domain)
        )
        self.env["ir.cron"]._notify_progress(
            done=min(len(missing), batch_size) + len(to_remind) + len(overdue), remaining=remaining
        )
