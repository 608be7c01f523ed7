"""The migration of the confidential texts 18.0.1.6.0 left on res.partner to the confidential
records (issue #16)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin
from .test_confidential_texts import CONCLUSION, PLAN, REASON


@tagged("post_install", "-at_install")
class TestConfidentialTextsMigration(KeyAccountDataMixin, KeyAccountCase):
    """migrations/18.0.1.7.0/post-confidential_texts.py on rows as 18.0.1.6.0 wrote them."""

    @classmethod
    def _migration(cls):
        import importlib.util
        from pathlib import Path

        import odoo.addons.key_account_mgmt as module

        path = Path(module.__file__).parent / "migrations" / "18.0.1.7.0" / "post-confidential_texts.py"
        spec = importlib.util.spec_from_file_location("kam_post_confidential_texts", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        return migration

    def _legacy(self):
        """What 18.0.1.6.0 left on the partner: a closed escalation (done meeting, conclusion), an
        open one's meeting, a state reminder, a credit warning, a loss and a handover note."""
        partner, now = self.account, fields.Datetime.now()
        Log = self.env["key.account.state.log"].sudo()
        base = {"partner_id": partner.id, "period": fields.Date.today().replace(day=1), "user_id": self.ka_user.id}
        self.closed_log = Log.create(
            {
                **base,
                "date": now - timedelta(days=60),
                "state_from": "good",
                "state_to": "refused",
                "change_type": "downgrade",
                "levels": -4,
                "escalated": True,
                "reason": REASON,
                "remedy_plan": PLAN,
            }
        )
        self.open_log = Log.create(
            {
                **base,
                "date": now - timedelta(days=10),
                "state_from": "maintained",
                "state_to": "refused",
                "change_type": "downgrade",
                "levels": -3,
                "escalated": True,
                "reason": "Second dispute",
                "remedy_plan": "Legal review",
            }
        )
        partner.sudo().write({"key_account_escalated": True, "cooperation_state": "refused"})
        meeting = self.env.ref("key_account_mgmt.mail_activity_type_special_meeting")
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "message_type": "notification",
                        "date": now - timedelta(days=59),
                        "mail_activity_type_id": meeting.id,
                        "body": f"<p>Special Meeting done</p><div>{REASON} {PLAN}</div><div>{CONCLUSION}</div>",
                    },
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "message_type": "comment",
                        "date": now - timedelta(days=59),
                        "body": f"<p>升级处理已关闭。结论：{CONCLUSION}</p>",
                    },
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "message_type": "comment",
                        "date": now - timedelta(days=1),
                        "body": "<p>由 KA User On Team 交接给 KA User Off Team：客户经理</p>",
                    },
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "message_type": "comment",
                        "date": now,
                        "body": "<p>Retired as a key account: Lost on price to Baowu</p>",
                    },
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "message_type": "comment",
                        "date": now,
                        "body": "<p>Ordinary note about the delivery address</p>",
                    },
                ]
            )
        )
        # core's "assigned to you" notice of a legacy meeting: only its recipient reads it
        messages |= (
            self.env["mail.message"]
            .sudo()
            .create(
                {
                    "model": "res.partner",
                    "res_id": partner.id,
                    "message_type": "user_notification",
                    "date": now,
                    "author_id": self.env.ref("base.partner_root").id,
                    "partner_ids": [(4, self.ka_manager.partner_id.id)],
                    "reply_to": "odoobot@example.com",
                    "body": "<p>Summary: Special meeting (专题会议): Hengtai Construction Group</p>",
                }
            )
        )
        # one by one: core subscribes each activity's user to the document, twice in one batch
        activities = (
            self.env["mail.activity"]
            .sudo()
            .concat(
                *(
                    self.env["mail.activity"].sudo().create(vals)
                    for vals in [
                        {
                            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                            "res_id": partner.id,
                            "user_id": self.ka_manager.id,
                            "activity_type_id": meeting.id,
                            "note": "Explanation: Second dispute. Remedy plan: Legal review",
                        },
                        {
                            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                            "res_id": partner.id,
                            "user_id": self.ka_user.id,
                            "activity_type_id": self.env.ref(
                                "key_account_mgmt.mail_activity_type_state_confirmation"
                            ).id,
                        },
                        {
                            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                            "res_id": partner.id,
                            "user_id": self.ka_user.id,
                            "activity_type_id": self.env.ref("key_account_mgmt.mail_activity_type_credit_watch").id,
                            "note": "1,000.00 overdue for 75 days",
                        },
                    ]
                )
            )
        )
        self.loss = (
            self.env["key.account.loss"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "reason_type": "price",
                    "reason": "Lost on price to Baowu",
                    "user_id": self.ka_manager.id,
                }
            )
        )
        self.archive = self._archive(partner)
        return messages, activities

    def test_moves_rows_once_and_keeps_them(self):
        messages, activities = self._legacy()
        migration = self._migration()
        counts = (self.env["mail.message"].sudo().search_count([]), self.env["mail.activity"].sudo().search_count([]))
        migration.migrate(self.env.cr, "18.0.1.6.0")
        self.env.invalidate_all()
        meeting_done, conclusion, handover, loss_note, ordinary, notice = messages
        self.assertTrue(notice.with_user(self.ka_manager).has_access("read"))
        for user in (self.plain_user, self.ka_user_off):
            self.assertFalse(notice.with_user(user).has_access("read"), "core: user notifications are the recipient's")
        self.assertEqual((meeting_done.model, meeting_done.res_id), (self.closed_log._name, self.closed_log.id))
        self.assertEqual((conclusion.model, conclusion.res_id), (self.closed_log._name, self.closed_log.id))
        row = self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])
        self.assertEqual((handover.model, handover.res_id), (row._name, row.id))
        self.assertEqual((row.from_user_id, row.to_user_id, row.items), (self.ka_user, self.ka_user_off, "客户经理"))
        self.assertEqual((loss_note.model, loss_note.res_id), (self.loss._name, self.loss.id))
        self.assertEqual((ordinary.model, ordinary.res_id), ("res.partner", self.account.id), "other notes stay")
        meeting, reminder, credit = activities
        self.assertEqual((meeting.res_model, meeting.res_id), (self.open_log._name, self.open_log.id))
        self.assertEqual((reminder.res_model, reminder.res_id), (self.open_log._name, self.open_log.id))
        warning = self.env["key.account.credit.log"].search([("partner_id", "=", self.account.id)])
        self.assertEqual((warning.action, credit.res_model, credit.res_id), ("warning", warning._name, warning.id))
        # the closed escalation is closed on its row, with its conclusion; the open one stays open
        self.assertEqual(self.closed_log.conclusion, CONCLUSION)
        self.assertTrue(self.closed_log.escalation_closed_date)
        self.assertFalse(self.open_log.escalation_closed_date)
        self.assertNotOnPartner(REASON, PLAN, CONCLUSION, "Second dispute", "75 days", "Lost on price", "交接")
        self.assertEqual(
            (self.env["mail.message"].sudo().search_count([]), self.env["mail.activity"].sudo().search_count([])),
            counts,
            "no row lost",
        )
        # idempotent
        migration.migrate(self.env.cr, "18.0.1.6.0")
        self.env.invalidate_all()
        self.assertEqual(len(self.env["key.account.credit.log"].search([("partner_id", "=", self.account.id)])), 1)
        self.assertEqual(len(self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])), 1)
        self.assertEqual((meeting_done.model, meeting_done.res_id), (self.closed_log._name, self.closed_log.id))
        self.assertEqual((meeting.res_model, meeting.res_id), (self.open_log._name, self.open_log.id))
        # the open escalation still closes the usual way afterwards
        self.account.with_user(self.ka_manager).action_close_escalation("Settled in court")
        self.assertEqual(self.open_log.conclusion, "Settled in court")
        self.assertEqual(self.closed_log.conclusion, CONCLUSION)
        self.assertFalse(meeting.exists())

    def assertNotOnPartner(self, *texts):
        self.env.flush_all()
        for text in texts:
            self.assertFalse(
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", "res.partner"), ("res_id", "=", self.account.id), ("body", "ilike", text)]),
                text,
            )
            self.assertFalse(
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "=", self.account.id),
                        "|",
                        ("note", "ilike", text),
                        ("summary", "ilike", text),
                    ]
                ),
                text,
            )
