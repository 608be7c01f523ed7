from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .key_account_complaint_sla import SLA_DONE_FIELD, SLA_STEPS

KA_CLERK = "key_account_mgmt.group_ka_clerk"
KA_MANAGER = "key_account_mgmt.group_ka_manager"
# times that measure the team: set by the buttons and automatically, corrected by hand only by
# KA Clerks and above (the specialist is measured by them)
MILESTONE_FIELDS = ("date_replied", "date_responded", "date_resolved")


class HelpdeskTicket(models.Model):
    """Complaints and service requests of key accounts (seed 000 §四.8 投诉处理机制) on OCA
    helpdesk_mgmt tickets: the key-account glue.

    A ticket of a customer whose commercial entity is a key account gets its tier's three SLA
    commitments (reply / respond / resolve, ``key.account.tier``) as deadlines counted in
    working hours of the company's calendar from the time the complaint was received. Until the
    first reply the tier and the deadlines follow the account (tier changes, another contact);
    after it they are frozen, so the KPIs of a period do not move when a tier is edited later.
    Breaches are flagged once (``_check_key_account_sla``: on write and by a scheduled action)
    and the account team and the KA Managers are told (key.account.complaint.sla). Tickets of key accounts are confidential
    to the account team, KA Clerks, Managers and Directors (global rule in
    security/helpdesk_ticket_security.xml)."""

    _inherit = "helpdesk.ticket"

    key_account_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        compute="_compute_key_account_id",
        store=True,
        index=True,
        precompute=True,
        help="The key account (commercial entity of the contact) this complaint or request "
        "belongs to, set while the customer is a key account.",
    )
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        compute="_compute_key_account_manager_id",
        store=True,
        index=True,
        precompute=True,
        help="Account manager (大客户专员) responsible for the account when the complaint was "
        "received; follows the account until the ticket is resolved. Valid complaints count "
        "against this person in the KPIs.",
    )
    request_type = fields.Selection(
        [("complaint", "Complaint"), ("request", "Service Request")],
        string="Type",
        default="complaint",
        required=True,
        tracking=True,
        help="Complaint (投诉): the customer is dissatisfied. Service request (服务请求): an enquiry "
        "or a request for service. Both carry the tier's SLA commitments.",
    )
    date_received = fields.Datetime(
        string="Received",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="When the complaint or request reached us: the SLA deadlines count from here.",
    )
    date_replied = fields.Datetime(
        string="First Reply",
        copy=False,
        tracking=True,
        help="When the customer got a first answer (回复). Set by the first message sent to the "
        "customer from the chatter, by the Reply button, or by hand.",
    )
    date_responded = fields.Datetime(
        string="Responded",
        copy=False,
        tracking=True,
        help="When we acted on the request (响应): someone took it in hand. Set when the ticket "
        "leaves the new stage, by the Respond button, or by hand.",
    )
    date_resolved = fields.Datetime(
        string="Resolved",
        copy=False,
        tracking=True,
        help="When the problem was solved (处理). Set by the Resolve button or when the ticket "
        "reaches a stage that counts as resolved.",
    )
    sla_tier_id = fields.Many2one(
        "key.account.tier",
        string="SLA Tier",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="The account's tier whose commitments apply. Follows the account until the first reply, then stays.",
    )
    sla_reply_hours = fields.Float(
        string="Reply within (h)",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="Working hours of the tier to reply, frozen at the first reply.",
    )
    sla_respond_hours = fields.Float(
        string="Respond within (h)",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="Working hours of the tier to respond, frozen at the first reply.",
    )
    sla_resolve_hours = fields.Float(
        string="Resolve within (h)",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="Working hours of the tier to resolve, frozen at the first reply.",
    )
    reply_deadline = fields.Datetime(
        string="Reply Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        help="Received time plus the tier's reply hours, counted in working hours of the "
        "company's calendar (public holidays of the calendar excluded).",
    )
    respond_deadline = fields.Datetime(
        string="Respond Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        help="Received time plus the tier's respond hours, in working hours.",
    )
    resolve_deadline = fields.Datetime(
        string="Resolve Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        help="Received time plus the tier's resolve hours, in working hours.",
    )
    reply_in_sla = fields.Boolean(
        string="Replied in Time",
        compute="_compute_in_sla",
        store=True,
        help="Replied, and by the reply deadline (意见反馈及时).",
    )
    respond_in_sla = fields.Boolean(
        string="Responded in Time",
        compute="_compute_in_sla",
        store=True,
        help="Responded, and by the respond deadline.",
    )
    resolve_in_sla = fields.Boolean(
        string="Resolved in Time",
        compute="_compute_in_sla",
        store=True,
        help="Resolved, and by the resolve deadline (解答及时).",
    )
    reply_breached = fields.Boolean(
        default=False,
        string="Reply Overdue",
        readonly=True,
        copy=False,
        help="The reply deadline passed without a reply: flagged once, the team was told.",
    )
    respond_breached = fields.Boolean(
        default=False,
        string="Response Overdue",
        readonly=True,
        copy=False,
        help="The respond deadline passed without a response: flagged once, the team was told.",
    )
    resolve_breached = fields.Boolean(
        default=False,
        string="Resolution Overdue",
        readonly=True,
        copy=False,
        help="The resolve deadline passed without a resolution: flagged once, the team was told.",
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        store=True,
        help="At least one commitment of the tier was missed.",
    )
    complaint_validity = fields.Selection(
        [("pending", "To Assess"), ("valid", "Valid"), ("invalid", "Not Our Fault")],
        string="Validity",
        default="pending",
        required=True,
        tracking=True,
        copy=False,
        help="Valid complaint (有效投诉): really caused by a fault of our staff or company "
        "(确因人员或企业过失). Assessed by a KA Manager; valid complaints count in the KPIs.",
    )
    is_valid_complaint = fields.Boolean(
        string="Valid Complaint",
        compute="_compute_is_valid_complaint",
        store=True,
        help="A complaint assessed as valid by a KA Manager.",
    )
    root_cause = fields.Text(
        string="Root Cause",
        tracking=True,
        help="Why it happened; required to assess a complaint as valid.",
    )
    resolution = fields.Text(
        string="Resolution",
        tracking=True,
        help="What was done for the customer; required to resolve.",
    )
    is_ka_clerk = fields.Boolean(compute="_compute_ka_rights", string="KA Clerk or Above")
    is_ka_manager = fields.Boolean(compute="_compute_ka_rights", string="KA Manager or Above")
    # the labels of helpdesk_mgmt's own fields, so that they are translated with this addon
    # (helpdesk_mgmt ships no Simplified Chinese)
    name = fields.Char(string="Title")
    number = fields.Char(string="Ticket number")
    description = fields.Html(string="Description")
    partner_id = fields.Many2one(string="Contact")
    user_id = fields.Many2one(string="Assigned user")
    stage_id = fields.Many2one(string="Stage")
    team_id = fields.Many2one(string="Team")
    channel_id = fields.Many2one(string="Channel")
    category_id = fields.Many2one(string="Category")
    priority = fields.Selection(string="Priority")
    closed_date = fields.Datetime(string="Closed Date")

    # ------------------------------------------------------------------ computes
    @api.depends_context("uid")
    def _compute_ka_rights(self):
        clerk, manager = self.env.user.has_group(KA_CLERK), self.env.user.has_group(KA_MANAGER)
        for ticket in self:
            ticket.is_ka_clerk, ticket.is_ka_manager = clerk, manager

    @api.depends("partner_id.commercial_partner_id")
    def _compute_key_account_id(self):
        """The key account at the time the contact is set: the contact's company, or the
        headquarters of a branch office (集团客户); an account that stops being a key account
        keeps its complaints (history, KPIs)."""
        for ticket in self:
            company = ticket.sudo().partner_id.commercial_partner_id
            account = company
            if not company.is_key_account and company.key_account_group_relation == "branch":
                account = company.key_account_headquarters_id
            if account.is_key_account or (company and ticket.sudo().key_account_id in (company, account)):
                ticket.key_account_id = account if account.is_key_account else ticket.key_account_id
            else:
                ticket.key_account_id = False

    @api.depends("key_account_id.key_account_manager_id", "date_resolved")
    def _compute_key_account_manager_id(self):
        for ticket in self:
            frozen = ticket.date_resolved and ticket.key_account_manager_id
            ticket.key_account_manager_id = (
                ticket.key_account_manager_id if frozen else ticket.sudo().key_account_id.key_account_manager_id
            )

    @api.depends(
        "key_account_id.key_account_tier_id",
        "key_account_id.key_account_tier_id.sla_reply_hours",
        "key_account_id.key_account_tier_id.sla_respond_hours",
        "key_account_id.key_account_tier_id.sla_resolve_hours",
    )
    def _compute_sla_tier(self):
        for ticket in self:
            if ticket.date_replied and ticket.sla_tier_id:  # frozen at the first reply
                tier, hours = ticket.sla_tier_id, [ticket[f"sla_{step}_hours"] for step in SLA_STEPS]
            else:
                tier = ticket.sudo().key_account_id.key_account_tier_id
                hours = [tier[f"sla_{step}_hours"] for step in SLA_STEPS]
            ticket.sla_tier_id = tier
            for step, step_hours in zip(SLA_STEPS, hours, strict=True):
                ticket[f"sla_{step}_hours"] = step_hours

    # not on the company's calendar: a new calendar applies to new complaints, not to history
    @api.depends("date_received", "sla_reply_hours", "sla_respond_hours", "sla_resolve_hours")
    def _compute_sla_deadlines(self):
        for ticket in self:
            calendar = ticket.sudo().company_id.resource_calendar_id
            for step in SLA_STEPS:
                hours = ticket[f"sla_{step}_hours"]
                ticket[f"{step}_deadline"] = (
                    self.env["key.account.complaint.sla"]._plan_hours(calendar, ticket.date_received, hours)
                    if ticket.date_received and hours > 0
                    else False
                )

    @api.depends(
        "date_replied",
        "date_responded",
        "date_resolved",
        "reply_deadline",
        "respond_deadline",
        "resolve_deadline",
    )
    def _compute_in_sla(self):
        for ticket in self:
            for step in SLA_STEPS:
                done, deadline = ticket[SLA_DONE_FIELD[step]], ticket[f"{step}_deadline"]
                ticket[f"{step}_in_sla"] = bool(done and (not deadline or done <= deadline))

    @api.depends("reply_breached", "respond_breached", "resolve_breached")
    def _compute_sla_breached(self):
        for ticket in self:
            ticket.sla_breached = ticket.reply_breached or ticket.respond_breached or ticket.resolve_breached

    @api.depends("request_type", "complaint_validity")
    def _compute_is_valid_complaint(self):
        for ticket in self:
            ticket.is_valid_complaint = ticket.request_type == "complaint" and ticket.complaint_validity == "valid"

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_received", "date_replied", "date_responded", "date_resolved")
    def _check_key_account_dates(self):
        labels = {
            "date_replied": self.env._("first reply"),
            "date_responded": self.env._("response"),
            "date_resolved": self.env._("resolution"),
        }
        for ticket in self:
            for field_name, label in labels.items():
                if ticket[field_name] and ticket.date_received and ticket[field_name] < ticket.date_received:
                    raise ValidationError(
                        self.env._(
                            "The %(step)s of %(ticket)s cannot come before the complaint was received.",
                            step=label,
                            ticket=ticket.display_name,
                        )
                    )

    @api.constrains("complaint_validity", "root_cause", "request_type")
    def _check_complaint_validity(self):
        for ticket in self:
            if ticket.complaint_validity != "pending" and ticket.request_type != "complaint":
                raise ValidationError(
                    self.env._(
                        "Only complaints are assessed as valid or not; %(ticket)s is a service request.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.complaint_validity == "valid" and not (ticket.root_cause or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the root cause before assessing %(ticket)s as a valid complaint.",
                        ticket=ticket.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    def _check_validity_rights(self):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(
                self.env._("Only KA Managers assess whether a complaint is valid (caused by our staff or company).")
            )

    def _check_resolution_given(self):
        """Our staff describe what they did; a customer closing their ticket on the portal
        (helpdesk_mgmt's *close from portal*) just closes it."""
        if self.env.user.share:
            return
        if self.filtered(lambda t: t.key_account_id and t.date_resolved and not (t.resolution or "").strip()):
            raise UserError(self.env._("Describe the resolution before resolving a complaint."))

    def _check_milestone_rights(self):
        if not (self.env.su or self.env.user.has_group(KA_CLERK)):
            raise AccessError(
                self.env._(
                    "Use the Reply, Respond and Resolve buttons: only KA Clerks and Managers correct the "
                    "times of a complaint by hand."
                )
            )

    # the key account decides who sees the ticket (security/helpdesk_ticket_security.xml): it
    # follows the contact, never a value sent by a client (trust boundary)
    _KEY_ACCOUNT_LINK_FIELDS = ("key_account_id", "key_account_manager_id")

    def _check_key_account_link(self, vals_list):
        if not self.env.su and any(
            vals.get(f) or (self and f in vals) for vals in vals_list for f in self._KEY_ACCOUNT_LINK_FIELDS
        ):
            raise AccessError(
                self.env._("The key account of a complaint follows its contact; it cannot be set by hand.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.browse()._check_key_account_link(vals_list)
            context = {
                k: v for k, v in self.env.context.items() if k[len("default_") :] not in self._KEY_ACCOUNT_LINK_FIELDS
            }
            self = self.with_context(context)
        if any(vals.get("complaint_validity", "pending") != "pending" for vals in vals_list):
            self._check_validity_rights()
        if any(vals.get(field_name) for vals in vals_list for field_name in MILESTONE_FIELDS):
            self._check_milestone_rights()
        tickets = super().create(vals_list)
        tickets._fill_implied_milestones()
        tickets._check_resolution_given()
        tickets.filtered("key_account_id")._check_key_account_sla()
        return tickets

    def write(self, vals):
        self._check_key_account_link([vals])
        if "complaint_validity" in vals and self.filtered(lambda t: t.complaint_validity != vals["complaint_validity"]):
            self._check_validity_rights()
        if {*MILESTONE_FIELDS, "date_received"} & set(vals) and self.filtered("key_account_id"):
            self._check_milestone_rights()
        stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
        result = super().write(vals)
        if stage:
            now = fields.Datetime.now()
            if not stage.unattended:
                self.filtered(lambda t: not t.date_responded).sudo().write({"date_responded": now})
            if stage.key_account_resolves:
                self.filtered(lambda t: not t.date_resolved).sudo().write({"date_resolved": now})
        if {"date_replied", "date_responded", "date_resolved"} & set(vals):
            self._fill_implied_milestones()
        if {"date_resolved", "resolution", "stage_id"} & set(vals):
            self._check_resolution_given()
        if {"date_replied", "date_responded", "date_resolved", "date_received", "partner_id", "stage_id"} & set(vals):
            self.filtered("key_account_id")._check_key_account_sla()
        return result

    def _fill_implied_milestones(self):
        """A resolution is also a response and a reply, a response also a reply."""
        for ticket in self:
            vals = {}
            if ticket.date_resolved and not ticket.date_responded:
                vals["date_responded"] = ticket.date_resolved
            if (ticket.date_responded or vals.get("date_responded")) and not ticket.date_replied:
                vals["date_replied"] = vals.get("date_responded") or ticket.date_responded
            if vals:
                ticket.sudo().write(vals)

    def _message_post_after_hook(self, message, msg_vals):
        """The first message sent to the customer from the chatter is the first reply."""
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            unreplied = self.filtered(lambda t: t.key_account_id and not t.date_replied)
            if unreplied:
                unreplied.sudo().write({"date_replied": message.date or fields.Datetime.now()})
        return result

    def export_data(self, fields_to_export):
        """Complaints of key accounts are confidential records: only KA Managers export them."""
        if not self.env.su and not self.env.user.has_group(KA_MANAGER) and self.filtered("key_account_id"):
            raise AccessError(self.env._("Only Key Account Managers may export complaints of key accounts."))
        return super().export_data(fields_to_export)

    # ------------------------------------------------------------------ buttons
    def _check_key_account_ticket(self):
        if self.filtered(lambda t: not t.key_account_id):
            raise UserError(self.env._("This is not a complaint or request of a key account."))

    def action_key_account_reply(self):
        """Record that the customer got a first answer now."""
        self._check_key_account_ticket()
        self.check_access("write")
        self.filtered(lambda t: not t.date_replied).sudo().write({"date_replied": fields.Datetime.now()})
        return True

    def action_key_account_respond(self):
        """Record that the request was taken in hand now."""
        self._check_key_account_ticket()
        self.check_access("write")
        self.filtered(lambda t: not t.date_responded).sudo().write({"date_responded": fields.Datetime.now()})
        return True

    def action_key_account_resolve(self):
        """Record the resolution now and close the ticket in the first resolving stage."""
        self._check_key_account_ticket()
        self.check_access("write")
        if self.filtered(lambda t: not (t.resolution or "").strip()):
            raise UserError(self.env._("Describe the resolution before resolving a complaint."))
        for ticket in self.filtered(lambda t: not t.date_resolved):
            vals = {"date_resolved": fields.Datetime.now()}
            stage = ticket.team_id._get_applicable_stages().filtered("key_account_resolves")[:1]
            if stage and not ticket.stage_id.closed:
                vals["stage_id"] = stage.id
            ticket.sudo().write(vals)
        return True

    # ------------------------------------------------------------------ SLA breaches
    @api.model
    def _cron_check_key_account_sla(self, batch_size=500):
        """Scheduled action: flag the commitments missed since the last run, one batch per call
        (the scheduler calls again while some remain). Safe with several workers (rows locked
        and skipped); idempotent (a flag is set once)."""
        flagged, remaining = self.browse()._check_key_account_sla(batch_size=batch_size)
        self.env["ir.cron"]._notify_progress(done=flagged, remaining=remaining)  # the scheduler commits

    def _check_key_account_sla(self, batch_size=500):
        """Flag the missed commitments of these tickets (of any ticket on an empty recordset):
        key.account.complaint.sla. Returns (tickets flagged, tickets left for another batch)."""
        return self.env["key.account.complaint.sla"]._flag_breaches(self, batch_size=batch_size)
