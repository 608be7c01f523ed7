from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ensure_one, in_lang_of

PROGRESS_ACTIVITY = "key_account_mgmt.mail_activity_type_development_progress"
# how often the project team reports (定期汇报); the company's default is the plan's
PROGRESS_FREQUENCIES = [("weekly", "Every Week"), ("biweekly", "Every Two Weeks"), ("monthly", "Every Month")]
INTERVALS = {"weekly": {"weeks": 1}, "biweekly": {"weeks": 2}, "monthly": {"months": 1}}


class KeyAccountDevelopmentProgressMixin(models.AbstractModel):
    """Progress reporting on the plan (inherited by key.account.development): how often the
    team reports (a company default), the reports, when the next one is due, and the daily
    reminder to the coordinator when it is due and missing — raised once per due report, in
    the coordinator's language, closed by the report."""

    _name = "key.account.development.progress.mixin"
    _description = "Development Plan Progress Reporting"

    progress_frequency = fields.Selection(
        PROGRESS_FREQUENCIES,
        string="Progress Report Frequency",
        required=True,
        default=lambda self: self.env.company.key_account_development_report_frequency or "biweekly",
        help="How often the project team reports its progress while the plan is in development.",
    )
    progress_ids = fields.One2many("key.account.development.progress", "development_id", string="Progress Reports")
    progress_last_date = fields.Date(string="Last Progress Report", compute="_compute_progress_due", store=True)
    progress_due_date = fields.Date(
        string="Next Progress Report Due",
        compute="_compute_progress_due",
        store=True,
        help="The day the next progress report is due: the last report (or the approval) plus the frequency.",
    )
    progress_reminded = fields.Boolean(
        string="Progress Report Reminded",
        readonly=True,
        copy=False,
        help="The coordinator was reminded of the report due; filing a report clears it.",
    )

    @api.depends("state", "outcome", "approved_date", "progress_frequency", "progress_ids.date")
    def _compute_progress_due(self):
        for plan in self:
            last = max(plan.progress_ids.mapped("date"), default=False)
            plan.progress_last_date = last
            start = last or (plan.approved_date and plan.approved_date.date())
            if plan.state == "approved" and plan.outcome == "open" and start:
                plan.progress_due_date = fields.Date.add(start, **plan._progress_interval())
            else:
                plan.progress_due_date = False

    def write(self, vals):
        result = super().write(vals)
        if vals.get("outcome") in ("won", "failed"):
            # a closed plan reports no more: its reminder goes
            activity_type = self.env.ref(PROGRESS_ACTIVITY, raise_if_not_found=False)
            self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type).unlink()
        return result

    def _progress_interval(self):
        return INTERVALS[self.progress_frequency]

    def _progress_period_start(self):
        self.ensure_one()
        return self.progress_last_date or (self.approved_date and self.approved_date.date()) or self.date

    def _check_progress_open(self):
        for plan in self.sudo():
            if plan.state != "approved" or plan.outcome != "open":
                raise UserError(
                    self.env._(
                        "Progress is reported on an approved plan in development; %(plan)s is not.", plan=plan.name
                    )
                )

    def _progress_filed(self, reports):
        """A report was filed: the reminder is closed (marked done in the assignee's language)
        and the plan says who reported, in the language of the one who did."""
        for plan in self.sudo():
            activities = plan.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(PROGRESS_ACTIVITY, raise_if_not_found=False)
            )
            for activity in activities:
                in_lang_of(activity, activity.user_id).action_feedback(
                    feedback=in_lang_of(activity, activity.user_id).env._("Progress report filed.")
                )
            plan.progress_reminded = False
            for report in reports.filtered(lambda r, plan=plan: r.development_id == plan):
                plan.message_post(
                    body=self.env._(
                        "Progress report for %(start)s to %(end)s filed by %(user)s.",
                        start=report.period_from,
                        end=report.period_to,
                        user=report.user_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _progress_due_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("state", "=", "approved"),
            ("outcome", "=", "open"),
            ("progress_due_date", "<=", today),
            ("progress_reminded", "=", False),
        ]

    @api.model
    def _cron_remind_progress(self, batch_size=500):
        """Every day: one reminder activity to the coordinator of each plan in development
        whose progress report is due and missing, in their language; raised once (until a
        report is filed). Batched; the scheduler commits and calls again."""
        plans = self.sudo().search(self._progress_due_domain(), limit=batch_size, order="id")
        for plan in plans:
            local = in_lang_of(plan, plan.user_id)
            local.activity_schedule(
                PROGRESS_ACTIVITY,
                date_deadline=plan.progress_due_date,
                summary=local.env._(
                    "Report the progress of the development of %(partner)s", partner=plan.partner_id.display_name
                ),
                user_id=plan.user_id.id,
            )
        plans.write({"progress_reminded": True})
        self.env["ir.cron"]._notify_progress(
            done=len(plans), remaining=self.sudo().search_count(self._progress_due_domain())
        )

    def action_new_progress_report(self):
        """Open a new progress report of this plan, its period prefilled."""
        ensure_one(self)._check_progress_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Progress Report"),
            "res_model": "key.account.development.progress",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_development_id": self.id},
        }
