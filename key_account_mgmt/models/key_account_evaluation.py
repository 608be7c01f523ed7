from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import clean_text, ensure_one, in_lang_of, post_for
from .key_account_visit_report_mixin import REVIEW_STATES

EVALUATION_STATES = [("draft", "To Write"), *REVIEW_STATES]
# what the team wrote: locked while a KA Manager reviews it, and for good once accepted
CONTENT_FIELDS = ("partner_id", "period_start", "period_end", "user_id", "went_well", "problems", "rating")
RATINGS = [("1", "Poor"), ("2", "Fair"), ("3", "Good"), ("4", "Very Good"), ("5", "Excellent")]
NOTICE_DAYS = 30  # the draft of a period's evaluation and its activity come this long before its end


class KeyAccountEvaluation(models.Model):
    """The team's periodic evaluation of its cooperation with a key account (合作评估, seed 002
    3.3 合作评估和改进阶段; 定期服务评估): for a period, what went well, the problems, the
    improvements agreed (each with its owner and due date) and an overall rating. Submitted to
    the KA Managers, who accept it or send it back with the reason, as they check a visit
    report (key.account.visit.report.mixin: another KA Manager of the company than its author);
    accepted, it is history: never changed nor deleted, the owners of its improvements get an
    activity each. The tier's service plan says how often (yearly, half-yearly…): a draft and
    an activity for the account manager come a month before the period ends. Confidential like
    the account."""

    _name = "key.account.evaluation"
    _inherit = ["key.account.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Cooperation Evaluation"
    _order = "period_start desc, partner_id"
    _rec_name = "partner_id"
    _key_account_action_fields = ("state",)

    period_start = fields.Date(
        string="Period From",
        required=True,
        default=lambda self: self.env["key.account.metrics"]._period(fields.Date.context_today(self), "half")[0],
    )
    period_end = fields.Date(
        string="Period To",
        required=True,
        default=lambda self: self.env["key.account.metrics"]._period(fields.Date.context_today(self), "half")[1],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Written by",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(EVALUATION_STATES, string="Status", default="draft", required=True, tracking=True)
    went_well = fields.Text(string="What Went Well")
    problems = fields.Text()
    rating = fields.Selection(RATINGS, string="Overall Rating", tracking=True)
    improvement_ids = fields.One2many(
        "key.account.evaluation.improvement", "evaluation_id", string="Improvements Agreed"
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", string="Reviewed by", readonly=True, copy=False)
    review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    review_comment = fields.Text(string="Reason Sent Back", readonly=True, copy=False)

    _sql_constraints = [
        ("period_uniq", "unique(partner_id, period_start)", "A key account has one evaluation per period."),
    ]

    @api.depends("partner_id", "period_start", "period_end")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.partner_id.display_name or ''} {record.period_start or ''} – {record.period_end or ''}".strip()

    @api.constrains("period_start", "period_end")
    def _check_period(self):
        for record in self:
            if record.period_end < record.period_start:
                raise ValidationError(self.env._("The period of an evaluation cannot end before it begins."))

    # ------------------------------------------------------------------ the history
    def _content_locked(self):
        """What the team wrote changes in a draft or once sent back; the system changes it."""
        return not self.env.su and any(record.state not in ("draft", "sent_back") for record in self)

    def write(self, vals):
        if vals.keys() & set(CONTENT_FIELDS) and self._content_locked():
            raise UserError(self._locked_message())
        return super().write(vals)

    def _locked_message(self):
        return self.env._(
            "An evaluation under review or accepted is kept as it was submitted: it changes only when a KA Manager "
            "sends it back."
        )

    def _check_improvements_open(self):
        """The improvements change with the evaluation's content (their lines call it)."""
        if self._content_locked():
            raise UserError(self._locked_message())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(record.state != "draft" for record in self):
            raise UserError(self.env._("Only an evaluation not yet submitted can be deleted: the others are history."))

    # ------------------------------------------------------------------ the team's actions
    def action_submit(self):
        """Submit the evaluation to the KA Managers of the account's company."""
        for record in self:
            if record.state not in ("draft", "sent_back"):
                raise UserError(self.env._("Only an evaluation to write or sent back is submitted."))
            record._check_complete()
        self.check_access("write")
        self.sudo().write({"state": "pending", "submitted_date": fields.Datetime.now()})
        for record in self:
            post_for(
                record,
                record._reviewers(),
                lambda local: local.env._(
                    "Cooperation evaluation submitted by %(user)s: accept it or send it back.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_complete(self):
        ensure_one(self)
        missing = [
            self._fields[name]._description_string(self.env)
            for name in ("went_well", "problems", "rating")
            if not (self[name] or "").strip()
        ]
        if missing:
            raise ValidationError(
                self.env._(
                    "The evaluation of %(account)s is missing: %(fields)s.",
                    account=self.partner_id.display_name,
                    fields=", ".join(missing),
                )
            )

    def _reviewers(self):
        self.ensure_one()
        return self.partner_id.with_company(self.company_id)._key_account_managers() - self.user_id

    # ------------------------------------------------------------------ the KA Manager's review
    def _check_reviewer(self):
        """A KA Manager (or Director) of the evaluation's company, who may change the account's
        confidential data and did not write it (as a visit report's check)."""
        self.ensure_one()
        if self.env.su:
            return
        message = self.env._(
            "Only a Key Account Manager of its company reviews the evaluation of %(account)s.",
            account=self.partner_id.display_name,
        )
        self.env["res.partner"]._key_account_check_manager(message)
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(message)
        self.partner_id._key_account_check_access("write")
        if self.env.user == self.user_id:
            raise AccessError(self.env._("This is your own evaluation: another Key Account Manager reviews it."))
        if self.state != "pending":
            raise UserError(self.env._("Only a submitted evaluation waiting for its review can be reviewed."))

    def action_accept(self):
        """Accept: the evaluation becomes history and each improvement's owner gets an activity
        due on its day."""
        for record in self:
            record._check_reviewer()
            record.sudo().write(
                {"state": "accepted", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()}
            )
            for improvement in record.sudo().improvement_ids:
                local = in_lang_of(record, improvement.owner_id)
                local.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=improvement.date_due,
                    summary=local.env._("Improvement agreed: %(what)s", what=improvement.name[:80]),
                    note=improvement.name,
                    user_id=improvement.owner_id.id,
                )
            post_for(
                record,
                record.user_id,
                lambda local: local.env._("Evaluation accepted by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_send_back(self, comment=None):
        """Send the evaluation back to its author with the reason: it can be changed and
        submitted again; the author gets an activity."""
        comment = clean_text(self.env, comment, self.env._("Reason Sent Back"))
        if not comment:
            raise ValidationError(self.env._("Say why the evaluation is sent back: the reason goes to its author."))
        for record in self:
            record._check_reviewer()
            record.sudo().write(
                {
                    "state": "sent_back",
                    "reviewer_id": self.env.uid,
                    "review_date": fields.Datetime.now(),
                    "review_comment": comment,
                }
            )
            local = in_lang_of(record, record.user_id)
            local.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=local.env._("Rework the cooperation evaluation of %(account)s", account=record.partner_id.name),
                note=comment,
                user_id=record.user_id.id,
            )
            post_for(
                record,
                record.user_id,
                lambda local: local.env._(
                    "Evaluation sent back by %(user)s: %(comment)s", user=self.env.user.name, comment=comment
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_send_back_wizard(self):
        ensure_one(self)._check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the Evaluation Back"),
            "res_model": "key.account.evaluation.send.back.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_id": self.id},
        }

    # ------------------------------------------------------------------ due evaluations
    @api.model
    def _cron_evaluations_due(self, batch_size=200):
        """Draft the evaluations of the periods ending within a month (the frequency of the
        tier's service plan) of the key accounts with a manager and none yet, each with an
        activity for the account manager due at the end of the period; one batch."""
        today = fields.Date.context_today(self)
        due = self._due_evaluations(today, limit=batch_size + 1)
        created = self.browse()
        for partner_id, user_id, start, end in due[:batch_size]:
            record = self.sudo().create(
                {"partner_id": partner_id, "user_id": user_id, "period_start": start, "period_end": end}
            )
            user = record.user_id
            local = in_lang_of(record, user)
            local.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=end,
                summary=local.env._("Evaluate the cooperation with %(account)s", account=record.partner_id.name),
                user_id=user.id,
            )
            created |= record
        self.env["ir.cron"]._notify_progress(done=len(created), remaining=max(len(due) - batch_size, 0))
        return created

    @api.model
    def _due_evaluations(self, today, limit=None):
        """[(partner_id, manager_id, period_start, period_end)] of the key accounts whose
        service plan's period of ``today`` ends within NOTICE_DAYS and has no evaluation."""
        metrics = self.env["key.account.metrics"]
        periods = [
            (kind, *metrics._period(today, kind))
            for kind in ("quarter", "half", "year")
            if metrics._period(today, kind)[1] - today <= timedelta(days=NOTICE_DAYS)
        ]
        if not periods:
            return []
        for model in ("res.partner", "key.account.service.plan", "key.account.evaluation"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
            WITH periods(kind, first_day, last_day) AS (VALUES %s)
            SELECT p.id, p.key_account_manager_id, per.first_day, per.last_day
              FROM res_partner p
              JOIN res_users u ON u.id = p.key_account_manager_id
              JOIN key_account_service_plan sp ON sp.tier_id = p.key_account_tier_id AND sp.active
                                              AND sp.company_id = COALESCE(p.company_id, u.company_id)
              JOIN periods per ON per.kind = sp.evaluation_frequency
             WHERE p.is_key_account AND p.active
               AND NOT EXISTS (SELECT 1 FROM key_account_evaluation e
                                WHERE e.partner_id = p.id AND e.period_start = per.first_day)
             ORDER BY p.id
             LIMIT %s
                """,
                SQL(", ").join(SQL("(%s, %s::date, %s::date)", *period) for period in periods),
                limit,
            )
        )
        return self.env.cr.fetchall()
