"""Developing key accounts (issue #19, part B): periodic progress reports (定期汇报) on an
approved development plan — the company's default frequency, the due date, the daily reminder
raised once to the coordinator, closed by the report; the KA Manager reads them on the plan;
confidential like the plan — and the development KPIs against hand-computed figures
(大客户开发计划完成率 = developments won / new key accounts planned; development visits in
the visit rate)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_development import STANDARDS, DevelopmentCase

MARCH = date(2027, 3, 1)


class ProgressCase(DevelopmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ka_manager.groups_id = [(4, cls.env.ref("base.group_allow_export").id)]
        cls.Progress = cls.env["key.account.development.progress"]
        cls.progress_type = cls.env.ref("key_account_mgmt.mail_activity_type_development_progress")

    def _reminders(self, plan):
        return plan.activity_ids.filtered(lambda a: a.activity_type_id == self.progress_type)

    def _report(self, user, plan, **vals):
        return self.Progress.with_user(user).create(
            {
                "development_id": plan.id,
                "progress": "Met the equipment director; trial pump agreed for shaft 3",
                "contacts": "Equipment director Wang, chief engineer Li",
                "next_steps": "Install the trial pump",
                "problems": "The chief engineer prefers the old brand",
                "support_needed": "A pump for the trial, free of charge",
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestDevelopmentProgress(ProgressCase):
    def test_frequency_due_date_and_reminder_raised_once(self):
        self.company.key_account_development_report_frequency = "monthly"
        self.assertEqual(self._plan(self.ka_user, self.borderline).progress_frequency, "monthly")
        self.company.key_account_development_report_frequency = "biweekly"
        with freeze_time("2027-03-01 09:00:00"):
            plan = self._approved_plan(self.ka_user, self.dongfang)
        self.assertEqual(plan.progress_frequency, "biweekly")
        self.assertEqual((plan.progress_last_date, plan.progress_due_date), (False, date(2027, 3, 15)))
        Plan = self.env["key.account.development"]
        with freeze_time("2027-03-14 01:00:00"):
            Plan._cron_remind_progress()
        self.assertFalse(self._reminders(plan), "not due yet")
        with freeze_time("2027-03-15 01:00:00"):
            Plan._cron_remind_progress()
            Plan._cron_remind_progress()
        with freeze_time("2027-03-16 01:00:00"):
            Plan._cron_remind_progress()
        reminder = self._reminders(plan)
        self.assertEqual(
            (len(reminder), reminder.user_id, reminder.date_deadline), (1, self.ka_user, date(2027, 3, 15))
        )
        self.assertIn("Dongfang Machinery", reminder.summary)
        self.assertTrue(plan.progress_reminded)
        # the coordinator reports: the reminder is done, the next report is due two weeks later
        with freeze_time("2027-03-17 10:00:00"):
            report = self._report(self.ka_user, plan)
        self.assertEqual(
            (report.period_from, report.period_to, report.user_id), (MARCH, date(2027, 3, 17), self.ka_user)
        )
        self.assertFalse(self._reminders(plan))
        self.assertFalse(plan.progress_reminded)
        self.assertEqual((plan.progress_last_date, plan.progress_due_date), (date(2027, 3, 17), date(2027, 3, 31)))
        self.assertTrue(plan.message_ids.filtered(lambda m: "Progress report for 2027-03-01 to 2027-03-17" in m.body))
        with freeze_time("2027-03-30 01:00:00"):
            Plan._cron_remind_progress()
        self.assertFalse(self._reminders(plan))
        # a monthly plan: the next one is due a month after the last report
        plan.with_user(self.ka_user).progress_frequency = "monthly"
        self.assertEqual(plan.progress_due_date, date(2027, 4, 17))
        with freeze_time("2027-04-17 01:00:00"):
            Plan._cron_remind_progress()
        self.assertEqual(len(self._reminders(plan)), 1)
        # a closed plan is no longer reminded
        self.assertFalse(Plan.search([("id", "=", plan.id), *Plan._progress_due_domain()]) - plan)
        plan.with_user(self.ka_user).write(
            {
                "failure_reason_id": self.env.ref("key_account_mgmt.development_reason_price").id,
                "failure_analysis": "Too dear",
            }
        )
        plan.with_user(self.ka_user).action_mark_failed()
        self.assertFalse(plan.progress_due_date)
        self.assertFalse(self._reminders(plan), "a closed plan reports no more")

    def test_cron_in_batches(self):
        with freeze_time("2027-03-01 09:00:00"):
            plans = self._approved_plan(self.ka_user, self.dongfang) | self._approved_plan(self.ka_user, self.xinda)
        Plan = self.env["key.account.development"]
        with freeze_time("2027-03-20 01:00:00"):
            Plan._cron_remind_progress(batch_size=1)
            self.assertEqual(len(plans.filtered("progress_reminded")), 1)
            Plan._cron_remind_progress(batch_size=1)
            Plan._cron_remind_progress(batch_size=1)
        self.assertEqual([len(self._reminders(plan)) for plan in plans], [1, 1])

    def test_the_manager_reads_them_on_the_plan(self):
        plan = self._approved_plan(self.ka_user, self.dongfang)
        report = self._report(self.ka_user, plan)
        for user in (self.ka_manager, self.ka_director, self.ka_clerk):
            self.assertEqual(plan.with_user(user).progress_ids, report, user.login)
            self.assertIn("trial pump", plan.with_user(user).progress_ids.progress)
        for user in (self.ka_user_off, self.ka_manager_b):
            self.assertFalse(self.Progress.with_user(user).search([("id", "=", report.id)]), user.login)
            with self.assertRaises(AccessError):
                report.with_user(user).read(["progress"])
        with self.assertRaises(AccessError):
            self.Progress.with_user(self.plain_user).search([])
        with self.assertRefused(AccessError, "KA Manager|Key Account Manager"):
            report.with_user(self.ka_user).export_data(["progress"])
        self.assertTrue(report.with_user(self.ka_manager).export_data(["progress"])["datas"])

    def test_rights_and_refusals(self):
        draft = self._plan(self.ka_user, self.xinda, **STANDARDS)
        with self.assertRefused(UserError, "approved plan in development"):
            self._report(self.ka_user, draft)
        # another team may not report on the plan
        other = self._approved_plan(self.ka_user, self.borderline)
        with self.assertRaises(AccessError):
            self._report(self.ka_user_off, other)
        # the project team reports; only the author or a KA Manager changes a report
        plan = self._approved_plan(
            self.ka_user, self.dongfang, member_ids=[(0, 0, {"user_id": self.ka_user_off.id, "role": "developer"})]
        )
        report = self._report(self.ka_user_off, plan)
        with self.assertRefused(AccessError, "Only its author"):
            report.with_user(self.ka_user).write({"problems": "None"})
        report.with_user(self.ka_manager).write({"support_needed": "Samples"})
        report.with_user(self.ka_user_off).write({"next_steps": "Trial"})
        # who reported and when are the report's own
        for vals in ({"user_id": self.ka_user.id}, {"date": "2020-01-01"}):
            with self.assertRaises(AccessError):
                report.with_user(self.ka_user_off).write(vals)
        with self.assertRefused(ValidationError, "ends after it starts"):
            report.with_user(self.ka_user_off).write({"period_from": "2099-01-01"})
        with self.assertRaises(AccessError):
            report.with_user(self.ka_user_off).unlink()
        plan.with_user(self.ka_user).write(
            {
                "failure_reason_id": self.env.ref("key_account_mgmt.development_reason_price").id,
                "failure_analysis": "Too dear",
            }
        )
        plan.with_user(self.ka_user).action_mark_failed()
        with self.assertRefused(UserError, "approved plan in development"):
            report.with_user(self.ka_user_off).write({"next_steps": "None"})
        with self.assertRefused(UserError, "approved plan in development"):
            plan.with_user(self.ka_user).action_new_progress_report()


@tagged("post_install", "-at_install")
class TestDevelopmentKpi(ProgressCase):
    """March 2027, KA User On Team plans 2 new key accounts (a month target of 2):

    plan          approved     closed                      visits under it
    Dongfang      2027-03-02   won 2027-03-20              1 planned 03-10, reported
    Xinda         2027-03-03   failed 2027-03-25 (price)   1 planned 03-12, not reported
    Borderline    2027-03-04   open
    → approved 3, won 1, failed 1, completion 1 / 2 = 50 %; development visits 2, done 1 (both
    in the visit rate: 2 planned, 1 done)."""

    def test_development_kpis_hand_computed(self):
        self.env["key.account.target"].create(
            {"user_id": self.ka_user.id, "period_kind": "month", "date_from": MARCH, "new_accounts_target": 2}
        )
        plans = {}
        for day, partner in ((2, self.dongfang), (3, self.xinda), (4, self.borderline)):
            with freeze_time(datetime(2027, 3, day, 9, 0)):
                plans[partner] = self._approved_plan(self.ka_user, partner)
        visits = {}
        with freeze_time("2027-03-05 09:00:00"):
            for day, partner in ((10, self.dongfang), (12, self.xinda)):
                visit = (
                    self.env["key.account.visit"]
                    .with_user(self.ka_user)
                    .create(
                        {
                            "partner_id": partner.id,
                            "purpose": "Present the duplex pumps",
                            "date_planned": datetime(2027, 3, day, 2, 0),
                            "duration": 2.0,
                            "method": "onsite",
                            "budget": 1000.0,
                        }
                    )
                )
                visit.action_submit()
                visit.with_user(self.ka_manager).validate_tier()
                visits[partner] = visit
        self.assertEqual(visits[self.dongfang].development_id, plans[self.dongfang])
        with freeze_time("2027-03-10 08:00:00"):
            visits[self.dongfang].write(
                {
                    "date_done": datetime(2027, 3, 10, 2, 0),
                    "talking_points": "Pumps",
                    "customer_needs": "A trial",
                    "outcome": "success",
                }
            )
            visits[self.dongfang].action_done()
        with freeze_time("2027-03-20 09:00:00"):
            plans[self.dongfang].with_user(self.ka_user).action_mark_won()
        with freeze_time("2027-03-25 09:00:00"):
            plans[self.xinda].with_user(self.ka_user).write(
                {
                    "failure_reason_id": self.env.ref("key_account_mgmt.development_reason_price").id,
                    "failure_analysis": "Too dear",
                }
            )
            plans[self.xinda].with_user(self.ka_user).action_mark_failed()
        self.env.flush_all()
        Kpi = self.env["key.account.kpi"].with_user(self.ka_manager)
        figures = Kpi._kpi_ratios([("month", "=", MARCH), ("user_id", "=", self.ka_user.id)])[self.ka_user]
        self.assertEqual(
            (
                figures["developments_approved"],
                figures["developments_won"],
                figures["developments_failed"],
                figures["new_accounts_target"],
                figures["development_plan_completion"],
            ),
            (3, 1, 1, 2.0, 50.0),
        )
        self.assertEqual((figures["development_visits"], figures["development_visits_done"]), (2, 1))
        self.assertEqual((figures["visits_planned"], figures["visits_done"], figures["visit_rate"]), (2, 1, 50.0))
        row = Kpi.search([("month", "=", MARCH), ("user_id", "=", self.ka_user.id)])
        self.assertEqual((row.developments_won, row.developments_failed), (1, 1))
        # failed developments by reason
        groups = (
            self.env["key.account.development"]
            .with_user(self.ka_manager)
            .read_group([("outcome", "=", "failed")], ["failure_reason_id"], ["failure_reason_id"])
        )
        self.assertEqual(
            [(g["failure_reason_id"][0], g["failure_reason_id_count"]) for g in groups],
            [(self.env.ref("key_account_mgmt.development_reason_price").id, 1)],
        )
        # a specialist reads no other specialist's figures
        self.assertFalse(
            self.env["key.account.kpi"].with_user(self.ka_user_off).search([("user_id", "=", self.ka_user.id)])
        )
