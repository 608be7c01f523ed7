"""Field work over real XML-RPC (issue #22, part A), as a phone app or a script would drive it:
the check-in of the people on the visit, refused to anyone else and written by the action only;
the report's check before the expenses; every answer something XML-RPC can send back, every
refusal a fault 2 (UserError/ValidationError) or 4 (AccessError), never 1."""

from datetime import datetime, timedelta

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestFieldworkXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.specialist = new_test_user(cls.env, "rpc_fw_specialist", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.colleague = new_test_user(cls.env, "rpc_fw_colleague", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_fw_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "RPC Field Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.specialist.id,
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
            }
        )
        # the colleague is on the account's team but not on this visit
        cls.env["key.account.team.member"].create({"partner_id": cls.account.id, "user_id": cls.colleague.id})
        cls.visit = (
            cls.env["key.account.visit"]
            .with_user(cls.specialist)
            .create(
                {
                    "partner_id": cls.account.id,
                    "purpose": "Site survey",
                    "date_planned": datetime.now() + timedelta(hours=1),
                    "budget": 500,
                }
            )
        )
        cls.visit.action_submit()
        cls.visit.with_user(cls.manager).validate_tier()

    def test_check_in_by_the_people_on_the_visit_only(self):
        visit = self.visit.id
        self.assertTrue(self.colleague in self.account.key_account_team_user_ids)
        for user in (self.colleague, self.manager):
            message = self._refused(4, user, "key.account.visit", "action_check_in", [visit], 31.2334, 121.4737, 10)
            self.assertIn("Only the people on", message)
        # nor by writing the fields
        for user in (self.specialist, self.manager):
            message = self._refused(
                4, user, "key.account.visit", "write", [visit], {"checkin_status": "in_range", "checkin_distance": 5}
            )
            self.assertIn("change only through the actions that own them", message)
        self._refused(2, self.specialist, "key.account.visit", "action_check_in", [visit], "31.2334", 121.4737)
        self._refused(2, self.specialist, "key.account.visit", "action_check_in", [visit, visit], 31.2334, 121.4737)
        [before] = self._call(self.manager, "key.account.visit", "read", [visit], ["checkin_status", "checkin_date"])
        self.assertEqual((before["checkin_status"], before["checkin_date"]), ("none", False))
        self.assertIs(
            self._call(
                self.specialist,
                "key.account.visit",
                "action_check_in",
                [visit],
                latitude=31.2334,
                longitude=121.4737,
                accuracy=9,
            ),
            True,
        )
        [after] = self._call(
            self.manager,
            "key.account.visit",
            "read",
            [visit],
            ["checkin_status", "checkin_distance", "checkin_user_id"],
        )
        self.assertEqual((after["checkin_status"], after["checkin_distance"]), ("in_range", 334.0))
        self.assertEqual(after["checkin_user_id"][0], self.specialist.id)
        self._refused(2, self.specialist, "key.account.visit", "action_check_in", [visit], 31.2334, 121.4737)
        self.assertIs(self._call(self.specialist, "key.account.visit", "action_check_out", [visit]), True)

    def test_expenses_wait_for_the_report_check(self):
        visit = self.visit.id
        self._call(
            self.specialist,
            "key.account.visit",
            "write",
            [visit],
            {
                "date_done": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "talking_points": "Survey of the pump room",
                "customer_needs": "Two spare pumps",
                "outcome": "success",
                "satisfaction": "4",
                "competitor_line_ids": [(0, 0, {"competitor": "Wilo", "product": "Booster set", "price": 18000})],
            },
        )
        self.assertIs(self._call(self.specialist, "key.account.visit", "action_done", [visit]), True)
        expense = self._call(
            self.specialist, "key.account.visit.expense", "create", {"visit_id": visit, "name": "Taxi", "amount": 86}
        )
        self.assertIs(self._call(self.specialist, "key.account.visit.expense", "action_claim", [expense]), True)
        message = self._refused(2, self.manager, "key.account.visit.expense", "action_approve", [expense])
        self.assertIn("Check the report of", message)
        self._refused(4, self.specialist, "key.account.visit", "action_accept_report", [visit])
        self._refused(4, self.specialist, "key.account.visit", "write", [visit], {"report_review_state": "accepted"})
        self._refused(2, self.manager, "key.account.visit", "action_send_back_report", [visit], "")
        self.assertIs(self._call(self.manager, "key.account.visit", "action_accept_report", [visit]), True)
        self.assertIs(self._call(self.manager, "key.account.visit.expense", "action_approve", [expense]), True)
        [line] = self._call(
            self.manager,
            "key.account.visit.competitor",
            "search_read",
            [("visit_id", "=", visit)],
            fields=["competitor"],
        )
        self.assertEqual(line["competitor"], "Wilo")
