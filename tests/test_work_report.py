"""The specialist's monthly report (issue #22, part B; seed 001 第15条, seed 004 第十条): opened by the
daily cron for every account manager with one reminder per specialist and month, due by the
company's day (default the 5th) for the month before, late after it; prefilled with the month's
figures of their accounts; submitted by its specialist, accepted or sent back by a KA Manager;
on time / late / missing in the KPIs."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

MARCH = date(2027, 3, 1)
CONTENT = {
    "summary": "Hengtai ordered 1,200 t of H-beams; Wuhan tender won.",
    "forecast": "April: 900 t expected, Changsha plant restarts.",
    "problems": "Late deliveries from the Tangshan mill.",
    "solutions": "Book rail capacity two weeks ahead.",
    "customer_trends": "Customers ask for cut-to-length beams and 60-day terms.",
}


class WorkReportCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["key.account.work.report"]
        cls.activity_type = cls.env.ref("key_account_mgmt.mail_activity_type_work_report")

    def _report(self, user, period=MARCH):
        return self.Report.search([("user_id", "=", user.id), ("period_date", "=", period)])

    def _reminders(self, report):
        return report.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_type)


@tagged("post_install", "-at_install")
class TestWorkReportReminder(WorkReportCase):
    def test_opened_once_with_one_reminder_then_late(self):
        self._post_invoice(self.account, 8000.0, invoice_date=date(2027, 3, 15))
        self._post_invoice(self.account, 500.0, invoice_date=date(2027, 4, 2))  # another month
        with freeze_time("2027-04-01 01:00:00"):
            self.Report._cron_remind()
            self.Report._cron_remind()  # the same day again: nothing new
        report = self._report(self.ka_user)
        self.assertEqual(len(report), 1)
        self.assertEqual(self._report(self.ka_user_off).user_id, self.ka_user_off)
        self.assertFalse(self._report(self.ka_manager))  # manages no account
        self.assertEqual((report.state, report.date_due, report.late), ("draft", date(2027, 4, 5), False))
        self.assertEqual((report.account_count, report.sales_month), (1, 8000.0))
        reminder = self._reminders(report)
        self.assertEqual((len(reminder), reminder.user_id, reminder.date_deadline), (1, self.ka_user, date(2027, 4, 5)))
        with freeze_time("2027-04-05 10:00:00"):  # the due day: not late yet
            self.Report._cron_remind()
        self.assertFalse(report.late)
        self.assertEqual(len(self._reminders(report)), 1)
        with freeze_time("2027-04-06 01:00:00"):
            self.Report._cron_remind()
            self.Report._cron_remind()
        self.assertTrue(report.late)
        self.assertEqual(len(report.message_ids.filtered(lambda m: "is late" in (m.body or ""))), 1)
        self.assertEqual(len(self._reminders(report)), 1)
        # submitted late, it stays late; the reminder is done
        report.with_user(self.ka_user).write(CONTENT)
        with freeze_time("2027-04-07 01:00:00"):
            report.with_user(self.ka_user).action_submit()
        self.assertEqual((report.state, report.late), ("submitted", True))
        self.assertFalse(self._reminders(report))

    def test_due_day_is_configurable_and_on_time_counts(self):
        self.company.key_account_work_report_due_day = 10
        with freeze_time("2027-04-01 01:00:00"):
            self.Report._cron_remind()
        report = self._report(self.ka_user)
        self.assertEqual(report.date_due, date(2027, 4, 10))
        report.with_user(self.ka_user).write(CONTENT)
        with freeze_time("2027-04-08 01:00:00"):
            report.with_user(self.ka_user).action_submit()
            self.Report._cron_remind()
        self.assertEqual((report.state, report.late, bool(report.submitted_date)), ("submitted", False, True))
        with freeze_time("2027-04-20 01:00:00"):
            self.Report._cron_remind()
            self.env.invalidate_all()
            kpi = self.env["key.account.kpi"]
            figures = kpi._kpi_ratios([("month", "=", MARCH), ("company_id", "=", self.company.id)])
        mine, other = figures[self.ka_user], figures[self.ka_user_off]
        self.assertEqual(
            (mine["work_reports_due"], mine["work_reports_on_time"], mine["work_reports_missing"]), (1, 1, 0)
        )
        self.assertEqual(mine["work_reports_on_time_rate"], 100.0)
        self.assertEqual(
            (other["work_reports_due"], other["work_reports_on_time"], other["work_reports_late"]), (1, 0, 1)
        )
        self.assertEqual((other["work_reports_missing"], other["work_reports_on_time_rate"]), (1, 0.0))

    def test_bad_due_day_refused(self):
        for day in (0, 29):
            with self.assertRefused(ValidationError, "from 1 to 28"):
                self.company.key_account_work_report_due_day = day
        self.assertEqual(self.company.key_account_work_report_due_day, 5)


@tagged("post_install", "-at_install")
class TestWorkReportReview(WorkReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2027-04-01 01:00:00"):
            cls.Report._cron_remind()
        cls.report = cls.Report.search([("user_id", "=", cls.ka_user.id), ("period_date", "=", MARCH)])

    @freeze_time("2027-04-03 01:00:00")
    def test_submit_accept(self):
        report = self.report.with_user(self.ka_user)
        report.write({"summary": "Fine"})
        with self.assertRefused(ValidationError, "is missing: .*Forecast for Next Month"):
            report.action_submit()
        self.assertEqual(report.state, "draft")
        report.write(CONTENT)
        with self.assertRefused(AccessError, "submits their monthly report"):
            self.report.with_user(self.ka_clerk).action_submit()
        report.action_submit()
        self.assertEqual((report.state, report.late), ("submitted", False))
        with self.assertRefused(ValidationError, "has been submitted"):
            report.write({"summary": "Changed afterwards"})
        with self.assertRefused(AccessError, "change only through the actions"):
            report.write({"state": "accepted"})
        for user in (self.ka_user, self.ka_clerk, self.ka_user_off, self.ka_manager_b):
            with self.assertRefused(AccessError, "."):
                self.report.with_user(user).action_accept()
        self.assertEqual(report.state, "submitted")
        self.report.with_user(self.ka_manager).action_accept()
        self.assertEqual((report.state, report.reviewer_id), ("accepted", self.ka_manager))
        with self.assertRefused(UserError, "waiting for its review"):
            self.report.with_user(self.ka_director).action_accept()

    @freeze_time("2027-04-03 01:00:00")
    def test_send_back_and_resubmit(self):
        report = self.report.with_user(self.ka_user)
        report.write(CONTENT)
        report.action_submit()
        first = report.submitted_date
        with self.assertRefused(ValidationError, "Say what the report needs"):
            self.report.with_user(self.ka_manager).action_send_back("  ")
        with self.assertRefused(ValidationError, "must be text"):
            self.report.with_user(self.ka_manager).action_send_back(42)
        self.assertEqual(report.state, "submitted")
        wizard = (
            self.env["key.account.work.report.send.back.wizard"]
            .with_user(self.ka_manager)
            .create({"report_id": self.report.id, "comment": "The forecast needs figures per account."})
        )
        wizard.action_confirm()
        self.assertEqual(
            (report.state, report.review_comment), ("sent_back", "The forecast needs figures per account.")
        )
        todo = report.activity_ids.filtered(lambda a: a.user_id == self.ka_user and "Rework" in (a.summary or ""))
        self.assertEqual(len(todo), 1)
        report.write({"forecast": "April: Hengtai 600 t, Huaxin 300 t."})
        with freeze_time("2027-04-09 01:00:00"):  # after the due day: the first submission counts
            report.action_submit()
        self.assertEqual((report.state, report.late, report.submitted_date), ("submitted", False, first))

    def test_rights_per_role(self):
        Report = self.env["key.account.work.report"]
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(Report.with_user(user).search([("id", "=", self.report.id)]), self.report, user.login)
        for user in (self.ka_user_off, self.ka_manager_b, self.plain_user):
            with self.assertRaises(AccessError):
                self.report.with_user(user).read(["summary"])
        # opened by the cron or "My Monthly Report", never created nor moved by hand
        with self.assertRaises(AccessError):
            Report.with_user(self.ka_user).create({"period_date": date(2027, 2, 1)})
        with self.assertRefused(AccessError, "change only through the actions"):
            self.report.with_user(self.ka_user).write({"user_id": self.ka_user_off.id})
        with self.assertRefused(AccessError, "change only through the actions"):
            self.report.with_user(self.ka_manager).write({"sales_month": 1.0})
        with self.assertRaises(AccessError):
            self.report.with_user(self.ka_user).unlink()
        with self.assertRefused(AccessError, "Only key-account specialists"):
            Report.with_user(self.plain_user).action_open_my_report()

    def test_my_monthly_report_opens_last_months(self):
        with freeze_time("2027-04-02 01:00:00"):
            action = self.env["key.account.work.report"].with_user(self.ka_user).action_open_my_report()
            self.assertEqual(action["res_id"], self.report.id)
            action = self.env["key.account.work.report"].with_user(self.ka_manager).action_open_my_report()
        opened = self.Report.browse(action["res_id"])
        self.assertEqual((opened.user_id, opened.period_date, opened.state), (self.ka_manager, MARCH, "draft"))
