"""The report of a visit or reception (issue #22, part A): its check by a KA Manager (检查报告)
before the expenses are approved, accepted or sent back with comments; the next appointment that
becomes the next visit plan or an activity; the market information (seed 001 第11条) reported
across accounts; the optional preparation checklist; and the migration of existing reports."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_visit import DONE, REPORT, VisitCase

NEXT = datetime(2026, 4, 9, 2, 0)  # 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestReportReview(VisitCase):
    def _claimed(self, plan, amount=320.0):
        expense = self._expense(plan, amount=amount)
        expense.action_claim()
        return expense

    def test_expenses_wait_for_the_accepted_report(self):
        for model in ("key.account.visit", "key.account.reception"):
            plan = self._reported(model=model)
            self.assertEqual(plan.report_review_state, "pending")
            expense = self._claimed(plan)
            self.assertEqual(expense.report_review_state, "pending")
            for user in (self.ka_manager, self.ka_director):
                with self.assertRefused(UserError, "Check the report of"):
                    expense.with_user(user).action_approve()
            with self.assertRefused(UserError, "Check the report of"):
                expense.with_user(self.ka_manager).write({"state": "approved"})
            self.assertEqual(expense.state, "claimed")
            # refusing needs no check of the report
            refused = self._claimed(plan, amount=12.0)
            refused.with_user(self.ka_manager).action_refuse()
            fresh = self._reported(model=model)
            with self.assertRefused(UserError, "closes once a KA Manager has accepted"):
                fresh.action_close()
            self.assertEqual(fresh.state, "done")
            plan.with_user(self.ka_manager).action_accept_report()
            self.assertEqual(
                (plan.report_review_state, plan.report_reviewer_id, bool(plan.report_review_date)),
                ("accepted", self.ka_manager, True),
            )
            self.assertEqual(expense.report_review_state, "accepted")
            expense.with_user(self.ka_manager).action_approve()
            expense.with_user(self.ka_manager).action_pay()
            plan.action_close()
            self.assertEqual((expense.state, plan.state), ("paid", "closed"))

    def test_who_checks_the_report(self):
        """A KA Manager (or Director) of the company, not the report's author; nobody else."""
        visit = self._reported()
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Only a Key Account Manager of its company checks"):
                visit.with_user(user).action_accept_report()
        for user in (self.ka_user_off, self.plain_user, self.ka_manager_b):
            with self.assertRaises(AccessError, msg=user.login):
                visit.with_user(user).action_accept_report()
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRaises(AccessError, msg=user.login):
                visit.with_user(user).action_send_back_report("Redo it")
        own = self._reported(self.ka_manager, user_id=self.ka_manager.id)
        with self.assertRefused(AccessError, "your own report"):
            own.with_user(self.ka_manager).action_accept_report()
        own.with_user(self.ka_director).action_accept_report()
        self.assertEqual(own.report_reviewer_id, self.ka_director)
        self.assertEqual(visit.report_review_state, "pending")
        # the review fields are the actions' own
        for user in (self.ka_user, self.ka_manager):
            for vals in ({"report_review_state": "accepted"}, {"report_reviewer_id": user.id}):
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"):
                    visit.with_user(user).write(vals)
        self.assertEqual(visit.report_review_state, "pending")
        # only a filed report waiting for its check
        with self.assertRefused(UserError, "waiting for its review"):
            self._approved().with_user(self.ka_manager).action_accept_report()
        visit.with_user(self.ka_manager).action_accept_report()
        with self.assertRefused(UserError, "waiting for its review"):
            visit.with_user(self.ka_manager).action_accept_report()

    def test_the_reviewers_are_told(self):
        visit = self._reported()
        message = visit.message_ids.filtered(lambda m: "Report filed by" in str(m.body))
        self.assertEqual(len(message), 1)
        self.assertIn(self.ka_manager.partner_id, message.notified_partner_ids)
        self.assertNotIn(self.ka_user.partner_id, message.notified_partner_ids)

    def test_send_back_rework_and_file_again(self):
        visit = self._reported()
        competitors = self.env["key.account.visit.competitor"]
        # the report waiting for its check is locked, with its market information
        with self.assertRefused(ValidationError, "changes only when the reviewer sends it back"):
            visit.with_user(self.ka_user).write({"talking_points": "Rewritten"})
        with self.assertRefused(ValidationError, "changes only when the reviewer sends it back"):
            competitors.with_user(self.ka_user).create(
                {"visit_id": visit.id, "competitor": "Jinlong Steel", "product": "H-beam"}
            )
        for comment in (None, "   ", 42):
            with self.assertRaises(ValidationError, msg=str(comment)):
                visit.with_user(self.ka_manager).action_send_back_report(comment)
        visit.with_user(self.ka_manager).action_send_back_report("Say which competitor quoted 3% below.")
        self.assertEqual(
            (visit.report_review_state, visit.report_review_comment, visit.state),
            ("sent_back", "Say which competitor quoted 3% below.", "done"),
        )
        rework = visit.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(rework.user_id, self.ka_user)
        self.assertIn(visit.name, rework.summary)
        self.assertIn("competitor quoted", str(rework.note))
        expense = self._claimed(visit)
        with self.assertRefused(UserError, "Check the report of"):
            expense.with_user(self.ka_manager).action_approve()
        # reworked by its author
        visit.with_user(self.ka_user).write({"objections": "Jinlong Steel quoted 3% below: offered free cutting"})
        line = competitors.with_user(self.ka_user).create(
            {"visit_id": visit.id, "competitor": "Jinlong Steel", "product": "H-beam H300", "price": 4150.0}
        )
        with self.assertRefused(ValidationError, "Needs and Views of the Customer"):
            visit.with_user(self.ka_user).write({"customer_needs": " "})
        visit.with_user(self.ka_user).action_resubmit_report()
        self.assertEqual(visit.report_review_state, "pending")
        with self.assertRefused(ValidationError, "changes only when the reviewer sends it back"):
            line.with_user(self.ka_user).write({"price": 1.0})
        with self.assertRefused(ValidationError, "changes only when the reviewer sends it back"):
            line.with_user(self.ka_user).unlink()
        with self.assertRefused(UserError, "Only a report sent back"):
            visit.with_user(self.ka_user).action_resubmit_report()
        visit.with_user(self.ka_manager).action_accept_report()
        expense.with_user(self.ka_manager).action_approve()
        self.assertEqual((expense.state, line.price), ("approved", 4150.0))
        with self.assertRefused(ValidationError, "changes only when the reviewer sends it back"):
            visit.with_user(self.ka_user).write({"quality_feedback": "Later addition"})

    def test_send_back_wizard(self):
        visit = self._reported()
        action = visit.with_user(self.ka_manager).action_open_send_back_wizard()
        self.assertEqual(action["res_model"], "key.account.report.send.back.wizard")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.ka_manager)
            .with_context(action["context"])
            .create({"comment": "Add the market information."})
        )
        wizard.action_confirm()
        self.assertEqual((visit.report_review_state, visit.report_reviewer_id), ("sent_back", self.ka_manager))
        with self.assertRaises(AccessError):
            visit.with_user(self.ka_user).action_open_send_back_wizard()


@tagged("post_install", "-at_install")
class TestNextAppointment(VisitCase):
    @freeze_time("2026-03-13 09:00:00")
    def test_next_appointment_becomes_the_next_plan(self):
        visit = self._reported(
            participant_ids=[(6, 0, self.ka_clerk.ids)],
            report={"next_appointment": NEXT, "suggestions": "Bring the cutting price list"},
        )
        plan = visit.next_visit_id
        self.assertTrue(plan)
        self.assertEqual(
            (plan.state, plan.partner_id, plan.user_id, plan.date_planned, plan.method, plan.location),
            ("draft", self.account, self.ka_user, NEXT, "onsite", "Hengtai HQ, Jinan"),
        )
        self.assertEqual((plan.contact_ids, plan.participant_ids), (visit.contact_ids, self.ka_clerk))
        self.assertIn(visit.name, plan.purpose)
        self.assertIn("Bring the cutting price list", plan.purpose)
        self.assertNotEqual(plan.name, visit.name)
        self.assertIn(plan, self.Visit.with_user(self.ka_user).search([("state", "=", "draft")]))
        # the seven-day follow-up stays
        follow_up = self._follow_ups(visit).filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(follow_up.date_deadline, date(2026, 3, 19))
        # sent back and filed again: no second plan
        visit.with_user(self.ka_manager).action_send_back_report("Add the competitor's price")
        visit.with_user(self.ka_user).action_resubmit_report()
        self.assertEqual(self.Visit.search_count([("date_planned", "=", NEXT)]), 1)
        # a reception's next appointment becomes a visit plan too
        reception = self._reported(model="key.account.reception", report={"next_appointment": NEXT})
        self.assertEqual(reception.next_visit_id._name, "key.account.visit")
        self.assertEqual(reception.next_visit_id.date_planned, NEXT)

    @freeze_time("2026-03-13 09:00:00")
    def test_or_an_activity(self):
        self.ka_user.tz = "Asia/Shanghai"
        visit = self._reported(
            report={"next_appointment": datetime(2026, 4, 9, 17, 0), "next_appointment_action": "activity"}
        )
        self.assertFalse(visit.next_visit_id)
        meeting = self._follow_ups(visit).filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_meeting")
        )
        self.assertEqual((meeting.user_id, meeting.date_deadline), (self.ka_user, date(2026, 4, 10)))
        self.assertIn(self.account.name, meeting.summary)
        self.assertEqual(len(self._follow_ups(visit)), 2, "the follow-up and the appointment")

    def test_next_appointment_after_the_meeting(self):
        visit = self._approved()
        visit.write(dict(REPORT, next_appointment=DONE - timedelta(hours=1)))
        with self.assertRefused(ValidationError, "must come after the meeting"):
            visit.action_done()
        self.assertEqual((visit.state, visit.next_visit_id.id), ("approved", False))
        visit.write({"next_appointment": False})
        visit.action_done()
        self.assertFalse(visit.next_visit_id)


@tagged("post_install", "-at_install")
class TestMarketInformation(VisitCase):
    def test_reported_across_accounts(self):
        Competitor = self.env["key.account.visit.competitor"]
        market = {
            "quality_feedback": "Two beams with surface cracks in the last delivery",
            "usage_feedback": "Used for the metro depot; the cutting service is appreciated",
            "satisfaction": "4",
            "industry_news": "Shandong brings forward 30 billion of rail projects",
            "competitor_line_ids": [
                (0, 0, {"competitor": "Jinlong Steel", "product": "H-beam H300", "price": 4150.0, "satisfaction": "3"}),
                (0, 0, {"competitor": "Rizhao Steel", "product": "H-beam H300", "price": 4090.0}),
            ],
        }
        mine = self._reported(report=market)
        other = self._reported(
            self.ka_user_off,
            self.other_account,
            report={
                "satisfaction": "2",
                "competitor_line_ids": [(0, 0, {"competitor": "Jinlong Steel", "product": "Rebar", "price": 3600.0})],
            },
        )
        lines = mine.competitor_line_ids
        self.assertEqual(
            (lines.partner_id, lines.company_id, set(lines.mapped("date")), lines.user_id),
            (self.account, self.company, {date(2026, 3, 12)}, self.ka_user),
        )
        # the manager reads all accounts' lines, grouped by competitor; each KA User their team's
        groups = Competitor.with_user(self.ka_manager)._read_group(
            [], ["competitor"], ["__count", "price:avg"], order="competitor"
        )
        self.assertEqual(
            [(name, count, round(price)) for name, count, price in groups],
            [("Jinlong Steel", 2, 3875), ("Rizhao Steel", 1, 4090)],
        )
        self.assertEqual(Competitor.with_user(self.ka_user).search([]), lines)
        action = lines[0].with_user(self.ka_manager).action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("key.account.visit", mine.id))
        self.assertEqual(Competitor.with_user(self.ka_user_off).search([]), other.competitor_line_ids)
        with self.assertRaises(AccessError):
            Competitor.with_user(self.plain_user).search([])
        # the customer feedback list: the reports with market information
        action = self.env.ref("key_account_mgmt.key_account_visit_action_market")
        from odoo.tools.safe_eval import safe_eval

        found = self.Visit.with_user(self.ka_manager).search(safe_eval(action.domain))
        self.assertEqual(found, mine | other)
        pivot = self.Visit.with_user(self.ka_manager)._read_group(
            [("id", "in", found.ids)], ["satisfaction"], ["__count"]
        )
        self.assertEqual(dict(pivot), {"2": 1, "4": 1})
        # printed with the report
        report = self.env["ir.actions.report"].with_user(self.ka_manager)
        html = report._render_qweb_html("key_account_mgmt.action_report_key_account_visit", mine.ids)[0].decode()
        for text in ("Market Information", "surface cracks", "Jinlong Steel", "Shandong brings forward"):
            self.assertIn(text, html)
        with self.assertRefused(ValidationError, "cannot be negative"):
            Competitor.with_user(self.ka_user).create(
                {"visit_id": self._approved().id, "competitor": "X", "product": "Y", "price": -1.0}
            )

    def test_preparation_checklist(self):
        """Optional: ticked off on the plan, also while it waits for its approval."""
        plan = self._submitted()
        reviews = plan.review_ids
        plan.with_user(self.ka_user).write(
            {
                "prep_discussion_held": True,
                "prep_discussion_notes": "Lead with the lead time",
                "prep_info_collected": True,
            }
        )
        self.assertEqual((plan.state, plan.prep_discussion_held, plan.prep_info_collected), ("submitted", True, True))
        self.assertEqual(plan.review_ids, reviews, "no new approval for the checklist")
        self.assertIn(reviews.status, ("waiting", "pending"))
        plan.with_user(self.ka_manager).validate_tier()
        plan.with_user(self.ka_user).write({"prep_materials_ready": True})
        self.assertEqual(plan.state, "approved")
        # not required to file the report
        self.assertFalse(plan.prep_info_analysed)
        plan.write(REPORT)
        plan.action_done()
        self.assertEqual(plan.state, "done")


@tagged("post_install", "-at_install")
class TestReportReviewMigration(VisitCase):
    def test_existing_reports(self):
        """migrations/18.0.1.9.0/post-fieldwork_report_review.py: reports filed before are
        accepted when closed or when expenses were approved; the others wait for their check."""
        import importlib.util
        from pathlib import Path

        import odoo.addons.key_account_mgmt as module

        closed = self._accepted(self._reported())
        closed.action_close()
        approved = self._accepted(self._reported())
        expense = self._expense(approved)
        expense.action_claim()
        expense.with_user(self.ka_manager).action_approve()
        waiting = self._reported()
        self._expense(waiting).action_claim()
        reception = self._reported(model="key.account.reception")
        plan = self._approved()
        self.env.flush_all()
        self.env.cr.execute("UPDATE key_account_visit SET report_review_state = NULL")
        self.env.cr.execute("UPDATE key_account_reception SET report_review_state = NULL")
        self.env.invalidate_all()
        path = Path(module.__file__).parent / "migrations" / "18.0.1.9.0" / "post-fieldwork_report_review.py"
        spec = importlib.util.spec_from_file_location("kam_post_fieldwork_report_review", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.8.0")
        migration.migrate(self.env.cr, "18.0.1.8.0")
        self.env.invalidate_all()
        self.assertEqual(
            [r.report_review_state for r in (closed, approved, waiting, reception, plan)],
            ["accepted", "accepted", "pending", "pending", False],
        )
