"""Browser tours (Chromium, headless) driven from pytest-odoo with --odoo-http."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKeyAccountTours(HttpCase):
    def test_ka_user_opens_key_account(self):
        ka_user = new_test_user(
            self.env, "ka_tour_user", groups="base.group_user,key_account_mgmt.group_ka_user", name="KA User On Team"
        )
        self.env["res.partner"].create(
            {
                "name": "Tour Strategic Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
                "key_account_manager_id": ka_user.id,
            }
        )
        self.start_tour("/odoo", "key_account_mgmt_open_key_account", login="ka_tour_user")

    def test_nominate_approve_key_account(self):
        """Issue #3: a plain salesperson nominates a company and submits it; the KA Manager
        validates it and the company becomes a key account with its code."""
        salesperson = new_test_user(
            self.env,
            "tour_salesperson",
            groups="base.group_user,sales_team.group_sale_salesman",
            name="Tour Salesperson",
        )
        new_test_user(
            self.env,
            "tour_ka_manager",
            groups="base.group_user,key_account_mgmt.group_ka_manager",
            name="Tour KA Manager",
        )
        self.assertFalse(salesperson.has_group("key_account_mgmt.group_ka_user"))
        self.assertEqual(self.env.company.key_account_nomination_director_amount, 5000000.0)
        partner = self.env["res.partner"].create({"name": "Tour Candidate Company", "is_company": True})
        Application = self.env["key.account.application"]

        self.start_tour("/odoo", "key_account_mgmt_nominate", login="tour_salesperson")

        self.env.invalidate_all()
        application = Application.search([("partner_id", "=", partner.id)])
        self.assertEqual(len(application), 1)
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.user_id, salesperson)
        self.assertEqual(application.expected_annual_sales, 250000.0)
        self.assertIn("Largest buyer", application.reasons)
        self.assertFalse(application.needs_director_approval)
        self.assertEqual(application.review_ids.mapped("status"), ["pending"])
        self.assertEqual(
            application.review_ids.definition_id, self.env.ref("key_account_mgmt.tier_definition_application_manager")
        )
        self.assertFalse(partner.is_key_account)

        self.start_tour("/odoo", "key_account_mgmt_approve_nomination", login="tour_ka_manager")

        self.env.invalidate_all()
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.validation_status, "validated")
        self.assertEqual(application.review_ids.done_by.login, "tour_ka_manager")
        self.assertTrue(partner.is_key_account)
        self.assertTrue(partner.key_account_code)
        self.assertTrue(partner.key_account_code.startswith("KA"))
        self.assertEqual(application.key_account_code, partner.key_account_code)
        self.assertEqual(partner.key_account_manager_id, salesperson)

    def test_archive_access_request_grant(self):
        """Issue #3: a KA User off the account team requests access to a client archive, a KA
        Manager grants it and the KA User reads the archive; the read is registered."""
        team_user = new_test_user(
            self.env, "tour_ka_team", groups="base.group_user,key_account_mgmt.group_ka_user", name="KA User On Team"
        )
        outsider = new_test_user(
            self.env,
            "tour_ka_outsider",
            groups="base.group_user,key_account_mgmt.group_ka_user",
            name="KA User Off Team",
        )
        manager = new_test_user(
            self.env,
            "tour_ka_manager",
            groups="base.group_user,key_account_mgmt.group_ka_manager",
            name="Tour KA Manager",
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Secret Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
                "key_account_manager_id": team_user.id,
            }
        )
        archive = self.env["key.account.archive"].create(
            {
                "partner_id": partner.id,
                "legal_representative": "Zhang Wei",
            }
        )
        Archive = self.env["key.account.archive"]
        self.assertFalse(Archive.with_user(outsider).search([("id", "=", archive.id)]))
        Grant = self.env["key.account.archive.grant"]
        AccessLog = self.env["key.account.archive.access.log"]

        self.start_tour("/odoo", "key_account_mgmt_archive_request", login="tour_ka_outsider")

        self.env.invalidate_all()
        grant = Grant.search([("archive_id", "=", archive.id)])
        self.assertEqual(len(grant), 1)
        self.assertEqual(grant.user_id, outsider)
        self.assertEqual(grant.state, "requested")
        self.assertIn("joint offer", grant.reason)
        self.assertFalse(Archive.with_user(outsider).search([("id", "=", archive.id)]))
        self.assertFalse(AccessLog.search([("archive_id", "=", archive.id), ("user_id", "=", outsider.id)]))

        self.start_tour("/odoo", "key_account_mgmt_archive_grant", login="tour_ka_manager")

        self.env.invalidate_all()
        self.assertEqual(grant.state, "granted")
        self.assertEqual(grant.decided_by_id, manager)
        self.assertTrue(grant.decided_date)

        self.start_tour("/odoo", "key_account_mgmt_archive_read", login="tour_ka_outsider")

        self.env.invalidate_all()
        self.assertEqual(grant.state, "granted")
        log = AccessLog.search([("archive_id", "=", archive.id), ("user_id", "=", outsider.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.grant_id, grant)
        self.assertEqual(log.partner_id, partner)
        # the manager's decision did not read the archive's content: one register row only
        self.assertEqual(AccessLog.search_count([("archive_id", "=", archive.id)]), 1)

    def test_visit_plan_approve_report_claim(self):
        """Issue #6: the KA User managing an account plans a visit below the Director budget and
        submits it; the KA Manager validates it and the meeting goes into the calendar; the KA
        User files the report (a follow-up within seven days, the account's last visit follows)
        and claims an expense, which the report allows."""
        ka_user = new_test_user(
            self.env,
            "tour_ka_planner",
            groups="base.group_user,key_account_mgmt.group_ka_user",
            name="Tour KA Planner",
        )
        manager = new_test_user(
            self.env,
            "tour_ka_manager",
            groups="base.group_user,key_account_mgmt.group_ka_manager",
            name="Tour KA Manager",
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Visit Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
                "key_account_manager_id": ka_user.id,
            }
        )
        self.assertEqual(self.env.company.key_account_visit_director_budget, 20000.0)
        self.assertFalse(partner.key_account_last_visit_date)
        Visit = self.env["key.account.visit"]

        self.start_tour("/odoo", "key_account_mgmt_visit_plan", login="tour_ka_planner")

        self.env.invalidate_all()
        visit = Visit.search([("partner_id", "=", partner.id)])
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.state, "submitted")
        self.assertTrue(visit.name.startswith("VIS/"))
        self.assertEqual(visit.user_id, ka_user)
        self.assertEqual(visit.budget, 3500.0)
        self.assertIn("site survey", visit.purpose)
        self.assertEqual(visit.location, "Customer HQ, 12 Zhongshan Road, Nanjing")
        self.assertTrue(visit.date_planned)
        self.assertFalse(visit.needs_director_approval)
        self.assertEqual(visit.review_ids.mapped("status"), ["pending"])
        self.assertEqual(visit.review_ids.definition_id, self.env.ref("key_account_mgmt.tier_definition_visit_manager"))
        self.assertFalse(visit.calendar_event_id)

        self.start_tour("/odoo", "key_account_mgmt_visit_approve", login="tour_ka_manager")

        self.env.invalidate_all()
        self.assertEqual(visit.state, "approved")
        self.assertEqual(visit.validation_status, "validated")
        self.assertEqual(visit.review_ids.done_by, manager)
        self.assertTrue(visit.approved_date)
        event = visit.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.start, visit.date_planned)
        self.assertEqual(event.stop, visit.date_planned + timedelta(hours=visit.duration))
        self.assertIn(ka_user.partner_id, event.partner_ids)
        self.assertEqual(event.res_model, "key.account.visit")
        self.assertEqual(event.res_id, visit.id)
        self.assertIn("Tour Visit Account", event.name)
        self.assertFalse(partner.key_account_last_visit_date)

        self.start_tour("/odoo", "key_account_mgmt_visit_report", login="tour_ka_planner")

        self.env.invalidate_all()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.date_done)
        self.assertLessEqual(abs(visit.date_done - fields.Datetime.now()), timedelta(days=1))
        self.assertIn("fire pump sets", visit.talking_points)
        self.assertIn("12 pump sets", visit.customer_needs)
        self.assertEqual(visit.outcome, "success")
        activity = visit.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, ka_user)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.date_deadline, (visit.date_done + timedelta(days=7)).date())
        expense = visit.expense_line_ids
        self.assertEqual(len(expense), 1)
        self.assertEqual(expense.state, "claimed")
        self.assertEqual(expense.expense_type, "meals")
        self.assertEqual(expense.amount, 680.0)
        self.assertEqual(expense.user_id, ka_user)
        self.assertEqual(expense.partner_id, partner)
        self.assertEqual(visit.expense_total, 680.0)
        self.assertEqual(partner.key_account_last_visit_date, visit.date_done.date())
        self.assertEqual(partner.key_account_visit_count, 1)
        self.assertEqual(partner.key_account_next_visit_date, visit.date_done.date() + timedelta(days=30))
        self.assertFalse(partner.key_account_visit_overdue)

    def test_monthly_review_and_report(self):
        """Issue #7: the KA User reports news and writes this month's review of an account; the KA
        Manager generates this month's report from the dashboard and finds the account's row with
        the commentary and the news."""
        ka_user = new_test_user(
            self.env,
            "tour_ka_reviewer",
            groups="base.group_user,key_account_mgmt.group_ka_user",
            name="Tour KA Reviewer",
        )
        new_test_user(
            self.env,
            "tour_ka_manager",
            groups="base.group_user,key_account_mgmt.group_ka_manager",
            name="Tour KA Manager",
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Report Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
                "key_account_manager_id": ka_user.id,
            }
        )
        partner.action_set_cooperation_state("good", "Framework contract")

        self.start_tour("/odoo", "key_account_mgmt_monthly_review", login="tour_ka_reviewer")

        self.env.invalidate_all()
        news = self.env["key.account.news"].search([("partner_id", "=", partner.id)])
        self.assertEqual((news.name, news.user_id), ("New procurement head appointed", ka_user))
        review = self.env["key.account.monthly.review"].search([("partner_id", "=", partner.id)])
        self.assertEqual(review.state, "done")
        self.assertEqual(review.period_date, fields.Date.today().replace(day=1))
        self.assertEqual(
            self.env["key.account.state.log"].search([("partner_id", "=", partner.id)], limit=1).change_type, "confirm"
        )

        self.start_tour("/odoo", "key_account_mgmt_monthly_report", login="tour_ka_manager")

        report = self.env["key.account.report"].search([("period_date", "=", fields.Date.today().replace(day=1))])
        self.assertEqual(len(report), 1)
        line = report.line_ids.filtered(lambda row: row.partner_id == partner)
        self.assertEqual((line.news_count, line.commentary), (1, review.commentary))
        self.assertTrue(report.file)

    def test_policy_beyond_the_standard(self):
        """Issue #8: a specialist asks for a discount beyond the tier's standard; the KA Manager
        and then the KA Director validate it; the customer's pricelist applies it."""
        specialist = new_test_user(
            self.env,
            "tour_policy_user",
            groups="base.group_user,key_account_mgmt.group_ka_user",
            name="Tour Policy Specialist",
        )
        new_test_user(self.env, "tour_policy_manager", groups="base.group_user,key_account_mgmt.group_ka_manager")
        new_test_user(self.env, "tour_policy_director", groups="base.group_user,key_account_mgmt.group_ka_director")
        tier = self.env.ref("key_account_mgmt.tier_strategic")
        tier.policy_max_discount = 10.0
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Policy Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": tier.id,
                "key_account_manager_id": specialist.id,
            }
        )
        Policy = self.env["key.account.policy"]

        self.start_tour("/odoo", "key_account_mgmt_policy_request", login="tour_policy_user")
        self.env.invalidate_all()
        policy = Policy.search([("partner_id", "=", partner.id)])
        self.assertEqual((policy.state, policy.value, policy.user_id), ("submitted", 12.0, specialist))
        self.assertTrue(policy.needs_director_approval)

        self.start_tour("/odoo", "key_account_mgmt_policy_manager", login="tour_policy_manager")
        self.env.invalidate_all()
        self.assertEqual(policy.state, "submitted")
        self.assertEqual(policy.awaiting_group_id, self.env.ref("key_account_mgmt.group_ka_director"))

        self.start_tour("/odoo", "key_account_mgmt_policy_director", login="tour_policy_director")
        self.env.invalidate_all()
        self.assertEqual(policy.state, "approved")
        self.assertEqual(partner.property_product_pricelist.key_account_partner_id, partner)
        self.assertEqual(policy.pricelist_item_id.percent_price, 12.0)
