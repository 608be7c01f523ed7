from odoo import fields, models

DOCUMENT_TYPES = [
    ("supply_agreement", "Supply Agreement"),
    ("quality_agreement", "Quality Agreement"),
    ("certification", "Certification Form"),
    ("business_licence", "Business Licence"),
    ("contract", "Contract"),
    ("other", "Other"),
]


class KeyAccountArchiveDocument(models.Model):
    """A document kept in a client archive (供货协议, 质量协议, 认证表, …)."""

    _name = "key.account.archive.document"
    _inherit = ["key.account.confidential.mixin", "key.account.archive.register.mixin"]
    _archive_register_free_fields = ("id", "display_name", "partner_id", "company_id", "archive_id")
    _confidential_parents = ("archive_id",)
    _description = "Client Archive Document"
    _order = "archive_id, document_type, id"

    archive_id = fields.Many2one("key.account.archive", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    document_type = fields.Selection(DOCUMENT_TYPES, string="Type", required=True, default="other")
    name = fields.Char(string="Title", required=True)
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    date_signed = fields.Date(string="Signed On")
    date_expiry = fields.Date(string="Valid Until")
