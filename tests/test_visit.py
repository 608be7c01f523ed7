"""Visits and receptions (拜访 / 接待, SPEC §6, seed 001 §3.3; issue #6): the shared flow plan →
submitted → approved → done → closed (or rejected / cancelled) with the calendar event, and
``VisitCase``, the plans' fixture of every visit topic: approval and submission
(test_visit_approval.py), expenses (test_visit_expense.py), receptions (test_reception.py),
visit dates and rate (test_visit_dates.py), rights and handover (test_visit_rights.py), the
printed record (test_visit_record.py)."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

DIRECTOR_BUDGET = 20000.0  # res.company.key_account_visit_director_budget by default
PLANNED = datetime(2026, 3, 12, 2, 0)  # 10:00 in Shanghai
DONE = datetime(2026, 3, 12, 6, 0)
REPORT = {
    "date_done": DONE,
    "talking_points": "H-beam price list 2026; delivery slots for the Jinan metro depot",
    "customer_needs": "Shorter lead time, monthly settlement",
    "objections": "Price 3% above Jinlong: offered free cutting",
    "suggestions": "Invite their chief engineer to the mill",
    "outcome": "success",
}


class VisitCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["key.account.visit"]
        cls.Reception = cls.env["key.account.reception"]
        cls.Expense = cls.env["key.account.visit.expense"]
        cls.Gift = cls.env["key.account.visit.gift"]
        cls.Visitor = cls.env["key.account.reception.visitor"]
        cls.Activity = cls.env["mail.activity"]
        cls.manager_tier = cls.env.ref("key_account_mgmt.tier_definition_visit_manager")
        cls.director_tier = cls.env.ref("key_account_mgmt.tier_definition_visit_director")
        cls.reception_manager_tier = cls.env.ref("key_account_mgmt.tier_definition_reception_manager")
        cls.reception_director_tier = cls.env.ref("key_account_mgmt.tier_definition_reception_director")
        cls.company.key_account_visit_director_budget = DIRECTOR_BUDGET
        cls.contact.write({"function": "Purchasing Director", "buying_role": "economic"})
        cls.engineer = cls.env["res.partner"].create(
            {
                "name": "Zhou Qiang",
                "parent_id": cls.account.id,
                "function": "Chief Engineer",
                "buying_role": "technical",
            }
        )

    # plans
    @classmethod
    def _plan(cls, user=None, partner=None, model="key.account.visit", **vals):
        """A plan created by ``user`` (the account's manager by default)."""
        return (
            cls.env[model]
            .with_user(user or cls.ka_user)
            .create(
                {
                    "partner_id": (partner or cls.account).id,
                    "purpose": "Present the 2026 H-beam price list",
                    "date_planned": PLANNED,
                    "duration": 3.0,
                    "location": "Hengtai HQ, Jinan",
                    "method": "onsite",
                    "contact_ids": [(6, 0, (cls.contact | cls.engineer).ids)],
                    "budget": 5000.0,
                    **vals,
                }
            )
        )

    @classmethod
    def _reception(cls, user=None, partner=None, **vals):
        return cls._plan(user, partner, model="key.account.reception", **vals)

    @classmethod
    def _submitted(cls, user=None, partner=None, model="key.account.visit", **vals):
        plan = cls._plan(user, partner, model, **vals)
        plan.action_submit()
        return plan

    @classmethod
    def _decide(cls, plan, user, reject=False):
        record = plan.with_user(user)
        record.reject_tier() if reject else record.validate_tier()
        plan.invalidate_recordset()
        return plan

    @classmethod
    def _approved(cls, user=None, partner=None, model="key.account.visit", **vals):
        plan = cls._submitted(user, partner, model, **vals)
        cls._decide(plan, cls.ka_director if plan.needs_director_approval else cls.ka_manager)
        if plan.state == "submitted":
            cls._decide(plan, cls.ka_director)
        assert plan.state == "approved", plan.state
        return plan

    @classmethod
    def _reported(cls, user=None, partner=None, model="key.account.visit", report=None, **vals):
        plan = cls._approved(user, partner, model, **vals)
        plan.write(dict(REPORT, **(report or {})))
        plan.action_done()
        return plan

    @classmethod
    def _accepted(cls, plan, reviewer=None):
        """The report of ``plan`` accepted by a KA Manager (检查报告): its expenses may be approved."""
        plan.with_user(reviewer or cls.ka_manager).action_accept_report()
        return plan

    @classmethod
    def _expense(cls, plan, user=None, amount=320.0, **vals):
        parent = "visit_id" if plan._name == "key.account.visit" else "reception_id"
        return cls.Expense.with_user(user or cls.ka_user).create(
            {
                parent: plan.id,
                "name": "High-speed train Beijing–Jinan",
                "expense_type": "travel",
                "amount": amount,
                **vals,
            }
        )

    def _statuses(self, plan):
        """(tier, status) per level, in order; waiting and pending are both "open"."""
        plan.invalidate_recordset()
        return [
            (review.definition_id, "open" if review.status in ("waiting", "pending") else review.status)
            for review in plan.review_ids.sorted("sequence")
        ]

    def _follow_ups(self, plan):
        return self.Activity.search([("res_model", "=", plan._name), ("res_id", "=", plan.id)])

    def _visit_fields(self, partner):
        partner.invalidate_recordset()
        return (
            partner.key_account_last_visit_date,
            partner.key_account_visit_count,
            partner.key_account_reception_count,
        )


@tagged("post_install", "-at_install")
class TestVisitFlow(VisitCase):
    def test_whole_flow_per_role(self):
        """KA User plans and reports, KA Manager approves and pays, KA User closes."""
        visit = self._plan(participant_ids=[(6, 0, self.ka_clerk.ids)])
        self.assertRegex(visit.name, r"^VIS/\d{4}/\d{4}$")
        self.assertEqual((visit.state, visit.user_id, visit.company_id), ("draft", self.ka_user, self.company))
        self.assertFalse(visit.needs_director_approval)

        visit.action_submit()
        self.assertEqual(visit.state, "submitted")
        self.assertTrue(visit.submitted_date)
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "open")])
        self.assertFalse(visit.calendar_event_id)
        for user in (self.ka_user, self.ka_clerk):
            self.assertFalse(visit.with_user(user).can_review, user.login)
            try:
                visit.with_user(user).validate_tier()
            except AccessError:
                pass  # refused or ignored: what counts is that nothing is decided
            self.assertEqual(self._statuses(visit), [(self.manager_tier, "open")], user.login)
            self.assertEqual(visit.state, "submitted")

        self.assertTrue(visit.with_user(self.ka_manager).can_review)
        self._decide(visit, self.ka_manager)
        self.assertEqual(visit.state, "approved")
        self.assertTrue(visit.approved_date)
        self.assertEqual(visit.review_ids.done_by, self.ka_manager)
        event = visit.calendar_event_id
        self.assertTrue(event)

        # the report is written after the approval, by the responsible KA User
        visit.write(REPORT)
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 0))
        self.assertEqual(self._follow_ups(visit).user_id, self.ka_user)

        expense = self._expense(visit)
        expense.action_claim()
        self.assertEqual(expense.state, "claimed")
        with self.assertRefused(UserError, "still has expenses"):
            visit.action_close()
        self._accepted(visit)
        expense.with_user(self.ka_manager).action_approve()
        expense.with_user(self.ka_manager).action_pay()
        self.assertEqual(expense.state, "paid")
        visit.action_close()
        self.assertEqual(visit.state, "closed")
        self.assertEqual(visit.expense_total, 320.0)
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 0), "closing keeps the counters")

    def test_approval_puts_the_meeting_in_the_calendars(self):
        visit = self._approved(participant_ids=[(6, 0, (self.ka_clerk | self.ka_user_off).ids)])
        event = visit.calendar_event_id
        self.assertEqual(event.partner_ids, (self.ka_user | self.ka_clerk | self.ka_user_off).partner_id)
        self.assertEqual(event.attendee_ids.partner_id, event.partner_ids)
        self.assertEqual((event.start, event.stop), (PLANNED, PLANNED + timedelta(hours=3)))
        self.assertEqual(event.user_id, self.ka_user)
        self.assertEqual(event.location, "Hengtai HQ, Jinan")
        self.assertIn(visit.name, event.name)
        self.assertIn("Hengtai Construction Group", event.name)
        self.assertIn("H-beam price list", str(event.description))
        self.assertEqual(event.privacy, "private")
        self.assertEqual((event.res_model, event.res_id), ("key.account.visit", visit.id))
        # every participant finds it in their own calendar
        for user in (self.ka_user, self.ka_clerk, self.ka_user_off):
            self.assertIn(
                event, self.env["calendar.event"].with_user(user).search([("partner_ids", "in", user.partner_id.id)])
            )
        self.assertEqual(visit.action_open_calendar_event()["res_id"], event.id)

    def test_only_the_right_state_moves_on(self):
        draft = self._plan(**REPORT)
        with self.assertRefused(UserError, "Only an approved plan can be reported"):
            draft.action_done()
        with self.assertRefused(UserError, "Only a reported visit can be closed"):
            draft.action_close()
        with self.assertRefused(UserError, "Only rejected or cancelled"):
            draft.action_reset_draft()
        self.assertEqual(draft.state, "draft")
        submitted = self._submitted()
        with self.assertRefused(UserError, "Only a draft"):
            submitted.action_submit()
        with self.assertRefused(UserError, "Only an approved plan can be reported"):
            submitted.action_done()
        self.assertEqual((submitted.state, len(submitted.review_ids)), ("submitted", 1))
        reported = self._reported()
        with self.assertRefused(UserError, "Only an approved plan can be reported"):
            reported.action_done()
        self.assertEqual(len(self._follow_ups(reported)), 1)

    def test_rejection_and_back_to_draft(self):
        visit = self._submitted()
        self._decide(visit, self.ka_manager, reject=True)
        self.assertEqual(visit.state, "rejected")
        self.assertEqual(visit.review_ids.done_by, self.ka_manager)
        self.assertFalse(visit.calendar_event_id)
        visit.write(REPORT)
        with self.assertRefused(UserError, "Only an approved plan can be reported"):
            visit.action_done()
        visit.action_reset_draft()
        self.assertEqual(visit.state, "draft")
        self.assertFalse(visit.review_ids)
        visit.write({"purpose": "Present the price list, take the objections seriously"})
        visit.action_submit()
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "open")])
        self._decide(visit, self.ka_manager)
        self.assertEqual(visit.state, "approved")
        self.assertTrue(visit.calendar_event_id)

    def test_director_rejects_after_the_manager(self):
        visit = self._submitted(budget=DIRECTOR_BUDGET * 2)
        self._decide(visit, self.ka_manager)
        self._decide(visit, self.ka_director, reject=True)
        self.assertEqual(visit.state, "rejected")
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "approved"), (self.director_tier, "rejected")])
        self.assertFalse(visit.calendar_event_id)

    def test_cancel_before_approval_and_back_to_draft(self):
        draft, submitted = self._plan(), self._submitted()
        (draft | submitted).action_cancel()
        self.assertEqual((draft.state, submitted.state), ("cancelled", "cancelled"))
        self.assertFalse(submitted.review_ids)
        submitted.action_reset_draft()
        self.assertEqual(submitted.state, "draft")
        submitted.action_submit()
        self.assertEqual(self._statuses(submitted), [(self.manager_tier, "open")])

    def test_cancel_an_approved_visit_removes_the_calendar_event(self):
        """The meeting does not take place: the plan is cancelled and leaves the calendars."""
        visit = self._approved(participant_ids=[(6, 0, self.ka_clerk.ids)])
        event = visit.calendar_event_id
        visit.action_cancel()
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(event.exists())
        self.assertFalse(visit.calendar_event_id)
        visit.action_reset_draft()
        visit.action_submit()
        self._decide(visit, self.ka_manager)
        self.assertTrue(visit.calendar_event_id)
        self.assertNotEqual(visit.calendar_event_id, event)

    def test_a_reported_visit_cannot_be_cancelled(self):
        """A visit that took place stays in the account's history (last visit, counters)."""
        reported = self._reported()
        closed = self._reported(report={"date_done": DONE - timedelta(days=1)})
        self._accepted(closed).action_close()
        for plan, state in ((reported, "done"), (closed, "closed")):
            with self.assertRaises(UserError, msg=state):
                plan.action_cancel()
            self.assertEqual(plan.state, state)
            self.assertTrue(plan.calendar_event_id)
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 2, 0))

    def test_the_approval_cannot_be_written_around(self):
        submitted = self._submitted()
        with self.assertRaises(ValidationError):
            submitted.write({"state": "approved"})
        self.assertEqual(submitted.state, "submitted")
        self.assertFalse(submitted.calendar_event_id)

    def test_the_status_moves_only_with_the_buttons(self):
        """Over RPC a status is not a field to write: cancelling, reopening or submitting a
        plan by writing it is refused and changes nothing (the buttons keep their rules)."""
        approved = self._approved()
        plan = self._plan()
        for record, state in ((approved, "cancelled"), (approved, "draft"), (plan, "submitted"), (plan, "closed")):
            before = record.state
            with self.assertRefused(ValidationError, "only with the buttons"):
                record.with_user(self.ka_user).write({"state": state})
            self.assertEqual(record.state, before)
        self.assertTrue(approved.calendar_event_id)
        self.assertFalse(plan.review_ids)
        count = self.env["key.account.visit"].search_count([])
        with self.assertRefused(ValidationError, "only with the buttons"):
            self.env["key.account.visit"].with_user(self.ka_user).create(
                {
                    "partner_id": self.account.id,
                    "purpose": "Born approved",
                    "date_planned": approved.date_planned,
                    "state": "approved",
                }
            )
        self.assertEqual(self.env["key.account.visit"].search_count([]), count)

    def test_the_report_cannot_be_written_around(self):
        """No report, no "done": not even by writing the state (RPC)."""
        approved = self._approved()
        with self.assertRaises(ValidationError):
            approved.write({"state": "done"})
        self.assertEqual(approved.state, "approved")
        expense = self._expense(approved)
        with self.assertRefused(UserError, "No report, no reimbursement"):
            expense.action_claim()

    def test_a_filed_report_cannot_be_emptied(self):
        reported = self._reported()
        for field in ("talking_points", "customer_needs", "date_done", "outcome"):
            with self.assertRaises(ValidationError, msg=field):
                reported.write({field: False})
        reported.invalidate_recordset()
        self.assertEqual(reported.talking_points, REPORT["talking_points"])
