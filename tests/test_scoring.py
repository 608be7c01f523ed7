"""Scoring engine (issue #4): hand-computed scores, configurable bands and tier rule, the
previous period, threshold points; ``ScoringFixture``, the accounts every scoring topic scores:
the monthly run (test_scoring_run.py), scorecard checks and manual criteria by group
(test_scorecard.py), snapshots as history (test_score_snapshot.py), the annual review
(test_review.py)."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

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
