from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import ensure_one
from .key_account_archive import COMPLETENESS_FIELDS
from .key_account_archive_document import DOCUMENT_TYPES


class KeyAccountArchiveRequirement(models.Model):
    """An item every client archive must have: the completeness % of archives (and the KPI
    大客户档案完整率) counts these. Either a field of the archive or a document of a type."""

    _name = "key.account.archive.requirement"
    _description = "Required Archive Item"
    _order = "sequence, id"

    name = fields.Char(string="Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection([("field", "Archive Field"), ("document", "Document")], required=True, default="field")
    field_name = fields.Selection(selection="_selection_field_name", string="Field")
    document_type = fields.Selection(DOCUMENT_TYPES)

    @api.model
    def _selection_field_name(self):
        archive_fields = self.env["key.account.archive"]._fields
        return [(name, archive_fields[name]._description_string(self.env)) for name in COMPLETENESS_FIELDS]

    @api.constrains("kind", "field_name", "document_type")
    def _check_target(self):
        for requirement in self:
            if requirement.kind == "field" and requirement.field_name not in COMPLETENESS_FIELDS:
                raise ValidationError(
                    self.env._("Choose an archive field for the item %(item)s.", item=requirement.name)
                )
            if requirement.kind == "document" and not requirement.document_type:
                raise ValidationError(
                    self.env._("Choose a document type for the item %(item)s.", item=requirement.name)
                )

    def _is_met(self, archive):
        ensure_one(self)
        if self.kind == "document":
            return self.document_type in archive.document_ids.mapped("document_type")
        return bool(self.field_name and archive[self.field_name])

    def _check_field_name(self, vals):
        """The constraint's message before the generic refusal of an unknown selection value."""
        if vals.get("field_name") and vals["field_name"] not in COMPLETENESS_FIELDS:
            item = vals.get("name") if isinstance(vals.get("name"), str) else ", ".join(self.mapped("name"))
            raise ValidationError(self.env._("Choose an archive field for the item %(item)s.", item=item))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_field_name(vals)
        requirements = super().create(vals_list)
        self.env["key.account.archive"]._recompute_completeness()
        return requirements

    def write(self, vals):
        self._check_field_name(vals)
        result = super().write(vals)
        self.env["key.account.archive"]._recompute_completeness()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["key.account.archive"]._recompute_completeness()
        return result
