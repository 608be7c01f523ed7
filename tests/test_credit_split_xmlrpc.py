"""The credit split over real XML-RPC (issue #24): a KA User neither overrides the credit of an
invoice nor changes a rule (fault 4, never 1, nothing written); the KA Manager overrides it
with a reason, and the KPIs read the new credit at once."""

from datetime import date

from odoo.tests import new_test_user, tagged

from .common import KeyAccountDataMixin, KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestCreditSplitXmlRpc(KeyAccountDataMixin, KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.specialist = new_test_user(
            cls.env, "rpc_split_specialist", groups=groups + ",key_account_mgmt.group_ka_user", email="s@example.com"
        )
        cls.manager = new_test_user(
            cls.env, "rpc_split_manager", groups=groups + ",key_account_mgmt.group_ka_manager", email="m@example.com"
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "RPC Split Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.specialist.id,
            }
        )
        cls.invoice = cls._post_invoice(cls.account, 1000.0, date(2026, 3, 5))

    def _credit(self):
        rows = self.env["key.account.metrics"]._attribution(date(2026, 3, 1), date(2026, 3, 31))
        return sorted((row["user_id"] or 0, float(row["amount"])) for row in rows if row["move_id"] == self.invoice.id)

    def test_override_over_xmlrpc(self):
        vals = {
            "partner_id": self.account.id,
            "move_id": self.invoice.id,
            "user_id": self.specialist.id,
            "user_share": 100.0,
            "reason": "All mine",
        }
        Override = self.env["key.account.credit.override"]
        self.assertIn("Key Account Manager", self._refused(4, self.specialist, Override._name, "create", vals))
        rule = self.env.ref("key_account_mgmt.key_account_credit_split_rule_handover")
        self._refused(4, self.specialist, rule._name, "write", [rule.id], {"share": 90.0})
        self.assertEqual(rule.share, 60.0)
        self.assertFalse(Override.search([("move_id", "=", self.invoice.id)]))
        self._refused(2, self.manager, Override._name, "create", {**vals, "reason": " "})
        self.assertEqual(self._credit(), [(self.specialist.id, 1000.0)])
        self._call(self.manager, Override._name, "create", {**vals, "user_share": 40.0, "reason": "Shared tender"})
        self.assertEqual(self._credit(), [(0, 600.0), (self.specialist.id, 400.0)])
