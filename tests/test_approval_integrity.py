"""Approval integrity (issue #16): on every model of the layered approval — found in the
registry, not listed — reviews are created, decided and removed only by the approval's own
actions, read only by those who read the record, and an approval needs every level that
applies. Material fields and the refusals over XML-RPC: test_approval_material_fields.py."""

from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

OPEN = ("waiting", "pending")


class ApprovalCase(KeyAccountDataMixin, KeyAccountCase):
    """One factory per approval model: a draft that needs the KA Manager then the KA
    Director, its requester, and a material change (field, new value)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_nomination_director_amount = 1000000.0
        cls.company.key_account_visit_director_budget = 20000.0
        cls.company.key_account_trip_director_amount = 10000.0
        cls.company.key_account_agreement_director_amount = 1000000.0
        cls.candidate = cls.env["res.partner"].create({"name": "Integrity Candidate Co.", "is_company": True})
        cls.models = cls.env["key.account.approval.mixin"]._approval_model_names()

    # ------------------------------------------------------------------ factories
    def _draft_application(self):
        record = self._nomination(self.plain_user, self.candidate, expected=3000000.0)
        return record, self.plain_user, ("expected_annual_sales", 4000000.0)

    def _draft_visit(self, model="key.account.visit"):
        record = (
            self.env[model]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "purpose": "Framework agreement 2027",
                    "method": "onsite",
                    "date_planned": datetime.now() + timedelta(days=10),
                    "duration": 3.0,
                    "budget": 30000.0,
                    "gift_line_ids": [(0, 0, {"name": "Mill visit brochure", "quantity": 10, "unit_value": 20.0})],
                }
            )
        )
        return record, self.ka_user, ("budget", 45000.0)

    def _draft_reception(self):
        return self._draft_visit("key.account.reception")

    def _draft_policy(self):
        today = fields.Date.today()
        record = (
            self.env["key.account.policy"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "policy_type": "discount",
                    "value": 30.0,
                    "date_from": today,
                    "date_to": fields.Date.add(today, months=6),
                    "reason": "Framework agreement for 3,000 t",
                }
            )
        )
        return record, self.ka_user, ("value", 35.0)

    def _draft_review(self):
        record = (
            self.env["key.account.review"].with_user(self.ka_manager).create({"year": 2031, "date": date(2031, 12, 25)})
        )
        self.env["key.account.review.line"].create(
            {
                "review_id": record.id,
                "partner_id": self.account.id,
                "new_tier_id": self.tier_key.id,
            }
        )
        return record, self.ka_manager, ("date", date(2031, 12, 28))

    def _draft_plan(self):
        category = self.env["product.category"].create({"name": "Integrity Valves"})
        record = (
            self.env["key.account.plan"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "year": 2031,
                    "customer_goals": "Two new plants in Anhui",
                    "objective_ids": [(0, 0, {"name": "Win the valve framework"})],
                    # the potential reaches the nomination threshold: the Director approves too
                    "potential_ids": [(0, 0, {"categ_id": category.id, "potential_amount": 3000000.0})],
                }
            )
        )
        return record, self.ka_user, ("customer_goals", "Three new plants in Anhui")

    def _draft_development(self):
        record = (
            self.env["key.account.development"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Integrity Prospect", "is_company": True}).id,
                    "forecast_sales": 6000000.0,
                    "forecast_profit": 300000.0,
                    "method_visit": True,
                    "standard_operation": True,
                    "standard_cooperation": True,
                    "standard_confidentiality": True,
                    "standard_cost": True,
                }
            )
        )
        return record, self.ka_user, ("forecast_sales", 7000000.0)

    def _draft_trip(self):
        start = fields.Date.add(fields.Date.today(), days=10)
        record = (
            self.env["key.account.trip"]
            .with_user(self.ka_user)
            .create(
                {
                    "date_from": start,
                    "date_to": fields.Date.add(start, days=3),
                    "purpose": "Tenders in Hubei",
                    "estimated_cost": 12000.0,
                    "stop_ids": [(0, 0, {"place": "Wuhan"})],
                }
            )
        )
        return record, self.ka_user, ("estimated_cost", 15000.0)

    def _draft_agreement(self):
        record = (
            self.env["key.account.agreement"]
            .with_user(self.ka_user)
            .create({"partner_id": self.account.id, "subject": "Supply of H-beams 2027", "amount": 3000000.0})
        )
        record.clause_ids.write({"reviewed": True})
        return record, self.ka_user, ("amount", 4000000.0)

    FACTORIES = {
        "key.account.application": "_draft_application",
        "key.account.visit": "_draft_visit",
        "key.account.reception": "_draft_reception",
        "key.account.policy": "_draft_policy",
        "key.account.review": "_draft_review",
        "key.account.plan": "_draft_plan",
        "key.account.development": "_draft_development",
        "key.account.trip": "_draft_trip",
        "key.account.agreement": "_draft_agreement",
    }

    def _draft(self, model):
        record, requester, change = getattr(self, self.FACTORIES[model])()
        self.assertTrue(record.needs_director_approval, model)
        return record, requester, change

    def _submitted(self, model):
        record, requester, change = self._draft(model)
        record.with_user(requester).action_submit()
        record.invalidate_recordset()
        self.assertEqual(record.state, "submitted")
        self.assertEqual(len(record.review_ids), 2, model)
        return record, requester, change

    def _levels(self, record):
        record.invalidate_recordset()
        manager, director = record.sudo().review_ids.sorted("sequence")
        self.assertEqual(manager.reviewer_group_id, self.env.ref("key_account_mgmt.group_ka_manager"))
        self.assertEqual(director.reviewer_group_id, self.env.ref("key_account_mgmt.group_ka_director"))
        return manager, director

    def _statuses(self, record):
        record.invalidate_recordset()
        return [
            (r.definition_id, "open" if r.status in OPEN else r.status)
            for r in record.sudo().review_ids.sorted("sequence")
        ]

    def _approved(self, model):
        record, requester, change = self._submitted(model)
        record.with_user(self.ka_manager).validate_tier()
        record.with_user(self.ka_director).validate_tier()
        record.invalidate_recordset()
        self.assertEqual(record.state, "approved", model)
        return record, requester, change

    def _outsiders(self, record, requester, review):
        """Users who are not reviewers of ``review``: KA User on the team, plain user, the
        requester (when not a reviewer), KA User off the team, clerk."""
        users = self.ka_user | self.plain_user | requester | self.ka_user_off | self.ka_clerk
        return users - review.reviewer_ids

    def _for_each_model(self):
        # (pytest-odoo reports no subTest: a failure names its model through the messages)
        return self.models


@tagged("post_install", "-at_install")
class TestApprovalModels(ApprovalCase):
    def test_every_approval_model_is_found_and_covered(self):
        """The visit mixin's models are approval models too; each one has a factory here and
        tier definitions for both levels."""
        self.assertIn("key.account.visit", self.models)
        self.assertIn("key.account.reception", self.models)
        self.assertNotIn("key.account.visit.mixin", self.models)
        self.assertEqual(set(self.models), set(self.FACTORIES), "add a factory for each new approval model")
        for model in self.models:
            self.assertIn(model, self.env["tier.definition"]._get_tier_validation_model_names())


@tagged("post_install", "-at_install")
class TestReviewGuard(ApprovalCase):
    def test_non_reviewers_cannot_write_reset_or_delete_a_review(self):
        for model in self._for_each_model():
            record, requester, _change = self._submitted(model)
            manager_review, director_review = self._levels(record)
            before = self._statuses(record)
            for review in (manager_review, director_review):
                for user in self._outsiders(record, requester, review):
                    for vals in (
                        {"status": "approved"},
                        {"status": "rejected"},
                        {"status": "pending"},
                        {"done_by": user.id},
                        {"sequence": 9},
                        {"comment": "Fine by me"},
                        {"res_id": record.id + 1},
                    ):
                        with self.assertRaises(AccessError, msg=f"{user.login} {vals}"):
                            review.with_user(user).write(vals)
                    with self.assertRaises(AccessError, msg=user.login):
                        review.with_user(user).unlink()
            with self.assertRefused(AccessError, "created only by submitting"):
                self.env["tier.review"].with_user(requester).create(
                    {
                        "model": model,
                        "res_id": record.id,
                        "definition_id": manager_review.definition_id.id,
                        "status": "approved",
                        "sequence": 0,
                    }
                )
            with self.assertRefused(AccessError, "created only by submitting"):
                self.env["tier.review"].with_user(requester).create(
                    {
                        "model": model,
                        "res_id": record.id,
                        "definition_id": manager_review.definition_id.id,
                    }
                )
            # through the record's one2many neither
            with self.assertRefused(ValidationError, "cannot be set by hand"):
                record.with_user(requester).write({"review_ids": [(2, director_review.id)]})
            self.assertEqual(self._statuses(record), before)
            self.assertEqual(record.state, "submitted")

    def test_reviewers_decide_with_the_buttons_only(self):
        for model in self._for_each_model():
            record, requester, _change = self._submitted(model)
            manager_review, director_review = self._levels(record)
            # even a reviewer does not write the decision by hand
            for vals in ({"status": "approved"}, {"done_by": self.ka_manager.id}, {"sequence": 0}):
                with self.assertRefused(AccessError, "Validate and Reject buttons"):
                    manager_review.with_user(self.ka_manager).write(vals)
            self.assertEqual(self._statuses(record)[0][1], "open")
            # the reviewer comments an open review of theirs, and approves it
            manager_review.with_user(self.ka_manager).write({"comment": "Budget checked"})
            self.assertIs(record.with_user(self.ka_manager).validate_tier(), True)
            self.assertEqual((manager_review.status, manager_review.done_by), ("approved", self.ka_manager))
            self.assertEqual(record.state, "submitted")
            # a decided review is never reset, not even by its reviewer
            for user in (self.ka_manager, requester, self.ka_user):
                with self.assertRaises(AccessError, msg=user.login):
                    manager_review.with_user(user).write({"status": "pending"})
                with self.assertRaises(AccessError, msg=user.login):
                    manager_review.with_user(user).unlink()
            self.assertIs(record.with_user(self.ka_director).validate_tier(), True)
            record.invalidate_recordset()
            self.assertEqual((record.state, director_review.done_by), ("approved", self.ka_director))
            self.assertTrue(record.approved_date)

    def test_reviews_restart_only_with_the_approval(self):
        for model in self._for_each_model():
            record, requester, _change = self._draft(model)
            # the form's Request Validation button submits the draft
            self.assertIs(record.with_user(requester).request_validation(), True)
            self.assertEqual(record.state, "submitted")
            self.assertEqual(len(record.review_ids), 2)
            with self.assertRefused(UserError, "reviews are requested when a draft is submitted"):
                record.with_user(requester).request_validation()
            record.with_user(self.ka_manager).validate_tier()
            before = self._statuses(record)
            with self.assertRefused(UserError, "restart only when"):
                record.with_user(requester).restart_validation()
            self.assertEqual(self._statuses(record), before)

    def test_reviews_are_read_by_those_who_read_the_record(self):
        roles = {
            "plain": self.plain_user,
            "ka_user": self.ka_user,
            "ka_user_off": self.ka_user_off,
            "clerk": self.ka_clerk,
            "manager": self.ka_manager,
            "director": self.ka_director,
            "manager_b": self.ka_manager_b,
        }
        for model in self._for_each_model():
            record, _requester, _change = self._submitted(model)
            reviews = record.sudo().review_ids
            denied = 0
            for role, user in roles.items():
                readable = bool(record.with_user(user)._filtered_access("read"))
                found = (
                    self.env["tier.review"].with_user(user).search([("model", "=", model), ("res_id", "=", record.id)])
                )
                self.assertEqual(found, reviews if readable else found.browse(), f"{model} {role}")
                if not readable:
                    denied += 1
                    with self.assertRaises(AccessError, msg=role):
                        reviews.with_user(user).read(["status", "done_by"])
            self.assertTrue(denied, f"someone may not read {model}")
        # not the ones of other companies' users
        self.assertFalse(
            self.env["tier.review"].with_user(self.ka_manager_b).search([("model", "in", list(self.models))])
        )


@tagged("post_install", "-at_install")
class TestEveryLevelIsNeeded(ApprovalCase):
    def test_a_missing_director_review_never_approves(self):
        for model in self._for_each_model():
            record, requester, _change = self._submitted(model)
            manager_review, director_review = self._levels(record)
            record.with_user(self.ka_manager).validate_tier()
            # nobody deletes it by hand …
            for user in (requester, self.ka_manager, self.ka_director):
                with self.assertRaises(AccessError, msg=user.login):
                    director_review.with_user(user).unlink()
            # … and when it goes missing anyway, the requester's click approves nothing
            director_review.sudo().unlink()
            record.invalidate_recordset()
            self.assertEqual(record.sudo().review_ids, manager_review)
            record.with_user(requester).validate_tier()
            record.invalidate_recordset()
            self.assertEqual(record.state, "submitted", model)
            self.assertFalse(record.approved_date)
            # the Director's level is requested again, and decided by the Director
            new_director = record.sudo().review_ids - manager_review
            self.assertEqual(len(new_director), 1)
            self.assertEqual(new_director.reviewer_group_id, self.env.ref("key_account_mgmt.group_ka_director"))
            self.assertIn(new_director.status, OPEN)
            record.with_user(self.ka_manager).validate_tier()
            self.assertEqual(record.state, "submitted")
            record.with_user(self.ka_director).validate_tier()
            record.invalidate_recordset()
            self.assertEqual(record.state, "approved", model)

    def test_a_rejection_stops_the_approval(self):
        for model in self._for_each_model():
            record, requester, _change = self._submitted(model)
            self.assertIs(record.with_user(self.ka_manager).reject_tier(), True)
            record.invalidate_recordset()
            self.assertEqual(record.state, "rejected")
            record.with_user(self.ka_director).validate_tier()
            record.with_user(requester).validate_tier()
            record.invalidate_recordset()
            self.assertEqual(record.state, "rejected")
