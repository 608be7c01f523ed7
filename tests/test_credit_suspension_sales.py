"""Commercial rules in Sales (issue #23). A credit suspension (seed 003 第十四条 暂停记账服务):
orders and customer invoices on credit of a suspended account and of its branches are refused
to salespeople and billing; paid in advance they go through; a KA Manager lets one through,
kept in the credit history; over XML-RPC a refusal is a fault 2 or 4, never a server error.
Priority supply (seed 002 6.2.1) marks the orders that come first."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountCase, KeyAccountDataMixin, KeyAccountXmlRpcCase


class SuspensionCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        cls.billing = new_test_user(cls.env, "ka_billing", groups="base.group_user,account.group_account_invoice")
        cls.thirty_days = cls.env.ref("account.account_payment_term_30days")
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.product = cls.env["product.product"].create(
            {"name": "Steel beam H300", "list_price": 1000.0, "invoice_policy": "order", "taxes_id": [Command.clear()]}
        )
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Account Branch Suzhou",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.account.with_user(cls.ka_manager).action_suspend_credit("Two months unpaid despite reminders")

    def _order(self, partner, term, user=None):
        return (
            self.env["sale.order"]
            .with_user(user or self.plain_user)
            .create(
                {
                    "partner_id": partner.id,
                    "payment_term_id": term.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
                }
            )
        )

    def _overrides(self):
        return self.env["key.account.credit.log"].search(
            [("partner_id", "=", self.account.id), ("action", "=", "override")]
        )


@tagged("post_install", "-at_install")
class TestSuspensionInSales(SuspensionCase):
    def test_an_order_on_credit_is_refused_to_the_salesperson(self):
        order = self._order(self.account, self.thirty_days)
        self.assertIn("Two months unpaid", order.key_account_credit_warning)
        with self.assertRefused(UserError, "are suspended"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_the_branch_of_a_suspended_group_is_refused_too(self):
        order = self._order(self.branch, self.thirty_days)
        self.assertIn(self.account.name, order.key_account_credit_warning)
        with self.assertRefused(UserError, "are suspended"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_a_carrier_of_the_group_is_not_covered(self):
        self.branch.key_account_group_relation = "carrier"
        order = self._order(self.branch, self.thirty_days)
        self.assertFalse(order.key_account_credit_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_paid_in_advance_goes_through(self):
        order = self._order(self.branch, self.immediate)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._overrides())

    def test_other_customers_and_restored_credit_go_through(self):
        other = self._order(self.other_account, self.thirty_days)
        other.action_confirm()
        self.assertEqual(other.state, "sale")
        self.account.with_user(self.ka_manager).action_restore_credit("Settled on the 5th")
        order = self._order(self.account, self.thirty_days)
        self.assertFalse(order.key_account_credit_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_no_context_lets_an_order_through(self):
        order = self._order(self.account, self.thirty_days)
        for context in ({"key_account_credit_override": True}, {"force": True}):
            with self.assertRefused(UserError, "are suspended"):
                order.with_context(**context).action_confirm()

    def test_the_manager_lets_an_order_through_and_it_is_kept(self):
        order = self._order(self.branch, self.thirty_days)
        order.with_user(self.ka_manager).action_key_account_override_credit("Guarantee of the group's CFO, 2 weeks")
        # the manager may not change the salesperson's order: the salesperson confirms it
        self.assertEqual(order.state, "draft")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        override = self._overrides()
        self.assertEqual(len(override), 1)
        self.assertEqual(override.sale_order_id, order)
        self.assertEqual(override.user_id, self.ka_manager)
        self.assertEqual(override.reason, "Guarantee of the group's CFO, 2 weeks")
        self.assertIn("Guarantee of the group's CFO", order.message_ids[:1].body)
        # the history stays append-only
        with self.assertRaises(AccessError):
            override.with_user(self.ka_manager).unlink()

    def test_a_manager_with_sales_rights_confirms_at_once(self):
        self.env.ref("sales_team.group_sale_salesman_all_leads").users |= self.ka_manager
        order = self._order(self.account, self.thirty_days)
        order.with_user(self.ka_manager).action_key_account_override_credit("Paid by the parent next week")
        self.assertEqual(order.state, "sale")

    def test_a_manager_of_another_company_cannot(self):
        order = self._order(self.account, self.thirty_days)
        with self.assertRaises(AccessError):
            order.with_user(self.ka_manager_b).action_key_account_override_credit("Not mine")
        self.assertFalse(self._overrides())

    def test_only_a_manager_lets_through_and_with_a_reason(self):
        order = self._order(self.account, self.thirty_days)
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Only a Key Account Manager"):
                order.with_user(user).action_key_account_override_credit("Urgent")
        for reason in ("", "   ", None):
            with self.assertRaises(ValidationError):
                order.with_user(self.ka_manager).action_key_account_override_credit(reason)
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._overrides())

    def test_letting_through_needs_a_suspension(self):
        order = self._order(self.other_account, self.thirty_days)
        with self.assertRefused(ValidationError, "not suspended"):
            order.with_user(self.ka_manager).action_key_account_override_credit("Why not")
        self.assertFalse(self.env["key.account.credit.log"].search([("sale_order_id", "=", order.id)]))

    def test_the_wizard(self):
        order = self._order(self.account, self.thirty_days)
        action = order.with_user(self.ka_manager).action_open_key_account_override_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.ka_manager)
            .with_context(action["context"])
            .create({"reason": "Paid by the parent next week"})
        )
        self.assertIn("Two months unpaid", wizard.warning)
        wizard.action_confirm()
        self.assertEqual(self._overrides().reason, "Paid by the parent next week")
        order.action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestSuspensionInInvoicing(SuspensionCase):
    def _invoice(self, partner, term):
        return (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_payment_term_id": term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Steel", "quantity": 1, "price_unit": 500.0, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
            )
        )

    def test_an_invoice_on_credit_is_not_posted(self):
        invoice = self._invoice(self.branch, self.thirty_days)
        with self.assertRefused(UserError, "are suspended"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        paid_now = self._invoice(self.branch, self.immediate)
        paid_now.action_post()
        self.assertEqual(paid_now.state, "posted")

    def test_the_invoice_of_an_order_let_through_is_posted(self):
        order = self._order(self.account, self.thirty_days)
        order.with_user(self.ka_manager).action_key_account_override_credit("Agreed with the CFO")
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_the_manager_lets_an_invoice_through(self):
        invoice = self._invoice(self.account, self.thirty_days)
        with self.assertRefused(AccessError, "Only a Key Account Manager"):
            invoice.with_user(self.billing).action_key_account_override_credit("Urgent")
        invoice.with_user(self.ka_manager).action_key_account_override_credit("Bank guarantee received")
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self._overrides().move_id, invoice)


@tagged("post_install", "-at_install")
class TestSuspensionOverXmlRpc(KeyAccountXmlRpcCase):
    def test_refusals_are_faults_2_and_4(self):
        groups = "base.group_user,sales_team.group_sale_salesman"
        salesperson = new_test_user(self.env, "rpc_susp_sales", groups=groups)
        manager = new_test_user(self.env, "rpc_susp_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        account = self.env["res.partner"].create(
            {"name": "RPC Suspended Co.", "is_company": True, "is_key_account": True}
        )
        account.with_user(manager).action_suspend_credit("Unpaid")
        term = self.env.ref("account.account_payment_term_30days")
        order = self.env["sale.order"].create(
            {"partner_id": account.id, "payment_term_id": term.id, "user_id": salesperson.id}
        )
        self.assertIn("suspended", self._refused(2, salesperson, "sale.order", "action_confirm", [order.id]))
        self._refused(4, salesperson, "sale.order", "action_key_account_override_credit", [order.id], "Urgent")
        self._refused(2, manager, "sale.order", "action_key_account_override_credit", [order.id], "")
        self._refused(2, manager, "sale.order", "action_key_account_override_credit", [order.id], ["x"])
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")


@tagged("post_install", "-at_install")
class TestPrioritySupply(SuspensionCase):
    """Priority supply (seed 002 6.2.1): orders of strategic key accounts and of accounts with a
    priority-supply policy in force, and of the branches of their groups, come first."""

    def test_strategic_accounts_and_their_branches_come_first(self):
        self.assertEqual(self.account.key_account_tier_id, self.tier_strategic)
        Order = self.env["sale.order"].with_user(self.plain_user)
        for partner in (self.account, self.branch):
            self.assertTrue(self._order(partner, self.immediate).key_account_priority_supply)
        other = self._order(self.other_account, self.immediate)
        self.assertFalse(other.key_account_priority_supply)
        first = Order.search([("key_account_priority_supply", "=", True)])
        self.assertIn(self.branch, first.partner_id)
        self.assertNotIn(other, first)
        self.assertIn(other, Order.search([("key_account_priority_supply", "!=", True)]))
        with self.assertRaises(UserError):
            Order.search([("key_account_priority_supply", "in", [True])])

    def test_a_priority_supply_policy_in_force(self):
        policy = (
            self.env["key.account.policy"]
            .with_user(self.ka_user_off)
            .create(
                {
                    "partner_id": self.other_account.id,
                    "policy_type": "priority_supply",
                    "date_from": "2020-01-01",
                    "date_to": "2099-12-31",
                    "reason": "Tender won: 3,000 t of steel",
                    "description": "Rush orders first",
                }
            )
        )
        order = self._order(self.other_account, self.immediate)
        self.assertFalse(order.key_account_priority_supply)
        policy.action_submit()
        for review_user in (self.ka_manager, self.ka_director):
            if policy.state != "approved":
                policy.with_user(review_user).validate_tier()
        self.assertEqual(policy.state, "approved")
        order.invalidate_recordset()
        self.assertTrue(order.key_account_priority_supply)
