"""Scorecard checks (issue #4): weights, points and thresholds, used criteria archived, and
manual criteria scored by the criterion's group only."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_scoring import PERIOD, ScoringFixture


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
