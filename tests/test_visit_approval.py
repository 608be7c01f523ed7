"""Visit and reception approval (SPEC §6, issue #6): the layered approval with the KA Director
above the company's budget, what a plan needs to be submitted, the mandatory report and the
follow-up within seven days."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_visit import DIRECTOR_BUDGET, REPORT, VisitCase


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
