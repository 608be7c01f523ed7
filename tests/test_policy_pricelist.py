"""Preferential policies in effect (seed 003 第十二–十五条): the pricelist price of a quotation,
and the end of a policy, by the cron or shortened by a manager."""

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_policy import PolicyCase


@tagged("post_install", "-at_install")
class TestPolicyPricelist(PolicyCase):
    def test_an_approved_discount_prices_the_quotation(self):
        self.assertEqual(self._order_price(), 100.0)
        policy = self._submitted(value=8.0)
        self.assertEqual(self._order_price(), 100.0, "no price before the approval")
        self._approve(policy, self.ka_manager)
        pricelist = self.account.property_product_pricelist
        self.assertEqual(pricelist.key_account_partner_id, self.account)
        self.assertEqual(policy.pricelist_id, pricelist)
        self.assertAlmostEqual(self._order_price(), 92.0)
        # quotations of a contact person of the account too
        self.assertAlmostEqual(self._order_price(partner=self.contact), 92.0)
        # after its validity the customer pays the former price
        later = fields.Datetime.to_datetime(fields.Date.add(policy.date_to, days=1))
        self.assertEqual(self._order_price(date_order=later), 100.0)

    def test_a_coefficient_multiplies_the_price_of_the_former_pricelist(self):
        former = self.env["product.pricelist"].create(
            {
                "name": "Distributors",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "formula",
                            "base": "list_price",
                            "price_discount": 20,
                        }
                    )
                ],
            }
        )
        self.account.property_product_pricelist = former
        self.assertAlmostEqual(self._order_price(), 80.0)
        policy = self._submitted(user=self.ka_manager, policy_type="coefficient", value=0.95)
        self._approve(policy, self.ka_manager)
        self.assertAlmostEqual(self._order_price(), 76.0)
        later = fields.Datetime.to_datetime(fields.Date.add(policy.date_to, days=1))
        self.assertAlmostEqual(
            self._order_price(date_order=later), 80.0, msg="outside the policy: the former pricelist"
        )

    def test_a_future_policy_prices_from_its_first_day(self):
        start = fields.Date.add(self.today, days=10)
        policy = self._submitted(value=6.0, date_from=start, date_to=fields.Date.add(start, months=1))
        self._approve(policy, self.ka_manager)
        self.assertFalse(policy.is_active)
        self.assertEqual(self._order_price(), 100.0)
        self.assertAlmostEqual(self._order_price(date_order=fields.Datetime.to_datetime(start)), 94.0)

    def test_credit_terms_do_not_touch_prices(self):
        policy = self._submitted(policy_type="credit_terms", value=45)
        self._approve(policy, self.ka_manager)
        self.assertFalse(policy.pricelist_item_id)
        self.assertEqual(self._order_price(), 100.0)

    def test_ending_a_policy_takes_it_out_of_the_pricelist(self):
        policy = self._submitted(value=8.0)
        self._approve(policy, self.ka_manager)
        with self.assertRefused(UserError, "Only a Key Account Manager"):
            policy.with_user(self.ka_user).action_terminate()
        self.assertIs(policy.with_user(self.ka_manager).action_terminate(), True)
        self.assertEqual(policy.state, "expired")
        self.assertFalse(policy.pricelist_item_id)
        self.assertEqual(self._order_price(), 100.0)


@tagged("post_install", "-at_install")
class TestPolicyExpiry(PolicyCase):
    def test_the_cron_closes_expired_policies_once(self):
        ended = self._submitted(value=8.0)
        running = self._submitted(policy_type="credit_terms", value=30)
        self._approve(ended, self.ka_manager)
        self._approve(running, self.ka_manager)
        item = ended.pricelist_item_id
        # the validity of the discount ended yesterday
        ended.sudo().write(
            {
                "date_from": fields.Date.subtract(self.today, months=2),
                "date_to": fields.Date.subtract(self.today, days=1),
            }
        )
        self.assertFalse(ended.is_active)
        self.assertEqual(self.Policy.search([("partner_id", "=", self.account.id), ("is_active", "=", True)]), running)
        self.assertEqual(self.account.with_user(self.ka_user).key_account_active_policy_ids, running)

        self.env["key.account.policy"]._cron_expire_policies()
        self.assertEqual(ended.state, "expired")
        self.assertFalse(item.exists())
        self.assertEqual(running.state, "approved")
        self.env["key.account.policy"]._cron_expire_policies()
        self.assertEqual((ended.state, running.state), ("expired", "approved"))
        self.assertEqual(self.Policy.search_count([("state", "=", "expired"), ("partner_id", "=", self.account.id)]), 1)

    def test_a_manager_shortens_an_approved_policy(self):
        policy = self._submitted(value=8.0, date_from=fields.Date.subtract(self.today, months=1))
        self._approve(policy, self.ka_manager)
        yesterday = fields.Date.subtract(self.today, days=1)
        with self.assertRefused(UserError, "cannot change"):
            policy.with_user(self.ka_user).write({"date_to": yesterday})
        with self.assertRefused(UserError, "cannot change"):
            policy.with_user(self.ka_manager).write({"date_to": fields.Date.add(policy.date_to, days=1)})
        policy.with_user(self.ka_manager).write({"date_to": yesterday})
        self.assertEqual(policy.pricelist_item_id.date_end.date(), yesterday)
        self.assertEqual(self._order_price(), 100.0)
        self.env["key.account.policy"]._cron_expire_policies()
        self.assertEqual(policy.state, "expired")
        self.assertFalse(policy.pricelist_item_id)

    def test_the_cron_is_batched(self):
        policies = self.Policy
        for months in (1, 2, 3):
            policy = self._submitted(
                user=self.ka_manager,
                policy_type="credit_terms",
                value=30,
                date_from=fields.Date.add(self.today, months=months * 2),
                date_to=fields.Date.add(self.today, months=months * 2, days=5),
            )
            self._approve(policy, self.ka_manager)
            policies |= policy
        policies.sudo().write(
            {
                "date_from": fields.Date.subtract(self.today, months=3),
                "date_to": fields.Date.subtract(self.today, days=1),
            }
        )
        self.env["key.account.policy"]._cron_expire_policies(batch_size=2)
        self.assertEqual(sorted(policies.mapped("state")), ["approved", "expired", "expired"])
        self.env["key.account.policy"]._cron_expire_policies(batch_size=2)
        self.assertEqual(set(policies.mapped("state")), {"expired"})
