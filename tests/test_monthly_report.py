"""The monthly key-account report with its XLSX file and cron (SPEC §7, §8; seed 000 §三, seed
001 §2.1; issue #7), and ``ReportCase``, October 2026 at two accounts, shared with the KPIs
(test_kpi.py) and the news, reviews and targets (test_news_review_target.py). The fixture's
figures are computed by hand in the comments."""

import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_visit import VisitCase

OCTOBER = date(2026, 10, 1)


class ReportCase(VisitCase):
    """October 2026 at two key accounts of the main company:

    account (Hengtai, strategic, managed by ka_user)
      invoices 2026-10-10 100,000, refund 2026-10-20 10,000 → month 90,000
               2026-03-01 50,000                              → year to date 140,000
               2025-05-01 60,000 (2025-11-15 999 is after the same period) → last year 60,000
               → year on year (140,000 − 60,000) / 60,000 = 133.3 %
      target 2026: 280,000 → completion 140,000 / 280,000 = 50 %
      nothing paid, every invoice due on its date → overdue on 31 October
               100,000 − 10,000 + 50,000 + 60,000 + 999 = 200,999
      visits planned in October 2, one reported in October; one reception reported → 1
      state: maintained (September) → good (October) = upgrade; one news in October
    other_account (Huaxin, key, managed by ka_user_off)
      invoice 2026-10-05 30,000, nothing last year → no year on year
      state: good (September) → problem (October) = downgrade
    a customer that is no key account: invoice 2026-10-12 80,000
      → company revenue 200,000, key accounts 120,000 = 60 %
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["key.account.report"]
        cls.customer = cls.env["res.partner"].create({"name": "Walk-in Builder", "is_company": True})
        for partner, amount, day, kind in (
            (cls.account, 100000.0, date(2026, 10, 10), "out_invoice"),
            (cls.account, 10000.0, date(2026, 10, 20), "out_refund"),
            (cls.account, 50000.0, date(2026, 3, 1), "out_invoice"),
            (cls.account, 60000.0, date(2025, 5, 1), "out_invoice"),
            (cls.account, 999.0, date(2025, 11, 15), "out_invoice"),
            (cls.other_account, 30000.0, date(2026, 10, 5), "out_invoice"),
            (cls.customer, 80000.0, date(2026, 10, 12), "out_invoice"),
        ):
            cls._post_invoice(partner, amount, day, kind, invoice_date_due=day)
        cls.env["key.account.target"].create(
            {
                "user_id": cls.ka_user.id,
                "partner_id": cls.account.id,
                "period_kind": "year",
                "date_from": date(2026, 6, 1),
                "sales_target": 280000.0,
            }
        )
        with freeze_time("2026-09-10 08:00"):
            cls.account.action_set_cooperation_state("maintained", "First order")
            cls.other_account.action_set_cooperation_state("good", "Framework contract")
        with freeze_time("2026-10-15 08:00"):
            cls.account.action_set_cooperation_state("good", "Second framework contract signed")
            cls.other_account.action_set_cooperation_state("problem", "Lost the tender", "Visit the CEO")
        october_visit = {"date_planned": datetime(2026, 10, 8, 2, 0)}
        cls.visit_done = cls._reported(report={"date_done": datetime(2026, 10, 8, 6, 0)}, **october_visit)
        cls.visit_planned = cls._plan(date_planned=datetime(2026, 10, 28, 2, 0))
        cls.reception_done = cls._reported(
            model="key.account.reception",
            report={"date_done": datetime(2026, 10, 9, 6, 0)},
            date_planned=datetime(2026, 10, 9, 2, 0),
        )
        cls.news = cls.env["key.account.news"].create(
            {
                "partner_id": cls.account.id,
                "name": "New head of procurement",
                "news_type": "personnel",
                "date": date(2026, 10, 3),
            }
        )
        cls.review = cls.env["key.account.monthly.review"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.ka_user.id,
                "period_date": date(2026, 10, 17),
                "commentary": "Framework contract renewed; new procurement head met.",
            }
        )

    def _line(self, report, partner):
        return report.line_ids.filtered(lambda line: line.partner_id == partner)

    def _workbook(self, report):
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(report.file)))

    def _sheet_rows(self, sheet):
        """{first cell: {header: value}} of a sheet whose first row holds the headers."""
        rows = list(sheet.iter_rows(values_only=True))
        headers = rows[0]
        return {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}


@tagged("post_install", "-at_install")
class TestMonthlyReport(ReportCase):
    def test_rows_and_summary_match_the_hand_computation(self):
        report = self.Report.with_user(self.ka_manager).generate("2026-10-15")
        self.assertEqual((report.period_date, report.company_id), (OCTOBER, self.company))
        self.assertEqual(report.key_account_count, 2)
        line = self._line(report, self.account)
        self.assertEqual(line.key_account_code, self.account.key_account_code)
        self.assertEqual((line.tier_id, line.manager_id), (self.tier_strategic, self.ka_user))
        self.assertAlmostEqual(line.revenue_month, 90000.0, places=2)
        self.assertAlmostEqual(line.revenue_ytd, 140000.0, places=2)
        self.assertAlmostEqual(line.revenue_ytd_previous, 60000.0, places=2)
        self.assertAlmostEqual(line.yoy_percent, 133.33, places=2)
        self.assertAlmostEqual(line.target_year, 280000.0, places=2)
        self.assertAlmostEqual(line.target_completion, 50.0, places=2)
        self.assertEqual(
            (line.previous_state, line.cooperation_state, line.state_change), ("maintained", "good", "upgrade")
        )
        self.assertEqual((line.visits_planned, line.visits_done, line.receptions_done, line.news_count), (2, 1, 1, 1))
        self.assertAlmostEqual(line.overdue_amount, 200999.0, places=2)
        self.assertEqual(line.commentary, "Framework contract renewed; new procurement head met.")
        self.assertFalse(line.score or line.grade, "not scored for October")

    def test_score_of_the_month_and_its_change(self):
        scorecard = self.env["key.account.scorecard"]._for_company(self.company)
        scorecard._compute_scores(period_date=date(2026, 9, 1), partner_ids=self.account.ids)
        scorecard._compute_scores(period_date=OCTOBER, partner_ids=self.account.ids)
        snapshot = self.env["key.account.score"].search(
            [("partner_id", "=", self.account.id), ("period_date", "=", OCTOBER)]
        )
        september = self.env["key.account.score"].search(
            [("partner_id", "=", self.account.id), ("period_date", "=", date(2026, 9, 1))]
        )
        report = self.Report.with_user(self.ka_manager).generate(OCTOBER)
        line = self._line(report, self.account)
        self.assertEqual(len(snapshot), 1)
        self.assertEqual((line.score, line.grade), (snapshot.score, snapshot.grade))
        self.assertAlmostEqual(line.score_change, snapshot.score - september.score, places=2)
        row = self._sheet_rows(self._workbook(report)["Key Accounts"])[self.account.key_account_code]
        self.assertEqual((row["Score"], row["Grade"]), (snapshot.score, snapshot.grade.upper()))
        other = self._line(report, self.other_account)
        self.assertAlmostEqual(other.revenue_month, 30000.0, places=2)
        self.assertFalse(other.yoy_percent)
        self.assertAlmostEqual(other.overdue_amount, 30000.0, places=2)
        self.assertAlmostEqual(report.overdue_amount, 230999.0, places=2)
        self.assertEqual(other.state_change, "downgrade")
        self.assertAlmostEqual(report.revenue_month, 120000.0, places=2)
        self.assertAlmostEqual(report.company_revenue_month, 200000.0, places=2)
        self.assertAlmostEqual(report.share_month, 60.0, places=2)
        self.assertEqual((report.upgrade_count, report.downgrade_count), (1, 1))

    def test_xlsx_cells(self):
        report = self.Report.with_user(self.ka_manager).generate(OCTOBER)
        workbook = self._workbook(report)
        self.assertEqual(workbook.sheetnames, ["Summary", "Key Accounts"])
        sheet = workbook["Key Accounts"]
        self.assertEqual(sheet.freeze_panes, "C2")
        row = self._sheet_rows(sheet)[self.account.key_account_code]
        self.assertEqual(row["Key Account"], "Hengtai Construction Group")
        self.assertEqual(row["Tier"], self.tier_strategic.name)
        self.assertEqual(row["Cooperation State"], "Good cooperation")
        self.assertEqual(row["State Change"], "Upgrade")
        self.assertAlmostEqual(row["Revenue of the Month"], 90000.0, places=2)
        self.assertAlmostEqual(row["Year on Year"], 1.3333, places=4)
        self.assertAlmostEqual(row["Target Completion"], 0.5, places=4)
        self.assertAlmostEqual(row["Overdue Receivables"], 200999.0, places=2)
        self.assertEqual((row["Visits Planned"], row["Visits Done"], row["Receptions"], row["News"]), (2, 1, 1, 1))
        headers = [cell.value for cell in sheet[1]]
        self.assertEqual(sheet.cell(row=2, column=headers.index("Revenue of the Month") + 1).number_format, "#,##0.00")
        self.assertEqual(sheet.cell(row=2, column=headers.index("Target Completion") + 1).number_format, "0.0%")
        summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row and row[0]}
        self.assertEqual(summary["Key Accounts"], 2)
        self.assertAlmostEqual(summary["Company Revenue of the Month"], 200000.0, places=2)
        self.assertAlmostEqual(summary["Key Accounts' Share of the Month"], 0.6, places=4)
        self.assertEqual((summary["Upgrades"], summary["Downgrades"]), (1, 1))
        # the specialists' KPI table: ka_user's October sales against a twelfth of the year's target
        kpi_rows = list(workbook["Summary"].iter_rows(values_only=True))
        header = next(index for index, row in enumerate(kpi_rows) if row[0] == "KPIs per Specialist")
        kpis = {row[0]: dict(zip(kpi_rows[header], row, strict=True)) for row in kpi_rows[header + 1 :] if row[0]}
        self.assertAlmostEqual(kpis[self.ka_user.name]["Sales Target"], 280000.0 / 12, places=2)
        self.assertAlmostEqual(kpis[self.ka_user.name]["Actual Sales"], 90000.0, places=2)

    def test_generate_twice_replaces_rows_and_file(self):
        first = self.Report.with_user(self.ka_manager).generate(OCTOBER)
        lines = first.line_ids
        self._post_invoice(self.account, 5000.0, date(2026, 10, 30))
        second = self.Report.with_user(self.ka_director).generate(date(2026, 10, 31))
        self.assertEqual(first, second)
        self.assertEqual(
            self.Report.search_count([("period_date", "=", OCTOBER), ("company_id", "=", self.company.id)]), 1
        )
        self.assertFalse(lines.exists(), "the rows of the first generation are replaced")
        self.assertAlmostEqual(self._line(second, self.account).revenue_month, 95000.0, places=2)
        row = self._sheet_rows(self._workbook(second)["Key Accounts"])[self.account.key_account_code]
        self.assertAlmostEqual(row["Revenue of the Month"], 95000.0, places=2)

    def test_bad_input(self):
        with self.assertRefused(UserError, "has not begun"):
            self.Report.with_user(self.ka_manager).generate("2099-01-01")
        with self.assertRefused(AccessError, "may not report on this company"):
            self.Report.with_user(self.ka_manager).generate(OCTOBER, self.company_b.id)
        self.assertFalse(self.Report.search([]))

    def test_rights(self):
        for role, user in self.roles_below_manager().items():
            with self.subTest(role=role), self.assertRefused(AccessError, "Only Key Account Managers"):
                self.Report.with_user(user).generate(OCTOBER)
        report = self.Report.with_user(self.ka_manager).generate(OCTOBER)
        Line = self.env["key.account.report.line"]
        # a KA User reads the rows of the accounts on whose team they are, not the others, nor the file
        self.assertEqual(Line.with_user(self.ka_user).search([]).partner_id, self.account)
        self.assertEqual(Line.with_user(self.ka_user_off).search([]).partner_id, self.other_account)
        with self.assertRaises(AccessError):
            self._line(report, self.other_account).with_user(self.ka_user).read(["revenue_month"])
        with self.assertRaises(AccessError):
            report.with_user(self.ka_user).read(["file"])
        with self.assertRaises(AccessError):
            Line.with_user(self.plain_user).search([])
        # clerks read reports and all rows; only administrators change rows
        self.assertEqual(report.with_user(self.ka_clerk).key_account_count, 2)
        self.assertEqual(len(Line.with_user(self.ka_clerk).search([])), 2)
        with self.assertRaises(AccessError):
            report.line_ids.with_user(self.ka_manager).write({"revenue_month": 1.0})
        # another company's manager sees neither report nor rows
        self.assertFalse(self.Report.with_user(self.ka_manager_b).search([]))
        self.assertFalse(Line.with_user(self.ka_manager_b).search([]))

    def test_cron_mails_the_managers_once(self):
        mails = self.env["mail.mail"]
        with freeze_time("2026-11-01 03:00"):
            self.Report._cron_monthly_report()
        reports = self.Report.search([("period_date", "=", OCTOBER)])
        self.assertEqual(reports.company_id, self.company | self.company_b)
        report = reports.filtered(lambda r: r.company_id == self.company)
        self.assertTrue(report.sent_date)
        sent = mails.search([("model", "=", "key.account.report"), ("res_id", "=", report.id)])
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            sent.recipient_ids,
            (self.ka_manager | self.ka_director).partner_id | self.env.ref("base.user_admin").partner_id,
        )
        self.assertEqual(sent.attachment_ids.name, f"Key Account Report 2026-10 {self.company.name}.xlsx")
        generated = report.generated_date
        with freeze_time("2026-11-01 04:00"):
            self.Report._cron_monthly_report()
        self.assertEqual(
            mails.search_count([("model", "=", "key.account.report")]), len(reports.filtered(lambda r: r._recipients()))
        )
        self.assertEqual(report.generated_date, generated)
        self.assertEqual(self.Report.search_count([("period_date", "=", OCTOBER)]), 2)

    def test_headers_in_the_recipients_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)
        managers = self.env.ref("key_account_mgmt.group_ka_manager").users
        managers.write({"lang": "zh_CN"})
        report = self.Report.with_user(self.ka_manager).generate(OCTOBER)
        self.assertEqual(report.lang, "zh_CN")
        workbook = self._workbook(report)
        self.assertEqual(workbook.sheetnames, ["汇总", "大客户"])
        row = self._sheet_rows(workbook["大客户"])[self.account.key_account_code]
        self.assertAlmostEqual(row["本月销售额"], 90000.0, places=2)
        self.assertEqual(row["合作状态"], "合作良好")
