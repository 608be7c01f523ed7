from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import clean_text, ensure_one, in_lang_of, post_for

REVIEW_STATES = [("pending", "To Review"), ("accepted", "Accepted"), ("sent_back", "Sent Back")]
SATISFACTION = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
NEXT_STEPS = [("plan", "Plan the Next Visit"), ("activity", "Schedule an Activity")]
# what the report says: it does not change while its review is pending nor once accepted
REPORT_CONTENT_FIELDS = (
    "date_done",
    "talking_points",
    "customer_needs",
    "objections",
    "next_appointment",
    "next_appointment_action",
    "suggestions",
    "outcome",
    "outcome_reason",
    "quality_feedback",
    "usage_feedback",
    "satisfaction",
    "industry_news",
)
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountVisitReportMixin(models.AbstractModel):
    """What the report of a visit or reception adds to the meeting (seed 001 §3.3.3, §2.2 第11条):
    the market information the salespeople collect (product quality, usage and satisfaction,
    competitor products — key.account.visit.competitor lines —, industry news); the next
    appointment, which becomes the next visit plan or an activity; and the check of the report
    (检查报告) by a KA Manager of the company other than its author, who accepts it or sends it
    back with comments. Expenses are approved, and the visit closed, once it is accepted.
    Inherited by key.account.visit.mixin, whose fields (state, user, account) it uses."""

    _name = "key.account.visit.report.mixin"
    _description = "Visit or Reception Report"

    # market information (第11条: 产品质量的反映, 客户使用情况及满意度, 竞争产品, 行业动态)
    quality_feedback = fields.Text(string="Product Quality Feedback", copy=False)
    usage_feedback = fields.Text(string="Usage and Satisfaction", copy=False)
    satisfaction = fields.Selection(SATISFACTION, string="Customer Satisfaction", copy=False)
    industry_news = fields.Text(copy=False)

    next_appointment_action = fields.Selection(
        NEXT_STEPS,
        string="Next Appointment Becomes",
        default="plan",
        copy=False,
        help="When the report is filed, the next appointment becomes a draft plan of the next visit, or an "
        "activity of the responsible on that day.",
    )
    next_visit_id = fields.Many2one(
        "key.account.visit", string="Next Visit Plan", readonly=True, copy=False, ondelete="set null"
    )

    # the check of the report (检查报告)
    report_review_state = fields.Selection(
        REVIEW_STATES, string="Report Review", readonly=True, copy=False, index=True, tracking=True
    )
    report_reviewer_id = fields.Many2one("res.users", string="Report Reviewed by", readonly=True, copy=False)
    report_review_date = fields.Datetime(string="Report Reviewed On", readonly=True, copy=False)
    report_review_comment = fields.Text(string="Reviewer's Comments", readonly=True, copy=False)

    def _report_locked(self):
        """A filed report is locked unless it was sent back."""
        self.ensure_one()
        return self.state in ("done", "closed") and self.report_review_state != "sent_back"

    def _check_report_open(self):
        """Refuse changing the report (or its market information) of these records while its
        review is pending or once accepted."""
        if self.env.su:
            return
        for record in self:
            if record._report_locked():
                raise ValidationError(
                    self.env._(
                        "The report of %(name)s has been filed: it changes only when the reviewer sends it back.",
                        name=record.name,
                    )
                )

    # ------------------------------------------------------------------ filing
    def _on_report_filed(self):
        """After filing: the next appointment and the reviewers' notice."""
        for record in self:
            record._schedule_next_appointment()
            record._ask_report_review()

    def _check_next_appointment(self):
        self.ensure_one()
        if self.next_appointment and self.date_done and self.next_appointment <= self.date_done:
            raise ValidationError(
                self.env._("The next appointment of %(name)s must come after the meeting.", name=self.name)
            )

    def _schedule_next_appointment(self):
        """The next appointment agreed becomes the next visit's draft plan (with the same
        account, people, method and place), or an activity of the responsible on that day —
        once: a report sent back and filed again adds none."""
        self.ensure_one()
        if not self.next_appointment or self.next_visit_id:
            return
        local = in_lang_of(self, self.user_id)
        day = fields.Datetime.context_timestamp(self.with_user(self.user_id), self.next_appointment).date()
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        if self.next_appointment_action == "activity":
            if not self.activity_ids.filtered(lambda a: a.activity_type_id == meeting):
                local.activity_schedule(
                    "mail.mail_activity_data_meeting",
                    date_deadline=day,
                    summary=local.env._("Next appointment with %(account)s", account=self.partner_id.name),
                    user_id=self.user_id.id,
                )
            return
        plan = (
            self.env["key.account.visit"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "user_id": self.user_id.id,
                    "contact_ids": [(6, 0, self.contact_ids.ids)],
                    "participant_ids": [(6, 0, self.participant_ids.ids)],
                    "date_planned": self.next_appointment,
                    "duration": self.duration,
                    "method": self.method if self._name == "key.account.visit" else "onsite",
                    "location": self.location if self._name == "key.account.visit" else False,
                    "purpose": local.env._(
                        "Next appointment agreed in %(name)s. %(suggestions)s",
                        name=self.name,
                        suggestions=self.suggestions or "",
                    ).strip(),
                }
            )
        )
        self.sudo().next_visit_id = plan

    def _report_reviewers(self):
        """Who checks the report: the KA Managers of the record's company, but its author."""
        self.ensure_one()
        managers = self.partner_id.with_company(self.company_id)._key_account_managers()
        return managers - self.user_id

    def _ask_report_review(self):
        self.ensure_one()
        post_for(
            self,
            self._report_reviewers(),
            lambda local: local.env._(
                "Report filed by %(user)s: check it (Accept Report or Send Back) before its expenses are approved.",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------ review
    def _check_report_reviewer(self):
        """A KA Manager (or Director) of the record's company, who may change the account's
        confidential data (the one helper) and did not write the report."""
        self.ensure_one()
        if self.env.su:
            return
        message = self.env._("Only a Key Account Manager of its company checks the report of %(name)s.", name=self.name)
        self.env["res.partner"]._key_account_check_manager(message)
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(message)
        self.partner_id._key_account_check_access("write")
        if self.env.user == self.user_id:
            raise AccessError(
                self.env._("%(name)s is your own report: another Key Account Manager checks it.", name=self.name)
            )

    def _check_report_to_review(self):
        self.ensure_one()
        if self.state != "done" or self.report_review_state != "pending":
            raise UserError(self.env._("Only a filed report waiting for its review can be checked."))

    def action_accept_report(self):
        """Accept the report: its expenses may now be approved."""
        for record in self:
            record._check_report_reviewer()
            record._check_report_to_review()
            record.sudo().write(
                {
                    "report_review_state": "accepted",
                    "report_reviewer_id": self.env.uid,
                    "report_review_date": fields.Datetime.now(),
                }
            )
            post_for(
                record,
                record.user_id,
                lambda local: local.env._("Report accepted by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_send_back_report(self, comment=None):
        """Send the report back to its author with the reviewer's comments: it can be changed
        again and filed anew (Resubmit Report); the author gets an activity."""
        comment = clean_text(self.env, comment, self.env._("Reviewer's Comments"))
        if not comment:
            raise ValidationError(self.env._("Say what the report needs: the comments are sent to its author."))
        for record in self:
            record._check_report_reviewer()
            record._check_report_to_review()
            record.sudo().write(
                {
                    "report_review_state": "sent_back",
                    "report_reviewer_id": self.env.uid,
                    "report_review_date": fields.Datetime.now(),
                    "report_review_comment": comment,
                }
            )
            local = in_lang_of(record, record.user_id)
            local.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=local.env._("Rework the report of %(name)s", name=record.name),
                note=comment,
                user_id=record.user_id.id,
            )
            post_for(
                record,
                record.user_id,
                lambda local: local.env._(
                    "Report sent back by %(user)s: %(comment)s", user=self.env.user.name, comment=comment
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_resubmit_report(self):
        """File the reworked report again for its review."""
        for record in self:
            if record.state != "done" or record.report_review_state != "sent_back":
                raise UserError(self.env._("Only a report sent back can be filed again."))
            record._check_report()
            record._check_next_appointment()
        self._write_state({"report_review_state": "pending"})
        self._on_report_filed()
        return True

    def action_open_send_back_wizard(self):
        ensure_one(self)._check_report_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the Report Back"),
            "res_model": "key.account.report.send.back.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_visit_id" if self._name == "key.account.visit" else "default_reception_id": self.id},
        }
