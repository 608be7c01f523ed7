"""The Simplified Chinese translation loads and covers data, fields and error messages."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestChineseTranslation(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)

    def test_default_data_translated(self):
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(
            zh["key.account.tier"].browse((self.tier_strategic | self.tier_key | self.tier_normal).ids).mapped("name"),
            ["战略客户", "重点客户", "普通客户"],
        )
        self.assertEqual(zh.ref("key_account_mgmt.group_ka_manager").name, "大客户部经理")
        self.assertEqual(zh.ref("key_account_mgmt.res_partner_menu_key_account").name, "大客户")

    def test_field_labels_translated(self):
        fields = (
            self.env["res.partner"]
            .with_context(lang="zh_CN")
            .fields_get(["key_account_manager_id", "key_account_tier_id"])
        )
        self.assertEqual(fields["key_account_manager_id"]["string"], "客户经理")
        self.assertEqual(fields["key_account_tier_id"]["string"], "等级")

    def test_error_messages_translated(self):
        with self.assertRefused(ValidationError, "拜访周期必须为正数天数"):
            self.env["key.account.tier"].with_context(lang="zh_CN").with_user(self.ka_manager).create(
                {"name": "坏等级", "visit_frequency_days": -5}
            )


@tagged("post_install", "-at_install")
class TestChineseTranslationComplete(KeyAccountCase):
    def test_every_source_term_is_translated(self):
        """What the addon shows (fields, selections, views, data, messages) all exists in
        zh_CN.po with a translation: a string added without one fails here."""
        import polib

        from odoo.tools.misc import file_path
        from odoo.tools.translate import TranslationModuleReader

        po = polib.pofile(file_path("key_account_mgmt/i18n/zh_CN.po"))
        translated = {entry.msgid for entry in po if entry.msgstr and "fuzzy" not in entry.flags}
        sources = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, modules=["key_account_mgmt"]
            )
        }
        self.assertGreater(len(sources), 400)
        self.assertFalse(sorted(sources - translated)[:20], "source terms without a Chinese translation")


# the models behind the screens of the addon: its own, and the approval and helpdesk models they show
SHOWN_MODELS = ("helpdesk.ticket%", "tier.review", "tier.definition", "tier.validation.exception")


@tagged("post_install", "-at_install")
class TestChineseLabelsComplete(KeyAccountCase):
    """Labels Odoo reads from the database (models, fields, selection values) have a zh_CN
    translation on every model the addon's screens show, including the ones a model inherits
    from a mixin (mail.activity.mixin's "Overdue"), which no PO file carries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as when an administrator adds the language: the terms of every installed module
        cls.env["res.lang"]._activate_lang("zh_CN")
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations(["zh_CN"])

    def _untranslated(self, query):
        models = self.env["ir.model"].search(
            ["|", ("model", "=like", "key.account.%"), ("model", "in", ["res.partner", "tier.review"])]
        )
        models |= self.env["ir.model"].search(
            ["|", "|", ("model", "=like", SHOWN_MODELS[0]), ("model", "in", SHOWN_MODELS[1:]), ("id", "in", models.ids)]
        )
        self.env.flush_all()
        self.env.cr.execute(query, [tuple(models.ids)])
        return self.env.cr.fetchall()

    def test_every_label_of_the_shown_models_is_chinese(self):
        self.assertFalse(
            self._untranslated("SELECT model, name->>'en_US' FROM ir_model WHERE id IN %s AND NOT name ? 'zh_CN'"),
            "model names without Chinese",
        )
        self.assertFalse(
            self._untranslated(
                "SELECT model, name, field_description->>'en_US' FROM ir_model_fields"
                " WHERE model_id IN %s AND NOT field_description ? 'zh_CN' ORDER BY model, name"
            )[:20],
            "field labels without Chinese",
        )
        # a grade (A/B/C) reads the same in every language
        self.assertFalse(
            self._untranslated(
                "SELECT field.model, field.name, selection.name->>'en_US' FROM ir_model_fields_selection selection"
                " JOIN ir_model_fields field ON field.id = selection.field_id"
                " WHERE field.model_id IN %s AND NOT selection.name ? 'zh_CN'"
                " AND length(selection.name->>'en_US') > 1 ORDER BY 1, 2"
            )[:20],
            "selection values without Chinese",
        )

    def test_inherited_labels_take_the_mixins_translation(self):
        """A label a model inherits keeps being filled when terms are loaded again: the
        activity states of a visit read as the mixin's."""
        Selection = self.env["ir.model.fields.selection"]
        overdue = Selection.search(
            [
                ("field_id.model", "=", "key.account.visit"),
                ("field_id.name", "=", "activity_state"),
                ("value", "=", "overdue"),
            ]
        )
        self.env.cr.execute("UPDATE ir_model_fields_selection SET name = name - 'zh_CN' WHERE id = %s", [overdue.id])
        self.env.invalidate_all()
        self.assertEqual(overdue.with_context(lang="zh_CN").name, "Overdue")

        self.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"])

        mixin = Selection.search(
            [
                ("field_id.model", "=", "mail.activity.mixin"),
                ("field_id.name", "=", "activity_state"),
                ("value", "=", "overdue"),
            ]
        )
        self.assertEqual(overdue.with_context(lang="zh_CN").name, mixin.with_context(lang="zh_CN").name)
        self.assertNotEqual(overdue.with_context(lang="zh_CN").name, "Overdue")
        selection = dict(
            self.env["key.account.visit"]
            .with_context(lang="zh_CN")
            .fields_get(["activity_state"])["activity_state"]["selection"]
        )
        self.assertEqual(selection["overdue"], mixin.with_context(lang="zh_CN").name)
