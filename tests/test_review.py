"""Annual review (issue #4): proposal from the scores, preliminary ratings by the team,
layered approval with the Director always, tiers applied only on approval, the annual list
as XLSX, elimination candidates."""

import base64
import io
from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_scoring import PERIOD, ScoringFixture


@tagged("post_install", "-at_install")
class TestAnnualReview(ScoringFixture):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Hengtai graded C for three years already (old snapshots, written as the engine would)
        for period in (date(2023, 6, 1), date(2024, 6, 1), date(2025, 6, 1)):
            cls.env["key.account.score"].create(
                {
                    "partner_id": cls.account.id,
                    "scorecard_id": cls.scorecard.id,
                    "period_date": period,
                    "date_computed": fields.Datetime.now(),
                    "score": 20,
                    "grade": "c",
                }
            )
        # Huaxin was B two years ago: not a candidate
        for period, grade in ((date(2023, 6, 1), "c"), (date(2024, 6, 1), "b")):
            cls.env["key.account.score"].create(
                {
                    "partner_id": cls.other_account.id,
                    "scorecard_id": cls.scorecard.id,
                    "period_date": period,
                    "date_computed": fields.Datetime.now(),
                    "score": 65 if grade == "b" else 30,
                    "grade": grade,
                }
            )
        cls.review = (
            cls.env["key.account.review"]
            .with_user(cls.ka_manager)
            .create(
                {
                    "year": 2026,
                    "date": date(2026, 6, 25),
                    "scorecard_id": cls.scorecard.id,
                }
            )
        )

    def _line(self, partner):
        return self.review.line_ids.filtered(lambda line: line.partner_id == partner)

    def test_proposal(self):
        self.assertEqual(self.review.period_date, PERIOD)
        self.assertTrue(self.review.needs_director_approval)
        self.review.with_user(self.ka_manager).action_propose()
        self.assertEqual(len(self.review.line_ids), 4)
        hq = self._line(self.hq)
        self.assertAlmostEqual(hq.score, 80.0, places=2)
        self.assertEqual(
            (hq.old_tier_id, hq.proposed_tier_id, hq.new_tier_id),
            (self.tier_normal, self.tier_strategic, self.tier_strategic),
        )
        self.assertEqual(hq.change, "upgrade")
        self.assertIn("70.00%", hq.reason)
        self.assertIn("80.00", hq.reason)
        self.assertTrue(self._line(self.account).elimination_candidate)
        self.assertFalse(self._line(self.other_account).elimination_candidate)
        self.assertFalse(hq.elimination_candidate)
        self.assertEqual(self.review.elimination_count, 1)
        # proposing again keeps one line per account and the comments
        hq.with_user(self.ka_user).write({"preliminary_grade": "a", "specialist_comment": "Growing fast"})
        self.review.with_user(self.ka_manager).action_propose()
        self.assertEqual(len(self.review.line_ids), 4)
        self.assertEqual(self._line(self.hq).specialist_comment, "Growing fast")

    def test_rights_on_the_review(self):
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, ".+"):
                self.review.with_user(user).action_propose()
        self.review.with_user(self.ka_manager).action_propose()
        hq, beta = self._line(self.hq), self._line(self.beta)
        # the specialist of the team rates his account, not the others, and not the tier
        hq.with_user(self.ka_user).write({"preliminary_grade": "b", "specialist_comment": "Solid"})
        self.assertEqual(hq.preliminary_grade, "b")
        self.assertFalse(self.env["key.account.review.line"].with_user(self.ka_user).search([("id", "=", beta.id)]))
        with self.assertRefused(AccessError, ".+"):
            beta.with_user(self.ka_user).write({"preliminary_grade": "a"})
        with self.assertRefused(AccessError, "Specialists add their preliminary rating"):
            hq.with_user(self.ka_user).write({"new_tier_id": self.tier_key.id})
        with self.assertRefused(AccessError, ".+"):
            self.env["key.account.review"].with_user(self.plain_user).search([])
        # the manager decides the tier
        beta.with_user(self.ka_manager).write({"new_tier_id": self.tier_key.id, "manager_comment": "Keep"})
        self.assertEqual(beta.change, "same")
        with self.assertRefused(AccessError, ".+"):
            self.env["key.account.review"].with_user(self.ka_manager_b).browse(self.review.id).read(["name"])

    def test_tiers_change_only_after_director_approval(self):
        self.review.with_user(self.ka_manager).action_propose()
        with self.assertRefused(ValidationError, "The status changes only with the buttons"):
            self.review.with_user(self.ka_manager).write({"state": "approved"})
        self.review.with_user(self.ka_manager).action_submit()
        self.assertEqual(self.review.state, "submitted")
        with self.assertRefused(UserError, "can no longer be changed"):
            self._line(self.hq).with_user(self.ka_manager).write({"manager_comment": "late"})
        self.assertEqual(self.hq.key_account_tier_id, self.tier_normal)
        # the director cannot skip the manager; a specialist cannot approve
        try:
            self.review.with_user(self.ka_user).validate_tier()
        except AccessError:
            pass
        self.assertFalse(
            self.review.review_ids.filtered(lambda r: r.status == "approved"), "a specialist approves nothing"
        )
        self.review.with_user(self.ka_manager).validate_tier()
        self.assertEqual(self.review.state, "submitted")
        self.assertEqual(self.hq.key_account_tier_id, self.tier_normal, "no tier change before the Director")
        self.assertFalse(self.review.list_file)
        self.review.with_user(self.ka_director).validate_tier()
        self.assertEqual(self.review.state, "approved")
        self.assertEqual(self.hq.key_account_tier_id, self.tier_strategic)
        self.assertEqual(self.beta.key_account_tier_id, self.tier_strategic)
        self.assertEqual(self.account.key_account_tier_id, self.tier_normal)
        # 年度重要客户一览表
        self.assertTrue(self.review.list_file)
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(self.review.list_file)))
        sheet = workbook.active
        self.assertIn("2026", sheet["A1"].value)
        rows = {row[2]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(set(rows), {"Test Group HQ", "Beta Steel", "Hengtai Construction Group", "Huaxin Trading"})
        self.assertAlmostEqual(rows["Test Group HQ"][4], 80.0, places=2)
        self.assertEqual(rows["Test Group HQ"][8], self.tier_strategic.name)
        self.assertEqual(rows["Hengtai Construction Group"][14], "Yes")

    def test_rejected_review_changes_nothing(self):
        self.review.with_user(self.ka_manager).action_propose()
        self.review.with_user(self.ka_manager).action_submit()
        self.review.with_user(self.ka_manager).validate_tier()
        self.review.with_user(self.ka_director).reject_tier()
        self.assertEqual(self.review.state, "rejected")
        self.assertEqual(self.hq.key_account_tier_id, self.tier_normal)
        self.assertFalse(self.review.list_file)

    def test_cannot_submit_empty(self):
        with self.assertRefused(UserError, "Propose the tiers"):
            self.review.with_user(self.ka_manager).action_submit()
        self.assertEqual(self.review.state, "draft")
