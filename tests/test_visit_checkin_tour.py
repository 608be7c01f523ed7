"""Field work at phone width (issue #22, part A), in Chromium at 390 px with the browser's
position simulated in the tour: the specialist checks in at the customer, files the report and
claims an expense; the KA Manager sees where and when the visit was checked in, accepts the report
and approves the expense (static/tests/tours/key_account_fieldwork_tour.js)."""

from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFieldworkPhoneTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_check_in_report_and_approve_at_phone_width(self):
        specialist = new_test_user(
            self.env,
            "tour_fw_specialist",
            groups="base.group_user,key_account_mgmt.group_ka_user",
            name="Tour Specialist",
        )
        manager = new_test_user(
            self.env, "tour_fw_manager", groups="base.group_user,key_account_mgmt.group_ka_manager", name="Tour Manager"
        )
        account = self.env["res.partner"].create(
            {
                "name": "Tour Field Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
                "key_account_manager_id": specialist.id,
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
            }
        )
        visit = (
            self.env["key.account.visit"]
            .with_user(specialist)
            .create(
                {
                    "partner_id": account.id,
                    "purpose": "Survey of the pump room",
                    "date_planned": datetime.now() - timedelta(hours=1),
                    "location": "Pump room, building 3",
                    "budget": 600,
                }
            )
        )
        visit.action_submit()
        visit.with_user(manager).validate_tier()
        self.env["key.account.visit.expense"].with_user(specialist).create(
            {"visit_id": visit.id, "name": "Taxi to the customer", "amount": 86.0}
        )
        self.assertEqual(visit.state, "approved")

        self.start_tour(
            f"/odoo/action-key_account_mgmt.key_account_visit_action/{visit.id}",
            "key_account_mgmt_fieldwork_specialist",
            login="tour_fw_specialist",
        )

        self.env.invalidate_all()
        self.assertEqual((visit.state, visit.report_review_state), ("done", "pending"))
        self.assertEqual(
            (visit.checkin_status, visit.checkin_distance, visit.checkin_user_id), ("in_range", 334.0, specialist)
        )
        self.assertEqual((visit.checkin_latitude, visit.checkin_accuracy), (31.2334, 8.0))
        self.assertLessEqual(abs(visit.checkin_date - datetime.now()), timedelta(minutes=10))
        self.assertEqual(visit.checkout_status, "in_range")
        self.assertTrue(visit.checkout_date >= visit.checkin_date)
        self.assertIn("without fault", visit.quality_feedback)
        plan = visit.next_visit_id
        self.assertEqual((plan.state, plan.partner_id, plan.user_id), ("draft", account, specialist))
        self.assertEqual(plan.date_planned.date(), visit.next_appointment.date())
        self.assertEqual(visit.expense_line_ids.state, "claimed")

        self.start_tour(
            "/odoo/action-key_account_mgmt.key_account_visit_expense_action_claims",
            "key_account_mgmt_fieldwork_manager",
            login="tour_fw_manager",
        )

        self.env.invalidate_all()
        self.assertEqual((visit.report_review_state, visit.report_reviewer_id), ("accepted", manager))
        self.assertEqual(visit.expense_line_ids.state, "approved")
