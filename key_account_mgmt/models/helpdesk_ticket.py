from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import create_index

from .key_account_complaint_sla import MILESTONE_FIELDS

KA_CLERK = "key_account_mgmt.group_ka_clerk"
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class HelpdeskTicket(models.Model):
    """Complaints and service requests of key accounts (seed 000 §四.8 投诉处理机制) on OCA
    helpdesk_mgmt tickets: the key-account glue. A ticket of a customer whose commercial entity
    is a key account belongs to it, carries its tier's SLA commitments
    (key.account.complaint.sla) and may be assessed as a valid complaint. Tickets of key
    accounts are confidential to the account team, KA Clerks, Managers and Directors (global
    rule in security/helpdesk_ticket_security.xml)."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "key.account.complaint.sla"]

    key_account_id = fields.Many2one(
        "res.partner",
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
        tracking=True,
        help="Why it happened; required to assess a complaint as valid.",
    )
    resolution = fields.Text(
        tracking=True,
        help="What was done for the customer; required to resolve.",
    )
    is_ka_clerk = fields.Boolean(compute="_compute_ka_rights", string="KA Clerk or Above")
    is_ka_manager = fields.Boolean(compute="_compute_ka_rights", string="KA Manager or Above")
    # helpdesk_mgmt's fields relabelled so this addon translates them (it ships no zh_CN): keep the strings
    # pylint: disable=attribute-string-redundant
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
    # pylint: enable=attribute-string-redundant

    # ------------------------------------------------------------------ computes

    def init(self):
        res = super().init()
        # the dashboard's open breaches among a scope's accounts: a few rows among all tickets
        create_index(
            self.env.cr,
            "helpdesk_ticket_key_account_sla_breached_index",
            self._table,
            ["key_account_id"],
            where="sla_breached AND active",
        )
        return res

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

    @api.depends("request_type", "complaint_validity")
    def _compute_is_valid_complaint(self):
        for ticket in self:
            ticket.is_valid_complaint = ticket.request_type == "complaint" and ticket.complaint_validity == "valid"

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
            # a dict, not keywords: the forged defaults must leave the context, not be overridden
            self = self.with_context(context)  # pylint: disable=context-overridden
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
