"""Preferential policies (优惠政策, seed 003 第十二–十五条): routing by the tier's standard range,
input checks, confidentiality per group. The pricelist effect on quotations and expiry:
test_policy_pricelist.py."""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KeyAccountCase, KeyAccountDataMixin


class PolicyCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_tier = cls.env.ref("key_account_mgmt.tier_definition_policy_manager")
        cls.director_tier = cls.env.ref("key_account_mgmt.tier_definition_policy_director")
        cls.Policy = cls.env["key.account.policy"]
        cls.today = fields.Date.today()
        # the standard range of the strategic tier (data: 10 %, 0.90, 90 days, priority supply)
        cls.tier_strategic.write(
            {
                "policy_max_discount": 10.0,
                "policy_min_price_coefficient": 0.90,
                "policy_max_credit_days": 90,
                "policy_priority_supply": True,
            }
        )
        cls.tier_key.write(
            {
                "policy_max_discount": 5.0,
                "policy_min_price_coefficient": 0.95,
                "policy_max_credit_days": 60,
                "policy_priority_supply": False,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Steel beam H300", "list_price": 100.0, "type": "consu"}
        )

    def _policy(self, user=None, partner=None, policy_type="discount", value=5.0, **vals):
        return self.Policy.with_user(user or self.ka_user).create(
            {
                "partner_id": (partner or self.account).id,
                "policy_type": policy_type,
                "value": value,
                "date_from": self.today,
                "date_to": fields.Date.add(self.today, months=6),
                "reason": "Annual framework agreement for 3,000 t of steel",
                "description": "Priority on H-beams in shortage"
                if policy_type in ("priority_supply", "other")
                else False,
                **vals,
            }
        )

    def _submitted(self, *args, **kwargs):
        policy = self._policy(*args, **kwargs)
        policy.action_submit()
        return policy

    def _statuses(self, policy):
        policy.invalidate_recordset()
        return [
            (review.definition_id, "open" if review.status in ("waiting", "pending") else review.status)
            for review in policy.review_ids.sorted("sequence")
        ]

    def _approve(self, policy, user):
        self.assertIs(policy.with_user(user).validate_tier(), True)
        policy.invalidate_recordset()
        return policy

    def _order_price(self, partner=None, date_order=None):
        order = (
            self.env["sale.order"]
            .with_user(self.plain_user)
            .create(
                {
                    "partner_id": (partner or self.account).id,
                    "date_order": date_order or fields.Datetime.now(),
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                }
            )
        )
        return order.order_line.price_subtotal / 10


@tagged("post_install", "-at_install")
class TestPolicyRouting(PolicyCase):
    def test_within_the_standard_the_manager_approves_and_the_director_is_informed(self):
        policy = self._submitted(value=10.0)
        self.assertEqual(policy.state, "submitted")
        self.assertFalse(policy.needs_director_approval)
        self.assertEqual(self._statuses(policy), [(self.manager_tier, "open")])
        self.assertFalse(policy.with_user(self.ka_director).can_review and policy.with_user(self.ka_user).can_review)
        self._approve(policy, self.ka_manager)
        self.assertEqual(policy.state, "approved")
        self.assertTrue(policy.is_active)
        self.assertEqual(policy.review_ids.done_by, self.ka_manager)
        filed = policy.message_ids.filtered(lambda m: self.ka_director.partner_id in m.partner_ids)
        self.assertTrue(filed, "the Director is informed (备案) of policies within the standard")
        self.assertIn("filed with the Director", filed[0].body)

    def test_beyond_the_standard_the_director_approves_after_the_manager(self):
        policy = self._submitted(value=10.5)
        self.assertTrue(policy.needs_director_approval)
        self.assertEqual(self._statuses(policy), [(self.manager_tier, "open"), (self.director_tier, "open")])
        self.assertEqual(policy.awaiting_group_id, self.env.ref("key_account_mgmt.group_ka_manager"))
        self._approve(policy, self.ka_manager)
        self.assertEqual(self._statuses(policy), [(self.manager_tier, "approved"), (self.director_tier, "open")])
        self.assertEqual(policy.awaiting_group_id, self.env.ref("key_account_mgmt.group_ka_director"))
        self.assertEqual(policy.state, "submitted")
        self.assertFalse(policy.is_active)
        self._approve(policy, self.ka_director)
        self.assertEqual(policy.state, "approved")
        self.assertFalse(policy.awaiting_group_id)
        self.assertEqual(policy.review_ids.sorted("sequence").mapped("done_by"), self.ka_manager | self.ka_director)
        self.assertFalse(policy.message_ids.filtered(lambda m: "filed with the Director" in (m.body or "")))

    def test_the_form_as_a_specialist(self):
        form = Form(self.Policy.with_user(self.ka_user))
        form.partner_id = self.account
        form.policy_type = "coefficient"
        form.value = 0.88
        form.date_to = fields.Date.add(self.today, months=3)
        form.reason = "Competitor offers 12 % below list"
        policy = form.save()
        self.assertEqual(policy.tier_id, self.tier_strategic)
        self.assertTrue(policy.needs_director_approval)
        self.assertIn("0.9", policy.standard_range)
        policy.action_submit()
        self.assertEqual(policy.awaiting_group_id, self.env.ref("key_account_mgmt.group_ka_manager"))

    def test_every_type_against_the_range_of_the_tier(self):
        cases = [
            # (partner tier, type, value, needs the Director)
            (self.account, "discount", 10.0, False),
            (self.other_account, "discount", 10.0, True),
            (self.other_account, "discount", 5.0, False),
            (self.account, "coefficient", 0.90, False),
            (self.account, "coefficient", 0.89, True),
            (self.other_account, "coefficient", 0.95, False),
            (self.other_account, "coefficient", 0.92, True),
            (self.account, "credit_terms", 90, False),
            (self.account, "credit_terms", 91, True),
            (self.other_account, "credit_terms", 60, False),
            (self.account, "priority_supply", 0, False),
            (self.other_account, "priority_supply", 0, True),
            (self.account, "other", 0, True),
        ]
        for partner, policy_type, value, director in cases:
            with self.subTest(partner=partner.name, policy_type=policy_type, value=value):
                policy = self._policy(user=self.ka_manager, partner=partner, policy_type=policy_type, value=value)
                self.assertEqual(policy.needs_director_approval, director)
                self.assertEqual(policy.tier_id, partner.key_account_tier_id)

    def test_the_range_is_the_tier_setting_and_the_tier_is_kept(self):
        policy = self._policy(value=8.0)
        self.assertFalse(policy.needs_director_approval)
        self.tier_strategic.policy_max_discount = 7.5
        self.assertTrue(policy.needs_director_approval)
        self.assertIn("7.5", policy.standard_range)
        # a later change of the account's tier does not move the request to another range
        self.account.key_account_tier_id = self.tier_normal
        self.assertEqual(policy.tier_id, self.tier_strategic)

    def test_without_tier_the_director_approves(self):
        partner = self._key_account("Tier-less Steel", manager=self.ka_user, key_account_tier_id=False)
        policy = self._policy(partner=partner, value=1.0)
        self.assertTrue(policy.needs_director_approval)

    def test_rejection_by_the_director(self):
        policy = self._submitted(value=30.0)
        self._approve(policy, self.ka_manager)
        self.assertIs(policy.with_user(self.ka_director).reject_tier(), True)
        self.assertEqual(policy.state, "rejected")
        self.assertFalse(policy.pricelist_item_id)
        policy.with_user(self.ka_user).action_reset_draft()
        self.assertEqual(policy.state, "draft")


@tagged("post_install", "-at_install")
class TestPolicyInput(PolicyCase):
    def test_bad_values_are_refused(self):
        for policy_type, value, message in [
            ("discount", 0, "above 0 and below 100"),
            ("discount", 100, "above 0 and below 100"),
            ("coefficient", 1.2, "coefficient lies above 0"),
            ("coefficient", 0, "coefficient lies above 0"),
            ("credit_terms", 0, "whole number of days"),
            ("credit_terms", 30.5, "whole number of days"),
        ]:
            with self.subTest(policy_type=policy_type, value=value), self.assertRefused(ValidationError, message):
                self._policy(policy_type=policy_type, value=value)
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            self._policy(date_to=fields.Date.subtract(self.today, days=1))
        self.assertFalse(self.Policy.search([("partner_id", "=", self.account.id)]))

    def test_incomplete_or_overlapping_policies_are_not_submitted(self):
        with self.assertRefused(ValidationError, "reason"):
            self._policy(reason="  ").action_submit()
        with self.assertRefused(ValidationError, "Describe the terms"):
            self._policy(policy_type="other", description=False).action_submit()
        with self.assertRefused(ValidationError, "already ended"):
            self._policy(
                date_from=fields.Date.subtract(self.today, days=30), date_to=fields.Date.subtract(self.today, days=1)
            ).action_submit()
        first = self._submitted(value=4.0)
        overlapping = self._policy(
            policy_type="coefficient",
            value=0.95,
            date_from=fields.Date.add(self.today, months=2),
            date_to=fields.Date.add(self.today, months=8),
        )
        with self.assertRefused(UserError, "one discount or coefficient at a time"):
            overlapping.action_submit()
        self.assertEqual(overlapping.state, "draft")
        # credit terms beside a discount are fine
        self._submitted(policy_type="credit_terms", value=60)
        self.assertEqual(first.state, "submitted")

    def test_terms_are_locked_once_submitted(self):
        policy = self._submitted(value=4.0)
        with self.assertRefused(UserError, "cannot change"):
            policy.with_user(self.ka_user).write({"value": 9.0})
        self._approve(policy, self.ka_manager)
        with self.assertRefused(UserError, "cannot change"):
            policy.with_user(self.ka_manager).write({"date_to": fields.Date.add(self.today, years=3)})
        with self.assertRefused(ValidationError, "only with the buttons"):
            policy.with_user(self.ka_manager).write({"state": "draft"})
        with self.assertRefused(UserError, "cannot be cancelled"):
            policy.with_user(self.ka_manager).action_cancel()
        with self.assertRefused(UserError, "Only draft or cancelled"):
            policy.with_user(self.ka_manager).unlink()
        self.assertEqual((policy.state, policy.value), ("approved", 4.0))

    def test_the_routing_cannot_be_set_by_hand(self):
        """Stored computes are writable over RPC: the approval level and the tier are not."""
        policy = self._policy(value=30.0)
        self.assertTrue(policy.needs_director_approval)
        with self.assertRefused(ValidationError, "cannot be set by hand"):
            policy.with_user(self.ka_user).write({"needs_director_approval": False})
        with self.assertRefused(ValidationError, "cannot be set by hand"):
            self._policy(value=30.0, needs_director_approval=False)
        with self.assertRefused(ValidationError, "set by the system"):
            policy.with_user(self.ka_user).write({"tier_id": self.tier_normal.id})
        with self.assertRefused(ValidationError, "set by the system"):
            self._policy(value=30.0, tier_id=self.tier_strategic.id, partner=self.other_account, user=self.ka_manager)
        policy.action_submit()
        self.assertEqual(self._statuses(policy), [(self.manager_tier, "open"), (self.director_tier, "open")])
        # the same protection holds for every model of the approval mixin
        candidate = self.env["res.partner"].create({"name": "Routing Candidate", "is_company": True})
        nomination = self._nomination(self.plain_user, candidate, expected=50000000.0)
        with self.assertRefused(ValidationError, "cannot be set by hand"):
            nomination.with_user(self.plain_user).write({"needs_director_approval": False})
        self.assertTrue(nomination.needs_director_approval)

    def test_tier_range_is_validated(self):
        with self.assertRefused(ValidationError, "standard discount"):
            self.tier_key.with_user(self.ka_manager).policy_max_discount = 120
        with self.assertRefused(ValidationError, "unit-price coefficient"):
            self.tier_key.with_user(self.ka_manager).policy_min_price_coefficient = 1.5
        with self.assertRefused(ValidationError, "settlement period"):
            self.tier_key.with_user(self.ka_manager).policy_max_credit_days = -1
        self.assertEqual(self.tier_key.policy_max_discount, 5.0)


@tagged("post_install", "-at_install")
class TestPolicyRights(PolicyCase):
    def test_who_reads_and_writes_policies(self):
        policy = self._submitted(value=4.0)
        other = self._policy(user=self.ka_manager, partner=self.other_account, value=3.0)
        # the account team and every KA role of the company read it
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            with self.subTest(user=user.login):
                self.assertEqual(self.Policy.with_user(user).search([("id", "=", policy.id)]), policy)
        # off the team, another company, or no KA group: nothing
        self.assertFalse(self.Policy.with_user(self.ka_user_off).search([("id", "=", policy.id)]))
        self.assertEqual(self.Policy.with_user(self.ka_user_off).search([]), other)
        with self.assertRaises(AccessError):
            policy.with_user(self.ka_user_off).read(["value"])
        with self.assertRaises(AccessError):
            policy.with_user(self.ka_manager_b).read(["value"])
        with self.assertRaises(AccessError):
            self.Policy.with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self._policy(user=self.plain_user)
        with self.assertRaises(AccessError):
            self._policy(user=self.ka_user_off)
        # the policies on the partner follow the same rules
        self.assertFalse(self.account.with_user(self.ka_user_off).key_account_policy_count)
        self.assertEqual(self.account.with_user(self.ka_user).key_account_policy_count, 1)
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_active_policy_ids"])

    def test_only_reviewers_approve(self):
        policy = self._submitted(value=20.0)
        for user in (self.ka_user, self.ka_clerk):
            with self.subTest(user=user.login):
                self.assertFalse(policy.with_user(user).can_review)
                # base_tier_validation: a user without a review to make decides nothing
                policy.with_user(user).validate_tier()
                self.assertEqual(policy.state, "submitted")
        with self.assertRaises(AccessError):
            policy.with_user(self.ka_user_off).validate_tier()
        with self.assertRaises(AccessError):
            policy.review_ids.with_user(self.ka_user).write({"status": "approved"})
        self.assertEqual(self._statuses(policy), [(self.manager_tier, "open"), (self.director_tier, "open")])
        self.assertEqual(policy.state, "submitted")

    def test_only_managers_export(self):
        policy = self._policy(value=4.0)
        # Odoo's own export right, so that what refuses below is the key-account rule
        export = self.env.ref("base.group_allow_export")
        (self.ka_user | self.ka_manager).groups_id = [(4, export.id)]
        with self.assertRefused(AccessError, "Only Key Account Managers may export"):
            policy.with_user(self.ka_user).export_data(["value"])
        self.assertEqual(policy.with_user(self.ka_manager).export_data(["value"])["datas"], [[4.0]])
