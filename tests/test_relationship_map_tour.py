"""Issue #21: a KA User opens the relationship map of a key account in Chromium, in Chinese, at
desktop and at phone width, clicks a person and saves an edit of their entry
(key_account_relationship_map_tour.js). What the map holds is tested in
test_relationship_map.py."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import KeyAccountDataMixin


class RelationshipMapTourMixin(KeyAccountDataMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)
        groups = "base.group_user,sales_team.group_sale_salesman,key_account_mgmt.group_ka_user"
        cls.ka_user = new_test_user(env, "tour_map_user", groups=groups, lang="zh_CN", name="关系图专员")
        cls.account = cls._key_account("恒泰建设集团", manager=cls.ka_user)
        Partner = env["res.partner"]
        chairman = Partner.create(
            {"name": "周建国", "function": "董事长", "parent_id": cls.account.id, "buying_role": "economic"}
        )
        engineer = Partner.create(
            {"name": "钱浩", "function": "总工程师", "parent_id": cls.account.id, "buying_role": "technical"}
        )
        cls.buyer = Partner.create(
            {"name": "孙丽", "function": "采购总监", "parent_id": cls.account.id, "buying_role": "payer"}
        )
        Partner.create({"name": "吴芳", "function": "财务经理", "parent_id": cls.account.id})
        Relationship = env["key.account.relationship"]
        top = Relationship.search([("contact_id", "=", chairman.id)])
        top.write({"influence": "high", "attitude": "supporter"})
        Relationship.search([("contact_id", "=", engineer.id)]).write(
            {"parent_id": top.id, "influence": "high", "attitude": "opponent"}
        )
        cls.buyer_row = Relationship.search([("contact_id", "=", cls.buyer.id)])
        cls.buyer_row.write({"parent_id": top.id, "influence": "medium", "attitude": "neutral"})
        env["key.account.relationship.watch"]._watch(cls.account)

    def assertEditSaved(self):
        self.buyer_row.invalidate_recordset()
        self.assertEqual(self.buyer_row.attitude, "champion")
        self.assertEqual(self.buyer_row.note, "她会告诉我们招标日程")
        self.assertEqual(self.buyer_row.contact_id.buying_role, "payer")


@tagged("post_install", "-at_install")
class TestRelationshipMapTour(RelationshipMapTourMixin, HttpCase):
    def test_relationship_map_at_desktop(self):
        self.start_tour("/odoo", "key_account_mgmt_relationship_map", login="tour_map_user")
        self.assertEditSaved()


@tagged("post_install", "-at_install")
class TestRelationshipMapPhoneTour(RelationshipMapTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_relationship_map_at_phone_width(self):
        self.start_tour(
            "/odoo/action-key_account_mgmt.res_partner_action_key_account",
            "key_account_mgmt_relationship_map_phone",
            login="tour_map_user",
        )
        self.assertEditSaved()
