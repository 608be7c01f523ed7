"""The scoring run (issue #4): the monthly cron once per period, one scorecard per call,
an interrupted run resumed, the month's plan kept when one account is rescored, and the query
count per batch."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import tagged

from .test_scoring import PERIOD, ScoringFixture


@tagged("post_install", "-at_install")
class TestScoringRun(ScoringFixture):
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
