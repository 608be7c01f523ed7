"""18.0.1.2.0 named the field of a required archive item with a many2one to ir.model.fields
(field_id); it is a selection (field_name) since, so that KA Managers can edit the list."""

from odoo.tools import sql


def migrate(cr, version):
    if not sql.column_exists(cr, "key_account_archive_requirement", "field_id"):
        return
    cr.execute(
        """
        UPDATE key_account_archive_requirement r
           SET field_name = f.name
          FROM ir_model_fields f
         WHERE f.id = r.field_id AND r.field_name IS NULL
        """
    )
    cr.execute("SELECT id FROM key_account_archive")
    if cr.rowcount:
        from odoo import SUPERUSER_ID, api

        api.Environment(cr, SUPERUSER_ID, {})["key.account.archive"]._recompute_completeness()
