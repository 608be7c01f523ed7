"""The public flows over XML-RPC, as an RPC client drives them: every call must return
something XML-RPC can send back (no None, no recordset) and the refusals arrive as faults."""

import xmlrpc.client
from datetime import datetime, timedelta

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestKeyAccountXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.seller = new_test_user(cls.env, "rpc_seller", groups=groups)
        cls.specialist = new_test_user(cls.env, "rpc_specialist", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.candidate = cls.env["res.partner"].create({"name": "RPC Candidate Co.", "is_company": True})

    def test_nomination_and_visit_over_xmlrpc(self):
        application_id = self._call(
            self.seller,
            "key.account.application",
            "create",
            {
                "partner_id": self.candidate.id,
                "reasons": "Largest buyer in the province",
                "expected_annual_sales": 800000,
            },
        )
        self.assertIs(self._call(self.seller, "key.account.application", "action_submit", [application_id]), True)
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self._call(self.seller, "key.account.application", "write", [application_id], {"state": "approved"})
        self.assertIn("only with the buttons", refused.exception.faultString)
        self.assertIs(self._call(self.manager, "key.account.application", "validate_tier", [application_id]), True)
        [partner] = self._call(
            self.manager, "res.partner", "read", [self.candidate.id], ["is_key_account", "key_account_code"]
        )
        self.assertTrue(partner["is_key_account"])
        self.assertTrue(partner["key_account_code"].startswith("KA"))

        self._call(
            self.manager, "res.partner", "write", [self.candidate.id], {"key_account_manager_id": self.specialist.id}
        )
        self.assertIs(
            self._call(
                self.specialist,
                "res.partner",
                "action_set_cooperation_state",
                [self.candidate.id],
                "good",
                "Contract won",
            ),
            True,
        )
        visit_id = self._call(
            self.specialist,
            "key.account.visit",
            "create",
            {
                "partner_id": self.candidate.id,
                "purpose": "Kick-off",
                "budget": 800,
                "date_planned": (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        self.assertIs(self._call(self.specialist, "key.account.visit", "action_submit", [visit_id]), True)
        self.assertIs(self._call(self.manager, "key.account.visit", "validate_tier", [visit_id]), True)
        expense_id = self._call(
            self.specialist,
            "key.account.visit.expense",
            "create",
            {"visit_id": visit_id, "name": "Train", "amount": 320},
        )
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self._call(self.specialist, "key.account.visit.expense", "action_claim", [expense_id])
        self.assertIn("No report, no reimbursement", refused.exception.faultString)
        self._call(
            self.specialist,
            "key.account.visit",
            "write",
            [visit_id],
            {
                "date_done": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "talking_points": "Scope",
                "customer_needs": "Delivery in Q1",
                "outcome": "success",
            },
        )
        self.assertIs(self._call(self.specialist, "key.account.visit", "action_done", [visit_id]), True)
        self.assertIs(self._call(self.specialist, "key.account.visit.expense", "action_claim", [expense_id]), True)
        self.assertIs(
            self._call(
                self.manager, "res.partner", "action_lose_key_account", [self.candidate.id], "price", "Cheaper rival"
            ),
            True,
        )
        with self.assertRaises(xmlrpc.client.Fault):
            self._call(self.seller, "key.account.visit", "read", [visit_id], ["purpose"])

    def test_monthly_report_over_xmlrpc(self):
        """key.account.report.generate(period_date, company_id=None) returns the report's id, the
        same one when called again; a KA User is refused."""
        account = self.env["res.partner"].create(
            {
                "name": "RPC Report Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": self.specialist.id,
            }
        )
        self._call(self.specialist, "key.account.news", "create", {"partner_id": account.id, "name": "New plant"})
        month = datetime.now().strftime("%Y-%m-01")
        report_id = self._call(self.manager, "key.account.report", "generate", month)
        self.assertIsInstance(report_id, int)
        self.assertEqual(
            self._call(self.manager, "key.account.report", "generate", month, self.env.company.id), report_id
        )
        [report] = self._call(
            self.manager, "key.account.report", "read", [report_id], ["period_date", "file_name", "line_ids"]
        )
        self.assertEqual(report["period_date"], month)
        self.assertTrue(report["file_name"].endswith(".xlsx"))
        rows = self._call(
            self.specialist,
            "key.account.report.line",
            "search_read",
            [("partner_id", "=", account.id)],
            fields=["news_count"],
        )
        self.assertEqual([row["news_count"] for row in rows], [1])
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self._call(self.specialist, "key.account.report", "generate", month)
        self.assertIn("Only Key Account Managers", refused.exception.faultString)
