"""Preferential policies and the credit watch over XML-RPC, as an RPC client drives them:
policies route to the right approver, posted invoices flag the right accounts, every call
returns something XML-RPC can send back."""

import xmlrpc.client
from datetime import date, timedelta

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestPolicyCreditXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.specialist = new_test_user(cls.env, "rpc_pc_specialist", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_pc_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.director = new_test_user(cls.env, "rpc_pc_director", groups=groups + ",key_account_mgmt.group_ka_director")
        cls.billing = new_test_user(cls.env, "rpc_pc_billing", groups=groups + ",account.group_account_invoice")
        cls.admin = new_test_user(cls.env, "rpc_pc_admin", groups="base.group_system")
        tier = cls.env.ref("key_account_mgmt.tier_key")
        tier.write({"policy_max_discount": 5.0, "policy_min_price_coefficient": 0.95, "policy_max_credit_days": 60})
        cls.account, cls.punctual = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "is_key_account": True,
                    "key_account_tier_id": tier.id,
                    "key_account_manager_id": cls.specialist.id,
                }
                for name in ("RPC Steel Works", "RPC Punctual Traders")
            ]
        )
        if not cls.env["account.journal"].search_count(
            [("company_id", "=", cls.env.company.id), ("type", "=", "sale")]
        ):
            cls.env["account.chart.template"].try_loading("generic_coa", company=cls.env.company, install_demo=False)
        cls.manager_group = cls.env.ref("key_account_mgmt.group_ka_manager").id
        cls.director_group = cls.env.ref("key_account_mgmt.group_ka_director").id

    def _policy(self, policy_type, value):
        return self._call(
            self.specialist,
            "key.account.policy",
            "create",
            {
                "partner_id": self.account.id,
                "policy_type": policy_type,
                "value": value,
                "date_to": (date.today() + timedelta(days=180)).isoformat(),
                "reason": "Framework agreement 2026",
            },
        )

    def _awaiting(self, policy_id):
        [policy] = self._call(
            self.specialist,
            "key.account.policy",
            "read",
            [policy_id],
            ["state", "awaiting_group_id", "needs_director_approval"],
        )
        return (
            policy["state"],
            policy["awaiting_group_id"] and policy["awaiting_group_id"][0],
            policy["needs_director_approval"],
        )

    def test_policies_route_to_the_right_approver(self):
        within = self._policy("discount", 5.0)
        self.assertIs(self._call(self.specialist, "key.account.policy", "action_submit", [within]), True)
        self.assertEqual(self._awaiting(within), ("submitted", self.manager_group, False))
        reviews = self._call(
            self.manager,
            "tier.review",
            "search_read",
            [("model", "=", "key.account.policy"), ("res_id", "=", within)],
            ["status", "reviewer_group_id"],
        )
        self.assertEqual([r["reviewer_group_id"][0] for r in reviews], [self.manager_group])
        # the director is not the reviewer of a policy within the standard
        self.assertIs(self._call(self.director, "key.account.policy", "validate_tier", [within]), True)
        self.assertIs(self._call(self.manager, "key.account.policy", "validate_tier", [within]), True)
        self.assertEqual(self._awaiting(within), ("approved", False, False))

        beyond = self._policy("credit_terms", 90)
        self.assertIs(self._call(self.specialist, "key.account.policy", "action_submit", [beyond]), True)
        self.assertEqual(self._awaiting(beyond), ("submitted", self.manager_group, True))
        self.assertIs(self._call(self.manager, "key.account.policy", "validate_tier", [beyond]), True)
        self.assertEqual(self._awaiting(beyond), ("submitted", self.director_group, True))
        self.assertIs(self._call(self.director, "key.account.policy", "validate_tier", [beyond]), True)
        self.assertEqual(self._awaiting(beyond), ("approved", False, True))

        [partner] = self._call(
            self.specialist, "res.partner", "read", [self.account.id], ["key_account_active_policy_ids"]
        )
        self.assertEqual(sorted(partner["key_account_active_policy_ids"]), sorted([within, beyond]))
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self._call(self.specialist, "key.account.policy", "write", [beyond], {"value": 120})
        self.assertIn("cannot change", refused.exception.faultString)
        self.assertIs(self._call(self.manager, "key.account.policy", "action_terminate", [beyond]), True)
        # a policy that began last month is ended yesterday by the manager; the scheduled
        # action, started by an administrator, closes it
        past = self._call(
            self.specialist,
            "key.account.policy",
            "create",
            {
                "partner_id": self.punctual.id,
                "policy_type": "coefficient",
                "value": 0.97,
                "date_from": (date.today() - timedelta(days=30)).isoformat(),
                "date_to": (date.today() + timedelta(days=30)).isoformat(),
                "reason": "Spring promotion",
            },
        )
        self._call(self.manager, "key.account.policy", "action_submit", [past])
        self._call(self.manager, "key.account.policy", "validate_tier", [past])
        self._call(
            self.manager,
            "key.account.policy",
            "write",
            [past],
            {"date_to": (date.today() - timedelta(days=1)).isoformat()},
        )
        cron = self.env.ref("key_account_mgmt.ir_cron_policy_expiry")
        self.assertIs(self._call(self.admin, "ir.cron", "method_direct_trigger", [cron.id]), True)
        states = self._call(self.manager, "key.account.policy", "read", [within, beyond, past], ["state"])
        self.assertEqual([p["state"] for p in states], ["approved", "expired", "expired"])

    def test_invoices_flag_the_right_accounts(self):
        today = date.today()

        def invoice(partner, amount, due_days_ago):
            move_id = self._call(
                self.billing,
                "account.move",
                "create",
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": (today - timedelta(days=due_days_ago + 30)).isoformat(),
                    "invoice_date_due": (today - timedelta(days=due_days_ago)).isoformat(),
                    "invoice_line_ids": [
                        (0, 0, {"name": "Coil", "quantity": 1, "price_unit": amount, "tax_ids": [(6, 0, [])]})
                    ],
                },
            )
            self._call(self.billing, "account.move", "action_post", [move_id])
            return move_id

        late = invoice(self.account, 5000, 50)
        invoice(self.punctual, 3000, 10)
        # half of the late invoice is paid
        wizard = self._call(
            self.billing,
            "account.payment.register",
            "create",
            {"amount": 2500},
            context={"active_model": "account.move", "active_ids": [late]},
        )
        self._call(
            self.billing,
            "account.payment.register",
            "action_create_payments",
            [wizard],
            context={"active_model": "account.move", "active_ids": [late]},
        )

        cron = self.env.ref("key_account_mgmt.ir_cron_credit_watch")
        self.assertIs(self._call(self.admin, "ir.cron", "method_direct_trigger", [cron.id]), True)
        fields = ["key_account_credit_flag", "key_account_overdue_amount", "key_account_overdue_days"]
        flagged, punctual = self._call(self.manager, "res.partner", "read", [self.account.id, self.punctual.id], fields)
        self.assertEqual(
            (
                flagged["key_account_credit_flag"],
                flagged["key_account_overdue_amount"],
                flagged["key_account_overdue_days"],
            ),
            (True, 2500.0, 50),
        )
        self.assertEqual((punctual["key_account_credit_flag"], punctual["key_account_overdue_amount"]), (False, 3000.0))
        # a second run, and a run on demand: still one activity
        self.assertIs(self._call(self.admin, "ir.cron", "method_direct_trigger", [cron.id]), True)
        self.assertIs(self._call(self.manager, "res.partner", "action_check_credit", []), True)
        warnings = self._call(
            self.manager,
            "key.account.credit.log",
            "search",
            [
                ("partner_id", "=", self.account.id),
                ("action", "=", "warning"),
            ],
        )
        activities = self._call(
            self.manager,
            "mail.activity",
            "search_count",
            [
                ("res_model", "=", "key.account.credit.log"),
                ("res_id", "in", warnings),
                ("activity_type_id", "=", self.env.ref("key_account_mgmt.mail_activity_type_credit_watch").id),
            ],
        )
        self.assertEqual(activities, 1)
        with self.assertRaises(xmlrpc.client.Fault):
            self._call(self.specialist, "res.partner", "action_check_credit", [self.account.id])

        self.assertIs(
            self._call(self.manager, "res.partner", "action_suspend_credit", [self.account.id], "Half of March unpaid"),
            True,
        )
        order_id = self._call(self.billing, "sale.order", "create", {"partner_id": self.account.id})
        [order] = self._call(self.billing, "sale.order", "read", [order_id], ["key_account_credit_warning"])
        self.assertIn("Half of March unpaid", order["key_account_credit_warning"])
        summary = self._call(self.manager, "res.partner", "read", [self.account.id], ["key_account_credit_suspended"])
        self.assertTrue(summary[0]["key_account_credit_suspended"])
