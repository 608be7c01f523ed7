"""Confidential texts, activities and followers live on the confidential records, never on
res.partner, whose chatter, activities and followers every internal user reads (issue #16):
loss analyses, special meetings (explanation, remedy plan) and their conclusions, credit
warnings, state-confirmation reminders, nomination codes, handover notes. The migration of the
texts 18.0.1.6.0 left on the partner: test_confidential_texts_migration.py; over XML-RPC:
test_confidential_texts_xmlrpc.py."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountCase, KeyAccountDataMixin

REASON = "Competitor Baowu undercut by 9 percent"
PLAN = "Weekly calls with the chairman until June"
CONCLUSION = "Reassign to Zhang Wei and offer a rebate of 2 percent"


@tagged("post_install", "-at_install")
class TestConfidentialTexts(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["key.account.state.log"]
        cls.meeting_type = cls.env.ref("key_account_mgmt.mail_activity_type_special_meeting")

    # ------------------------------------------------------------------ helpers
    def assertNotOnPartner(self, partner, *texts):
        """No message, activity or tracking of the partner carries any of ``texts``."""
        self.env.flush_all()
        for text in texts:
            messages = (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", "res.partner"), ("res_id", "=", partner.id), ("body", "ilike", text)])
            )
            self.assertFalse(messages, f"{text!r} in a message of the partner")
            activities = (
                self.env["mail.activity"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "=", partner.id),
                        "|",
                        ("note", "ilike", text),
                        ("summary", "ilike", text),
                    ]
                )
            )
            self.assertFalse(activities, f"{text!r} in an activity of the partner")
            self.env.cr.execute(
                """SELECT count(*) FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id
                    WHERE m.model = 'res.partner' AND m.res_id = %s
                      AND (v.old_value_char ILIKE %s OR v.new_value_char ILIKE %s
                           OR v.old_value_text ILIKE %s OR v.new_value_text ILIKE %s)""",
                [partner.id] + [f"%{text}%"] * 4,
            )
            self.assertEqual(self.env.cr.fetchone()[0], 0, f"{text!r} tracked on the partner")

    def assertHiddenFrom(self, record, *users):
        """Users who cannot read ``record`` see neither its messages, activities nor followers."""
        self.env.flush_all()
        messages = self.env["mail.message"].sudo().search([("model", "=", record._name), ("res_id", "=", record.id)])
        activities = (
            self.env["mail.activity"].sudo().search([("res_model", "=", record._name), ("res_id", "=", record.id)])
        )
        followers = (
            self.env["mail.followers"].sudo().search([("res_model", "=", record._name), ("res_id", "=", record.id)])
        )
        self.assertTrue(messages and followers, "the record has messages and followers to hide")
        for user in users:
            with self.subTest(user=user.name):
                self.assertFalse(record.with_user(user).has_access("read"))
                for model, rows in (
                    ("mail.message", messages),
                    ("mail.followers", followers),
                    ("mail.activity", activities),
                ):
                    domain = [
                        ("res_model" if model != "mail.message" else "model", "=", record._name),
                        ("res_id", "=", record.id),
                    ]
                    self.assertFalse(self.env[model].with_user(user).search(domain), f"{model} listed to {user.name}")
                    for row in rows:
                        with self.assertRaises(AccessError):
                            row.with_user(user).read(["res_id"])

    def _escalate(self):
        self.account.with_user(self.ka_user).action_set_cooperation_state("good", "")
        self.account.with_user(self.ka_user).action_set_cooperation_state("refused", REASON, PLAN)
        return self.Log.search([("partner_id", "=", self.account.id)], order="id desc", limit=1)

    def _meetings(self, log):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", log._name),
                ("res_id", "=", log.id),
                ("activity_type_id", "=", self.meeting_type.id),
            ]
        )

    # ------------------------------------------------------------------ cooperation state
    def test_special_meeting_lives_on_the_state_log(self):
        log = self._escalate()
        self.assertTrue(log.escalated and self.account.key_account_escalated)
        self.assertNotOnPartner(self.account, REASON, PLAN)
        self.assertFalse(self.account.activity_ids, "no activity on the partner")
        meeting = self._meetings(log)
        self.assertEqual(meeting.user_id, self.ka_manager)
        self.assertIn(REASON, str(meeting.note))
        self.assertIn(PLAN, str(meeting.note))
        # the manager and the account team see it; only KA Managers reschedule or cancel it
        for user in (self.ka_manager, self.ka_user):
            self.assertEqual(self.env["mail.activity"].with_user(user).search([("id", "=", meeting.id)]), meeting)
            self.assertEqual(meeting.with_user(user).read(["note"])[0]["note"], meeting.note)
        for user in (self.ka_user, self.ka_user_off, self.plain_user):
            with self.assertRaises(AccessError):
                meeting.with_user(user).write({"date_deadline": fields.Date.today()})
            with self.assertRaises(AccessError):
                meeting.with_user(user).unlink()
        self.assertTrue(self.Log.with_user(self.ka_user).search([("id", "=", log.id)]), "the team reads the row")
        self.assertHiddenFrom(log, self.plain_user, self.ka_user_off)

    def test_manager_closes_the_escalation_by_marking_the_meeting_done(self):
        log = self._escalate()
        meeting = self._meetings(log)
        with self.assertRefused(ValidationError, "conclusion"):
            meeting.with_user(self.ka_manager).action_feedback(feedback="  ")
        # only a KA Manager closes an escalation
        with self.assertRaises(AccessError):
            meeting.with_user(self.ka_user).action_feedback(feedback=CONCLUSION)
        self.assertTrue(meeting.exists() and self.account.key_account_escalated)

        meeting.with_user(self.ka_manager).action_feedback(feedback=CONCLUSION)
        self.assertFalse(meeting.exists())
        self.assertFalse(self.account.key_account_escalated)
        self.assertEqual(log.conclusion, CONCLUSION)
        self.assertTrue(log.escalation_closed_date)
        self.assertFalse(self._meetings(log))
        bodies = " ".join(log.message_ids.mapped(lambda m: str(m.body)))
        self.assertIn(CONCLUSION, bodies)
        self.assertIn(REASON, bodies, "the done meeting keeps its note, on the log")
        self.assertNotOnPartner(self.account, REASON, PLAN, CONCLUSION)
        self.assertHiddenFrom(log, self.plain_user, self.ka_user_off)

    def test_close_escalation_wizard_records_the_conclusion_on_the_log(self):
        log = self._escalate()
        self.env["key.account.state.wizard"].with_user(self.ka_manager).create(
            {
                "mode": "close_escalation",
                "partner_ids": self.account.ids,
                "conclusion": CONCLUSION,
            }
        ).action_apply()
        self.assertFalse(self.account.key_account_escalated)
        self.assertEqual(log.conclusion, CONCLUSION)
        self.assertFalse(self._meetings(log), "the meetings are done")
        self.assertIn(CONCLUSION, " ".join(log.message_ids.mapped(lambda m: str(m.body))))
        self.assertNotOnPartner(self.account, REASON, PLAN, CONCLUSION)
        # a later escalation has its own row; the closed one keeps its conclusion
        self.account.with_user(self.ka_user).action_set_cooperation_state("maintained", "Settled")
        self.account.with_user(self.ka_user).action_set_cooperation_state("refused", "Second dispute", "Legal review")
        self.account.with_user(self.ka_manager).action_close_escalation("Second conclusion")
        self.assertEqual(log.conclusion, CONCLUSION)
        second = self.Log.search([("partner_id", "=", self.account.id)], order="id desc", limit=1)
        self.assertEqual(second.conclusion, "Second conclusion")

    def test_state_confirmation_reminder_on_the_latest_log(self):
        self.account.with_user(self.ka_user).action_set_cooperation_state("good", "")
        self.env["ir.config_parameter"].set_param("key_account_mgmt.state_confirmation_day", 1)
        confirm_type = self.env.ref("key_account_mgmt.mail_activity_type_state_confirmation")
        log = self.Log.search([("partner_id", "=", self.account.id)])
        log.sudo().write({"date": fields.Datetime.now() - timedelta(days=40)})
        self.account.sudo().write({"cooperation_state_date": fields.Datetime.now() - timedelta(days=40)})
        self.env["key.account.state.log"]._cron_state_confirmation()
        reminder = self.env["mail.activity"].search([("res_model", "=", log._name), ("res_id", "=", log.id)])
        self.assertEqual((reminder.activity_type_id, reminder.user_id), (confirm_type, self.ka_user))
        self.assertFalse(self.account.activity_ids)
        for user in (self.plain_user, self.ka_user_off):
            self.assertFalse(self.env["mail.activity"].with_user(user).search([("id", "=", reminder.id)]))
            with self.assertRaises(AccessError):
                reminder.with_user(user).read(["summary"])

    # ------------------------------------------------------------------ loss
    def test_loss_analysis_lives_on_the_loss(self):
        analysis = "Lost on price: Baowu offered 120 days of credit"
        self.account.with_user(self.ka_manager).action_lose_key_account("competitor", analysis)
        loss = self.env["key.account.loss"].search([("partner_id", "=", self.account.id)])
        loss.message_subscribe(partner_ids=self.ka_user.partner_id.ids)
        self.assertIn(analysis, " ".join(loss.message_ids.mapped(lambda m: str(m.body))))
        self.assertNotOnPartner(self.account, analysis)
        self.assertHiddenFrom(loss, self.plain_user, self.ka_user_off)

    # ------------------------------------------------------------------ credit
    def test_credit_warning_lives_on_the_credit_history(self):
        self.company.key_account_credit_overdue_days = 30
        self._post_invoice(
            self.account,
            7777.0,
            invoice_date=fields.Date.today() - timedelta(days=105),
            invoice_date_due=fields.Date.today() - timedelta(days=75),
        )
        self.env["key.account.credit"]._cron_credit_watch()
        self.env.invalidate_all()
        self.assertTrue(self.account.key_account_credit_flag)
        warning = self.env["key.account.credit.log"].search([("partner_id", "=", self.account.id)])
        self.assertEqual(warning.action, "warning")
        activity = warning.activity_ids
        self.assertEqual(activity.user_id, self.ka_user)
        self.assertIn("75 days", str(activity.note))
        self.assertNotOnPartner(self.account, "75 days", "7,777")
        self.assertFalse(self.account.activity_ids)
        self.assertHiddenFrom(warning, self.plain_user, self.ka_user_off)
        # the account manager completes it
        activity.with_user(self.ka_user).action_feedback(feedback="Called the CFO")
        self.assertFalse(activity.exists())
        self.assertIn("Called the CFO", " ".join(warning.message_ids.mapped(lambda m: str(m.body))))

    def test_credit_decision_tracking_is_hidden_from_plain_users(self):
        """Odoo shows tracking values of fields with ``groups`` only to users of the groups."""
        # core does not track records created in the same transaction (as the account was, in
        # setUpClass): forget that, as for an account created earlier
        self.env.cr.precommit.data.get("mail.tracking.res.partner", {}).pop(self.account.id, None)
        account = self.account.with_context(tracking_disable=False)
        account.with_user(self.ka_manager).action_suspend_credit("Unpaid since March")
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are written at commit
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", self.account.id),
                    ("field_id.name", "=", "key_account_credit_suspended"),
                ]
            )
        )
        self.assertTrue(trackings)
        self.assertFalse(trackings._filter_has_field_access(self.env(user=self.plain_user)))
        self.assertTrue(trackings._filter_has_field_access(self.env(user=self.ka_user)))
        self.assertFalse(trackings._filter_free_field_access(), "not in notification e-mails either")
        self.assertNotOnPartner(self.account, "Unpaid since March")

    # ------------------------------------------------------------------ nomination, handover
    def test_nomination_code_in_the_nomination_not_the_partner(self):
        candidate = self.env["res.partner"].create({"name": "Jinlong Steel", "is_company": True})
        nomination = self._nomination(self.ka_user, candidate)
        nomination.action_submit()
        nomination.with_user(self.ka_manager).validate_tier()
        code = candidate.key_account_code
        self.assertTrue(code)
        self.assertNotOnPartner(candidate, code)
        self.assertIn(code, " ".join(nomination.message_ids.mapped(lambda m: str(m.body))))

    def test_handover_note_in_the_handover_history(self):
        self.env["key.account.handover.wizard"].with_user(self.ka_manager).create(
            {
                "from_user_id": self.ka_user.id,
                "to_user_id": self.ka_user_off.id,
                "note": "Leaving the company",
            }
        ).action_handover()
        self.assertEqual(self.account.key_account_manager_id, self.ka_user_off)
        self.assertNotOnPartner(self.account, "Handover from", "Leaving the company", "account manager")
        row = self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])
        self.assertEqual(
            (row.reason, row.from_user_id, row.to_user_id), ("Leaving the company", self.ka_user, self.ka_user_off)
        )
        row.message_subscribe(partner_ids=self.ka_user_off.partner_id.ids)
        row.message_post(body="Keys of the showroom handed over too", subtype_xmlid="mail.mt_note")
        self.assertHiddenFrom(row, self.plain_user, self.ka_user)

    # ------------------------------------------------------------------ followers, messages
    def test_followers_and_messages_of_an_archive(self):
        archive = self._archive(self.account)
        archive.message_subscribe(partner_ids=self.ka_user.partner_id.ids)
        archive.message_post(body="Chairman's private mobile: 139 0000 0000", subtype_xmlid="mail.mt_note")
        self.assertHiddenFrom(archive, self.plain_user, self.ka_user_off)
        for domain in (
            ["|", ("res_model", "=", archive._name), ("res_id", "=", archive.id)],
            [("res_model", "in", [archive._name, "res.partner"])],
            [("partner_id", "=", self.ka_user.partner_id.id)],
        ):
            listed = self.env["mail.followers"].with_user(self.plain_user).search(domain)
            self.assertFalse(listed.sudo().filtered(lambda f: f.res_model == archive._name), domain)
        # the team still lists the followers and reads the note
        team_followers = (
            self.env["mail.followers"]
            .with_user(self.ka_user)
            .search([("res_model", "=", archive._name), ("res_id", "=", archive.id)])
        )
        self.assertIn(self.ka_user.partner_id, team_followers.partner_id)
        self.assertIn(self.ka_user.partner_id, archive.with_user(self.ka_user).message_follower_ids.partner_id)
        self.assertTrue(
            self.env["mail.message"]
            .with_user(self.ka_user)
            .search([("model", "=", archive._name), ("res_id", "=", archive.id), ("body", "ilike", "private mobile")])
        )
        # complaints: the followers of a key account's complaint are the team's to see
        agent = new_test_user(self.env, "kam_text_agent", groups="base.group_user,helpdesk_mgmt.group_helpdesk_user")
        Ticket = self.env["helpdesk.ticket"]
        complaint = Ticket.create({"name": "Rusty beams", "description": "<p>Rust</p>", "partner_id": self.account.id})
        ordinary = Ticket.create(
            {
                "name": "Invoice copy",
                "description": "<p>Copy</p>",
                "partner_id": self.env["res.partner"].create({"name": "Walk-in"}).id,
            }
        )
        for ticket in complaint | ordinary:
            ticket.message_subscribe(partner_ids=self.ka_user.partner_id.ids)
        self.assertTrue(complaint.key_account_id and not ordinary.key_account_id)
        Followers = self.env["mail.followers"]
        on = lambda t: [("res_model", "=", t._name), ("res_id", "=", t.id)]  # noqa: E731
        self.assertFalse(Followers.with_user(agent).search(on(complaint)))
        self.assertIn(self.ka_user.partner_id, Followers.with_user(agent).search(on(ordinary)).partner_id)
        self.assertIn(self.ka_user.partner_id, Followers.with_user(self.ka_user).search(on(complaint)).partner_id)
        # followers of other documents stay readable as in core
        partner_followers = (
            self.env["mail.followers"]
            .with_user(self.plain_user)
            .search([("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)])
        )
        self.assertEqual(
            partner_followers,
            self.env["mail.followers"]
            .sudo()
            .search([("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)]),
        )
