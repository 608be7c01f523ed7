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
