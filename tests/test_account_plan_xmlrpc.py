"""The account plan and the buying roles over real XML-RPC (issue #21 part B), as the users'
clients call them: the team writes its plan, plans and completes its actions; a KA User off the
account's team reads nothing of the plan and may not set the buying role of the account's
people (the relationship map owns them). Refusals are faults 2 or 4, never 1."""

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestAccountPlanXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman"
        cls.owner = new_test_user(cls.env, "rpc_plan_owner", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.outsider = new_test_user(cls.env, "rpc_plan_outsider", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.boss = new_test_user(cls.env, "rpc_plan_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Donghai Shipyard",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.owner.id,
            }
        )
        cls.person = cls.env["res.partner"].create({"name": "Gu Ming", "parent_id": cls.account.id})
        cls.category = cls.env["product.category"].create({"name": "RPC Valves"})

    def test_plan_over_xmlrpc(self):
        Plan = "key.account.plan"
        plan_id = self._call(
            self.owner,
            Plan,
            "create",
            {
                "partner_id": self.account.id,
                "year": 2030,
                "customer_goals": "A second dry dock",
                "objective_ids": [(0, 0, {"name": "Valves for the dock", "target_value": 800000})],
                "potential_ids": [(0, 0, {"categ_id": self.category.id, "potential_amount": 800000})],
            },
        )
        [plan] = self._call(self.owner, Plan, "read", [plan_id], ["objective_ids", "whitespace_amount", "progress"])
        self.assertEqual((plan["whitespace_amount"], plan["progress"]), (800000.0, 0.0))
        activity_id = self._call(
            self.owner,
            "mail.activity",
            "create",
            {
                "res_model_id": self.env["ir.model"]._get_id(Plan),
                "res_id": plan_id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": self.owner.id,
                "key_account_objective_id": plan["objective_ids"][0],
            },
        )
        self._call(self.owner, "mail.activity", "action_feedback", [activity_id], feedback="Quoted")
        [plan] = self._call(self.owner, Plan, "read", [plan_id], ["progress", "activity_done_count"])
        self.assertEqual((plan["progress"], plan["activity_done_count"]), (100.0, 1))

        # off the team: nothing of the plan, by any path
        self.assertEqual(self._call(self.outsider, Plan, "search_read", [], ["customer_goals"]), [])
        self.assertEqual(self._call(self.outsider, "key.account.plan.potential", "search_count", []), 0)
        for method, args in (
            ("read", ([plan_id], ["customer_goals"])),
            ("write", ([plan_id], {"threats": "None"})),
            ("unlink", ([plan_id],)),
            ("action_submit", ([plan_id],)),
        ):
            self._refused(4, self.outsider, Plan, method, *args)
        self._refused(4, self.outsider, Plan, "create", {"partner_id": self.account.id, "year": 2031})
        # the status follows the buttons: refused as a user error, not a server error
        self._refused(2, self.owner, Plan, "write", [plan_id], {"state": "approved"})
        self.assertIs(self._call(self.owner, Plan, "action_submit", [plan_id]), True)
        self._refused(2, self.owner, Plan, "write", [plan_id], {"customer_goals": "Changed under review"})
        self.assertIs(self._call(self.boss, Plan, "validate_tier", [plan_id]), True)
        [plan] = self._call(self.boss, Plan, "read", [plan_id], ["state"])
        self.assertEqual(plan["state"], "approved")

    def test_buying_role_of_another_team_refused(self):
        message = self._refused(4, self.outsider, "res.partner", "write", [self.person.id], {"buying_role": "coach"})
        self.assertIn("buying roles of its people", message)
        self._refused(
            4,
            self.outsider,
            "res.partner",
            "create",
            {"name": "Planted Coach", "parent_id": self.account.id, "buying_role": "coach"},
        )
        self.assertFalse(self.person.buying_role)
        self.assertTrue(self._call(self.owner, "res.partner", "write", [self.person.id], {"buying_role": "coach"}))
        row = self.env["key.account.relationship"].search([("contact_id", "=", self.person.id)])
        self.assertEqual(row.role_ids.mapped("code"), ["coach"])
