from odoo import api, fields, models


class KeyAccountReceptionVisitor(models.Model):
    """A person of the customer who comes to a reception."""

    _name = "key.account.reception.visitor"
    _inherit = ["key.account.confidential.mixin"]
    _confidential_parents = ("reception_id",)
    _description = "Reception Visitor"
    _order = "reception_id, id"

    reception_id = fields.Many2one("key.account.reception", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    contact_id = fields.Many2one("res.partner", domain="[('parent_id', '=', partner_id)]")
    name = fields.Char(required=True, compute="_compute_name", store=True, readonly=False, precompute=True)
    title = fields.Char(compute="_compute_title", store=True, readonly=False, precompute=True)

    @api.depends("contact_id")
    def _compute_name(self):
        for visitor in self:
            if visitor.contact_id:
                visitor.name = visitor.contact_id.name

    @api.depends("contact_id")
    def _compute_title(self):
        for visitor in self:
            visitor.title = visitor.contact_id.function or visitor.title
