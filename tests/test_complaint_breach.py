"""Complaint breaches flagged once, replies, responses and resolutions recorded, and the valid
complaints and SLA figures for the KPIs (issue #9)."""

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_complaint import ComplaintCase, cst


@tagged("post_install", "-at_install")
class TestComplaintBreaches(ComplaintCase):
    def _breach_notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: "SLA breached" in (m.body or ""))

    def test_breach_flagged_once_and_team_told(self):
        ticket = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        # received long ago: on create all three commitments are already missed
        self.assertTrue(ticket.reply_breached and ticket.respond_breached and ticket.resolve_breached)
        self.assertTrue(ticket.sla_breached)
        notes = self._breach_notes(ticket)
        self.assertEqual(len(notes), 1)
        told = notes.notified_partner_ids
        self.assertIn(self.ka_user.partner_id, told)
        self.assertIn(self.ka_manager.partner_id, told)
        self.assertNotIn(self.ka_user_off.partner_id, told)
        activities = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("key_account_mgmt.mail_activity_type_sla_breach")
        )
        self.assertEqual(activities.user_id, self.ka_user)
        # the scheduled action and further writes do not flag it again
        self.env["helpdesk.ticket"]._cron_check_key_account_sla()
        self.env["helpdesk.ticket"]._cron_check_key_account_sla()
        ticket.with_user(self.ka_user).action_key_account_reply()
        self.assertEqual(len(self._breach_notes(ticket)), 1)
        self.assertEqual(
            len(ticket.activity_ids.filtered(lambda a: a.activity_type_id == activities.activity_type_id)), 1
        )

    def test_cron_flags_when_the_deadline_passes(self):
        now = fields.Datetime.now()
        ticket = self._ticket(self.normal_account, now, user=self.ka_user)
        self.assertFalse(ticket.sla_breached, "deadlines are days ahead")
        self.env["helpdesk.ticket"]._cron_check_key_account_sla()
        self.assertFalse(ticket.sla_breached)
        # the deadline passes (the received time corrected a week back by the clerk)
        ticket.with_user(self.ka_clerk).date_received = fields.Datetime.subtract(now, days=8)
        self.assertTrue(ticket.reply_breached)
        self.assertEqual(len(self._breach_notes(ticket)), 1)
        self.env["helpdesk.ticket"]._cron_check_key_account_sla()
        self.assertEqual(len(self._breach_notes(ticket)), 1)

    def test_cron_batches(self):
        tickets = self.env["helpdesk.ticket"]
        for _i in range(3):
            tickets |= self._ticket(self.key_account_b, fields.Datetime.now())
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET reply_deadline = now() at time zone 'UTC' - interval '1 hour' WHERE id = ANY(%s)",
            [tickets.ids],
        )
        tickets.invalidate_recordset()
        flagged, remaining = self.env["helpdesk.ticket"].browse()._check_key_account_sla(batch_size=2)
        self.assertEqual((flagged, remaining), (2, 1))
        flagged, remaining = self.env["helpdesk.ticket"].browse()._check_key_account_sla(batch_size=2)
        self.assertEqual((flagged, remaining), (1, 0))
        self.assertEqual(tickets.mapped("reply_breached"), [True] * 3)
        self.assertEqual(self.env["helpdesk.ticket"].browse()._check_key_account_sla(batch_size=2), (0, 0))

    def test_late_reply_flagged_on_write_in_time_not(self):
        now = fields.Datetime.now()
        on_time = self._ticket(self.normal_account, now, user=self.ka_user)
        on_time.with_user(self.ka_user).action_key_account_reply()
        self.assertTrue(on_time.reply_in_sla)
        self.assertFalse(on_time.reply_breached)
        ticket = self._ticket(
            self.account, cst(2026, 3, 2, 9, 0), user=self.ka_clerk, date_replied=cst(2026, 3, 2, 9, 20)
        )
        self.assertTrue(ticket.reply_in_sla)
        self.assertFalse(ticket.reply_breached)
        self.assertFalse(ticket.date_responded, "a reply is no response")
        self.assertFalse(ticket.respond_in_sla)
        self.assertTrue(ticket.respond_breached, "the hour to respond passed long ago")

    def test_chatter_message_to_the_customer_is_the_reply(self):
        ticket = self._ticket(self.normal_account, fields.Datetime.now(), user=self.ka_user)
        ticket.with_user(self.ka_user).message_post(body="We are looking into it.", subtype_xmlid="mail.mt_note")
        self.assertFalse(ticket.date_replied, "an internal note is no reply")
        ticket.with_user(self.ka_user).message_post(
            body="We will send a replacement truck tomorrow.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(ticket.date_replied)
        self.assertTrue(ticket.reply_in_sla)

    def test_customer_closes_on_the_portal(self):
        portal = new_test_user(self.env, "hengtai_portal", groups="base.group_portal", partner_id=self.contact.id)
        ticket = self._ticket(self.contact, fields.Datetime.now(), user=self.ka_user)
        self.assertEqual(self.env["helpdesk.ticket"].with_user(portal).search([("id", "=", ticket.id)]), ticket)
        # helpdesk_mgmt's controller writes the stage as superuser on behalf of the portal user
        ticket.with_user(portal).sudo().write({"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id})
        self.assertTrue(ticket.date_resolved)
        self.assertTrue(ticket.resolve_in_sla)

    def test_stage_moves_record_response_and_resolution(self):
        ticket = self._ticket(self.normal_account, fields.Datetime.now(), user=self.ka_user)
        ticket.with_user(self.ka_user).stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        self.assertTrue(ticket.date_responded)
        self.assertTrue(ticket.date_replied, "a response is also a reply")
        with self.assertRefused(UserError, "Describe the resolution"):
            ticket.with_user(self.ka_user).stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertFalse(ticket.date_resolved)
        ticket.with_user(self.ka_user).resolution = "Replacement delivered"
        ticket.with_user(self.ka_user).action_key_account_resolve()
        self.assertTrue(ticket.date_resolved)
        self.assertEqual(ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done"))
        self.assertTrue(ticket.resolve_in_sla)
        cancelled = self._ticket(self.normal_account, fields.Datetime.now(), user=self.ka_user)
        cancelled.with_user(self.ka_user).stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        self.assertFalse(cancelled.date_resolved, "cancelling is no resolution")


@tagged("post_install", "-at_install")
class TestComplaintFigures(ComplaintCase):
    def test_complaint_summary(self):
        metrics = self.env["key.account.activity.metrics"]
        march = cst(2026, 3, 2, 9, 0)
        valid = self._ticket(
            self.account,
            march,
            root_cause="Wrong packing at our warehouse",
            complaint_validity="valid",
            date_replied=cst(2026, 3, 2, 9, 10),
            date_resolved=cst(2026, 3, 2, 15, 0),
            resolution="Replaced",
        )
        self._ticket(
            self.account, march, complaint_validity="invalid", date_replied=cst(2026, 3, 2, 11, 0)
        )  # replied late
        self._ticket(self.account, march)  # pending, unanswered
        self._ticket(
            self.account,
            march,
            request_type="request",
            date_replied=cst(2026, 3, 2, 9, 5),
            date_resolved=cst(2026, 3, 2, 10, 30),
            resolution="Certificate sent",
        )
        self._ticket(
            self.key_account_b,
            march,
            complaint_validity="valid",
            root_cause="Late truck",
            date_replied=cst(2026, 3, 2, 9, 50),
        )
        self._ticket(self.other_account, march, complaint_validity="valid", root_cause="Invoice error")
        self._ticket(self.account, cst(2026, 5, 4, 9, 0), complaint_validity="valid", root_cause="Other period")
        self._ticket(self.plain_customer, march)  # not a key account
        self.assertTrue(valid.is_valid_complaint)

        summary = metrics._complaint_summary("2026-03-01", "2026-03-31")
        self.assertEqual(
            summary[self.account.id],
            {
                "count": 4,
                "valid": 1,
                "replied": 3,
                "replied_in_sla": 2,
                "resolved": 2,
                "resolved_in_sla": 1,
            },
        )
        self.assertEqual(summary[self.key_account_b.id]["valid"], 1)
        self.assertEqual(summary[self.key_account_b.id]["replied_in_sla"], 1)
        self.assertNotIn(self.plain_customer.id, summary)
        self.assertEqual(
            set(metrics._complaint_summary("2026-03-01", "2026-03-31", partner_ids=[self.account.id])),
            {self.account.id},
        )
        # per account manager (specialist): ka_user manages account and key_account_b
        by_user = metrics._complaint_summary(
            "2026-03-01", "2026-03-31", user_ids=[self.ka_user.id, self.ka_user_off.id]
        )
        self.assertEqual(by_user[self.ka_user.id]["count"], 5)
        self.assertEqual(by_user[self.ka_user.id]["valid"], 2)
        self.assertEqual(by_user[self.ka_user_off.id]["valid"], 1)
        self.assertEqual(
            metrics._complaint_summary("2026-01-01", "2026-12-31", group_by="user")[self.ka_user.id]["valid"], 3
        )
        self.assertEqual(metrics._complaint_summary("2026-04-01", "2026-04-30"), {})
        with self.assertRefused(UserError, "by 'partner' or by 'user'"):
            metrics._complaint_summary("2026-03-01", "2026-03-31", group_by="tier")

    def test_manager_of_the_time_keeps_the_complaint(self):
        ticket = self._ticket(
            self.account,
            cst(2026, 3, 2, 9, 0),
            complaint_validity="valid",
            root_cause="Rust",
            date_resolved=cst(2026, 3, 2, 10, 0),
            resolution="Replaced",
        )
        self.account.with_user(self.ka_manager).key_account_manager_id = self.ka_user_off
        self.assertEqual(ticket.key_account_manager_id, self.ka_user, "resolved: stays with who handled it")
        open_ticket = self._ticket(self.account, cst(2026, 3, 3, 9, 0))
        self.assertEqual(open_ticket.key_account_manager_id, self.ka_user_off)

    def test_validity_needs_a_root_cause_and_a_complaint(self):
        ticket = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        with self.assertRefused(ValidationError, "Give the root cause"):
            ticket.with_user(self.ka_manager).complaint_validity = "valid"
        request = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user=self.ka_user, request_type="request")
        with self.assertRefused(ValidationError, "Only complaints are assessed"):
            request.with_user(self.ka_manager).complaint_validity = "invalid"
        ticket.with_user(self.ka_manager).write(
            {"root_cause": "Forklift damage in our warehouse", "complaint_validity": "valid"}
        )
        self.assertTrue(ticket.is_valid_complaint)
