"""Approval integrity (issue #16): what the reviewers decided on is locked under review and
sends an approved record back for approval (or is refused where the approval took effect);
reviews and material fields over XML-RPC."""

from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase
from .test_approval_integrity import OPEN, ApprovalCase


@tagged("post_install", "-at_install")
class TestMaterialFields(ApprovalCase):
    def test_material_fields_are_declared(self):
        for model in self._for_each_model():
            Model = self.env[model]
            self.assertTrue(Model._approval_material_fields)
            for name in Model._approval_material_fields:
                self.assertIn(name, Model._fields, f"{model}.{name}")

    def test_locked_under_review(self):
        for model in self._for_each_model():
            record, requester, (field, value) = self._submitted(model)
            before = record[field]
            for user in (requester, self.ka_manager):
                with self.assertRefused(ValidationError, "under approval"):
                    record.with_user(user).write({field: value})
                # base_tier_validation's context switch does not open it
                with self.assertRefused(ValidationError, "under approval"):
                    record.with_user(user).with_context(skip_validation_check=True).write({field: value})
            record.invalidate_recordset()
            self.assertEqual((record[field], record.state), (before, "submitted"))

    def test_an_approved_change_is_approved_again(self):
        for model in self._for_each_model():
            record, requester, (field, value) = self._approved(model)
            old_reviews = record.sudo().review_ids
            if not record._approval_reroute:
                # the approval took effect (key account made, tiers applied, policy in force)
                with self.assertRefused(ValidationError, "has been approved: its .+ cannot change"):
                    record.with_user(requester).write({field: value})
                self.assertEqual(record.state, "approved")
                continue
            record.with_user(requester).write({field: value})
            record.invalidate_recordset()
            self.assertEqual((record[field], record.state), (value, "submitted"))
            self.assertFalse(record.approved_date)
            self.assertFalse(old_reviews.exists())
            self.assertEqual([status for _tier, status in self._statuses(record)], ["open", "open"])
            # and the same value again changes nothing
            record.with_user(self.ka_manager).validate_tier()
            record.with_user(self.ka_director).validate_tier()
            record.invalidate_recordset()
            self.assertEqual(record.state, "approved")

    def test_an_approved_record_stays_with_its_account(self):
        for model in self._for_each_model():
            record, requester, _change = self._approved(model)
            if "partner_id" not in record._approval_material_fields:
                continue
            with self.assertRefused(ValidationError, "cannot change anymore"):
                record.with_user(self.ka_manager).write({"partner_id": self.other_account.id})
            self.assertEqual(record.state, "approved")

    def test_lines_are_material(self):
        # gifts of a visit: raising their value sends the approved visit back for approval
        visit, _requester, _change = self._approved("key.account.visit")
        event = visit.calendar_event_id
        self.assertTrue(event)
        gift = visit.gift_line_ids
        gift.with_user(self.ka_user).write({"quantity_given": 8})  # the report: not material
        self.assertEqual(visit.state, "approved")
        gift.with_user(self.ka_user).write({"unit_value": 200.0})
        visit.invalidate_recordset()
        self.assertEqual(visit.state, "submitted")
        self.assertFalse(event.exists(), "the meeting leaves the calendars until approved again")
        with self.assertRefused(ValidationError, "under approval"):
            self.env["key.account.visit.gift"].with_user(self.ka_user).create(
                {"visit_id": visit.id, "name": "Watch", "unit_value": 900}
            )
        with self.assertRefused(ValidationError, "under approval"):
            gift.with_user(self.ka_user).unlink()
        # products of a nomination
        nomination, requester, _change = self._submitted("key.account.application")
        with self.assertRefused(ValidationError, "under approval"):
            nomination.line_ids.with_user(requester).write({"expected_amount": 1.0})
        # (base_tier_validation refuses it first, as it refuses every field under validation)
        with self.assertRefused(ValidationError, "under (approval|validation)"):
            nomination.with_user(requester).write({"line_ids": [(0, 0, {"name": "Cables", "expected_amount": 5.0})]})
        self.assertEqual(len(nomination.line_ids), 1)


@tagged("post_install", "-at_install")
class TestApprovalIntegrityXmlRpc(KeyAccountXmlRpcCase):
    """Over XML-RPC the refusals are faults 4 (AccessError) and 2 (ValidationError), never 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.specialist = new_test_user(cls.env, "rpc_int_specialist", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_int_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "RPC Integrity Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.specialist.id,
            }
        )

    def test_reviews_and_material_fields_over_xmlrpc(self):
        visit_id = self._call(
            self.specialist,
            "key.account.visit",
            "create",
            {
                "partner_id": self.account.id,
                "purpose": "Kick-off",
                "budget": 800,
                "date_planned": (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        self.assertIs(self._call(self.specialist, "key.account.visit", "action_submit", [visit_id]), True)
        [review] = self._call(
            self.specialist,
            "tier.review",
            "search_read",
            [("model", "=", "key.account.visit"), ("res_id", "=", visit_id)],
            fields=["status"],
        )
        self.assertIn(review["status"], OPEN)
        self.assertIn(
            "Only its reviewers",
            self._refused(4, self.specialist, "tier.review", "write", [review["id"]], {"status": "approved"}),
        )
        self._refused(
            4,
            self.specialist,
            "tier.review",
            "write",
            [review["id"]],
            {"status": "approved"},
            context={"skip_validation_check": True},
        )
        self.assertIn("never deleted", self._refused(4, self.specialist, "tier.review", "unlink", [review["id"]]))
        self._refused(
            4,
            self.specialist,
            "tier.review",
            "create",
            {"model": "key.account.visit", "res_id": visit_id, "status": "approved"},
        )
        self.assertIn(
            "under approval",
            self._refused(2, self.specialist, "key.account.visit", "write", [visit_id], {"budget": 90000}),
        )
        self.assertIs(self._call(self.manager, "key.account.visit", "validate_tier", [visit_id]), True)
        # raising the budget of the approved visit sends it back to the KA Manager
        self.assertIs(self._call(self.specialist, "key.account.visit", "write", [visit_id], {"budget": 1500}), True)
        [visit] = self._call(self.specialist, "key.account.visit", "read", [visit_id], ["state", "review_ids"])
        self.assertEqual((visit["state"], len(visit["review_ids"])), ("submitted", 1))
        self.assertIs(self._call(self.manager, "key.account.visit", "validate_tier", [visit_id]), True)
        other = self.env["res.partner"].create(
            {
                "name": "RPC Other Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": self.specialist.id,
            }
        )
        self.assertIn(
            "cannot change anymore",
            self._refused(2, self.specialist, "key.account.visit", "write", [visit_id], {"partner_id": other.id}),
        )
