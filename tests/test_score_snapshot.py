"""Score snapshots (issue #4): who computes and reads them, history that is never rewritten,
and their integrity without foreign keys."""

from datetime import date

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_scoring import PERIOD, ScoringFixture


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
