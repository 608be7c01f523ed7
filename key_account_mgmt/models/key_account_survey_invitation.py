from odoo import api, fields, models

from ..tools import ensure_one

INVITATION_STATES = [("new", "Not Started"), ("in_progress", "In Progress"), ("done", "Answered")]


class KeyAccountSurveyInvitation(models.Model):
    """One contact of a key account invited to the satisfaction survey for one period (issue
    #20): the survey's own answer (``survey.user_input``, whose token opens the public answer
    page), when it was sent and reminded, and once answered the contact's score and what they
    would improve. Exactly one per contact and period (a unique index: neither a second run of
    the campaign nor a second worker invites twice). Confidential like the account."""

    _name = "key.account.survey.invitation"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Satisfaction Survey Invitation"
    _order = "period_start desc, partner_id, id"
    _rec_name = "contact_id"

    campaign_id = fields.Many2one("key.account.survey.campaign", index=True, ondelete="restrict")
    contact_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', False), ('commercial_partner_id', '=', partner_id)]",
    )
    user_input_id = fields.Many2one("survey.user_input", string="Answer", readonly=True, ondelete="set null")
    period_start = fields.Date(string="Period From", required=True, readonly=True)
    period_end = fields.Date(string="Period To", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Account Manager", readonly=True, help="The account manager when the survey was sent."
    )
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    date_reminded = fields.Datetime(string="Last Reminder", readonly=True)
    reminder_count = fields.Integer(string="Reminders", readonly=True)
    state = fields.Selection(INVITATION_STATES, compute="_compute_answer", compute_sudo=True, store=True)
    date_answered = fields.Datetime(string="Answered On", compute="_compute_answer", compute_sudo=True, store=True)
    score = fields.Float(
        digits=(5, 2),
        compute="_compute_answer",
        compute_sudo=True,
        store=True,
        help="The contact's satisfaction (0-100): points of the choices made out of the best ones.",
    )
    improvement = fields.Text(
        string="What to Improve", compute="_compute_answer", compute_sudo=True, store=True, readonly=True
    )

    _sql_constraints = [
        (
            "contact_period_uniq",
            "unique(contact_id, period_start)",
            "This contact is already invited to the satisfaction survey of this period.",
        ),
    ]

    @api.depends(
        "user_input_id.state",
        "user_input_id.end_datetime",
        "user_input_id.scoring_percentage",
        "user_input_id.user_input_line_ids.value_text_box",
    )
    def _compute_answer(self):
        for invitation in self:
            answer = invitation.user_input_id
            invitation.state = answer.state or "new"
            done = answer.state == "done"
            invitation.date_answered = answer.end_datetime if done else False
            invitation.score = answer.scoring_percentage if done else 0.0
            texts = answer.user_input_line_ids.filtered(lambda line: line.answer_type == "text_box").mapped(
                "value_text_box"
            )
            invitation.improvement = "\n".join(texts) if done and texts else False

    def _send(self, template):
        """Send ``template`` (on survey.user_input) to each contact, in their language, from the
        account manager (author, sender and reply-to: the customer answers the person who knows
        them; the template's sender when the account has no manager with an e-mail address);
        the mail leaves with the mail queue (sudo: the campaign's scheduled action)."""
        for invitation in self.sudo().filtered("user_input_id"):
            manager = invitation.user_id or invitation.partner_id.key_account_manager_id
            sender = {}
            if manager.email:
                sender = {
                    "author_id": manager.partner_id.id,
                    "email_from": manager.email_formatted,
                    "reply_to": manager.email_formatted,
                }
            template.with_context(lang=invitation.contact_id.lang).send_mail(
                invitation.user_input_id.id, email_layout_xmlid="mail.mail_notification_light", email_values=sender
            )

    def action_open_answer(self):
        """The contact's answers, as printed by the survey (its own review page)."""
        ensure_one(self)
        self.check_access("read")
        answer = self.sudo().user_input_id
        if not answer:
            return False
        return {"type": "ir.actions.act_url", "target": "new", "url": answer.get_print_url()}
