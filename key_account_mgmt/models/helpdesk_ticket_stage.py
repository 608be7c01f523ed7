from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    key_account_resolves = fields.Boolean(
        string="Counts as Resolved",
        help="A complaint or request of a key account that reaches this stage is resolved (its "
        "resolution time is recorded). Leave it off for closing stages such as Cancelled or "
        "Rejected.",
    )
