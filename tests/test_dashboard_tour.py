"""The dashboard in Chromium, in Chinese, as a KA Manager and as a specialist (issue #18): it
opens as the app's home, shows its charts and opens a figure's list; any error fails the tour."""

from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged

from .common import KeyAccountDataMixin


@tagged("post_install", "-at_install")
class TestDashboardTours(KeyAccountDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)
        groups = "base.group_user,sales_team.group_sale_salesman,key_account_mgmt."
        # the manager reads every invoice (the revenue opens them), the specialist their own
        manager_groups = "sales_team.group_sale_salesman_all_leads,key_account_mgmt.group_ka_manager"
        new_test_user(cls.env, "tour_dash_manager", groups=manager_groups, lang="zh_CN", name="Dash Manager")
        specialist = new_test_user(
            cls.env, "tour_dash_user", groups=groups + "group_ka_user", lang="zh_CN", name="Dash Specialist"
        )
        other = new_test_user(cls.env, "tour_dash_other", groups=groups + "group_ka_user", name="Dash Other")
        today = date.today()
        for name, manager, amount in (("Dash Account One", specialist, 1200.0), ("Dash Account Two", other, 800.0)):
            account = cls._key_account(name, manager=manager)
            account.action_set_cooperation_state("good", "Framework contract")
            cls._post_invoice(account, amount, today)
        cls.env["key.account.target"].create(
            {"user_id": specialist.id, "period_kind": "month", "date_from": today, "sales_target": 1000.0}
        )

    def test_manager_dashboard(self):
        self.start_tour("/odoo", "key_account_mgmt_dashboard_manager", login="tour_dash_manager")

    def test_specialist_dashboard(self):
        self.start_tour("/odoo", "key_account_mgmt_dashboard_specialist", login="tour_dash_user")

    def test_manager_dashboard_shown_stale_while_computed_again(self):
        """Figures kept 15 minutes ago (two accounts; three now): shown at once, marked 更新中…;
        the refresh button shows those of now."""
        manager = self.env["res.users"].search([("login", "=", "tour_dash_manager")])
        self.env["key.account.dashboard"].with_user(manager).with_context(lang="zh_CN").get_dashboard_data()
        self.env.cr.execute(
            """UPDATE key_account_dashboard_snapshot SET computed_at = computed_at - interval '15 minutes'
                WHERE user_id = %s""",
            [manager.id],
        )
        self.assertEqual(self.env.cr.rowcount, 1)
        self._key_account("Dash Account Three", manager=manager)
        self.start_tour("/odoo", "key_account_mgmt_dashboard_stale", login="tour_dash_manager")
