"""Complaints and service requests of key accounts (issue #9): per-tier SLA deadlines in working
hours, breaches flagged once, valid complaints and SLA figures for the KPIs, rights per group."""

import xmlrpc.client
from datetime import datetime

import pytz

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KeyAccountCase

SHANGHAI = pytz.timezone("Asia/Shanghai")
# seed 002 集团客户层次分类服务管理办法 三、服务承诺: reply / respond / resolve, in hours
SEED_SLA = {"tier_strategic": (0.5, 1, 2), "tier_key": (1, 4, 8), "tier_normal": (24, 48, 72)}


def cst(*args):
    """A Shanghai wall-clock time as the naive UTC datetime Odoo stores."""
    return SHANGHAI.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class ComplaintCase(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the company works Monday-Friday 8-12 and 13-17 in Shanghai (lunch excluded)
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Shanghai office hours",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": "morning" if start < 12 else "afternoon",
                        },
                    )
                    for day in range(5)
                    for start, end in ((8, 12), (13, 17))
                ],
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        cls.normal_account = cls.env["res.partner"].create(
            {
                "name": "Minghui Retail",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": cls.tier_normal.id,
                "key_account_manager_id": cls.ka_user.id,
            }
        )
        cls.key_account_b = cls.env["res.partner"].create(
            {
                "name": "Ruifeng Logistics",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": cls.tier_key.id,
                "key_account_manager_id": cls.ka_user.id,
            }
        )
        cls.plain_customer = cls.env["res.partner"].create({"name": "Walk-in Customer", "is_company": True})
        cls.helpdesk_agent = new_test_user(
            cls.env,
            "helpdesk_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            name="Helpdesk Agent",
        )

    def _ticket(self, partner, received, user=None, **vals):
        env = self.env if user is None else self.env(user=user)
        return env["helpdesk.ticket"].create(
            {
                "name": "Steel delivered with rust",
                "description": "<p>Two trucks of H-beams arrived rusty.</p>",
                "partner_id": partner.id,
                "date_received": received,
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestComplaintDeadlines(ComplaintCase):
    def test_tier_data_follows_the_seed(self):
        for xmlid, hours in SEED_SLA.items():
            tier = self.env.ref(f"key_account_mgmt.{xmlid}")
            self.assertEqual((tier.sla_reply_hours, tier.sla_respond_hours, tier.sla_resolve_hours), hours, xmlid)

    def test_deadlines_per_tier_in_working_hours(self):
        monday_9 = cst(2026, 3, 2, 9, 0)  # Monday
        strategic = self._ticket(self.account, monday_9, user=self.ka_user)
        self.assertEqual(strategic.sla_tier_id, self.tier_strategic)
        self.assertEqual(
            (strategic.reply_deadline, strategic.respond_deadline, strategic.resolve_deadline),
            (cst(2026, 3, 2, 9, 30), cst(2026, 3, 2, 10, 0), cst(2026, 3, 2, 11, 0)),
        )
        key = self._ticket(self.key_account_b, monday_9, user=self.ka_user)
        self.assertEqual(
            (key.reply_deadline, key.respond_deadline, key.resolve_deadline),
            # 4 h: 9-12 and, after lunch, 13-14; 8 h: 7 h on Monday and the first hour of Tuesday
            (cst(2026, 3, 2, 10, 0), cst(2026, 3, 2, 14, 0), cst(2026, 3, 3, 9, 0)),
        )
        normal = self._ticket(self.normal_account, monday_9, user=self.ka_user)
        self.assertEqual(
            (normal.reply_deadline, normal.respond_deadline, normal.resolve_deadline),
            # 24 working hours = 7 + 8 + 8 + 1: Thursday 9:00; 48 and 72 cross the weekend
            (cst(2026, 3, 5, 9, 0), cst(2026, 3, 10, 9, 0), cst(2026, 3, 13, 9, 0)),
        )

    def test_deadlines_across_the_weekend(self):
        friday = self._ticket(self.account, cst(2026, 3, 6, 16, 30), user=self.ka_user)
        self.assertEqual(friday.reply_deadline, cst(2026, 3, 6, 17, 0))
        self.assertEqual(friday.respond_deadline, cst(2026, 3, 9, 8, 30))  # half an hour on Monday
        self.assertEqual(friday.resolve_deadline, cst(2026, 3, 9, 9, 30))
        saturday = self._ticket(self.key_account_b, cst(2026, 3, 7, 10, 0), user=self.ka_user)
        self.assertEqual(saturday.reply_deadline, cst(2026, 3, 9, 9, 0))
        self.assertEqual(saturday.resolve_deadline, cst(2026, 3, 9, 17, 0))

    def test_public_holiday_of_the_calendar_is_not_worked(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Qingming",
                "calendar_id": self.calendar.id,
                "resource_id": False,
                "date_from": cst(2026, 4, 6, 0, 0),
                "date_to": cst(2026, 4, 6, 23, 59),
            }
        )
        ticket = self._ticket(self.account, cst(2026, 4, 3, 16, 30), user=self.ka_user)  # Friday before
        self.assertEqual(ticket.respond_deadline, cst(2026, 4, 7, 8, 30))

    def test_tier_change_before_reply_moves_deadlines_after_reply_not(self):
        ticket = self._ticket(self.key_account_b, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        self.assertEqual(ticket.reply_deadline, cst(2026, 3, 2, 10, 0))
        self.key_account_b.with_user(self.ka_manager).key_account_tier_id = self.tier_strategic
        self.assertEqual(ticket.sla_tier_id, self.tier_strategic)
        self.assertEqual(ticket.reply_deadline, cst(2026, 3, 2, 9, 30))
        # another contact of another account: the deadlines follow it
        ticket.with_user(self.ka_user).partner_id = self.normal_account
        self.assertEqual(ticket.key_account_id, self.normal_account)
        self.assertEqual(ticket.reply_deadline, cst(2026, 3, 5, 9, 0))
        ticket.with_user(self.ka_clerk).date_replied = cst(2026, 3, 2, 11, 0)
        self.normal_account.with_user(self.ka_manager).key_account_tier_id = self.tier_strategic
        self.assertEqual(ticket.sla_tier_id, self.tier_normal, "frozen at the first reply")
        self.assertEqual(ticket.reply_deadline, cst(2026, 3, 5, 9, 0))
        self.assertTrue(ticket.reply_in_sla)

    def test_no_key_account_no_sla(self):
        ticket = self._ticket(self.plain_customer, cst(2026, 3, 2, 9, 0))
        self.assertFalse(ticket.key_account_id)
        self.assertFalse(ticket.reply_deadline)
        with self.assertRefused(UserError, "not a complaint or request of a key account"):
            ticket.action_key_account_reply()

    def test_contact_person_of_the_account(self):
        ticket = self._ticket(self.contact, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        self.assertEqual(ticket.key_account_id, self.account)
        self.assertEqual(ticket.key_account_manager_id, self.ka_user)
        self.assertEqual(ticket.reply_deadline, cst(2026, 3, 2, 9, 30))

    def test_install_puts_utc_office_hours_in_china_standard_time(self):
        utc = self.env["resource.calendar"].create({"name": "UTC hours", "tz": "UTC"})
        self.company_b.resource_calendar_id = utc
        self.env["res.company"]._key_account_init_calendar_tz()
        self.assertEqual(utc.tz, "Asia/Shanghai")
        self.assertEqual(self.calendar.tz, "Asia/Shanghai")
        berlin = self.env["resource.calendar"].create({"name": "Berlin hours", "tz": "Europe/Berlin"})
        self.company_b.resource_calendar_id = berlin
        self.env["res.company"]._key_account_init_calendar_tz()
        self.assertEqual(berlin.tz, "Europe/Berlin", "a time zone chosen on purpose stays")

    def test_branch_office_complains_for_its_group(self):
        branch = self.env["res.partner"].create(
            {
                "name": "Hengtai Construction Jiangsu Branch",
                "is_company": True,
                "key_account_headquarters_id": self.account.id,
                "key_account_group_relation": "branch",
            }
        )
        ticket = self._ticket(branch, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        self.assertEqual(ticket.key_account_id, self.account)
        self.assertEqual(ticket.sla_tier_id, self.tier_strategic)
        self.assertEqual(ticket.reply_deadline, cst(2026, 3, 2, 9, 30))

    def test_received_before_a_milestone_is_refused(self):
        ticket = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        with self.assertRefused(ValidationError, "cannot come before the complaint was received"):
            ticket.with_user(self.ka_clerk).date_replied = cst(2026, 3, 2, 8, 0)
        self.assertFalse(ticket.date_replied)


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


@tagged("post_install", "-at_install")
class TestComplaintRights(ComplaintCase):
    def test_team_member_works_on_the_accounts_complaints(self):
        ticket = self._ticket(self.account, fields.Datetime.now(), user=self.ka_user)
        as_user = ticket.with_user(self.ka_user)
        as_user.write(
            {
                "root_cause": "Packing",
                "category_id": self.env.ref("key_account_mgmt.helpdesk_ticket_category_quality").id,
            }
        )
        as_user.action_key_account_reply()
        self.assertTrue(ticket.date_replied)
        self.assertEqual(self.account.with_user(self.ka_user).key_account_open_ticket_count, 1)
        self.assertEqual(self.account.with_user(self.ka_user).key_account_open_ticket_ids, ticket)
        # measured by these: the specialist neither assesses validity nor edits times by hand
        with self.assertRefused(AccessError, "Only KA Managers assess"):
            as_user.complaint_validity = "invalid"
        with self.assertRefused(AccessError, "only KA Clerks and Managers correct the times"):
            as_user.date_replied = fields.Datetime.now()
        with self.assertRefused(AccessError, "only KA Clerks and Managers correct the times"):
            as_user.date_received = cst(2026, 1, 5, 9, 0)
        with self.assertRefused(AccessError, "Only KA Managers assess"):
            self._ticket(self.account, fields.Datetime.now(), user=self.ka_user, complaint_validity="invalid")
        with self.assertRefused(AccessError, "not allowed|Uh-oh|restricted|do not have access"):
            as_user.unlink()
        with self.assertRefused(AccessError, "Only Key Account Managers may export"):
            as_user.export_data(["name"])

    def test_specialist_opens_the_complaints_views(self):
        """What the UI loads for a KA User: the smart button's action, its views, the form's fields."""
        ticket = self._ticket(self.account, fields.Datetime.now(), user=self.ka_user)
        partner = self.account.with_user(self.ka_user)
        action = partner.action_open_key_account_tickets()
        Ticket = self.env["helpdesk.ticket"].with_user(self.ka_user).with_context(action["context"])
        views = Ticket.get_views(
            [(view_id, mode) for view_id, mode in action["views"]], {"search_view_id": action["search_view_id"][0]}
        )
        form_fields = views["views"]["form"]["arch"]
        self.assertIn("action_key_account_reply", form_fields)
        self.assertEqual(Ticket.search(action["domain"]), ticket)
        spec = {name: {} for name in views["models"]["helpdesk.ticket"]["fields"]}
        record = Ticket.browse(ticket.id).web_read({**{k: v for k, v in spec.items() if k not in ("description",)}})[0]
        self.assertEqual(
            record["key_account_id"]["id"] if isinstance(record["key_account_id"], dict) else record["key_account_id"],
            self.account.id,
        )
        partner_form = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("key_account_open_ticket_count", partner_form)

    def test_outsiders_do_not_see_key_account_complaints(self):
        ticket = self._ticket(self.account, fields.Datetime.now(), user=self.ka_user)
        plain_ticket = self._ticket(self.plain_customer, fields.Datetime.now(), user_id=self.helpdesk_agent.id)
        Ticket = self.env["helpdesk.ticket"]
        for user in (self.ka_user_off, self.plain_user, self.helpdesk_agent, self.ka_manager_b):
            self.assertFalse(Ticket.with_user(user).search([("id", "=", ticket.id)]), user.name)
            with self.assertRefused(AccessError, "not allowed|Uh-oh|restricted|do not have access"):
                ticket.with_user(user).read(["name"])
        # even as follower or as assignee helpdesk_mgmt would show it: our global rule does not
        ticket.message_subscribe(partner_ids=self.plain_user.partner_id.ids)
        ticket.user_id = self.helpdesk_agent
        for user in (self.plain_user, self.helpdesk_agent):
            with self.assertRefused(AccessError, "not allowed|Uh-oh|restricted|do not have access"):
                ticket.with_user(user).read(["name"])
        # other tickets keep helpdesk_mgmt's rules
        self.assertEqual(
            plain_ticket.with_user(self.helpdesk_agent).read(["name"])[0]["name"], "Steel delivered with rust"
        )
        # an outsider cannot file one on the account either
        with self.assertRefused(AccessError, "not allowed|Uh-oh|restricted|do not have access"):
            self._ticket(self.account, fields.Datetime.now(), user=self.ka_user_off)

    def test_clerk_manager_director_see_all_of_their_companies(self):
        ticket = self._ticket(self.other_account, fields.Datetime.now(), user=self.ka_user_off)
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(self.env["helpdesk.ticket"].with_user(user).search([("id", "=", ticket.id)]), ticket)
        ticket.with_user(self.ka_clerk).date_responded = fields.Datetime.now()
        with self.assertRefused(AccessError, "Only KA Managers assess"):
            ticket.with_user(self.ka_clerk).complaint_validity = "invalid"
        with self.assertRefused(AccessError, "not allowed|Uh-oh|restricted|do not have access"):
            ticket.with_user(self.ka_clerk).unlink()
        ticket.with_user(self.ka_manager).complaint_validity = "invalid"
        self.ka_manager.groups_id |= self.env.ref("base.group_allow_export")
        self.assertTrue(ticket.with_user(self.ka_manager).export_data(["name"])["datas"])
        ticket.with_user(self.ka_director).unlink()
        self.assertFalse(ticket.exists())


@tagged("post_install", "-at_install")
class TestComplaintHandover(ComplaintCase):
    def test_handover_moves_open_complaints_and_their_activities(self):
        breached = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user_id=self.ka_user.id)
        done = self._ticket(
            self.account,
            cst(2026, 3, 2, 9, 0),
            user_id=self.ka_user.id,
            date_resolved=cst(2026, 3, 2, 10, 0),
            resolution="Replaced",
            stage_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
        )
        self.assertEqual(breached.activity_ids.user_id, self.ka_user)
        self.assertFalse(done.activity_ids, "late but resolved: a note, no activity")
        wizard = (
            self.env["key.account.handover.wizard"]
            .with_user(self.ka_manager)
            .create(
                {
                    "from_user_id": self.ka_user.id,
                    "to_user_id": self.ka_user_off.id,
                }
            )
        )
        wizard.action_handover()
        self.assertEqual(breached.user_id, self.ka_user_off)
        self.assertEqual(breached.key_account_manager_id, self.ka_user_off, "open: follows the account")
        self.assertEqual(breached.activity_ids.user_id, self.ka_user_off)
        self.assertEqual(done.user_id, self.ka_user, "closed complaints stay with who handled them")
        self.assertEqual(done.key_account_manager_id, self.ka_user)
        self.assertTrue(breached.with_user(self.ka_user_off).read(["name"]))


@tagged("post_install", "-at_install")
class TestComplaintXmlRpc(HttpCase):
    """An RPC client files complaints on accounts of different tiers: deadlines from the
    received time it sends, in the company's working hours."""

    def test_complaints_over_xmlrpc(self):
        calendar = self.env["resource.calendar"].create({"name": "Shanghai", "tz": "Asia/Shanghai"})
        self.env.company.resource_calendar_id = calendar  # default attendances: Mon-Fri 8-12, 13-17
        manager = new_test_user(self.env, "rpc_ka_manager", groups="base.group_user,key_account_mgmt.group_ka_manager")
        tiers = {xmlid: self.env.ref(f"key_account_mgmt.{xmlid}") for xmlid in SEED_SLA}
        accounts = {
            xmlid: self.env["res.partner"].create(
                {
                    "name": f"RPC {xmlid}",
                    "is_company": True,
                    "is_key_account": True,
                    "key_account_tier_id": tier.id,
                }
            )
            for xmlid, tier in tiers.items()
        }

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, manager.id, manager.login, model, method, list(args), kwargs
            )

        received = cst(2026, 3, 2, 9, 0).strftime("%Y-%m-%d %H:%M:%S")
        expected_reply = {
            "tier_strategic": cst(2026, 3, 2, 9, 30),
            "tier_key": cst(2026, 3, 2, 10, 0),
            "tier_normal": cst(2026, 3, 5, 9, 0),
        }
        for xmlid, account in accounts.items():
            ticket_id = call(
                "helpdesk.ticket",
                "create",
                {
                    "name": "Late delivery",
                    "description": "<p>Late</p>",
                    "partner_id": account.id,
                    "date_received": received,
                },
            )
            [ticket] = call("helpdesk.ticket", "read", [ticket_id], ["reply_deadline", "sla_tier_id", "reply_breached"])
            self.assertEqual(ticket["sla_tier_id"][0], tiers[xmlid].id)
            self.assertEqual(ticket["reply_deadline"], expected_reply[xmlid].strftime("%Y-%m-%d %H:%M:%S"))
            self.assertTrue(ticket["reply_breached"])
            self.assertIs(call("helpdesk.ticket", "action_key_account_respond", [ticket_id]), True)
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            call("helpdesk.ticket", "action_key_account_resolve", [ticket_id])
        self.assertIn("Describe the resolution", refused.exception.faultString)


@tagged("post_install", "-at_install")
class TestComplaintChinese(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)

    def test_labels_data_and_messages_in_chinese(self):
        zh = self.env(context={"lang": "zh_CN"})
        labels = zh["helpdesk.ticket"].fields_get(["date_replied", "channel_id", "is_valid_complaint", "stage_id"])
        self.assertEqual(
            [labels[name]["string"] for name in ("date_replied", "channel_id", "is_valid_complaint", "stage_id")],
            ["首次回复", "渠道", "有效投诉", "阶段"],
        )
        # helpdesk_mgmt's stages and channels (i18n_extra) and our categories
        self.assertEqual(zh.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").name, "已处理")
        self.assertEqual(zh.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").name, "电话")
        self.assertEqual(zh.ref("key_account_mgmt.helpdesk_ticket_category_quality").name, "产品质量")
        ticket = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        with self.assertRefused(AccessError, "只有大客户部经理可以认定投诉是否有效"):
            ticket.with_user(self.ka_user).with_context(lang="zh_CN").complaint_validity = "valid"
