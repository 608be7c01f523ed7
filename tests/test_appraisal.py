"""Quarterly appraisal (考核, issue #24, seed 001 §1.2.1): the churn rate's definition, the
weighted score against a hand-computed example, the warning, the weights' validation, the
Director's approval, the history, the payroll export and who sees which appraisal."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.key_account_mgmt.models.key_account_appraisal import kpi_scores, weighted_score

from .common import KeyAccountCase, KeyAccountDataMixin

Q1 = date(2026, 1, 1)


@tagged("post_install", "-at_install")
class TestAppraisal(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Log = cls.env["key.account.state.log"]
        cls.account_lost_in = cls._key_account("Lost In Q1 Co.", manager=cls.ka_user)
        cls.account_lost_before = cls._key_account("Lost Before Co.", manager=cls.ka_user)
        cls.account_lost_after = cls._key_account("Lost After Co.", manager=cls.ka_user)
        cls.account_new = cls._key_account("New In Q1 Co.", manager=cls.ka_user)
        accounts = cls.account | cls.account_lost_in | cls.account_lost_before | cls.account_lost_after
        # the histories say who was a key account when (key.account.roster)
        Log.search([("partner_id", "in", (accounts | cls.account_new).ids)]).unlink()

        def log(partner, day, change_type="initial", responsible=None):
            Log.create(
                {
                    "partner_id": partner.id,
                    "date": day,
                    "period": day.date().replace(day=1),
                    "user_id": cls.ka_manager.id,
                    "responsible_id": (responsible or cls.ka_user).id,
                    "state_from": "good",
                    "state_to": "good",
                    "change_type": change_type,
                }
            )

        for partner in accounts:
            log(partner, datetime(2025, 6, 1, 8))
        log(cls.account_new, datetime(2026, 2, 1, 8))
        # state changes in the quarter counted for the specialist: 3 upgrades, 1 downgrade
        for month, kind in ((1, "upgrade"), (2, "upgrade"), (3, "upgrade"), (3, "downgrade")):
            log(cls.account, datetime(2026, month, 10, 8), kind)
        reason = cls.env["key.account.loss"]._fields["reason_type"].selection[0][0]
        for partner, day in (
            (cls.account_lost_in, date(2026, 2, 15)),
            (cls.account_lost_before, date(2025, 11, 10)),
            (cls.account_lost_after, date(2026, 4, 10)),
            (cls.account_new, date(2026, 3, 1)),
        ):
            cls.env["key.account.loss"].create(
                {"partner_id": partner.id, "date": day, "reason_type": reason, "reason": "Moved to a competitor"}
            )
        cls.env["key.account.target"].create(
            {"user_id": cls.ka_user.id, "period_kind": "quarter", "date_from": Q1, "sales_target": 100000.0}
        )
        cls._post_invoice(cls.account, 80000.0, invoice_date=date(2026, 2, 10))
        cls.Appraisal = cls.env["key.account.appraisal"]

    def _appraisal(self, user=None, day=Q1):
        appraisal = self.Appraisal.with_user(self.ka_manager).create(
            {"user_id": (user or self.ka_user).id, "date_from": day}
        )
        appraisal.action_compute()
        return appraisal

    def test_churn_rate_is_lost_over_managed_at_start(self):
        """Accounts managed at the start of the quarter: the account, the one lost in it and the
        one lost after it (3); the one lost before and the one that joined in the quarter are
        not. Of those, one is lost in the quarter: 1 / 3."""
        appraisal = self._appraisal()
        self.assertEqual((appraisal.accounts_start, appraisal.accounts_lost), (3, 1))
        self.assertAlmostEqual(appraisal.churn_rate, 100.0 / 3, places=2)

    def test_score_against_a_hand_computed_example(self):
        """Measured: sales completion 80000 / 100000 = 80%; churn 1/3 → 100 - 33.33 = 66.67;
        state changes 3 upgrades of 4 = 75. No development target, archives, visits,
        complaints or budget: not measured, their weights spread over the others. Default
        weights 30 / 15 / 5: (80 × 30 + 66.667 × 15 + 75 × 5) / 50 = 75.5."""
        appraisal = self._appraisal()
        self.assertAlmostEqual(appraisal.sales_completion, 80.0, places=2)
        self.assertEqual((appraisal.upgrades, appraisal.downgrades), (3, 1))
        self.assertEqual(appraisal.weights_used, {"sales": 30, "churn": 15, "state": 5})
        self.assertAlmostEqual(appraisal.score, 75.5, places=2)
        self.assertFalse(appraisal.verbal_warning)
        # the scoring rules themselves, every KPI measured
        values = {
            "sales": 120.0,
            "churn": 10.0,
            "development": 50.0,
            "archive": 90.0,
            "visit": 70.0,
            "feedback": 100.0,
            "cost": 130.0,
            "state": 0.0,
        }
        scores = kpi_scores(values)
        self.assertEqual(
            scores,
            {
                "sales": 100.0,
                "churn": 90.0,
                "development": 50.0,
                "archive": 90.0,
                "visit": 70.0,
                "feedback": 100.0,
                "cost": 70.0,
                "state": 0.0,
            },
        )
        weights = self.company._key_account_appraisal_weights()
        # 3000 + 1350 + 750 + 900 + 700 + 1000 + 350 + 0 = 8050 over 100
        self.assertAlmostEqual(weighted_score(scores, weights), 80.5, places=6)

    def test_warning_below_threshold_and_director_approval(self):
        self.company.key_account_appraisal_threshold = 80.0
        appraisal = self._appraisal()
        self.assertTrue(appraisal.verbal_warning)
        with self.assertRefused(ValidationError, "comment"):
            appraisal.with_user(self.ka_manager).action_submit()
        appraisal.with_user(self.ka_manager).manager_comment = "Sales behind plan: verbal warning."
        for user in self.roles_below_manager().values():
            with self.assertRaises(AccessError, msg=user.login):
                appraisal.with_user(user).action_submit()
        appraisal.with_user(self.ka_manager).action_submit()
        self.assertEqual(appraisal.manager_id, self.ka_manager)
        appraisal.with_user(self.ka_manager).validate_tier()
        self.assertEqual(appraisal.state, "submitted", "the Director approves after the KA Manager")
        appraisal.with_user(self.ka_director).validate_tier()
        self.assertEqual(appraisal.state, "approved")
        activity = appraisal.sudo().activity_ids
        self.assertEqual(activity.user_id, self.ka_manager)
        self.assertIn("Verbal warning", activity.summary)
        # history: nothing changes, nothing is deleted, no recomputation
        with self.assertRefused(ValidationError, "has been approved"):
            appraisal.with_user(self.ka_manager).write({"manager_comment": "Changed my mind"})
        with self.assertRefused(UserError, "draft"):
            appraisal.with_user(self.ka_manager).action_compute()
        with self.assertRefused(UserError, "draft or cancelled"):
            appraisal.with_user(self.ka_manager).unlink()
        # the payroll export, for KA Managers
        action = appraisal.with_user(self.ka_manager).action_export_payroll()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertTrue(attachment.raw.startswith(b"PK"))
        with self.assertRaises(AccessError):
            appraisal.with_user(self.ka_user).action_export_payroll()

    def test_weights_add_up_to_100(self):
        with self.assertRefused(ValidationError, "add up to 100"):
            self.company.key_account_appraisal_weight_sales = 40
        with self.assertRefused(ValidationError, "add up to 100"):
            self.company.write({"key_account_appraisal_weight_sales": 45, "key_account_appraisal_weight_cost": -10})
        self.company.write({"key_account_appraisal_weight_sales": 35, "key_account_appraisal_weight_cost": 0})
        with self.assertRefused(ValidationError, "threshold"):
            self.company.key_account_appraisal_threshold = 120.0

    def test_a_specialist_sees_only_their_own_appraisal(self):
        mine, other = self._appraisal(), self._appraisal(self.ka_user_off)
        both = mine | other
        Appraisal = self.Appraisal
        self.assertEqual(Appraisal.with_user(self.ka_user).search([("id", "in", both.ids)]), mine)
        self.assertEqual(Appraisal.with_user(self.ka_user_off).search([("id", "in", both.ids)]), other)
        for user in (self.ka_clerk, self.ka_manager_b):
            self.assertFalse(Appraisal.with_user(user).search([("id", "in", both.ids)]), user.login)
        with self.assertRaises(AccessError):
            Appraisal.with_user(self.plain_user).search([("id", "in", both.ids)])
        for user in self.roles_manager_and_up().values():
            self.assertEqual(Appraisal.with_user(user).search([("id", "in", both.ids)]), both, user.login)
        mine.with_user(self.ka_user).read(["score"])
        with self.assertRaises(AccessError):
            other.with_user(self.ka_user).read(["score"])
        # the specialist reads their appraisal, never changes or makes one
        with self.assertRaises(AccessError):
            mine.with_user(self.ka_user).write({"manager_comment": "Excellent"})
        with self.assertRaises(AccessError):
            Appraisal.with_user(self.ka_user).create({"user_id": self.ka_user.id, "date_from": Q1})
        # figures are the computation's
        with self.assertRaises(AccessError):
            mine.with_user(self.ka_manager).write({"score": 100.0})

    def test_cron_creates_the_drafts_of_the_quarter_that_ended(self):
        """Today's quarter's predecessor, for the specialist who managed accounts in it; once."""
        Appraisal = self.Appraisal
        Appraisal._cron_create_drafts(batch_size=1)
        Appraisal._cron_create_drafts(batch_size=1000)
        drafts = Appraisal.search([("user_id", "=", self.ka_user.id)])
        self.assertEqual(len(drafts), 1)
        self.assertEqual(drafts.state, "draft")
        self.assertTrue(drafts.computed_date)
        start = self.env["key.account.metrics"]._period(fields.Date.today(), "quarter")[0]
        self.assertEqual(drafts.date_from, start - relativedelta(months=3))
        Appraisal._cron_create_drafts()
        self.assertEqual(Appraisal.search_count([("user_id", "=", self.ka_user.id)]), 1)
