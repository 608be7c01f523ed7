from odoo import api, models


class KeyAccountApprovalLineMixin(models.AbstractModel):
    """A line of a record under layered approval (nomination products, materials and gifts of
    a visit, accounts of the annual review) whose amounts are part of what the reviewers
    decide: creating, deleting or changing its ``_approval_material_fields`` counts as a
    change of the record's material fields — locked under review, sending an approved record
    back for approval (see key.account.approval.mixin)."""

    _name = "key.account.approval.line.mixin"
    _description = "Line of a Layered Approval"

    # the fields pointing to the approval record(s) the line belongs to
    _approval_parent_fields = ()
    # the fields of the line that change what was approved (amounts, quantities, parent)
    _approval_material_fields = ()

    def _approval_parents(self):
        """One recordset per parent field (a line may belong to a visit or a reception)."""
        return [self.sudo()[name].with_env(self.env) for name in self._approval_parent_fields]

    def _approval_lines_changed(self, parents):
        for records in parents:
            records = records.exists()
            if records:
                records._approval_lines_changed(self._description)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._approval_lines_changed(lines._approval_parents())
        return lines

    def write(self, vals):
        if self.env.su or not vals.keys() & set(self._approval_material_fields):
            return super().write(vals)
        before = self._approval_parents()
        result = super().write(vals)
        after = self._approval_parents()
        self._approval_lines_changed([old | new for old, new in zip(before, after, strict=True)])
        return result

    def unlink(self):
        if self.env.su:
            return super().unlink()
        parents = self._approval_parents()
        result = super().unlink()
        self._approval_lines_changed(parents)
        return result
