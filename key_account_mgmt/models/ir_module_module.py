from odoo import models

# Labels of fields and selection values a model inherits from a mixin (mail.thread,
# mail.activity.mixin, portal.mixin...) get an external id of their own per model, which no PO
# file knows: Odoo leaves them English (e.g. "Overdue"/"Today" on every model with activities).
# They take the translation the same field name and English label has elsewhere, the most
# frequent one; a label translated already is never changed.
FILL_FIELD_DESCRIPTIONS = """
    WITH known AS (
        SELECT name, field_description->>'en_US' AS source, field_description->>%(lang)s AS value,
               count(*) AS uses
          FROM ir_model_fields
         WHERE field_description ? %(lang)s
         GROUP BY 1, 2, 3
    ), best AS (
        SELECT DISTINCT ON (name, source) name, source, value
          FROM known ORDER BY name, source, uses DESC, value
    )
    UPDATE ir_model_fields field
       SET field_description = field.field_description || jsonb_build_object(%(lang)s, best.value)
      FROM best
     WHERE NOT field.field_description ? %(lang)s
       AND best.name = field.name AND best.source = field.field_description->>'en_US'
"""
FILL_SELECTION_LABELS = """
    WITH known AS (
        SELECT field.name AS field_name, selection.value, selection.name->>'en_US' AS source,
               selection.name->>%(lang)s AS label, count(*) AS uses
          FROM ir_model_fields_selection selection
          JOIN ir_model_fields field ON field.id = selection.field_id
         WHERE selection.name ? %(lang)s
         GROUP BY 1, 2, 3, 4
    ), best AS (
        SELECT DISTINCT ON (field_name, value, source) field_name, value, source, label
          FROM known ORDER BY field_name, value, source, uses DESC, label
    )
    UPDATE ir_model_fields_selection selection
       SET name = selection.name || jsonb_build_object(%(lang)s, best.label)
      FROM ir_model_fields field, best
     WHERE field.id = selection.field_id AND NOT selection.name ? %(lang)s
       AND best.field_name = field.name AND best.value = selection.value
       AND best.source = selection.name->>'en_US'
"""


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        result = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        self._fill_inherited_labels([lang for lang in langs if lang != "en_US"])
        return result

    def _fill_inherited_labels(self, langs):
        if not langs:
            return
        self.env.flush_all()
        for lang in langs:
            self.env.cr.execute(FILL_FIELD_DESCRIPTIONS, {"lang": lang})
            self.env.cr.execute(FILL_SELECTION_LABELS, {"lang": lang})
        self.env.invalidate_all()
        self.env.registry.clear_cache()
