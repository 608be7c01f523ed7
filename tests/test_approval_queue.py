"""The reviewer's queue (issue #18): Key Accounts › Waiting for Me › Approvals lists the reviews
of key-account approvals the user decides now — of every approval model, of records the user
may read only — each line opening its record, where the user approves; Expense Claims lists
the claimed expenses for the KA Managers who approve them."""

from datetime import datetime, timedelta

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import KeyAccountCase, KeyAccountDataMixin

KINDS = {
    "nominations": "key.account.application",
    "visits": "key.account.visit",
    "receptions": "key.account.reception",
    "policies": "key.account.policy",
    "annual_reviews": "key.account.review",
    "account_plans": "key.account.plan",
    "development_plans": "key.account.development",
    "trips": "key.account.trip",
    "agreements": "key.account.agreement",
}


class ApprovalQueueCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_nomination_director_amount = 1000000.0
        cls.company.key_account_visit_director_budget = 20000.0
        cls.action = cls.env.ref("key_account_mgmt.tier_review_action_key_account")
        cls.candidate = cls.env["res.partner"].create({"name": "Queue Candidate Co.", "is_company": True})

    def _queue(self, user, filter_name="waiting_for_me"):
        """The reviews the action lists for ``user`` under one filter of its search view, as
        the web client searches them."""
        arch = etree.fromstring(self.env.ref("key_account_mgmt.tier_review_view_search_key_account").arch)
        (node,) = arch.xpath(f"//filter[@name='{filter_name}']")
        domain = safe_eval(self.action.domain) + safe_eval(node.get("domain"), {"uid": user.id})
        return self.env["tier.review"].with_user(user).search(domain)

    def _submitted_nomination(self, expected=3000000.0):
        nomination = self._nomination(self.plain_user, self.candidate, expected=expected)
        nomination.action_submit()
        return nomination

    def _submitted_visit(self, user=None, partner=None):
        visit = (
            self.env["key.account.visit"]
            .with_user(user or self.ka_user)
            .create(
                {
                    "partner_id": (partner or self.account).id,
                    "purpose": "Framework agreement 2027",
                    "method": "onsite",
                    "date_planned": datetime.now() + timedelta(days=10),
                    "duration": 2.0,
                    "budget": 3000.0,
                }
            )
        )
        visit.action_submit()
        return visit

    def _reviews(self, record):
        return record.sudo().review_ids.sorted("sequence")


@tagged("post_install", "-at_install")
class TestApprovalQueue(ApprovalQueueCase):
    def test_queue_covers_every_approval_model(self):
        """The action lists the reviews of every approval model, and its search view has a
        filter for each kind."""
        models = self.env["key.account.approval.mixin"]._approval_model_names()
        self.assertEqual(sorted(safe_eval(self.action.domain)[0][2]), sorted(models))
        self.assertEqual(sorted(KINDS.values()), sorted(models), "add a filter for each new approval model")
        arch = etree.fromstring(self.env.ref("key_account_mgmt.tier_review_view_search_key_account").arch)
        for name, model in KINDS.items():
            (node,) = arch.xpath(f"//filter[@name='{name}']")
            self.assertEqual(safe_eval(node.get("domain")), [("model", "=", model)])
        self.assertEqual(safe_eval(self.action.context), {"search_default_waiting_for_me": 1})

    def test_each_level_waits_for_its_reviewers(self):
        nomination = self._submitted_nomination()
        manager_review, director_review = self._reviews(nomination)
        self.assertEqual(self._queue(self.ka_manager), manager_review)
        # the Director's level comes after the Manager's (a KA Director is a KA Manager too)
        self.assertEqual(self._queue(self.ka_director), manager_review)
        for user in (self.plain_user, self.ka_user, self.ka_user_off, self.ka_clerk):
            self.assertFalse(self._queue(user), user.login)
        # the requester follows it under My Requests
        self.assertEqual(self._queue(self.plain_user, "my_requests"), manager_review | director_review)

        nomination.with_user(self.ka_manager).validate_tier()
        self.assertFalse(self._queue(self.ka_manager))
        self.assertEqual(self._queue(self.ka_manager, "decided_by_me"), manager_review)
        self.assertEqual(self._queue(self.ka_director), director_review)

    def test_lines_show_the_record_in_the_readers_terms(self):
        visit = self._submitted_visit()
        review = self._queue(self.ka_manager)
        self.assertEqual(len(review), 1)
        self.assertEqual(review.res_name, visit.with_user(self.ka_manager).display_name)
        self.assertEqual(review.res_partner_id, self.account)
        self.assertEqual(review.res_model_id, self.env["ir.model"]._get("key.account.visit"))
        self.assertEqual(review.requested_by, self.ka_user)
        # grouped by kind, as the search view offers
        groups = (
            self.env["tier.review"]
            .with_user(self.ka_manager)
            .read_group(safe_eval(self.action.domain), ["res_model_id"], ["res_model_id"])
        )
        self.assertIn(review.res_model_id.id, [group["res_model_id"][0] for group in groups])

    def test_approve_from_the_queue(self):
        """A line opens its record, where its reviewer approves; the next level then waits for
        the Director, who approves it too."""
        nomination = self._submitted_nomination()
        line = self._queue(self.ka_manager)
        action = line.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("key.account.application", nomination.id))
        record = self.env[action["res_model"]].with_user(self.ka_manager).browse(action["res_id"])
        self.assertTrue(record.can_review)
        self.assertIs(record.validate_tier(), True)
        self.assertEqual(nomination.state, "submitted")

        line = self._queue(self.ka_director)
        record = (
            self.env["key.account.application"]
            .with_user(self.ka_director)
            .browse(line.action_open_document()["res_id"])
        )
        self.assertIs(record.validate_tier(), True)
        self.assertEqual(nomination.state, "approved")
        self.assertFalse(self._queue(self.ka_director) | self._queue(self.ka_manager))

    def test_reject_from_the_queue(self):
        visit = self._submitted_visit()
        line = self._queue(self.ka_manager)
        self.env["key.account.visit"].with_user(self.ka_manager).browse(
            line.action_open_document()["res_id"]
        ).reject_tier()
        self.assertEqual(visit.state, "rejected")
        self.assertFalse(self._queue(self.ka_manager))

    def test_records_the_user_may_not_read_are_not_listed(self):
        """Reviewers are whole groups, across companies: a KA Manager of the other company is a
        reviewer of the visit's review but may not read the visit, so it is not in their queue
        and its line does not open."""
        visit = self._submitted_visit()
        review = self._reviews(visit)
        self.assertIn(self.ka_manager_b, review.reviewer_ids)
        self.assertFalse(visit.with_user(self.ka_manager_b)._filtered_access("read"))
        self.assertFalse(self._queue(self.ka_manager_b))
        with self.assertRaises(AccessError):
            review.with_user(self.ka_manager_b).action_open_document()
        # nor to a reader who is no reviewer
        self.assertFalse(self._queue(self.ka_user_off))

    def test_queue_does_not_weaken_the_review_guard(self):
        """Opening a line changes nothing; its reviewer still decides with the buttons only."""
        visit = self._submitted_visit()
        line = self._queue(self.ka_manager)
        before = (line.status, line.done_by)
        line.action_open_document()
        with self.assertRefused(AccessError, "Reject buttons"):
            line.with_user(self.ka_manager).write({"status": "approved"})
        self.assertEqual((line.status, line.done_by, visit.state), (*before, "submitted"))


@tagged("post_install", "-at_install")
class TestExpenseClaimsQueue(ApprovalQueueCase):
    def _claimed_expense(self):
        visit = self._submitted_visit()
        visit.with_user(self.ka_manager).validate_tier()
        visit.with_user(self.ka_user).write(
            {
                "date_done": datetime.now(),
                "outcome": "success",
                "talking_points": "Framework prices",
                "customer_needs": "Fire pumps",
            }
        )
        visit.with_user(self.ka_user).action_done()
        expense = (
            self.env["key.account.visit.expense"]
            .with_user(self.ka_user)
            .create({"visit_id": visit.id, "expense_type": "meals", "name": "Lunch with the buyer", "amount": 680.0})
        )
        expense.action_claim()
        return visit, expense

    def _claims(self, user):
        action = self.env.ref("key_account_mgmt.key_account_visit_expense_action_claims")
        arch = etree.fromstring(self.env.ref("key_account_mgmt.key_account_visit_expense_view_search").arch)
        (node,) = arch.xpath("//filter[@name='to_approve']")
        self.assertEqual(safe_eval(action.context), {"search_default_to_approve": 1})
        return self.env["key.account.visit.expense"].with_user(user).search(safe_eval(node.get("domain")))

    def test_manager_approves_a_claim_from_the_queue(self):
        visit, expense = self._claimed_expense()
        self.assertEqual(self._claims(self.ka_manager), expense)
        self.assertFalse(self._claims(self.ka_manager_b))
        action = expense.with_user(self.ka_manager).action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("key.account.visit", visit.id))
        visit.with_user(self.ka_manager).action_accept_report()
        expense.with_user(self.ka_manager).action_approve()
        self.assertEqual(expense.state, "approved")
        self.assertFalse(self._claims(self.ka_manager))
