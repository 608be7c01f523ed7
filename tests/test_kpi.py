"""The KPIs against hand-computed figures (SPEC §8, issue #7); the dashboard: test_dashboard.py."""

from contextlib import contextmanager
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_monthly_report import OCTOBER, ReportCase


@tagged("post_install", "-at_install")
class TestKpis(ReportCase):
    def test_kpis_equal_the_hand_computation(self):
        """ka_user in October: target 280,000 / 12; sales 90,000; visits and receptions planned 3
        (budget 3 × 5,000), reported 2; approved expenses 320 + 180 (the refused 999 and the
        claim in draft left out); one lost key account; one nomination approved."""
        self._expense(self.visit_done, amount=777.0)  # never claimed: not a cost yet
        claimed = self._expense(self.visit_done, amount=320.0) | self._expense(self.reception_done, amount=180.0)
        refused = self._expense(self.visit_done, amount=999.0)
        (claimed | refused).with_user(self.ka_user).action_claim()
        for plan in (self.visit_done, self.reception_done):
            plan.with_user(self.ka_manager).action_accept_report()
        claimed.with_user(self.ka_manager).action_approve()
        refused.with_user(self.ka_manager).action_refuse()
        lost = self._key_account("Jinlong Steel", manager=self.ka_user)
        with freeze_time("2026-10-21 08:00"):
            lost.with_user(self.ka_manager).action_lose_key_account("price", "Cheaper mill nearby")
            prospect = self.env["res.partner"].create({"name": "Jinan Metro Construction", "is_company": True})
            nomination = self._nomination(self.ka_user, prospect, proposed_manager_id=self.ka_user.id)
            nomination.action_submit()
            nomination.with_user(self.ka_manager).validate_tier()
        self.env["key.account.target"].create(
            {
                "user_id": self.ka_user.id,
                "period_kind": "year",
                "date_from": OCTOBER,
                "new_accounts_target": 6,
            }
        )
        figures = self.env["key.account.kpi"]._kpi_ratios(
            [("month", "=", OCTOBER), ("company_id", "=", self.company.id)]
        )
        mine = figures[self.ka_user]
        self.assertAlmostEqual(mine["sales_target"], 280000.0 / 12, places=2)
        self.assertAlmostEqual(mine["sales_actual"], 90000.0, places=2)
        self.assertAlmostEqual(mine["sales_completion"], 100 * 90000.0 / (280000.0 / 12), places=2)
        self.assertEqual((mine["visits_planned"], mine["visits_done"]), (3, 2))
        self.assertAlmostEqual(mine["visit_rate"], 66.67, places=2)
        self.assertAlmostEqual(mine["service_budget"], 15000.0, places=2)
        self.assertAlmostEqual(mine["service_cost"], 500.0, places=2)
        self.assertAlmostEqual(mine["cost_ratio"], 100 * 500.0 / 15000.0, places=2)
        self.assertEqual(mine["lost_count"], 1)
        self.assertEqual(mine["new_accounts_actual"], 1)
        self.assertAlmostEqual(mine["new_accounts_target"], 0.5, places=2)
        self.assertAlmostEqual(mine["development_completion"], 200.0, places=2)
        self.assertAlmostEqual(figures[self.ka_user_off]["sales_actual"], 30000.0, places=2)

    def test_complaint_kpis(self):
        """Two complaints of Hengtai (strategic: first reply within 0.5 working hours) received on
        Monday 12 October 2026 at 10:00 in Shanghai: one valid and replied after 10 minutes, one
        not assessed and replied the next day; a request of September does not count for October.
        → 2 complaints, 1 valid, 1 replied in time: feedback on time 50 %."""
        calendar = self.company.resource_calendar_id
        calendar.tz = "Asia/Shanghai"
        received = datetime(2026, 10, 12, 2, 0)
        Ticket = self.env["helpdesk.ticket"]
        valid = Ticket.create(
            {
                "name": "Rusty beams",
                "description": "<p>Rust</p>",
                "partner_id": self.account.id,
                "date_received": received,
            }
        )
        valid.write(
            {"date_replied": datetime(2026, 10, 12, 2, 10), "complaint_validity": "valid", "root_cause": "Wet storage"}
        )
        late = Ticket.create(
            {
                "name": "Late truck",
                "description": "<p>Late</p>",
                "partner_id": self.account.id,
                "date_received": received,
            }
        )
        late.write({"date_replied": datetime(2026, 10, 13, 2, 0)})
        Ticket.create(
            {
                "name": "Price list",
                "description": "<p>Send it</p>",
                "partner_id": self.account.id,
                "date_received": datetime(2026, 9, 30, 2, 0),
            }
        )
        self.assertEqual((valid.is_valid_complaint, valid.reply_in_sla, late.reply_in_sla), (True, True, False))
        mine = self.env["key.account.kpi"]._kpi_ratios([("month", "=", OCTOBER), ("company_id", "=", self.company.id)])[
            self.ka_user
        ]
        self.assertEqual(
            (mine["complaint_count"], mine["complaint_valid"], mine["complaint_replied_in_sla"]), (2, 1, 1)
        )
        self.assertAlmostEqual(mine["feedback_on_time"], 50.0, places=2)
        summary = self.env["key.account.activity.metrics"]._complaint_summary(
            OCTOBER, date(2026, 10, 31), group_by="user"
        )[self.ka_user.id]
        self.assertEqual(
            (summary["count"], summary["valid"], summary["replied_in_sla"]),
            (2, 1, 1),
            "the KPI view counts as metrics do",
        )
        # the scoring engine's complaints criterion reads the same figures
        run = {
            "windows": [(date(2025, 11, 1), date(2026, 10, 31))],
            "company_id": self.company.id,
            "partner_ids": [self.account.id, self.other_account.id],
        }
        raw = self.env["key.account.score.source"]._score_source("valid_complaints", run)
        self.assertEqual(raw, {self.account.id: 1.0, self.other_account.id: 0.0})

    def test_kpi_rights(self):
        Kpi = self.env["key.account.kpi"]
        self.assertEqual(Kpi.with_user(self.ka_user).search([]).user_id, self.ka_user)
        self.assertEqual(Kpi.with_user(self.ka_clerk).search([]).user_id, self.ka_user | self.ka_user_off)
        with self.assertRaises(AccessError):
            Kpi.with_user(self.plain_user).search([])
        self.assertFalse(Kpi.with_user(self.ka_manager_b).search([]))

    def test_a_pivot_computes_only_the_sources_of_its_measures(self):
        """A read of some measures (a pivot, the dashboard's specialists) builds the view of
        their sources only (issue #25: the service compliance of every account is not computed
        to sum the sales), with the same figures; its rows are those with some of them:
        ka_user_off's lost account alone gives no row in a pivot of the sales and visits."""
        lost = self._key_account("Jinlong Steel", manager=self.ka_user_off)
        with freeze_time("2026-10-21 08:00"):
            lost.with_user(self.ka_manager).action_lose_key_account("price", "Cheaper mill nearby")
        Kpi = self.env["key.account.kpi"]
        october = [("month", "=", OCTOBER), ("company_id", "=", self.company.id)]
        measures = ["sales_actual:sum", "visits_planned:sum"]
        queries = []
        with contextmanager(self._patchExecute)(queries):  # Odoo's own query capture (assertQueries)
            pivot = {user: (sales, visits) for user, sales, visits in Kpi._read_group(october, ["user_id"], measures)}
        kpi_query = next(query for query in queries if "key_account_kpi" in query)
        self.assertIn("key_account_visit", kpi_query)
        self.assertNotIn("FROM key_account_loss l WHERE", kpi_query)  # the losses' source
        self.assertNotIn("key_account_service_plan", kpi_query)
        full = Kpi._kpi_ratios(october)
        self.assertEqual(
            pivot[self.ka_user], (full[self.ka_user]["sales_actual"], full[self.ka_user]["visits_planned"])
        )
        self.assertAlmostEqual(pivot[self.ka_user][0], 90000.0, places=2)
        self.assertEqual(pivot[self.ka_user][1], 3)
        self.assertEqual(full[self.ka_user_off]["lost_count"], 1)
        self.assertEqual(dict(Kpi._read_group(october, ["user_id"], ["lost_count:sum"]))[self.ka_user_off], 1)
        self.assertAlmostEqual(pivot[self.ka_user_off][0], 30000.0, places=2)

    def test_the_month_of_a_pivot_reaches_the_sources_as_dates(self):
        """A filter on the month reaches the visits, complaints and trips as a range of dates
        their indexes read, a day wider for UTC times; the month is still the local one: in
        Shanghai a visit planned at 23:00 UTC on 30 September counts for October and one at
        16:30 UTC on 31 October for November, whether the filter is "=", a range or none."""
        self._plan(date_planned=datetime(2026, 9, 30, 23, 0))
        self._plan(date_planned=datetime(2026, 10, 31, 16, 30))
        Kpi = self.env["key.account.kpi"].with_context(tz="Asia/Shanghai")
        mine = [("user_id", "=", self.ka_user.id), ("company_id", "=", self.company.id)]

        def planned(domain):
            return dict(Kpi._read_group(domain, ["month:month"], ["visits_planned:sum"]))

        everything = planned(mine)
        self.assertEqual(everything[OCTOBER], 4, "the three of the fixture and the one of 30 September UTC")
        self.assertEqual(everything[date(2026, 11, 1)], 1)
        self.assertEqual(planned([*mine, ("month", "=", OCTOBER)]), {OCTOBER: 4})
        self.assertEqual(
            planned([*mine, ("month", ">=", "2026-11-01"), ("month", "<=", "2026-11-30")]), {date(2026, 11, 1): 1}
        )
        self.assertEqual(planned(["|", ("month", "=", OCTOBER), ("month", "=", date(2026, 11, 1)), *mine]), everything)

    def test_a_measure_filtered_or_sorted_by_is_read(self):
        """A pivot of the visits filtered (having) or sorted by the sales reads the sales too
        (ka_user sold 90,000 in October, ka_user_off 30,000)."""
        Kpi = self.env["key.account.kpi"]
        october = [("month", "=", OCTOBER), ("company_id", "=", self.company.id)]
        having = Kpi._read_group(
            october, ["user_id"], ["visits_planned:sum"], having=[("sales_actual:sum", ">", 50000)]
        )
        self.assertEqual([(user, visits) for user, visits in having if user], [(self.ka_user, 3)])
        by_sales = Kpi._read_group(october, ["user_id"], ["visits_planned:sum"], order="sales_actual:sum asc")
        self.assertEqual([user for user, _visits in by_sales if user], [self.ka_user_off, self.ka_user])
