"""One consolidation rule for group customers (集团客户, issue #17) and a past month's accounts
and managers from the histories. The figures are computed by hand in the class docstring."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

OCTOBER = date(2026, 10, 1)
OCTOBER_END = date(2026, 10, 31)


@tagged("post_install", "-at_install")
class TestGroupConsolidation(KeyAccountDataMixin, KeyAccountCase):
    """October 2026, a group customer:

    hq (key account, managed by ka_user)            invoice 2026-10-10  1,000
      branch_a (key account itself, ka_user_off)    invoice 2026-10-12    300
      branch_b (a branch, not a key account)        invoice 2026-10-14    200
    every invoice due on its date, nothing paid.

    Group figures: hq = 1,000 + 300 + 200 = 1,500; branch_a (shown on its own) = 300.
    Added up (report summary), each invoice once: 1,500, not 1,800.
    ka_user's KPI sales = 1,500 (hq); ka_user_off's = 300 (branch_a)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hq = cls._key_account("Zhongtie Group", manager=cls.ka_user)
        branch = {"key_account_headquarters_id": cls.hq.id, "key_account_group_relation": "branch"}
        cls.branch_a = cls._key_account("Zhongtie Wuhan Branch", manager=cls.ka_user_off, **branch)
        cls.branch_b = cls.env["res.partner"].create({"name": "Zhongtie Xi'an Branch", "is_company": True, **branch})
        for partner, amount, day in (
            (cls.hq, 1000.0, date(2026, 10, 10)),
            (cls.branch_a, 300.0, date(2026, 10, 12)),
            (cls.branch_b, 200.0, date(2026, 10, 14)),
        ):
            cls._post_invoice(partner, amount, day, invoice_date_due=day)
        cls.metrics = cls.env["key.account.metrics"]

    def _report(self):
        return self.env["key.account.report"].with_user(self.ka_manager).generate(OCTOBER)

    def _line(self, report, partner):
        return report.line_ids.filtered(lambda line: line.partner_id == partner)

    def _kpi(self, user):
        figures = self.env["key.account.kpi"]._kpi_ratios(
            [("month", "=", OCTOBER), ("company_id", "=", self.company.id)]
        )
        return figures[user]["sales_actual"]

    def test_metrics_answer_on_the_one_rule(self):
        ids = (self.hq | self.branch_a | self.branch_b).ids
        group = self.metrics._revenue(ids, OCTOBER, OCTOBER_END, consolidate=True)
        self.assertEqual((group[self.hq.id], group[self.branch_a.id], group[self.branch_b.id]), (1500.0, 300.0, 200.0))
        own = self.metrics._revenue(ids, OCTOBER, OCTOBER_END)
        self.assertEqual(own[self.hq.id], 1000.0)
        # a branch asked alone still shows its own figure (it counted for nobody before)
        self.assertEqual(
            self.metrics._revenue(self.branch_a.ids, OCTOBER, OCTOBER_END, consolidate=True), {self.branch_a.id: 300.0}
        )
        self.assertEqual(
            self.metrics._revenue([self.hq.id, self.branch_a.id], OCTOBER, OCTOBER_END, consolidate=True, total=True),
            1500.0,
        )
        # on 13 October: branch_b's invoice (14 October) not yet issued
        receivables = self.metrics._receivable_summary(ids, date(2026, 10, 13), consolidate=True)
        self.assertEqual((receivables[self.hq.id]["invoiced"], receivables[self.hq.id]["overdue"]), (1300.0, 1300.0))
        self.assertEqual(receivables[self.branch_a.id]["overdue"], 300.0)
        month_end = self.metrics._receivable_summary(ids, OCTOBER_END, consolidate=True)
        self.assertEqual((month_end[self.hq.id]["overdue"], month_end[self.branch_a.id]["overdue"]), (1500.0, 300.0))
        total = self.metrics._receivable_summary([self.hq.id, self.branch_a.id], OCTOBER_END, True, True)
        self.assertEqual(total["overdue"], 1500.0)
        self.assertEqual(self.metrics._period(date(2026, 11, 17), "quarter"), (OCTOBER, date(2026, 12, 31)))

    def test_same_group_figure_everywhere(self):
        # partner form and credit
        self.assertEqual(
            (self.hq.key_account_group_revenue_12m, self.branch_a.key_account_group_revenue_12m), (1500.0, 300.0)
        )
        self.assertEqual(
            (self.hq.key_account_overdue_amount, self.branch_a.key_account_overdue_amount), (1500.0, 300.0)
        )
        # scoring facts
        self.env.cr.execute(
            self.env["key.account.score.facts"]._score_invoice_facts_query(
                [self.hq.id, self.branch_a.id], self.company.id, OCTOBER, date(2026, 11, 1)
            )
        )
        facts = {row["account_id"]: row for row in self.env.cr.dictfetchall()}
        self.assertEqual((facts[self.hq.id]["rev_0"], facts[self.branch_a.id]["rev_0"]), (1500.0, 300.0))
        # monthly report: rows on the rule, the summary counts each invoice once
        report = self._report()
        self.assertEqual(
            (self._line(report, self.hq).revenue_month, self._line(report, self.branch_a).revenue_month),
            (1500.0, 300.0),
        )
        self.assertEqual(self._line(report, self.hq).revenue_ytd, 1500.0)
        self.assertFalse(self._line(report, self.branch_b), "not a key account")
        self.assertEqual(report.revenue_month, 1500.0)
        self.assertEqual(report.revenue_ytd, 1500.0)
        # KPIs: the credit split (issue #24) credits each invoice once: branch_a, a key account of its own, to its
        # own manager only, no longer to the headquarters' too
        self.assertEqual((self._kpi(self.ka_user), self._kpi(self.ka_user_off)), (1200.0, 300.0))
        # targets: per account the group figure; the specialist's plan what the credit split credits them with
        Target = self.env["key.account.target"]
        targets = Target.create(
            [
                {"user_id": self.ka_user.id, "period_kind": "month", "date_from": OCTOBER, "sales_target": 3000.0},
                {
                    "user_id": self.ka_user.id,
                    "partner_id": self.hq.id,
                    "period_kind": "month",
                    "date_from": OCTOBER,
                    "sales_target": 3000.0,
                },
                {
                    "user_id": self.ka_user_off.id,
                    "partner_id": self.branch_a.id,
                    "period_kind": "quarter",
                    "date_from": OCTOBER,
                    "sales_target": 600.0,
                },
            ]
        )
        self.assertEqual(targets.mapped("sales_actual"), [1200.0, 1500.0, 300.0])
        self.assertEqual(targets[0].sales_completion, 40.0)
        # monthly reviews
        reviews = self.env["key.account.monthly.review"].create(
            [{"partner_id": partner.id, "period_date": OCTOBER} for partner in (self.hq, self.branch_a)]
        )
        self.assertEqual(reviews.mapped("purchases"), [1500.0, 300.0])
        # shipment and collection
        Receivable = self.env["key.account.receivable.report"]

        def invoiced(domain):
            return Receivable.read_group(domain, ["invoiced:sum"], [])[0]["invoiced"]

        self.assertEqual(invoiced([("account_id", "=", self.hq.id)]), 1500.0)
        self.assertEqual(invoiced([("account_id", "=", self.branch_a.id)]), 300.0)
        self.assertEqual(
            invoiced([("account_id", "in", (self.hq | self.branch_a).ids), ("group_copy", "=", False)]), 1500.0
        )
        self.assertEqual(
            Receivable.read_group([("account_id", "=", self.hq.id)], ["overdue:sum"], [])[0]["overdue"], 1500.0
        )

    def test_past_month_uses_that_months_accounts_and_managers(self):
        prospect = self.env["res.partner"].create({"name": "Jinan Metro Construction", "is_company": True})
        lost = self._key_account("Jinlong Steel", manager=self.ka_user)
        with freeze_time("2026-11-05 08:00"):
            nomination = self._nomination(self.ka_user, prospect, proposed_manager_id=self.ka_user.id)
            nomination.action_submit()
            nomination.with_user(self.ka_manager).validate_tier()
            self.env["key.account.handover.wizard"].with_user(self.ka_manager).create(
                {"from_user_id": self.ka_user.id, "to_user_id": self.ka_director.id, "partner_ids": self.hq.ids}
            ).action_handover()
            lost.with_user(self.ka_manager).action_lose_key_account("price", "Cheaper mill nearby")
        self._post_invoice(prospect, 700.0, date(2026, 10, 20), invoice_date_due=date(2026, 10, 20))
        self.assertTrue(prospect.is_key_account)
        self.assertEqual(self.hq.key_account_manager_id, self.ka_director)
        report = self._report()
        self.assertFalse(self._line(report, prospect), "a key account only since November")
        self.assertTrue(self._line(report, lost), "lost in November: a key account in October")
        self.assertEqual(self._line(report, self.hq).manager_id, self.ka_user, "handed over in November")
        self.assertEqual(report.revenue_month, 1500.0)
        self.assertEqual(self._kpi(self.ka_user), 1200.0)  # branch_a credited to its own manager (issue #24)
        self.assertNotIn(self.ka_director, self.env["key.account.kpi"]._kpi_ratios([("month", "=", OCTOBER)]))
        # November: the new manager and the new account
        november = self.env["key.account.report"].with_user(self.ka_manager).generate(date(2026, 11, 1))
        self.assertEqual(self._line(november, self.hq).manager_id, self.ka_director)
        self.assertTrue(self._line(november, prospect))
        self.assertFalse(self._line(november, lost))
