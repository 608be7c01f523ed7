from odoo import fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountComplaintMixin(models.AbstractModel):
    """The open complaints and service requests (helpdesk tickets) of a key account."""

    _name = "key.account.complaint.mixin"
    _description = "Key Account Open Complaints"

    key_account_open_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "key_account_id",
        string="Open Complaints and Requests",
        domain=[("stage_id.closed", "=", False)],
        groups=KA_USER,
        help="Complaints and service requests of this key account not closed yet.",
    )
    key_account_open_ticket_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_key_account_open_ticket_count",
        groups=KA_USER,
    )

    def _compute_key_account_open_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("key_account_id", "in", self.ids), ("stage_id.closed", "=", False)],
                ["key_account_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.key_account_open_ticket_count = counts.get(partner, 0)

    def action_open_key_account_tickets(self):
        """Smart button: the open complaints and requests of this key account."""
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.helpdesk_ticket_action")
        action["domain"] = [("key_account_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_open": 1}
        return action
