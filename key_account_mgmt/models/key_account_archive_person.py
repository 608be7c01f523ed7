from odoo import api, fields, models

PERSON_TYPES = [
    ("legal_representative", "Legal Representative"),
    ("principal", "Principal"),
    ("contact", "Main Contact"),
    ("other", "Other"),
]


class KeyAccountArchivePerson(models.Model):
    """A key person of the customer (公司法人, 主要负责人, 主要联系人): the personal details the
    archive form asks for, which do not belong on a shared contact."""

    _name = "key.account.archive.person"
    _inherit = ["key.account.confidential.mixin", "key.account.archive.register.mixin"]
    _archive_register_free_fields = ("id", "display_name", "partner_id", "company_id", "archive_id")
    _confidential_parents = ("archive_id",)
    _description = "Client Archive Key Person"
    _order = "archive_id, person_type, id"

    archive_id = fields.Many2one("key.account.archive", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    person_type = fields.Selection(PERSON_TYPES, string="Type", required=True, default="contact")
    contact_id = fields.Many2one(
        "res.partner",
        domain="[('parent_id', '=', partner_id)]",
        help="The contact person in Odoo, when there is one.",
    )
    name = fields.Char(required=True, compute="_compute_name", store=True, readonly=False, precompute=True)
    position = fields.Char()
    education = fields.Char()
    birthday = fields.Date()
    interests = fields.Char()
    family = fields.Text()
    phone = fields.Char()

    @api.depends("contact_id")
    def _compute_name(self):
        for person in self:
            if person.contact_id:
                person.name = person.contact_id.name
