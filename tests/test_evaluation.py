"""Cooperation evaluations (合作评估, issue #20): written by the account team, submitted to a KA
Manager of the company who accepts them or sends them back with the reason; accepted, they are
history (never changed nor deleted); confidential like the archive; drafted with an activity
when the tier's service plan says one is due."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountXmlRpcCase

CONTENT = {
    "went_well": "Deliveries on time",
    "problems": "Two disputed invoices",
    "rating": "4",
}


class EvaluationMixin:
    def _draft(self, user=None, partner=None, **vals):
        user = user or self.ka_user
        return (
            self.env["key.account.evaluation"]
            .with_user(user)
            .create(
                {
                    "partner_id": (partner or self.account).id,
                    "period_start": date(2026, 1, 1),
                    "period_end": date(2026, 6, 30),
                    **CONTENT,
                    "improvement_ids": [
                        Command.create(
                            {
                                "name": "Price updates before invoicing",
                                "owner_id": user.id,
                                "date_due": date(2026, 8, 1),
                            }
                        )
                    ],
                    **vals,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestEvaluation(EvaluationMixin, KeyAccountCase):
    def test_submit_accept_and_history(self):
        evaluation = self._draft()
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "pending")
        # under review: what the team wrote is kept
        with self.assertRaises(UserError):
            evaluation.write({"problems": "None after all"})
        with self.assertRaises(UserError):
            evaluation.improvement_ids.write({"date_due": date(2026, 12, 1)})
        evaluation.with_user(self.ka_manager).action_accept()
        self.assertEqual((evaluation.state, evaluation.reviewer_id), ("accepted", self.ka_manager))
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "key.account.evaluation"),
                ("res_id", "=", evaluation.id),
                ("user_id", "=", self.ka_user.id),
            ]
        )
        self.assertEqual(activity.date_deadline, date(2026, 8, 1), "the improvement's owner, on its day")
        # accepted: history, for the team and the managers alike
        for user in (self.ka_user, self.ka_manager, self.ka_director):
            record = evaluation.with_user(user)
            with self.assertRaises(UserError):
                record.write({"went_well": "Rewritten"})
            with self.assertRaises(UserError):
                record.unlink()
            with self.assertRaises(UserError):
                record.improvement_ids.unlink()
            with self.assertRaises(UserError):
                record.write({"improvement_ids": [Command.create({"name": "More", "owner_id": user.id})]})
            with self.assertRaises(UserError):
                record.write({"state": "draft"})
        self.assertEqual(evaluation.went_well, "Deliveries on time")

    def test_send_back_with_the_reason(self):
        evaluation = self._draft()
        evaluation.action_submit()
        with self.assertRaises(ValidationError):
            evaluation.with_user(self.ka_manager).action_send_back("  ")
        evaluation.with_user(self.ka_manager).action_send_back("Say who owns the hotline")
        self.assertEqual((evaluation.state, evaluation.review_comment), ("sent_back", "Say who owns the hotline"))
        self.assertIn(self.ka_user, evaluation.activity_ids.user_id)
        evaluation.write({"problems": "Hotline unreachable at weekends"})
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "pending")
        wizard = (
            self.env["key.account.evaluation.send.back.wizard"]
            .with_user(self.ka_manager)
            .create({"evaluation_id": evaluation.id, "comment": "Rating?"})
        )
        wizard.action_confirm()
        self.assertEqual(evaluation.state, "sent_back")

    def test_rights_per_role(self):
        evaluation = self._draft()
        # the other team neither reads nor writes for this account
        with self.assertRaises(AccessError):
            evaluation.with_user(self.ka_user_off).read(["went_well"])
        with self.assertRaises(AccessError):
            self._draft(user=self.ka_user_off, period_start=date(2023, 1, 1), period_end=date(2023, 6, 30))
        with self.assertRaises(AccessError):
            evaluation.with_user(self.plain_user).read(["went_well"])
        with self.assertRaises(AccessError):
            evaluation.with_user(self.ka_manager_b).read(["went_well"])
        self.assertEqual(evaluation.with_user(self.ka_clerk).went_well, "Deliveries on time", "clerks read all")
        incomplete = self._draft(period_start=date(2025, 7, 1), period_end=date(2025, 12, 31), rating=False)
        with self.assertRaises(ValidationError):
            incomplete.action_submit()
        evaluation.action_submit()
        # only a KA Manager of the company, not the author, decides
        for user in (self.ka_user, self.ka_user_off, self.ka_clerk, self.plain_user, self.ka_manager_b):
            with self.assertRaises(AccessError, msg=user.login):
                evaluation.with_user(user).action_accept()
            with self.assertRaises(AccessError, msg=user.login):
                evaluation.with_user(user).action_send_back("No")
        own = self._draft(user=self.ka_manager, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30))
        own.action_submit()
        with self.assertRaises(AccessError):
            own.with_user(self.ka_manager).action_accept()
        own.with_user(self.ka_director).action_accept()
        self.assertEqual(own.state, "accepted")
        # the status moves only with the buttons
        with self.assertRaises(UserError):
            self._draft(period_start=date(2024, 1, 1), period_end=date(2024, 6, 30), state="accepted")
        evaluation.with_user(self.ka_director).action_accept()
        with self.assertRaises(UserError):
            evaluation.with_user(self.ka_manager).action_accept()

    def test_drafts_and_activities_when_due(self):
        """Strategic and key tiers evaluate half-yearly, normal yearly: in June the halves of
        Hengtai and Huaxin are drafted, each with an activity for its manager due on 30 June;
        the normal account only in December; never twice."""
        normal = self.env["res.partner"].create(
            {
                "name": "Jinan Heavy Industry",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.tier_normal.id,
                "key_account_manager_id": self.ka_user.id,
            }
        )
        Evaluation = self.env["key.account.evaluation"]
        with freeze_time("2026-05-20 03:00:00"):
            self.assertFalse(Evaluation._cron_evaluations_due(), "more than a month before the end")
        with freeze_time("2026-06-10 03:00:00"):
            created = Evaluation._cron_evaluations_due()
            self.assertFalse(Evaluation._cron_evaluations_due(), "never twice")
        self.assertEqual(created.partner_id, self.account | self.other_account)
        for record in created:
            self.assertEqual(
                (record.period_start, record.period_end, record.state), (date(2026, 1, 1), date(2026, 6, 30), "draft")
            )
            self.assertEqual(record.activity_ids.user_id, record.partner_id.key_account_manager_id)
            self.assertEqual(record.activity_ids.date_deadline, date(2026, 6, 30))
        with freeze_time("2026-12-05 03:00:00"):
            created = Evaluation._cron_evaluations_due()
        self.assertEqual(created.filtered(lambda r: r.partner_id == normal).period_start, date(2026, 1, 1))
        self.assertEqual(len(created), 3)
        # a draft the cron made is the account manager's to write and submit
        mine = created.filtered(lambda r: r.partner_id == self.account).with_user(self.ka_user)
        mine.write(CONTENT)
        mine.action_submit()
        self.assertEqual(mine.state, "pending")


@tagged("post_install", "-at_install")
class TestEvaluationXmlRpc(EvaluationMixin, KeyAccountXmlRpcCase, KeyAccountCase):
    def test_refusals_over_xmlrpc(self):
        evaluation = self._draft()
        evaluation.action_submit()
        self.env.flush_all()
        self.assertIn(
            "Key Account Manager",
            self._refused(4, self.ka_user, "key.account.evaluation", "action_accept", [evaluation.id]),
        )
        self._refused(4, self.ka_user_off, "key.account.evaluation", "read", [evaluation.id], ["went_well"])
        self._call(self.ka_manager, "key.account.evaluation", "action_accept", [evaluation.id])
        self._refused(2, self.ka_user, "key.account.evaluation", "write", [evaluation.id], {"went_well": "Changed"})
        self._refused(2, self.ka_manager, "key.account.evaluation", "unlink", [evaluation.id])
        self._refused(2, self.ka_manager, "key.account.evaluation", "action_send_back", [evaluation.id], "late")
