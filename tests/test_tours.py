"""Browser tours (Chromium, headless) driven from pytest-odoo with --odoo-http."""
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKeyAccountTours(HttpCase):
    def test_ka_user_opens_key_account(self):
        ka_user = new_test_user(
            self.env, "ka_tour_user", groups="base.group_user,key_account_mgmt.group_ka_user", name="KA User On Team"
        )
        self.env["res.partner"].create({
            "name": "Tour Strategic Account",
            "is_company": True,
            "is_key_account": True,
            "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
            "key_account_manager_id": ka_user.id,
        })
        self.start_tour("/odoo", "key_account_mgmt_open_key_account", login="ka_tour_user")
