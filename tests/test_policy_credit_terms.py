"""Settlement terms (issue #23; seed 003 第十四条 结算周期): an approved credit-terms policy sets
the customer's payment terms in its company while in force, new quotations take them, and the
terms it had come back when the policy ends; nobody sets them by hand on the policy."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_policy import PolicyCase


@tagged("post_install", "-at_install")
class TestPolicyCreditTerms(PolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.thirty_days = cls.env.ref("account.account_payment_term_30days")
        cls.account.property_payment_term_id = cls.thirty_days

    def _approved_terms(self, days, **vals):
        policy = self._submitted(policy_type="credit_terms", value=days, **vals)
        self._approve(policy, self.ka_manager)
        self.assertEqual(policy.state, "approved")
        return policy

    def test_the_policy_in_force_sets_the_payment_terms(self):
        policy = self._approved_terms(60)
        term = self.account.property_payment_term_id
        self.assertEqual(policy.payment_term_id, term)
        self.assertEqual(policy.previous_payment_term_id, self.thirty_days)
        self.assertEqual(term.line_ids.mapped("nb_days"), [60])
        self.assertEqual(term.line_ids.value_amount, 100.0)
        # a quotation of the customer takes them
        order = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": self.account.id})
        self.assertEqual(order.payment_term_id, term)
        # a second policy of the same days reuses the terms
        self.assertEqual(self.env["account.payment.term"]._key_account_days_term(60, self.company), term)

    def test_ending_the_policy_gives_back_the_terms(self):
        policy = self._approved_terms(45)
        policy.with_user(self.ka_manager).action_terminate()
        self.assertEqual(self.account.property_payment_term_id, self.thirty_days)

    def test_terms_changed_meanwhile_are_kept(self):
        policy = self._approved_terms(45)
        immediate = self.env.ref("account.account_payment_term_immediate")
        self.account.property_payment_term_id = immediate
        policy.with_user(self.ka_manager).action_terminate()
        self.assertEqual(self.account.property_payment_term_id, immediate)

    def test_a_future_policy_applies_when_it_starts_and_ends_with_its_validity(self):
        start = fields.Date.add(self.today, days=10)
        policy = self._approved_terms(75, date_from=start, date_to=fields.Date.add(start, days=30))
        self.assertFalse(policy.payment_term_id)
        self.assertEqual(self.account.property_payment_term_id, self.thirty_days)
        with freeze_time(fields.Date.add(start, days=1)):
            self.Policy._cron_expire_policies()
        self.assertEqual(self.account.property_payment_term_id.line_ids.nb_days, 75)
        with freeze_time(fields.Date.add(start, days=31)):
            self.Policy._cron_expire_policies()
        self.assertEqual(policy.state, "expired")
        self.assertEqual(self.account.property_payment_term_id, self.thirty_days)

    def test_other_policies_leave_the_terms(self):
        self._approved_terms(30).with_user(self.ka_manager).action_terminate()
        discount = self._submitted(policy_type="discount", value=5.0)
        self._approve(discount, self.ka_manager)
        self.assertFalse(discount.payment_term_id)
        self.assertEqual(self.account.property_payment_term_id, self.thirty_days)

    def test_the_terms_of_a_policy_are_set_by_the_system(self):
        policy = self._policy(policy_type="credit_terms", value=60)
        for field in ("payment_term_id", "previous_payment_term_id"):
            with self.assertRaises(ValidationError):
                policy.with_user(self.ka_user).write({field: self.thirty_days.id})
            with self.assertRaises(ValidationError):
                self._policy(policy_type="credit_terms", value=60, **{field: self.thirty_days.id})
        self.assertFalse(policy.payment_term_id)
