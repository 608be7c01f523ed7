"""Rights per group on key-account complaints, their handover to the new account manager, and
their labels, data and messages in Chinese (issue #9)."""

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_complaint import ComplaintCase, cst


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
