"""Visits and receptions (拜访 / 接待, SPEC §6, seed 001 §3.3; issue #6): the shared flow plan →
submitted → approved → done → closed (or rejected / cancelled), the layered approval with the KA
Director above the company's budget, the calendar event, the mandatory report, the follow-up
within seven days, "no report, no reimbursement" for expenses, the visit dates of the account
(last visit, next visit due from the tier, overdue), the visit rate, the handover, the printed
record and the rights of every group on visits, receptions and their lines."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

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
LINE_MODELS = ("key.account.reception.visitor", "key.account.visit.gift", "key.account.visit.expense")
ALL_MODELS = ("key.account.visit", "key.account.reception") + LINE_MODELS


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
        closed.action_close()
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


@tagged("post_install", "-at_install")
class TestVisitApprovalLevels(VisitCase):
    def test_default_threshold(self):
        self.assertEqual(self.env["res.company"].create({"name": "New Co"}).key_account_visit_director_budget, 20000.0)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.key_account_visit_director_budget, DIRECTOR_BUDGET)

    def test_below_threshold_the_manager_alone_approves(self):
        visit = self._submitted(budget=DIRECTOR_BUDGET - 0.01)
        self.assertFalse(visit.needs_director_approval)
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "open")])
        self._decide(visit, self.ka_manager)
        self.assertEqual(visit.state, "approved")
        self.assertTrue(visit.calendar_event_id)

    def test_budget_at_threshold_needs_the_director(self):
        visit = self._submitted(budget=DIRECTOR_BUDGET)
        self.assertTrue(visit.needs_director_approval)
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "open"), (self.director_tier, "open")])
        self._decide(visit, self.ka_manager)
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "approved"), (self.director_tier, "open")])
        self.assertEqual(visit.state, "submitted")
        self.assertFalse(visit.calendar_event_id, "no meeting before the last level")
        self.assertFalse(visit.with_user(self.ka_manager).can_review)
        self._decide(visit, self.ka_manager)
        self.assertEqual(visit.state, "submitted", "the manager cannot decide the director's level")
        self._decide(visit, self.ka_director)
        self.assertEqual(visit.state, "approved")
        self.assertEqual(visit.review_ids.sorted("sequence").mapped("done_by"), self.ka_manager | self.ka_director)
        self.assertTrue(visit.calendar_event_id)

    def test_the_director_cannot_skip_the_manager_level(self):
        visit = self._submitted(budget=DIRECTOR_BUDGET * 5)
        self._decide(visit, self.ka_director)
        self.assertEqual(self._statuses(visit), [(self.manager_tier, "approved"), (self.director_tier, "open")])
        self.assertEqual(visit.state, "submitted")
        self._decide(visit, self.ka_director)
        self.assertEqual(visit.state, "approved")

    def test_threshold_is_the_company_setting(self):
        visit = self._plan(budget=15000.0)
        self.assertFalse(visit.needs_director_approval)
        self.company.key_account_visit_director_budget = 10000.0
        self.assertTrue(visit.needs_director_approval)
        self.company.key_account_visit_director_budget = 0.0
        big = self._submitted(budget=DIRECTOR_BUDGET * 100)
        self.assertFalse(big.needs_director_approval)
        self._decide(big, self.ka_manager)
        self.assertEqual(big.state, "approved")

    def test_reception_layers(self):
        reception = self._submitted(model="key.account.reception", budget=DIRECTOR_BUDGET + 5000)
        self.assertEqual(
            self._statuses(reception),
            [(self.reception_manager_tier, "open"), (self.reception_director_tier, "open")],
        )
        self._decide(reception, self.ka_manager)
        self.assertEqual(reception.state, "submitted")
        self._decide(reception, self.ka_director)
        self.assertEqual(reception.state, "approved")
        small = self._submitted(model="key.account.reception", budget=800.0)
        self.assertEqual(self._statuses(small), [(self.reception_manager_tier, "open")])


@tagged("post_install", "-at_install")
class TestVisitSubmitAndReport(VisitCase):
    def _assert_untouched(self, plan):
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.submitted_date)
        self.assertFalse(plan.review_ids)

    def test_purpose_required(self):
        for purpose in (False, "", "  \n "):
            for model in ("key.account.visit", "key.account.reception"):
                plan = self._plan(purpose=purpose, model=model)
                with self.assertRefused(ValidationError, "purpose"):
                    plan.action_submit()
                self._assert_untouched(plan)

    def test_non_key_account_refused(self):
        shop = self.env["res.partner"].create({"name": "Ordinary Shop", "is_company": True})
        for model in ("key.account.visit", "key.account.reception"):
            plan = self._plan(self.ka_manager, shop, model=model)
            with self.assertRefused(UserError, "Ordinary Shop is not a key account"):
                plan.action_submit()
            self._assert_untouched(plan)

    def test_negative_budget_or_duration_refused(self):
        for vals in ({"budget": -1.0}, {"duration": -0.5}):
            with self.assertRefused(ValidationError, "cannot be negative"):
                self._plan(**vals)
        self.assertFalse(self.Visit.search([("partner_id", "=", self.account.id)]))

    def test_report_required_to_finish(self):
        visit = self._approved()
        labels = {
            "date_done": "Actual Date",
            "talking_points": "Talking Points",
            "customer_needs": "Needs and Views of the Customer",
            "outcome": "Outcome",
        }
        for field, label in labels.items():
            for empty in (False, "   ") if field in ("talking_points", "customer_needs") else (False,):
                visit.write(dict(REPORT, **{field: empty}))
                with self.assertRefused(ValidationError, f"is missing: {label}"):
                    visit.action_done()
                visit.invalidate_recordset()
                self.assertEqual(visit.state, "approved")
        nothing = self._approved()
        with self.assertRefused(
            ValidationError, "Actual Date, Talking Points, Needs and Views of the Customer, Outcome"
        ):
            nothing.action_done()
        self.assertEqual(nothing.state, "approved")
        self.assertFalse(self._follow_ups(visit) | self._follow_ups(nothing))
        self.assertEqual(self._visit_fields(self.account), (False, 0, 0))

    def test_not_yet_needs_a_reason(self):
        visit = self._approved()
        for reason in (False, " "):
            visit.write(dict(REPORT, outcome="not_yet", outcome_reason=reason))
            with self.assertRefused(ValidationError, "Why Not Yet"):
                visit.action_done()
            self.assertEqual(visit.state, "approved")
        visit.write({"outcome_reason": "Budget frozen until the provincial bond is issued"})
        visit.action_done()
        self.assertEqual((visit.state, visit.outcome), ("done", "not_yet"))

    def test_reception_report_required_too(self):
        reception = self._approved(model="key.account.reception")
        reception.write(dict(REPORT, customer_needs=False))
        with self.assertRefused(ValidationError, "Needs and Views of the Customer"):
            reception.action_done()
        self.assertEqual(reception.state, "approved")

    @freeze_time("2026-03-13 09:00:00")
    def test_follow_up_within_seven_days(self):
        visit = self._approved(participant_ids=[(6, 0, self.ka_clerk.ids)])
        # the manager files the report for the responsible KA User: the follow-up is the latter's
        visit.with_user(self.ka_manager).write(dict(REPORT, date_done=datetime(2026, 3, 12, 15, 30)))
        visit.with_user(self.ka_manager).action_done()
        activity = self._follow_ups(visit)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.ka_user)
        self.assertEqual(activity.date_deadline, date(2026, 3, 19))
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertIn(visit.name, activity.summary)
        self.assertIn(activity, self.Activity.with_user(self.ka_user).search([("user_id", "=", self.ka_user.id)]))
        reception = self._reported(model="key.account.reception", report={"date_done": datetime(2026, 3, 1, 8, 0)})
        self.assertEqual(self._follow_ups(reception).date_deadline, date(2026, 3, 8))


@tagged("post_install", "-at_install")
class TestVisitDates(VisitCase):
    @freeze_time("2026-03-13 09:00:00")
    def test_last_visit_counters_and_next_visit_due_follow_the_tier(self):
        created = self.account.create_date.date()
        self.assertEqual(self._visit_fields(self.account), (False, 0, 0))
        self.assertEqual(
            self.account.key_account_next_visit_date, created + timedelta(days=30), "never visited: from the creation"
        )

        self._reported()
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 0))
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 4, 11))  # strategic: every 30 days

        # an older reception counts but does not move the last visit back
        self._reported(model="key.account.reception", report={"date_done": datetime(2026, 3, 5, 3, 0)})
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 1))
        self.assertEqual(self.other_account.key_account_visit_count, 0, "other accounts untouched")

        # change the tier, then the tier's frequency
        self.account.key_account_tier_id = self.tier_key
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 5, 11))  # key: every 60 days
        self.tier_key.visit_frequency_days = 45
        self.account.invalidate_recordset()
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 4, 26))
        # only reported plans count
        self._approved()
        self._submitted()
        self._plan()
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 1))

    def test_visit_dates_are_written_only_by_the_report(self):
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaises(UserError, msg=user.login):  # AccessError is a UserError
                self.account.with_user(user).write({"key_account_last_visit_date": "2026-03-01"})
        self.assertFalse(self.account.key_account_last_visit_date)

    def test_overdue_flag_and_search(self):
        with freeze_time("2026-02-01 09:00:00"):
            # strategic account visited on 5 January: due 4 February
            self._reported(report={"date_done": datetime(2026, 1, 5, 4, 0)})
            # key account visited on 1 February: due 2 April
            self._reported(self.ka_user_off, self.other_account, report={"date_done": datetime(2026, 2, 1, 4, 0)})
        shop = self.env["res.partner"].create({"name": "Ordinary Shop", "is_company": True})
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 2, 4))
        self.assertEqual(self.other_account.key_account_next_visit_date, date(2026, 4, 2))
        self.assertFalse(shop.sudo().key_account_next_visit_date)
        Partner = self.env["res.partner"].with_user(self.ka_manager)
        accounts = self.account | self.other_account | shop

        def overdue():
            accounts.invalidate_recordset(["key_account_visit_overdue"])
            return {p: p.with_user(self.ka_manager).key_account_visit_overdue for p in accounts}

        def searched(operator, value):
            return Partner.search([("key_account_visit_overdue", operator, value), ("id", "in", accounts.ids)])

        with freeze_time("2026-02-04 09:00:00"):
            self.assertEqual(
                overdue(), {self.account: False, self.other_account: False, shop: False}, "due today is not late"
            )
            self.assertFalse(searched("=", True))
            self.assertEqual(searched("=", False), accounts)
        with freeze_time("2026-02-05 09:00:00"):
            self.assertEqual(overdue(), {self.account: True, self.other_account: False, shop: False})
            self.assertEqual(searched("=", True), self.account)
            self.assertEqual(searched("!=", False), self.account)
            self.assertEqual(searched("=", False), self.other_account | shop)
            self.assertEqual(searched("!=", True), self.other_account | shop)
            # a new visit clears the flag
            self._reported(report={"date_done": datetime(2026, 2, 5, 1, 0)})
            self.assertEqual(overdue()[self.account], False)
            self.assertFalse(searched("=", True))
        with freeze_time("2026-04-03 09:00:00"):  # account due 7 March, other account due 2 April
            self.assertEqual(searched("=", True), self.account | self.other_account)
            self.assertEqual(searched("=", False), shop)
        with self.assertRefused(UserError, "Unsupported search"):
            Partner.search([("key_account_visit_overdue", "in", [True])])


@tagged("post_install", "-at_install")
class TestVisitExpenses(VisitCase):
    def test_draft_expenses_any_time(self):
        for plan in (
            self._plan(),
            self._submitted(),
            self._approved(),
            self._reported(),
            self._approved(model="key.account.reception"),
        ):
            expense = self._expense(plan, amount=100.0)
            self.assertEqual(expense.state, "draft")
            self.assertEqual(
                (expense.partner_id, expense.company_id, expense.user_id), (self.account, self.company, self.ka_user)
            )
            self.assertEqual(plan.expense_total, 100.0)

    def test_claim_before_the_report_refused(self):
        for model in ("key.account.visit", "key.account.reception"):
            for plan in (self._plan(model=model), self._submitted(model=model), self._approved(model=model)):
                expense = self._expense(plan)
                for user in (self.ka_user, self.ka_manager):
                    with self.assertRefused(UserError, "No report, no reimbursement"):
                        expense.with_user(user).action_claim()
                    expense.invalidate_recordset()
                    self.assertEqual(expense.state, "draft")
                with self.assertRefused(UserError, "No report, no reimbursement"):
                    self._expense(plan, name="Dinner with the buyer", state="claimed")
                self.assertEqual(self.Expense.search([("name", "=", "Dinner with the buyer")]).ids, [])

    def test_claim_after_the_report(self):
        for model in ("key.account.visit", "key.account.reception"):
            plan = self._approved(model=model)
            expense = self._expense(plan)
            plan.write(REPORT)
            plan.action_done()
            expense.action_claim()
            self.assertEqual(expense.state, "claimed")
            with self.assertRefused(UserError, "Only draft expenses can be claimed"):
                expense.action_claim()

    def test_only_managers_approve_refuse_and_pay(self):
        visit = self._reported()
        expense, other = self._expense(visit), self._expense(visit, amount=88.0)
        (expense | other).action_claim()
        for user in (self.ka_user, self.ka_clerk):
            for action in ("action_approve", "action_refuse"):
                with self.assertRefused(AccessError, "Only a Key Account Manager"):
                    getattr(expense.with_user(user), action)()
            for state in ("approved", "paid", "refused"):
                with self.assertRefused(AccessError, "Only a Key Account Manager"):
                    expense.with_user(user).write({"state": state})
            expense.invalidate_recordset()
            self.assertEqual(expense.state, "claimed", user.login)
        expense.with_user(self.ka_manager).action_approve()
        self.assertEqual(expense.state, "approved")
        with self.assertRefused(AccessError, "Only a Key Account Manager"):
            expense.with_user(self.ka_user).action_pay()
        self.assertEqual(expense.state, "approved")
        with self.assertRefused(UserError, "Only claimed expenses can be approved"):
            expense.with_user(self.ka_manager).action_approve()
        with self.assertRefused(UserError, "Only approved expenses can be paid"):
            other.with_user(self.ka_manager).action_pay()
        expense.with_user(self.ka_manager).action_pay()
        other.with_user(self.ka_director).action_refuse()
        self.assertEqual((expense.state, other.state), ("paid", "refused"))

    def test_approved_and_paid_expenses_cannot_be_changed(self):
        visit = self._reported()
        approved, paid = self._expense(visit, amount=100.0), self._expense(visit, amount=200.0)
        (approved | paid).action_claim()
        (approved | paid).with_user(self.ka_manager).action_approve()
        paid.with_user(self.ka_manager).action_pay()
        for line in (approved, paid):
            for user in (self.ka_user, self.ka_manager):
                with self.assertRefused(UserError, "cannot be changed"):
                    line.with_user(user).write({"amount": 999.0})
                with self.assertRefused(UserError, "cannot be changed"):
                    line.with_user(user).write({"name": "Renamed", "state": line.state})
        (approved | paid).invalidate_recordset()
        self.assertEqual((approved.amount, paid.amount, visit.expense_total), (100.0, 200.0, 300.0))

    def test_approved_and_paid_expenses_cannot_be_reopened_or_deleted_by_the_claimant(self):
        visit = self._reported()
        paid = self._expense(visit, amount=200.0)
        paid.action_claim()
        paid.with_user(self.ka_manager).action_approve()
        paid.with_user(self.ka_manager).action_pay()
        for state in ("draft", "claimed"):
            with self.assertRaises(UserError, msg=state):  # AccessError is a UserError
                paid.with_user(self.ka_user).write({"state": state})
            paid.invalidate_recordset()
            self.assertEqual(paid.state, "paid")
        with self.assertRaises(UserError):
            paid.with_user(self.ka_user).unlink()
        self.assertTrue(paid.exists())
        self.assertEqual(visit.expense_total, 200.0)

    def test_positive_amounts_only(self):
        visit = self._approved()
        for amount in (-50.0, 0.0):
            with self.assertRefused(ValidationError, "positive amount"):
                self._expense(visit, amount=amount)
        expense = self._expense(visit, amount=10.0)
        with self.assertRefused(ValidationError, "positive amount"):
            expense.write({"amount": -10.0})
        self.assertEqual(expense.amount, 10.0)
        for vals in ({"quantity": -1}, {"unit_value": -5.0}, {"quantity_given": -2}):
            with self.assertRefused(ValidationError, "cannot be negative"):
                self.Gift.with_user(self.ka_user).create({"visit_id": visit.id, "name": "Tea set", **vals})
        self.assertEqual(len(visit.expense_line_ids), 1)
        self.assertFalse(visit.gift_line_ids)

    def test_a_line_belongs_to_one_plan(self):
        visit, reception = self._approved(), self._approved(model="key.account.reception")
        with self.assertRefused(ValidationError, "one visit or one reception"):
            self.Expense.create({"visit_id": visit.id, "reception_id": reception.id, "name": "Taxi", "amount": 30.0})
        with self.assertRefused(ValidationError, "one visit or one reception"):
            self.Gift.create({"visit_id": visit.id, "reception_id": reception.id, "name": "Tea set"})

    def test_close_refused_while_claimed_or_approved(self):
        visit = self._reported()
        expense = self._expense(visit)
        draft, refused = self._expense(visit, amount=5.0), self._expense(visit, amount=7.0)
        refused.action_claim()
        refused.with_user(self.ka_manager).action_refuse()
        expense.action_claim()
        with self.assertRefused(UserError, "still has expenses waiting"):
            visit.action_close()
        self.assertEqual(visit.state, "done")
        expense.with_user(self.ka_manager).action_approve()
        with self.assertRefused(UserError, "still has expenses waiting"):
            visit.action_close()
        self.assertEqual(visit.state, "done")
        expense.with_user(self.ka_manager).action_pay()
        visit.action_close()
        self.assertEqual(visit.state, "closed")
        self.assertEqual(draft.state, "draft")

        reception = self._reported(model="key.account.reception")
        claimed = self._expense(reception)
        claimed.action_claim()
        with self.assertRefused(UserError, "still has expenses waiting"):
            reception.action_close()
        self.assertEqual(reception.state, "done")


@tagged("post_install", "-at_install")
class TestReception(VisitCase):
    def test_visitors_and_hosts_join_the_meeting(self):
        # the clerk prepares the reception of the account's visitors for the account manager
        reception = self._reception(
            self.ka_clerk,
            user_id=self.ka_user.id,
            participant_ids=[(6, 0, self.ka_clerk.ids)],
            host_ids=[(6, 0, self.ka_director.ids)],
            agenda="09:00 mill tour; 11:00 quality lab; 12:00 lunch",
            meal_standard="Business lunch, 4 persons",
            lodging_standard="Jinan Sofitel, 2 nights",
            see_off="Driver to Jinan West station",
            visitor_ids=[
                (0, 0, {"contact_id": self.contact.id}),
                (0, 0, {"name": "Chen Ming", "title": "Site Manager"}),
            ],
        )
        self.assertRegex(reception.name, r"^REC/\d{4}/\d{4}$")
        by_contact, by_name = reception.visitor_ids
        self.assertEqual(by_contact.name, "Sun Li")
        self.assertEqual((by_name.name, by_name.title), ("Chen Ming", "Site Manager"))
        self.assertEqual(reception.visitor_ids.partner_id, self.account)
        self.assertEqual(reception.visitor_ids.company_id, self.company)
        reception.action_submit()
        self.assertFalse(reception.calendar_event_id)
        self._decide(reception, self.ka_manager)
        event = reception.calendar_event_id
        self.assertEqual(reception.state, "approved")
        self.assertEqual(event.partner_ids, (self.ka_user | self.ka_clerk | self.ka_director).partner_id)
        self.assertEqual((event.res_model, event.res_id), ("key.account.reception", reception.id))
        self.assertIn(
            event,
            self.env["calendar.event"]
            .with_user(self.ka_director)
            .search([("partner_ids", "in", self.ka_director.partner_id.id)]),
        )

        reception.write(REPORT)
        reception.action_done()
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 0, 1))

    def test_a_visitor_from_the_contacts_takes_name_and_function(self):
        reception = self._reception(
            visitor_ids=[
                (0, 0, {"contact_id": self.contact.id}),
                (0, 0, {"contact_id": self.engineer.id, "title": "Project Lead"}),
            ]
        )
        self.assertEqual(
            [(v.name, v.title) for v in reception.visitor_ids],
            [("Sun Li", "Purchasing Director"), ("Zhou Qiang", "Project Lead")],
        )

    def test_gift_totals(self):
        visit = self._plan(
            gift_line_ids=[
                (0, 0, {"name": "Company brochure", "quantity": 20, "unit_value": 12.5}),
                (0, 0, {"name": "Longjing tea set", "quantity": 2, "unit_value": 380.0}),
            ]
        )
        self.assertEqual(visit.gift_line_ids.mapped("subtotal"), [250.0, 760.0])
        self.assertEqual(visit.gift_total, 1010.0)
        self.assertEqual(visit.gift_line_ids.partner_id, self.account)
        visit.gift_line_ids[1].write({"quantity": 3})
        self.assertEqual(visit.gift_total, 1390.0)
        visit.write({"gift_line_ids": [(2, visit.gift_line_ids[0].id)]})
        self.assertEqual(visit.gift_total, 1140.0)

        reception = self._reception(
            gift_line_ids=[(0, 0, {"name": "Welcome basket", "quantity": 4, "unit_value": 99.0})]
        )
        self.assertEqual(reception.gift_total, 396.0)
        self.assertEqual(visit.gift_total, 1140.0, "the lines of the reception are not the visit's")
        # gifts given are reported after the approval
        approved = self._approved(gift_line_ids=[(0, 0, {"name": "Tea set", "quantity": 2, "unit_value": 380.0})])
        approved.gift_line_ids.write({"quantity_given": 1})
        self._expense(approved, amount=120.0)
        self._expense(approved, amount=80.5)
        self.assertEqual((approved.gift_total, approved.expense_total), (760.0, 200.5))


@tagged("post_install", "-at_install")
class TestVisitRights(VisitCase):
    """KA User on the team: CRUD on the account's plans; off the team: nothing; clerks,
    managers and directors: all of their companies; plain users: no access at all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit = cls._plan(gift_line_ids=[(0, 0, {"name": "Tea set", "quantity": 2, "unit_value": 380.0})])
        cls.visit_expense = cls._expense(cls.visit)
        cls.reception = cls._reception(
            visitor_ids=[(0, 0, {"name": "Chen Ming"})], gift_line_ids=[(0, 0, {"name": "Brochure"})]
        )
        cls.reception_expense = cls._expense(cls.reception, amount=45.0)
        cls.other_visit = cls._plan(cls.ka_user_off, cls.other_account)
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Company B Customer",
                "is_company": True,
                "company_id": cls.company_b.id,
                "is_key_account": True,
                "key_account_manager_id": cls.ka_manager_b.id,
            }
        )
        cls.visit_b = cls._plan(cls.ka_manager_b, cls.partner_b)

    def _records(self):
        """Every record of ``account`` per model."""
        return {
            "key.account.visit": self.visit,
            "key.account.reception": self.reception,
            "key.account.reception.visitor": self.reception.visitor_ids,
            "key.account.visit.gift": self.visit.gift_line_ids | self.reception.gift_line_ids,
            "key.account.visit.expense": self.visit_expense | self.reception_expense,
        }

    def _sees(self, user, records):
        found = self.env[records._name].with_user(user).search([("id", "in", records.ids)])
        return found == records

    def test_plain_user_has_no_access(self):
        for model, records in self._records().items():
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.plain_user).search([])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.plain_user).read(["name"])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.plain_user).write({"name": "Plain"})
        with self.assertRaises(AccessError):
            self._plan(self.plain_user)
        with self.assertRaises(AccessError):
            self._expense(self.visit, self.plain_user)
        # nor on the partner: the visit fields are KA fields
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_next_visit_date"])

    def test_ka_user_on_the_team(self):
        Visit = self.Visit.with_user(self.ka_user)
        self.assertEqual(Visit.search([]), self.visit)
        self.assertEqual(self.Reception.with_user(self.ka_user).search([]), self.reception)
        for model, records in self._records().items():
            self.assertTrue(self._sees(self.ka_user, records), model)
            records.with_user(self.ka_user).read(["name"])
        self.assertFalse(self._sees(self.ka_user, self.other_visit))
        # create, write, delete drafts with their lines
        visit = self._plan(self.ka_user, gift_line_ids=[(0, 0, {"name": "Brochure"})])
        visit.write({"location": "Jinan West site office", "participant_ids": [(4, self.ka_clerk.id)]})
        visit.gift_line_ids.write({"quantity": 5})
        self._expense(visit).write({"amount": 99.0})
        self.reception.with_user(self.ka_user).visitor_ids.write({"title": "Buyer"})
        self.Visitor.with_user(self.ka_user).create({"reception_id": self.reception.id, "name": "Wu Gang"})
        self.assertEqual(len(self.reception.visitor_ids), 2)
        self.reception.with_user(self.ka_user).visitor_ids[-1:].unlink()
        self.assertEqual((visit.location, visit.gift_total, visit.expense_total), ("Jinan West site office", 0.0, 99.0))
        visit.gift_line_ids.unlink()
        visit.expense_line_ids.unlink()
        visit.unlink()
        self.assertFalse(visit.exists())
        # only drafts (and cancelled plans) are deleted
        submitted = self._submitted(self.ka_user)
        with self.assertRefused(UserError, "Only plans .*can be deleted"):
            submitted.unlink()
        approved = self._approved(self.ka_user)
        for plan in (submitted, approved):
            with self.assertRefused(UserError, "Only plans .*can be deleted"):
                plan.with_user(self.ka_manager).unlink()
            self.assertTrue(plan.exists())
        submitted.action_cancel()
        submitted.unlink()
        self.assertFalse(submitted.exists())
        # not for an account of which they are not on the team
        for model in ("key.account.visit", "key.account.reception"):
            with self.assertRaises(AccessError, msg=model):
                self._plan(self.ka_user, self.other_account, model=model)
        with self.assertRaises(AccessError):
            self._expense(self.other_visit, self.ka_user)

    def test_ka_user_off_the_team_sees_nothing(self):
        self.assertEqual(self.Visit.with_user(self.ka_user_off).search([]), self.other_visit)
        self.assertFalse(self.Reception.with_user(self.ka_user_off).search([]))
        for model, records in self._records().items():
            self.assertFalse(self.env[model].with_user(self.ka_user_off).search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_user_off).read(["name"])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_user_off).write({"name": "Seen"})
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_user_off).unlink()
        with self.assertRaises(AccessError):
            self._plan(self.ka_user_off)
        with self.assertRaises(AccessError):
            self._expense(self.visit, self.ka_user_off)
        self.assertEqual(self.visit.name[:4], "VIS/")
        # on the team they see it at once
        self.env["key.account.team.member"].create(
            {"partner_id": self.account.id, "user_id": self.ka_user_off.id, "role": "liaison"}
        )
        for model, records in self._records().items():
            self.assertTrue(self._sees(self.ka_user_off, records), model)

    def test_clerk_manager_and_director_all_of_the_company(self):
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(self.Visit.with_user(user).search([]), self.visit | self.other_visit, user.login)
            for model, records in self._records().items():
                self.assertTrue(self._sees(user, records), f"{user.login} {model}")
            self.assertTrue(self._sees(user, self.other_visit))
            self.assertFalse(self._sees(user, self.visit_b), user.login)
            self.other_visit.with_user(user).write({"location": f"Set by {user.login}"})
            self.assertEqual(self.other_visit.location, f"Set by {user.login}")
            plan = self._plan(user, self.other_account, model="key.account.reception")
            self._expense(plan, user).write({"amount": 12.0})
            plan.expense_line_ids.unlink()
            plan.unlink()

    def test_company_b_manager_sees_nothing(self):
        self.assertEqual(self.Visit.with_user(self.ka_manager_b).search([]), self.visit_b)
        self.assertFalse(self.Reception.with_user(self.ka_manager_b).search([]))
        for model, records in self._records().items():
            self.assertFalse(self.env[model].with_user(self.ka_manager_b).search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_manager_b).read(["name"])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_manager_b).write({"name": "From B"})
        self.assertEqual(self.visit_b.company_id, self.company_b)

    def test_export_only_for_managers(self):
        # Odoo's own export right, so that what refuses below is the key-account rule
        export = self.env.ref("base.group_allow_export")
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            user.groups_id = [(4, export.id)]
        for model, records in self._records().items():
            for user in (self.ka_user, self.ka_clerk):
                with self.assertRefused(AccessError, "Only Key Account Managers may export"):
                    records.with_user(user).export_data(["name"])
            for user in (self.ka_manager, self.ka_director):
                rows = records.with_user(user).export_data(["name"])["datas"]
                self.assertEqual(
                    sorted(row[0] for row in rows), sorted(records.mapped("name")), f"{user.login} {model}"
                )

    def test_the_partner_smart_button(self):
        action = (
            self.account.with_user(self.ka_user)
            .with_context(key_account_model="key.account.visit")
            .action_open_key_account_records()
        )
        self.assertEqual(action["res_model"], "key.account.visit")
        self.assertEqual(self.Visit.with_user(self.ka_user).search(action["domain"]), self.visit)
        self.assertEqual(self.Visit.with_user(self.ka_user_off).search(action["domain"]).ids, [])


@tagged("post_install", "-at_install")
class TestVisitRate(VisitCase):
    def test_planned_versus_done_per_user(self):
        march = {"date_planned": datetime(2026, 3, 20, 2, 0)}
        self._reported(**march)
        self._approved(**march)
        self._plan(**march).action_cancel()
        self._decide(self._submitted(**march), self.ka_manager, reject=True)
        self._reported(model="key.account.reception", **march).action_close()
        self._reported(date_planned=datetime(2026, 4, 1, 2, 0))  # April: outside
        self._reported(date_planned=datetime(2026, 2, 28, 15, 0))  # February (UTC): outside
        self._plan(self.ka_user_off, self.other_account, date_planned=datetime(2026, 3, 31, 15, 0))
        self._plan(
            self.ka_manager_b,
            self.env["res.partner"].create(
                {
                    "name": "Company B Customer",
                    "is_company": True,
                    "company_id": self.company_b.id,
                    "is_key_account": True,
                }
            ),
            date_planned=datetime(2026, 3, 5, 2, 0),
        )

        # as in a request: the companies selected in the switcher
        Metrics = self.env["key.account.activity.metrics"].with_context(allowed_company_ids=self.company.ids)
        rate = Metrics._visit_rate(date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(rate, {self.ka_user.id: (3, 2), self.ka_user_off.id: (1, 0)})
        self.assertEqual(
            Metrics._visit_rate(date(2026, 3, 1), date(2026, 3, 31), user_ids=self.ka_user_off.ids),
            {self.ka_user_off.id: (1, 0)},
        )
        self.assertEqual(Metrics._visit_rate(date(2026, 3, 1), date(2026, 4, 30))[self.ka_user.id], (4, 3))
        self.assertEqual(
            Metrics.with_context(allowed_company_ids=self.company_b.ids)._visit_rate(
                date(2026, 3, 1), date(2026, 3, 31)
            ),
            {self.ka_manager_b.id: (1, 0)},
        )
        self.assertEqual(Metrics._visit_rate(date(2025, 3, 1), date(2025, 3, 31)), {})


@tagged("post_install", "-at_install")
class TestVisitHandover(VisitCase):
    def test_open_visits_move_reported_ones_stay(self):
        draft = self._plan()
        submitted = self._submitted(participant_ids=[(6, 0, self.ka_clerk.ids)])
        approved = self._approved(
            self.ka_clerk, user_id=self.ka_clerk.id, participant_ids=[(6, 0, (self.ka_user | self.ka_director).ids)]
        )
        reception = self._submitted(
            self.ka_manager,
            model="key.account.reception",
            user_id=self.ka_manager.id,
            participant_ids=[(6, 0, self.ka_user.ids)],
        )
        reported = self._reported(participant_ids=[(6, 0, self.ka_clerk.ids)])
        closed = self._reported()
        closed.action_close()
        cancelled = self._plan()
        cancelled.action_cancel()
        untouched = self._plan(self.ka_clerk, user_id=self.ka_clerk.id)

        wizard = (
            self.env["key.account.handover.wizard"]
            .with_user(self.ka_manager)
            .create(
                {
                    "from_user_id": self.ka_user.id,
                    "to_user_id": self.ka_user_off.id,
                    "note": "Leaving",
                }
            )
        )
        self.assertEqual(wizard.visit_count, 4)
        wizard.action_handover()
        # ka_user left the account team: read as the superuser
        draft, submitted, reception, approved, reported, closed, cancelled, untouched = (
            plan.with_env(self.env)
            for plan in (draft, submitted, reception, approved, reported, closed, cancelled, untouched)
        )
        self.env.invalidate_all()
        self.assertEqual((draft.user_id, submitted.user_id), (self.ka_user_off, self.ka_user_off))
        self.assertEqual(submitted.participant_ids, self.ka_clerk)
        self.assertEqual(submitted.state, "submitted")
        self.assertEqual(approved.user_id, self.ka_clerk)
        self.assertEqual(approved.participant_ids, self.ka_user_off | self.ka_director)
        self.assertEqual(reception.user_id, self.ka_manager)
        self.assertEqual(reception.participant_ids, self.ka_user_off)
        for plan in (reported, closed, cancelled):
            self.assertEqual(plan.user_id, self.ka_user, plan.state)
        self.assertEqual(reported.participant_ids, self.ka_clerk)
        self.assertEqual(untouched.user_id, self.ka_clerk)
        # noted in the handover history, not in the partner's chatter (issue #16)
        handover = self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])
        self.assertIn(draft.name, handover.items)
        self.assertIn(reception.name, handover.items)
        # the new account manager works on them
        self.assertEqual(self.Visit.with_user(self.ka_user_off).search([("id", "=", draft.id)]), draft)


@tagged("post_install", "-at_install")
class TestVisitRecord(VisitCase):
    def _html(self, report, plans, user):
        html, kind = self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, plans.ids)
        self.assertEqual(kind, "html")
        return html.decode()

    def test_visit_record_renders(self):
        visit = self._reported(
            participant_ids=[(6, 0, self.ka_clerk.ids)],
            report={
                "outcome": "not_yet",
                "outcome_reason": "Waiting for the provincial bond",
            },
            gift_line_ids=[(0, 0, {"name": "Longjing tea set", "quantity": 2, "unit_value": 380.0})],
        )
        action = visit.action_print_record()
        self.assertEqual(action["report_name"], "key_account_mgmt.report_key_account_visit")
        for user in (self.ka_user, self.ka_manager):
            html = self._html("key_account_mgmt.action_report_key_account_visit", visit, user)
            for text in (
                visit.name,
                "Visit Record",
                "Hengtai Construction Group",
                REPORT["talking_points"],
                REPORT["customer_needs"],
                "Waiting for the provincial bond",
                "Sun Li",
                "Zhou Qiang",
                "KA Clerk",
                "Longjing tea set",
            ):
                self.assertIn(text, html, f"{user.login}: {text}")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            # test mode falls back to HTML unless forced
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.ka_user)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("key_account_mgmt.action_report_key_account_visit", visit.ids)
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))

    def test_reception_report_renders(self):
        reception = self._reported(
            model="key.account.reception", visitor_ids=[(0, 0, {"name": "Chen Ming", "title": "Site Manager"})]
        )
        html = self._html("key_account_mgmt.action_report_key_account_reception", reception, self.ka_user)
        for text in ("Reception Report", reception.name, "Chen Ming (Site Manager)", REPORT["talking_points"]):
            self.assertIn(text, html)

    def test_off_team_cannot_print(self):
        visit = self._reported()
        for user in (self.ka_user_off, self.ka_manager_b, self.plain_user):
            # QWeb wraps the AccessError met while rendering
            with self.assertRaises(Exception, msg=user.login) as caught:
                self._html("key_account_mgmt.action_report_key_account_visit", visit, user)
            error = caught.exception
            self.assertIsInstance(error if isinstance(error, AccessError) else error.__cause__, AccessError, user.login)
