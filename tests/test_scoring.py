"""Scoring engine (issue #4): hand-computed scores, scorecard checks, manual criteria by
group, snapshots as history, the monthly cron and the query count per batch."""

from datetime import date, timedelta

import psycopg2

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import KeyAccountCase, KeyAccountDataMixin

PERIOD = date(2026, 6, 1)  # window w0 = 2025-07-01 … 2026-06-30, w1 = 2024-07-01 … 2025-06-30


class ScoringFixture(KeyAccountDataMixin, KeyAccountCase):
    """Four key accounts of the company, hand-computable:

    Test Group HQ (account team: ka_user) with its branch (not a key account itself):
      w0: invoice 10,000 (2025-09-10, paid), refund 2,000 (2026-02-01), branch invoice 4,000
      (2026-03-05), invoice 1,000 in a foreign currency at 2 company units each = 2,000
      (2026-04-01, due 2026-08-01); w1: invoice 10,000 (2025-01-15, paid).
    Beta Steel: w0: invoice 6,000 (2026-05-20, paid).
    Hengtai and Huaxin (from common): no invoices.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["key.account.score.engine"]
        cls.env["key.account.scorecard"].search([]).write({"active": False})
        cls.scorer = new_test_user(
            cls.env,
            "ka_scorer_service",
            name="Service Manager",
            groups="base.group_user,key_account_mgmt.group_ka_scorer_service",
        )
        cls.scorecard = cls.env["key.account.scorecard"].create(
            {
                "name": "Test Scorecard",
                "company_id": cls.company.id,
                "dimension_ids": [
                    Command.create(
                        {
                            "name": "Contribution",
                            "sequence": 1,
                            "weight": 40,
                            "criterion_ids": [
                                Command.create(
                                    {"name": "Revenue", "kind": "computed", "source": "revenue_12m", "scale": "average"}
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Growth",
                            "sequence": 2,
                            "weight": 20,
                            "criterion_ids": [
                                Command.create(
                                    {
                                        "name": "YoY",
                                        "kind": "computed",
                                        "source": "growth_yoy",
                                        "scale": "thresholds",
                                        "threshold_1": 0,
                                        "threshold_2": 10,
                                        "threshold_3": 20,
                                        "threshold_4": 30,
                                        "threshold_5": 50,
                                    }
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Credit",
                            "sequence": 3,
                            "weight": 20,
                            "criterion_ids": [
                                Command.create(
                                    {
                                        "name": "Collection",
                                        "sequence": 1,
                                        "kind": "computed",
                                        "source": "collection_rate",
                                        "threshold_1": 50,
                                        "threshold_2": 60,
                                        "threshold_3": 70,
                                        "threshold_4": 80,
                                        "threshold_5": 90,
                                    }
                                ),
                                Command.create(
                                    {
                                        "name": "Overdue",
                                        "sequence": 2,
                                        "kind": "computed",
                                        "source": "overdue_ratio",
                                        "lower_is_better": True,
                                        "threshold_1": 50,
                                        "threshold_2": 30,
                                        "threshold_3": 20,
                                        "threshold_4": 10,
                                        "threshold_5": 0,
                                    }
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Cooperation",
                            "sequence": 4,
                            "weight": 20,
                            "criterion_ids": [
                                Command.create(
                                    {
                                        "name": "Willingness",
                                        "kind": "manual",
                                        "group_id": cls.env.ref("key_account_mgmt.group_ka_scorer_service").id,
                                    }
                                ),
                            ],
                        }
                    ),
                ],
            }
        )
        cls.criteria = {c.name: c for c in cls.scorecard.criterion_ids}
        cls.hq = cls._key_account("Test Group HQ", manager=cls.ka_user, key_account_tier_id=cls.tier_normal.id)
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Test Group Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.hq.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.beta = cls._key_account("Beta Steel", manager=cls.ka_user_off, key_account_tier_id=cls.tier_key.id)
        cls._ensure_chart_of_accounts()
        company_currency = cls.company.currency_id
        cls.foreign = (
            cls.env.ref("base.EUR") if company_currency != cls.env.ref("base.EUR") else cls.env.ref("base.USD")
        )
        cls.foreign.active = True
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.foreign.id,
                "company_id": cls.company.id,
                "name": "2020-01-01",
                "rate": 0.5,
            }
        )
        paid = cls._invoice(cls.hq, 10000.0, date(2025, 9, 10))
        cls._invoice(cls.hq, 2000.0, date(2026, 2, 1), move_type="out_refund")
        cls._invoice(cls.branch, 4000.0, date(2026, 3, 5))
        cls._invoice(cls.hq, 1000.0, date(2026, 4, 1), due=date(2026, 8, 1), currency=cls.foreign)
        paid |= cls._invoice(cls.hq, 10000.0, date(2025, 1, 15))
        paid |= cls._invoice(cls.beta, 6000.0, date(2026, 5, 20))
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {
                "payment_date": date(2026, 6, 30),
                "group_payment": False,
            }
        )._create_payments()
        cls.env["key.account.manual.score"].with_user(cls.scorer).create(
            {
                "partner_id": cls.hq.id,
                "criterion_id": cls.criteria["Willingness"].id,
                "points": 4,
            }
        )

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, move_type="out_invoice", due=None, currency=None):
        """A posted invoice or refund without taxes, due on ``due`` (default: its date)."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due or invoice_date,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create({"name": "Rebar", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        move.action_post()
        return move

    def _snapshot(self, partner, period=PERIOD):
        return self.env["key.account.score"].search(
            [
                ("partner_id", "=", partner.id),
                ("period_date", "=", period),
                ("scorecard_id", "=", self.scorecard.id),
            ]
        )

    def _line(self, snapshot, name):
        return snapshot.line_ids.filtered(lambda line: line.criterion_id.name == name)


@tagged("post_install", "-at_install")
class TestScoringEngine(ScoringFixture):
    def test_population_is_the_four_key_accounts(self):
        ids = [row[0] for row in self.engine._population(self.scorecard)]
        self.assertEqual(sorted(ids), sorted((self.account | self.other_account | self.hq | self.beta).ids))

    def test_hand_computed_scores(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        hq, beta, hengtai = self._snapshot(self.hq), self._snapshot(self.beta), self._snapshot(self.account)
        # revenue w0: HQ 10,000 - 2,000 + 4,000 (branch) + 1,000 x 2 = 14,000; Beta 6,000; others 0
        # company average = (14,000 + 6,000 + 0 + 0) / 4 = 5,000 -> 3 points
        self.assertAlmostEqual(hq.revenue, 14000.0, places=2)
        self.assertAlmostEqual(self._line(hq, "Revenue").company_average, 5000.0, places=2)
        # HQ: 3 x 14,000 / 5,000 = 8.4 -> capped at 5; Beta: 3 x 6,000 / 5,000 = 3.6
        self.assertAlmostEqual(self._line(hq, "Revenue").points, 5.0, places=2)
        self.assertAlmostEqual(self._line(beta, "Revenue").points, 3.6, places=2)
        # YoY: HQ (14,000 - 10,000) / 10,000 = 40 % -> reaches 0, 10, 20, 30 -> 4 points; Beta: no base
        self.assertAlmostEqual(self._line(hq, "YoY").raw_value, 40.0, places=2)
        self.assertAlmostEqual(self._line(hq, "YoY").points, 4.0, places=2)
        self.assertEqual(self._line(beta, "YoY").note, "no_value")
        self.assertEqual(self._line(beta, "YoY").points, 0.0)
        # collection w0 HQ: total 14,000, open 0 - 2,000 + 4,000 + 2,000 = 4,000 -> 71.43 % -> 3 points
        self.assertAlmostEqual(self._line(hq, "Collection").raw_value, 71.43, places=2)
        self.assertAlmostEqual(self._line(hq, "Collection").points, 3.0, places=2)
        # overdue on 2026-07-01: open 4,000 of which -2,000 + 4,000 = 2,000 past due -> 50 % -> 1 point
        self.assertAlmostEqual(self._line(hq, "Overdue").raw_value, 50.0, places=2)
        self.assertAlmostEqual(self._line(hq, "Overdue").points, 1.0, places=2)
        # Beta: collected 100 % -> 5, nothing open -> 0 % overdue -> 5
        self.assertAlmostEqual(self._line(beta, "Collection").points, 5.0, places=2)
        self.assertAlmostEqual(self._line(beta, "Overdue").points, 5.0, places=2)
        # manual: HQ rated 4 by the service manager; Beta not scored
        self.assertAlmostEqual(self._line(hq, "Willingness").points, 4.0, places=2)
        self.assertEqual(self._line(beta, "Willingness").note, "not_scored")
        # weights: revenue 40, YoY 20, collection 10, overdue 10 (credit 20 / 2), willingness 20
        # HQ = 40x5/5 + 20x4/5 + 10x3/5 + 10x1/5 + 20x4/5 = 40 + 16 + 6 + 2 + 16 = 80.00 -> A
        self.assertAlmostEqual(hq.score, 80.0, places=2)
        self.assertEqual(hq.grade, "a")
        self.assertAlmostEqual(sum(hq.line_ids.mapped("contribution")), 80.0, places=2)
        self.assertAlmostEqual(self._line(hq, "Collection").weight, 10.0, places=2)
        # Beta = 40x3.6/5 + 0 + 10 + 10 + 0 = 28.8 + 20 = 48.80 -> C
        self.assertAlmostEqual(beta.score, 48.8, places=2)
        self.assertEqual(beta.grade, "c")
        # Hengtai: only "nothing overdue" = 10.00 -> C
        self.assertAlmostEqual(hengtai.score, 10.0, places=2)
        # share of annual sales: company revenue w0 = 14,000 + 6,000 = 20,000 -> HQ 70 %, Beta 30 %
        self.assertAlmostEqual(hq.sales_share, 70.0, places=2)
        self.assertAlmostEqual(beta.sales_share, 30.0, places=2)
        # tier suggestion (share or score): HQ and Beta strategic (>= 5 %), Hengtai normal
        self.assertEqual(hq.suggested_tier_id, self.tier_strategic)
        self.assertEqual(hq.tier_id, self.tier_normal)
        self.assertEqual(hengtai.suggested_tier_id, self.tier_normal)
        # the partner shows the latest score and grade
        self.assertAlmostEqual(self.hq.key_account_score, 80.0, places=2)
        self.assertEqual(self.hq.key_account_grade, "a")
        self.assertEqual(self.beta.key_account_grade, "c")
        # … read from the snapshots and searchable
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("key_account_grade", "=", "a"), ("id", "in", (self.hq | self.beta).ids)]), self.hq
        )
        self.assertEqual(
            Partner.search([("key_account_grade", "in", ["b", "c"]), ("id", "in", (self.hq | self.beta).ids)]),
            self.beta,
        )
        self.assertEqual(
            Partner.search([("key_account_score", ">=", 48.8), ("id", "in", (self.hq | self.beta).ids)]),
            self.hq | self.beta,
        )
        self.assertEqual(
            Partner.search([("key_account_grade", "=", False), ("id", "in", (self.hq | self.branch).ids)]), self.branch
        )
        with self.assertRefused(UserError, "cannot be searched with like"):
            Partner.search([("key_account_grade", "like", "a")])

    def test_bands_and_tier_rule_are_configurable(self):
        self.scorecard.write({"grade_a_min": 85, "grade_b_min": 40})
        self.tier_strategic.write({"suggestion_rule": "share_and_score"})
        self.scorecard._compute_scores(period_date=PERIOD)
        # HQ 80 < 85 -> B; Beta 48.8 >= 40 -> B; strategic now needs 5 % AND a score of 80: HQ yes, Beta no
        self.assertEqual(self._snapshot(self.hq).grade, "b")
        self.assertEqual(self._snapshot(self.beta).grade, "b")
        self.assertEqual(self._snapshot(self.hq).suggested_tier_id, self.tier_strategic)
        self.assertFalse(self._snapshot(self.beta).suggested_tier_id, "Beta stays key: no change suggested")
        with self.assertRefused(ValidationError, "Grade bands"):
            self.scorecard.write({"grade_b_min": 90})

    def test_previous_period_and_history(self):
        # May 2026 (w0 = 2025-06 … 2026-05) holds the same invoices as June: HQ 80.00 as in June
        self.scorecard._compute_scores(period_date=date(2026, 5, 1))
        may = self._snapshot(self.hq, date(2026, 5, 1))
        self.assertAlmostEqual(may.score, 80.0, places=2)
        self.assertEqual(may.previous_score, 0.0)
        self.assertEqual(may.score_change, 0.0)
        # the service manager raises willingness 4 -> 5 before June: + 20 x 1/5 = 4 points
        self.env["key.account.manual.score"].with_user(self.scorer).search([("partner_id", "=", self.hq.id)]).write(
            {"points": 5}
        )
        self.scorecard._compute_scores(period_date=PERIOD)
        june = self._snapshot(self.hq)
        self.assertAlmostEqual(june.score, 84.0, places=2)
        self.assertAlmostEqual(june.previous_score, 80.0, places=2)
        self.assertAlmostEqual(june.score_change, 4.0, places=2)
        # an older period recomputed does not replace the partner's latest score
        self.scorecard._compute_scores(period_date=date(2026, 5, 1))
        self.assertEqual(self.hq.key_account_score_period, PERIOD)
        self.assertAlmostEqual(self.hq.key_account_score, 84.0, places=2)

    def test_recompute_replaces_the_period(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        first = self._snapshot(self.hq)
        self.env["key.account.manual.score"].with_user(self.scorer).search([("partner_id", "=", self.hq.id)]).write(
            {"points": 5}
        )
        self.scorecard._compute_scores(period_date=PERIOD)
        again = self._snapshot(self.hq)
        self.assertEqual(len(again), 1)
        self.assertEqual(again, first, "replaced in place: annual reviews keep pointing at the month's snapshot")
        # + 20 x 1/5 = 4 more points
        self.assertAlmostEqual(again.score, 84.0, places=2)

    def test_cron_twice_keeps_one_snapshot_per_account(self):
        cron = self.env.ref("key_account_mgmt.ir_cron_compute_scores")
        self.assertEqual(cron.model_id.model, "key.account.score.engine")
        period = fields.Date.context_today(self.scorecard).replace(day=1)
        period = date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)
        self.engine._cron_compute_scores(batch_size=2)
        self.engine._cron_compute_scores(batch_size=2)
        counts = self.env["key.account.score"]._read_group(
            [("scorecard_id", "=", self.scorecard.id), ("period_date", "=", period)], ["partner_id"], ["__count"]
        )
        self.assertEqual(len(counts), 4)
        self.assertEqual({count for _partner, count in counts}, {1})
        self.assertTrue(self.scorecard.run_done)
        self.assertEqual(self.scorecard.run_period, period)

    def test_cron_scores_one_scorecard_per_call_and_reports_progress(self):
        cron = self.env.ref("key_account_mgmt.ir_cron_compute_scores")
        default = self.env.ref("key_account_mgmt.scorecard_default")
        default.active = True
        scorecards = self.scorecard | default
        period = fields.Date.context_today(self.scorecard).replace(day=1)
        period = date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)
        calls = []
        for _call in range(2):
            # as the scheduler runs it: a progress record per call, read once the call returns
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
            self.engine.with_context(ir_cron_progress_id=progress.id)._cron_compute_scores()
            calls.append((progress.done, progress.remaining, len(scorecards.filtered("run_done"))))
        self.assertEqual(calls, [(1, 1, 1), (1, 0, 2)], "one scorecard per call, the second reported as remaining")
        self.assertEqual(set(scorecards.mapped("run_period")), {period})
        for scorecard in scorecards:
            self.assertEqual(
                self.env["key.account.score"].search_count(
                    [("scorecard_id", "=", scorecard.id), ("period_date", "=", period)]
                ),
                len(self.engine._population(scorecard)),
            )

    def test_cron_resumes_an_interrupted_run(self):
        period = date(2026, 6, 1)
        self.assertEqual(self.scorecard._compute_scores(period_date=period, batch_size=1, resume=True), 4)
        self.assertFalse(self.scorecard.run_done, "only the cron closes a run")
        # as if the run had stopped after HQ: the other snapshots predate it
        others = self.beta | self.account | self.other_account
        self.env.cr.execute(
            "UPDATE key_account_score SET date_computed = %s WHERE partner_id = ANY(%s) AND period_date = %s",
            [self.scorecard.run_started - timedelta(hours=1), others.ids, period],
        )
        self.env["key.account.score"].invalidate_model()
        hq_computed = self._snapshot(self.hq).date_computed
        written = self.scorecard._compute_scores(period_date=period, batch_size=1, resume=True)
        self.assertEqual(written, 3)
        self.assertEqual(self._snapshot(self.hq).date_computed, hq_computed, "HQ is not scored twice")
        self.assertTrue(all(self._snapshot(p).date_computed >= self.scorecard.run_started for p in others))

    def test_threshold_points_count_the_thresholds_reached(self):
        rising, falling = (
            self.criteria["YoY"],
            self.criteria["Overdue"],
        )  # 0/10/20/30/50; 50/30/20/10/0, lower is better
        cases = {
            rising: {-5: 0, 0: 1, 9.99: 1, 10: 2, 29.99: 3, 30: 4, 50: 5, 80: 5, None: 0},
            falling: {60: 0, 50: 1, 30.01: 1, 30: 2, 10: 4, 0: 5, -1: 5, None: 0},
        }
        for criterion, expected in cases.items():
            for raw, points in expected.items():
                self.env.cr.execute(
                    SQL("SELECT %s", criterion._points_sql(SQL("%s::numeric", raw), SQL("NULL::numeric")))
                )
                self.assertEqual(self.env.cr.fetchone()[0], points, f"{criterion.name} at {raw}")

    def test_queries_per_batch_are_constant(self):
        population = self.engine._population(self.scorecard)
        run = self.engine._prepare_run(self.scorecard, PERIOD, [row[0] for row in population])
        self.engine._write_batch(run, population[1:2])  # warm the ORM cache of criteria and tiers
        # the month's snapshots of the batch updated in place, the others inserted: one statement per batch
        with self.assertQueryCount(1):
            self.engine._write_batch(run, population[:1])
        with self.assertQueryCount(1):
            self.engine._write_batch(run, population)
        self.assertEqual(len(self.env["key.account.score"].search([("period_date", "=", PERIOD)])), len(population))

    def test_source_queries_are_set_based(self):
        population = [row[0] for row in self.engine._population(self.scorecard)]
        self.engine._prepare_run(self.scorecard, PERIOD, population[:1])  # warm the ORM cache of the scorecard
        # the month's run, the tiers, drop the temporary table, gather and score the population in
        # one statement, index the scores by account, read the averages, write the run's plan:
        # 7 statements for any population
        with self.assertQueryCount(7):
            self.engine._prepare_run(self.scorecard, PERIOD, population)
        # scoring some accounts again keeps the month's plan: the run, tiers, drop, score, index
        with self.assertQueryCount(5):
            run = self.engine._prepare_run(self.scorecard, PERIOD, population, population[:2])
        self.assertEqual(run["partner_ids"], population[:2])

    def test_rescoring_one_account_keeps_the_months_plan(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        run = self.env["key.account.score.run"].search(
            [("scorecard_id", "=", self.scorecard.id), ("period_date", "=", PERIOD)]
        )
        self.assertEqual(len(run), 1)
        self.assertEqual((run.account_count, run.company_revenue), (4, 20000.0))
        revenue = next(item for item in run.plan if item[0] == self.criteria["Revenue"].id)
        self.assertEqual(revenue[1:], [40.0, 5000.0, False])
        # a new invoice of Beta: rescoring Beta alone keeps the month's average (5,000), so its
        # points stay comparable with the others'; rescoring all of them moves the average
        self._invoice(self.beta, 4000.0, date(2026, 6, 10))
        self.scorecard._compute_scores(period_date=PERIOD, partner_ids=self.beta.ids)
        beta = self._snapshot(self.beta)
        self.assertAlmostEqual(beta.revenue, 10000.0, places=2)
        self.assertAlmostEqual(self._line(beta, "Revenue").company_average, 5000.0, places=2)
        self.assertAlmostEqual(self._line(beta, "Revenue").points, 5.0, places=2)  # 3 x 10,000 / 5,000 = 6 -> 5
        self.scorecard._compute_scores(period_date=PERIOD)
        self.assertAlmostEqual(self._line(beta, "Revenue").company_average, 6000.0, places=2)
        self.assertAlmostEqual(self._line(self._snapshot(self.hq), "Revenue").company_average, 6000.0, places=2)
        self.assertEqual(len(run.exists()), 1, "one run per month, updated")
        # the scorecard changed since: rescoring one account rebuilds the month's plan and every
        # snapshot of the month with it, so that all of them read with the plan
        self.criteria["Overdue"].active = False
        self.assertEqual(self.scorecard._compute_scores(period_date=PERIOD, partner_ids=self.hq.ids), 4)
        self.assertNotIn(self.criteria["Overdue"].id, [item[0] for item in run.plan])
        self.assertEqual(len(self._snapshot(self.hq).line_ids), 4)
        self.assertEqual(len(self._snapshot(self.beta).line_ids), 4)
        self.assertAlmostEqual(self._line(self._snapshot(self.hq), "Collection").weight, 20.0, places=2)


@tagged("post_install", "-at_install")
class TestScoringRights(ScoringFixture):
    def test_rpc_compute_by_team_and_managers(self):
        self.assertIs(self.hq.with_user(self.ka_user).action_compute_key_account_score(), True)
        this_month = fields.Date.context_today(self.scorecard).replace(day=1)
        self.assertEqual(len(self._snapshot(self.hq, this_month)), 1)
        self.assertIs(self.beta.with_user(self.ka_manager).action_compute_key_account_score(), True)
        for user in (self.ka_user_off, self.plain_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Only the account team or a Key Account Manager"):
                self.hq.with_user(user).action_compute_key_account_score()
        with self.assertRefused(UserError, "Only key accounts"):
            self.branch.with_user(self.ka_manager).action_compute_key_account_score()

    def test_score_visibility(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        snapshot = self._snapshot(self.hq)
        self.assertEqual(
            self.env["key.account.score"].with_user(self.ka_user).search([("id", "=", snapshot.id)]), snapshot
        )
        self.assertTrue(snapshot.with_user(self.ka_user).line_ids)
        self.assertFalse(self.env["key.account.score"].with_user(self.ka_user_off).search([("id", "=", snapshot.id)]))
        self.assertFalse(
            self.env["key.account.score.line"].with_user(self.ka_user_off).search([("score_id", "=", snapshot.id)])
        )
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(self.env["key.account.score"].with_user(user).search([("id", "=", snapshot.id)]), snapshot)
        self.assertFalse(self.env["key.account.score"].with_user(self.ka_manager_b).search([("id", "=", snapshot.id)]))
        with self.assertRefused(AccessError, ".+"):
            self.env["key.account.score"].with_user(self.plain_user).search([])
        # the score on the partner is hidden from plain users (field groups)
        with self.assertRefused(AccessError, ".+"):
            self.hq.with_user(self.plain_user).read(["key_account_score"])

    def test_snapshots_are_history(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        snapshot = self._snapshot(self.hq)
        for user in (self.ka_user, self.ka_manager, self.ka_director):
            with self.assertRefused(AccessError, ".+"):
                snapshot.with_user(user).write({"score": 99})
            with self.assertRefused(AccessError, ".+"):
                snapshot.with_user(user).unlink()
            with self.assertRefused(AccessError, ".+"):
                snapshot.line_ids[:1].with_user(user).write({"points": 5})
        with self.assertRefused(AccessError, ".+"):
            self.hq.with_user(self.ka_manager).write({"key_account_score": 99})
        self.assertAlmostEqual(snapshot.score, 80.0, places=2)
        # administrators may correct
        admin = new_test_user(self.env, "ka_admin_t", groups="base.group_system,key_account_mgmt.group_ka_manager")
        snapshot.with_user(admin).write({"score": 81})
        self.assertEqual(snapshot.score, 81)


@tagged("post_install", "-at_install")
class TestScorecardChecks(ScoringFixture):
    def test_weights_must_add_up_to_100(self):
        with self.assertRefused(ValidationError, "add up to 90.0: they must add up to 100"):
            self.env["key.account.scorecard"].with_user(self.ka_manager).create(
                {
                    "name": "Bad",
                    "dimension_ids": [
                        Command.create({"name": "A", "weight": 50}),
                        Command.create({"name": "B", "weight": 40}),
                    ],
                }
            )
        dimension = self.scorecard.dimension_ids[0]
        with self.assertRefused(ValidationError, "add up to 110.0"):
            dimension.with_user(self.ka_manager).write({"weight": 50})
        with self.assertRefused(ValidationError, "must lie between 0 and 100"):
            dimension.with_user(self.ka_manager).write({"weight": -5})
        self.assertEqual(dimension.weight, 40)

    def test_engine_refuses_incomplete_scorecard(self):
        card = self.env["key.account.scorecard"].create({"name": "Empty"})
        with self.assertRefused(UserError, "has no dimensions"):
            card._compute_scores(period_date=PERIOD)
        card.write({"dimension_ids": [Command.create({"name": "Only", "weight": 100})]})
        with self.assertRefused(UserError, "has no active criterion"):
            card._compute_scores(period_date=PERIOD)

    def test_points_outside_0_5_are_refused(self):
        rating = self.env["key.account.manual.score"].search([("partner_id", "=", self.hq.id)])
        for points in (5.5, -1):
            with self.assertRefused(ValidationError, "Points must lie between 0 and 5"):
                rating.with_user(self.scorer).write({"points": points})
            with self.assertRefused(ValidationError, "Points must lie between 0 and 5"):
                self.env["key.account.manual.score"].with_user(self.scorer).create(
                    {
                        "partner_id": self.beta.id,
                        "criterion_id": self.criteria["Willingness"].id,
                        "points": points,
                    }
                )
        self.assertEqual(rating.points, 4)

    def test_used_criteria_are_archived_not_deleted(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        with self.assertRefused(UserError, "archive them instead"):
            self.criteria["YoY"].with_user(self.ka_manager).unlink()
        with self.assertRefused(UserError, "archive them instead"):
            self.criteria["YoY"].dimension_id.with_user(self.ka_manager).unlink()
        self.criteria["Overdue"].with_user(self.ka_manager).write({"active": False})
        self.scorecard._compute_scores(period_date=PERIOD)
        # credit now weighs 20 on collection alone: HQ 40 + 16 + 20 x 3/5 + 16 = 84
        self.assertAlmostEqual(self._snapshot(self.hq).score, 84.0, places=2)

    def test_thresholds_in_order(self):
        with self.assertRefused(ValidationError, "must go from 1 to 5 points in order"):
            self.criteria["YoY"].with_user(self.ka_manager).write({"threshold_2": -5})
        with self.assertRefused(ValidationError, "must go from 1 to 5 points in order"):
            self.criteria["Overdue"].with_user(self.ka_manager).write({"threshold_5": 60})
        with self.assertRefused(ValidationError, "needs the group"):
            self.criteria["Willingness"].with_user(self.ka_manager).write({"group_id": False})
        with self.assertRefused(ValidationError, "cannot be scored by hand"):
            self.env["key.account.manual.score"].create(
                {"partner_id": self.hq.id, "criterion_id": self.criteria["YoY"].id, "points": 3}
            )

    def test_only_the_criterion_group_scores(self):
        criterion = self.criteria["Willingness"]
        for user in (self.ka_user, self.ka_manager, self.ka_director, self.ka_clerk):
            with self.assertRefused(AccessError, "Only members of .* may score Willingness"):
                self.env["key.account.manual.score"].with_user(user).create(
                    {
                        "partner_id": self.beta.id,
                        "criterion_id": criterion.id,
                        "points": 3,
                    }
                )
        rating = self.env["key.account.manual.score"].search([("partner_id", "=", self.hq.id)])
        with self.assertRefused(AccessError, "Only members of"):
            rating.with_user(self.ka_user).write({"points": 1})
        with self.assertRefused(AccessError, ".+"):
            self.env["key.account.manual.score"].with_user(self.plain_user).create(
                {
                    "partner_id": self.beta.id,
                    "criterion_id": criterion.id,
                    "points": 3,
                }
            )
        # the scoring sheet of the service manager: every key account, one save
        sheet = self.env["key.account.score.sheet"].with_user(self.scorer).create({"criterion_id": criterion.id})
        sheet._onchange_criterion_id()
        self.assertEqual(len(sheet.line_ids), 4)
        sheet.line_ids.filtered(lambda line: line.partner_id == self.beta).write({"points": 2.5, "comment": "Reliable"})
        sheet.line_ids.filtered(lambda line: line.partner_id == self.hq).write({"points": 3})
        sheet.action_save()
        ratings = self.env["key.account.manual.score"].search([("criterion_id", "=", criterion.id)])
        self.assertEqual({r.partner_id: r.points for r in ratings}, {self.hq: 3.0, self.beta: 2.5})
        self.assertEqual(ratings.filtered(lambda r: r.partner_id == self.beta).user_id, self.scorer)
        # a KA user outside the group cannot even choose the criterion's sheet
        sheet = self.env["key.account.score.sheet"].with_user(self.ka_user).create({"criterion_id": criterion.id})
        sheet._onchange_criterion_id()
        sheet.line_ids[:1].write({"points": 1})
        with self.assertRefused(AccessError, "Only members of"):
            sheet.action_save()


@tagged("post_install", "-at_install")
class TestSnapshotIntegrity(ScoringFixture):
    """Snapshots reference their account, scorecard and suggested tier without foreign keys
    (the checks cost a third of a monthly run): what the database did when those records were
    deleted is done by the ORM, and merging partners hands the snapshots over."""

    def _rows(self, partner):
        self.env.cr.execute("SELECT COUNT(*) FROM key_account_score WHERE partner_id = %s", [partner.id])
        return self.env.cr.fetchone()[0]

    def test_snapshots_have_no_foreign_keys(self):
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'key_account_score'::regclass AND contype = 'f'"
        )
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_scored_account_is_not_deleted_with_its_snapshots(self):
        # issue #16: histories are never deleted with their account (was: they went along)
        newcomer = self._key_account("Newcomer Trading", manager=self.ka_user)
        self.scorecard._compute_scores(period_date=PERIOD)
        self.assertEqual(self._rows(newcomer), 1)
        with self.assertRaisesRegex(UserError, "archive the partner instead"):
            newcomer.unlink()
        self.assertTrue(newcomer.exists())
        self.assertEqual(self._rows(newcomer), 1)
        self.assertEqual(len(self._snapshot(self.hq)), 1, "the other accounts keep theirs")

    def test_merged_account_hands_its_snapshots_over(self):
        merged = self._key_account("Merged Away Trading", manager=self.ka_user)
        kept = self._key_account("Merged Into Trading", manager=self.ka_user)
        may = date(2026, 5, 1)
        self.scorecard._compute_scores(period_date=PERIOD)
        self.scorecard._compute_scores(period_date=may)
        # the partner merged into was not scored in May; both were in June
        self.env.cr.execute("DELETE FROM key_account_score WHERE partner_id = %s AND period_date = %s", [kept.id, may])
        self.env["key.account.score"].invalidate_model()
        merged_may, merged_june, kept_june = self._snapshot(merged, may), self._snapshot(merged), self._snapshot(kept)
        self.env["base.partner.merge.automatic.wizard"]._merge((merged | kept).ids, kept)
        self.assertFalse(merged.exists())
        self.assertEqual(merged_may.partner_id, kept, "May moves to the partner merged into")
        self.assertEqual(kept_june.exists().partner_id, kept, "June keeps the destination's own snapshot")
        self.assertFalse(merged_june.exists(), "the merged partner's June goes with it")
        self.assertEqual(self._rows(merged), 0)

    def test_deleted_tier_is_no_longer_suggested(self):
        platinum = self.env["key.account.tier"].create(
            {
                "name": "Platinum",
                "sequence": 0,
                "min_sales_share": 50.0,
                "suggestion_rule": "share",
            }
        )
        self.scorecard._compute_scores(period_date=PERIOD)
        snapshot = self._snapshot(self.hq)
        # HQ: 14,000 of the company's 20,000 = 70 % of annual sales
        self.assertEqual(snapshot.suggested_tier_id, platinum)
        platinum.unlink()
        self.assertFalse(snapshot.suggested_tier_id)
        self.env.cr.execute("SELECT COUNT(*) FROM key_account_score WHERE suggested_tier_id = %s", [platinum.id])
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_scorecard_with_scores_cannot_be_deleted(self):
        self.scorecard._compute_scores(period_date=PERIOD)
        # its monthly runs hold it (with a foreign key)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.scorecard.unlink()
        self.assertTrue(self._snapshot(self.hq).scorecard_id.exists())
