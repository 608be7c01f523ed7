"""Complaints and service requests of key accounts (issue #9): per-tier SLA deadlines in working
hours, also over XML-RPC. Breaches and figures: test_complaint_breach.py; rights, handover and
the Chinese texts: test_complaint_rights.py."""

import xmlrpc.client
from datetime import datetime

import pytz

from odoo.exceptions import UserError, ValidationError
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
