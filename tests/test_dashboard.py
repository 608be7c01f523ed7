"""The Key Accounts dashboard's data (issue #18): the figures of each role's scope against the
metrics and by hand, each figure's list holding exactly what it counts, the trust boundary,
and a number of queries that does not grow with the accounts. Moved here from
test_monthly_report.py with the transient dashboard it replaces."""

import json
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountCase, KeyAccountDataMixin
from .test_monthly_report import OCTOBER, ReportCase

OCTOBER_END = date(2026, 10, 31)


class DashboardMixin:
    def _data(self, user, scope=None, month=OCTOBER, refresh=False):
        return self.env["key.account.dashboard"].with_user(user).get_dashboard_data(scope, month, refresh)

    def _figures(self, data):
        """Every counted figure of the dashboard: {key: figure}."""
        figures = [*data["attention"], *data["approvals"], *data["scores"]["grades"]]
        figures += [dict(f, key=f"tier {f['key']}") for f in data["portfolio"]["tiers"]]
        figures += [dict(f, key=f"state {f['key']}") for f in data["portfolio"]["states"]]
        return {figure["key"]: figure for figure in figures}

    def _listed(self, user, action):
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def assertListsMatchFigures(self, user, data):
        """Each figure's list, searched as the user, holds as many records as it shows."""
        for key, figure in self._figures(data).items():
            with self.subTest(user=user.login, figure=key):
                self.assertEqual(len(self._listed(user, figure["action"])), figure["value"])

    def assertInvoicesMakeRevenue(self, data, revenue):
        """The revenue's list (searched with every right): the invoices whose sum it is."""
        action = data["revenue"]["action"]
        self.assertEqual(action["res_model"], "account.move")
        moves = self.env["account.move"].search(action["domain"])
        self.assertAlmostEqual(sum(moves.mapped("amount_untaxed_signed")), revenue, places=2)
        return moves


@tagged("post_install", "-at_install")
class TestDashboardMonth(DashboardMixin, ReportCase):
    """The October 2026 fixture of the monthly report (hand-computed in ReportCase)."""

    def test_figures_of_the_month(self):
        self.other_account.invalidate_recordset()
        data = self._data(self.ka_manager)
        self.assertEqual(data["scope"], "company", "a KA Manager sees the company by default")
        self.assertEqual([scope["key"] for scope in data["scopes"]], ["mine", "company"])
        figures = self._figures(data)
        self.assertEqual(figures["accounts"]["value"], 2)
        revenue = data["revenue"]
        self.assertAlmostEqual(revenue["month"], 120000.0, places=2)
        self.assertAlmostEqual(revenue["share"], 60.0, places=2)
        # 2026: Hengtai 90,000 + 50,000, Huaxin 30,000; the company 250,000 with the walk-in builder
        self.assertAlmostEqual(revenue["ytd"], 170000.0, places=2)
        self.assertAlmostEqual(revenue["share_ytd"], 68.0, places=2)
        # ka_user's 280,000 for 2026 spread over its months (key.account.kpi)
        self.assertAlmostEqual(revenue["target"], 280000.0 / 12, places=2)
        self.assertAlmostEqual(revenue["completion"], 100.0 * 120000.0 / (280000.0 / 12), places=2)
        trend = revenue["trend"]
        self.assertEqual((trend["months"][0], trend["months"][-1]), ("2025-11-01", "2026-10-01"))
        self.assertEqual(
            dict(zip(trend["months"], trend["revenue"], strict=True)),
            {**dict.fromkeys(trend["months"], 0.0), "2025-11-01": 999.0, "2026-03-01": 50000.0, "2026-10-01": 120000.0},
        )
        self.assertEqual(trend["previous"][trend["months"].index("2026-05-01")], 60000.0)
        self.assertEqual(trend["target"][-1], revenue["target"])
        self.assertEqual(trend["target"][0], 0.0, "no target before 2026")
        self.assertEqual(figures["escalated"]["value"], int(self.other_account.key_account_escalated))
        self.assertEqual(figures["news"]["value"], 1)
        self.assertEqual(figures["review_missing"]["value"], 2, "the October review is not done yet")
        self.assertEqual(figures["visits"]["value"], 0)
        self.assertIn(self.ka_user.name, [row["label"] for row in data["specialists"]])
        row = next(row for row in data["specialists"] if row["key"] == self.ka_user.id)
        self.assertAlmostEqual(row["sales_target"], revenue["target"], places=2)
        self.assertListsMatchFigures(self.ka_manager, data)

    def test_monthly_report_from_the_dashboard(self):
        action = self.env["key.account.dashboard"].with_user(self.ka_manager).action_generate_report(OCTOBER)
        self.assertEqual(self.env["key.account.report"].browse(action["res_id"]).period_date, OCTOBER)
        self.assertTrue(self._data(self.ka_manager)["can_generate_report"])
        for role, user in self.roles_below_manager().items():
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["key.account.dashboard"].with_user(user).action_generate_report(OCTOBER)

    def test_approvals_and_claims_waiting(self):
        self._submitted()
        self._expense(self.visit_done).action_claim()
        manager, mine, other = (
            self._figures(self._data(user)) for user in (self.ka_manager, self.ka_user, self.ka_user_off)
        )
        self.assertEqual((manager["visits"]["value"], manager["visit_claims"]["value"]), (1, 1))
        self.assertEqual((mine["visits"]["value"], mine["visit_claims"]["value"]), (1, 1))
        self.assertEqual((other["visits"]["value"], other["visit_claims"]["value"]), (0, 0))
        self.assertNotIn("reviews", mine, "the annual review is the company's, not a specialist's")
        for user in (self.ka_manager, self.ka_user):
            self.assertListsMatchFigures(user, self._data(user))

    def test_scores_distribution_and_movers(self):
        scorecard = self.env["key.account.scorecard"]._for_company(self.company)
        accounts = (self.account | self.other_account).ids
        scorecard._compute_scores(period_date=date(2026, 9, 1), partner_ids=accounts)
        scorecard._compute_scores(period_date=OCTOBER, partner_ids=accounts)
        snapshots = self.env["key.account.score"].search([("period_date", "=", OCTOBER)])
        scores = self._data(self.ka_manager)["scores"]
        self.assertEqual((scores["period"], scores["count"]), ("2026-10-01", 2))
        self.assertAlmostEqual(scores["average"], sum(snapshots.mapped("score")) / 2, places=2)
        self.assertEqual(sum(grade["value"] for grade in scores["grades"]), 2)
        movers = {mover["label"]: mover["change"] for mover in scores["up"] + scores["down"]}
        expected = {s.partner_id.display_name: s.score_change for s in snapshots if s.score_change}
        self.assertEqual(movers, expected)
        # a month before any scoring: nothing to show; the latest scoring for a later month
        self.assertFalse(self._data(self.ka_manager, month=date(2026, 8, 1))["scores"]["period"])
        self.assertEqual(self._data(self.ka_manager, month=date(2026, 12, 1))["scores"]["period"], "2026-10-01")
        mine = self._data(self.ka_user)["scores"]
        self.assertEqual(mine["count"], 1, "a specialist sees the scores of their accounts")


@tagged("post_install", "-at_install")
class TestDashboardScopes(DashboardMixin, KeyAccountDataMixin, KeyAccountCase):
    """October 2026, a group customer (as tests/test_group_consolidation.py):

    hq (key account, ka_user)                     invoice 2026-10-10  1,000
      branch_a (key account itself, ka_user_off)  invoice 2026-10-12    300
      branch_b (a branch, no key account)         invoice 2026-10-14    200
    and the common fixture's Hengtai (ka_user) and Huaxin (ka_user_off), without invoices.

    Company: 1,500 (each invoice once); ka_user's accounts: hq's group 1,500; ka_user_off's:
    branch_a on its own, 300."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hq = cls._key_account("Zhongtie Group", manager=cls.ka_user)
        branch = {"key_account_headquarters_id": cls.hq.id, "key_account_group_relation": "branch"}
        cls.branch_a = cls._key_account("Zhongtie Wuhan Branch", manager=cls.ka_user_off, **branch)
        cls.branch_b = cls.env["res.partner"].create({"name": "Zhongtie Xi'an Branch", "is_company": True, **branch})
        cls.invoices = {
            partner: cls._post_invoice(partner, amount, day)
            for partner, amount, day in (
                (cls.hq, 1000.0, date(2026, 10, 10)),
                (cls.branch_a, 300.0, date(2026, 10, 12)),
                (cls.branch_b, 200.0, date(2026, 10, 14)),
            )
        }
        cls.metrics = cls.env["key.account.metrics"]

    def _revenue(self, partners):
        return self.metrics._revenue(partners.ids, OCTOBER, OCTOBER_END, consolidate=True, total=True)

    def test_figures_equal_the_metrics(self):
        for user, scope, accounts, revenue in (
            (self.ka_manager, "company", self.account | self.other_account | self.hq | self.branch_a, 1500.0),
            (self.ka_user, "mine", self.account | self.hq, 1500.0),
            (self.ka_user_off, "mine", self.other_account | self.branch_a, 300.0),
        ):
            with self.subTest(user=user.login):
                data = self._data(user)
                self.assertEqual(data["scope"], scope)
                self.assertEqual(data["revenue"]["month"], revenue)
                self.assertEqual(data["revenue"]["month"], self._revenue(accounts))
                listed = self._listed(user, self._figures(data)["accounts"]["action"])
                self.assertEqual(listed, accounts)
                tiers = sum(tier["value"] for tier in data["portfolio"]["tiers"])
                self.assertEqual(tiers, len(accounts), "the portfolio of the scope only")
                self.assertListsMatchFigures(user, data)

    def test_revenue_opens_its_invoices(self):
        """The revenue's list: the invoices summed, for those who read them all."""
        dashboard = self.env["key.account.dashboard"]
        moves = self.assertInvoicesMakeRevenue(dashboard.get_dashboard_data("company", OCTOBER), 1500.0)
        self.assertEqual(set(moves), set(self.invoices.values()))
        # who reads every invoice counted gets them; a salesperson reading their own documents
        # only (the invoices are the superuser's) or a user without invoicing rights: the accounts
        all_invoices = new_test_user(
            self.env, "ka_all_leads", groups="key_account_mgmt.group_ka_user,sales_team.group_sale_salesman_all_leads"
        )
        self.hq.key_account_team_member_ids = [(0, 0, {"user_id": all_invoices.id})]
        moves = self.assertInvoicesMakeRevenue(self._data(all_invoices), 1500.0)
        self.assertEqual(
            self._listed(all_invoices, {"res_model": "account.move", "domain": [("id", "in", moves.ids)]}), moves
        )
        self.assertEqual(self._data(self.ka_user)["revenue"]["action"]["res_model"], "res.partner")
        no_invoices = new_test_user(self.env, "ka_no_sales", groups="key_account_mgmt.group_ka_user")
        self.assertEqual(self._data(no_invoices)["revenue"]["action"]["res_model"], "res.partner")
        # the invoices of ka_user_off's scope: branch_a's own only (a branch shown on its own)
        context = self.env["key.account.scope"].with_user(self.ka_user_off)._scope_context("mine")
        counted = self.metrics._counted_domain(context["accounts"])
        self.assertEqual(self.env["res.partner"].search(counted), self.other_account | self.branch_a)
        self.assertEqual(
            self.env["account.move"].search([("commercial_partner_id", "any", counted)]), self.invoices[self.branch_a]
        )

    def test_trust_boundary(self):
        with self.assertRaises(AccessError):
            self._data(self.plain_user)
        for user in (self.ka_user, self.ka_user_off):
            data = self._data(user)
            self.assertEqual([s["key"] for s in data["scopes"]], ["mine"])
            self.assertIsNone(data["revenue"]["share"], "the company's revenue is not a specialist's to see")
            for scope in ("team", "company"):
                with self.subTest(user=user.login, scope=scope), self.assertRaises(AccessError):
                    self._data(user, scope)
        self.assertEqual(self._data(self.ka_clerk)["scope"], "company")
        self.assertEqual(self._data(self.ka_manager_b)["revenue"]["month"], 0.0, "another company's")
        with self.assertRaises(UserError):
            self._data(self.ka_manager, "everything")
        with self.assertRaises(ValidationError):
            self._data(self.ka_manager, month="2026-13-45")

    def test_team_scope(self):
        """A manager leading a sales team with ka_user: the accounts ka_user manages."""
        self.env["crm.team"].create(
            {"name": "Key Accounts North", "user_id": self.ka_manager.id, "member_ids": [(6, 0, self.ka_user.ids)]}
        )
        data = self._data(self.ka_manager, "team")
        self.assertEqual([s["key"] for s in data["scopes"]], ["mine", "team", "company"])
        listed = self._listed(self.ka_manager, self._figures(data)["accounts"]["action"])
        self.assertEqual(listed, self.account | self.hq)
        self.assertEqual(data["revenue"]["month"], 1500.0)
        self.assertListsMatchFigures(self.ka_manager, data)

    def test_queries_do_not_grow_with_the_accounts(self):
        tiers = (self.tier_strategic, self.tier_key, self.tier_normal)
        states = ("good", "maintained", "problem")

        def count_queries():
            """The second of two calls from a clean cache (the first fills the caches of rules):
            the company's as a KA Manager, one's own (accounts read by their ids) as a KA User."""
            counts = []
            for user in (self.ka_manager, self.ka_user):
                self.env.invalidate_all()
                self._data(user, refresh=True)
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                self._data(user, refresh=True)
                counts.append(self.env.cr.sql_log_count - before)
            return counts

        def score():
            scorecard = self.env["key.account.scorecard"]._for_company(self.company)
            accounts = self.env["res.partner"].search([("is_key_account", "=", True)]).ids
            for month in (date(2026, 9, 1), OCTOBER):
                scorecard._compute_scores(period_date=month, partner_ids=accounts)

        score()
        self.assertTrue(self._data(self.ka_manager)["scores"]["up"], "the movers are read too")
        few = count_queries()
        for index in range(12):
            partner = self._key_account(
                f"Bench Account {index}", manager=self.ka_user, key_account_tier_id=tiers[index % 3].id
            )
            partner.action_set_cooperation_state(states[index % 3], "Bench")
            self._post_invoice(partner, 100.0 * (index + 1), date(2026, 10, 1 + index))
        score()
        self.assertGreater(len(self._data(self.ka_manager, refresh=True)["scores"]["up"]), 1)
        self.assertEqual(count_queries(), few)

    def test_the_company_figures_are_kept_a_few_minutes(self):
        """数据截至: a KA Manager's company figures are those computed a few minutes ago, until
        they ask for them again; the approvals waiting for them, their own scope, another
        manager's and another month's are computed as read."""
        first = self._data(self.ka_manager)
        self.assertTrue(first["as_of"])
        accounts = self._figures(first)["accounts"]["value"]
        pending = self._figures(first)["nominations"]["value"]
        self._key_account("Zhongda Pipes", manager=self.ka_user)
        candidate = self.env["res.partner"].create({"name": "Xinda Fittings", "is_company": True})
        self._nomination(self.ka_user, candidate).action_submit()
        kept = self._data(self.ka_manager)
        self.assertEqual(kept["as_of"], first["as_of"])
        self.assertEqual(self._figures(kept)["accounts"]["value"], accounts, "the kept figure")
        self.assertEqual(self._figures(kept)["nominations"]["value"], pending + 1, "approvals as read")
        self.assertListsMatchFigures(self.ka_manager, self._data(self.ka_manager, refresh=True))
        self.assertEqual(self._figures(self._data(self.ka_manager))["accounts"]["value"], accounts + 1, "kept again")
        self.assertIsNone(self._data(self.ka_manager, "mine")["as_of"], "one's own accounts: as read")
        self.assertIsNone(self._data(self.ka_user)["as_of"])
        self.assertNotEqual(self._data(self.ka_manager, month="2026-09-01")["month"], kept["month"])
        self.env["ir.config_parameter"].set_param("key_account_mgmt.dashboard_snapshot_minutes", "0")
        self._key_account("Dongfang Valves", manager=self.ka_user)
        self.assertEqual(self._figures(self._data(self.ka_manager))["accounts"]["value"], accounts + 2, "0: as read")

    def _age_kept_figures(self, user, minutes):
        self.env.cr.execute(
            """UPDATE key_account_dashboard_snapshot
                  SET computed_at = computed_at - make_interval(mins => %s) WHERE user_id = %s""",
            [minutes, user.id],
        )

    def test_stale_company_figures_are_shown_while_computed_again(self):
        """Kept figures older than the minutes (up to six times as old) are shown at once,
        marked as updating; the refresh cron, triggered once, computes them again as their
        reader and tells the reader's dashboards; older ones are computed as read."""
        cron = self.env.ref("key_account_mgmt.ir_cron_dashboard_refresh")
        Trigger = self.env["ir.cron.trigger"]
        Snapshot = self.env["key.account.dashboard.snapshot"]
        first = self._data(self.ka_manager)
        self.assertFalse(first["refreshing"])
        accounts = self._figures(first)["accounts"]["value"]
        self._key_account("Zhongda Pipes", manager=self.ka_user)
        self._age_kept_figures(self.ka_manager, 15)
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        stale = self._data(self.ka_manager)
        self.assertTrue(stale["refreshing"])
        self.assertLess(stale["as_of"], first["as_of"])
        self.assertEqual(self._figures(stale)["accounts"]["value"], accounts, "shown as kept")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.assertTrue(self._data(self.ka_manager)["refreshing"])
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1, "asked once")

        Snapshot._cron_refresh()
        self.env.cr.precommit.run()  # the bus's notifications are written on commit
        sent = self.env["bus.bus"].search([("message", "like", "key_account_mgmt.dashboard_refreshed")])
        self.assertTrue(sent, "the reader's dashboards are told")
        self.assertEqual(json.loads(sent[-1].channel)[1:], ["res.partner", self.ka_manager.partner_id.id])
        fresh = self._data(self.ka_manager)
        self.assertFalse(fresh["refreshing"])
        self.assertGreater(fresh["as_of"], stale["as_of"])
        self.assertEqual(self._figures(fresh)["accounts"]["value"], accounts + 1)
        self.assertListsMatchFigures(self.ka_manager, fresh)

        self._key_account("Dongfang Valves", manager=self.ka_user)
        self._age_kept_figures(self.ka_manager, 61)
        too_old = self._data(self.ka_manager)
        self.assertFalse(too_old["refreshing"])
        self.assertEqual(self._figures(too_old)["accounts"]["value"], accounts + 2, "computed as read")

    def test_the_refresh_computes_as_the_reader(self):
        """Kept figures whose reader may no longer see them (a KA User's row of the company's
        figures, a user archived) are dropped by the refresh, never computed with its rights."""
        self._data(self.ka_manager)
        self.env.cr.execute(
            """INSERT INTO key_account_dashboard_snapshot (user_id, key, figures, computed_at, refresh_wanted)
               SELECT %s, key, figures, computed_at, true FROM key_account_dashboard_snapshot WHERE user_id = %s""",
            [self.ka_user.id, self.ka_manager.id],
        )
        self._age_kept_figures(self.ka_manager, 15)
        self._data(self.ka_manager)
        self.ka_manager.active = False
        self.env["key.account.dashboard.snapshot"]._cron_refresh()
        self.env.cr.execute(
            "SELECT user_id FROM key_account_dashboard_snapshot WHERE user_id IN %s",
            [(self.ka_user.id, self.ka_manager.id)],
        )
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_own_accounts_by_ids_or_by_domain(self):
        """A scope of few accounts is counted by their ids; one of more, by its domain: the
        same figures and lists either way."""
        from odoo.addons.key_account_mgmt.models import key_account_scope

        by_ids = self._data(self.ka_user)
        self.assertEqual(self._figures(by_ids)["accounts"]["action"]["domain"][0][:2], ("id", "in"))
        with patch.object(key_account_scope, "RESOLVED_ACCOUNTS", 0):
            by_domain = self._data(self.ka_user)
        self.assertNotEqual(self._figures(by_domain)["accounts"]["action"]["domain"][0][:2], ("id", "in"))
        figures = self._figures(by_ids)
        self.assertEqual(
            {key: figure["value"] for key, figure in figures.items()},
            {key: figure["value"] for key, figure in self._figures(by_domain).items()},
        )
        self.assertGreater(figures["accounts"]["value"], 0)
        for series in ("revenue", "previous", "target"):
            self.assertEqual(by_ids["revenue"]["trend"][series], by_domain["revenue"]["trend"][series])
        self.assertListsMatchFigures(self.ka_user, by_ids)
