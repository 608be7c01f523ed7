"""Upward reporting (抄报, issue #24, seed 000 信息沟通制度 三.3): news and candidates reported by a
branch salesperson reach their own sales head (the leader of their sales team) and the KA
department (the company's KA Managers), each notified once, in their language."""

from odoo.tests import new_test_user, tagged

from .common import KeyAccountCase
from .test_recipient_language import ZH, load_chinese


@tagged("post_install", "-at_install")
class TestUpwardReport(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)
        cls.branch_head = new_test_user(
            cls.env,
            "branch_head",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            name="Branch Head",
        )
        cls.branch_head.lang = ZH
        cls.team = cls.env["crm.team"].create(
            {"name": "Wuhan Branch", "user_id": cls.branch_head.id, "member_ids": [(6, 0, cls.plain_user.ids)]}
        )
        cls.ka_manager.lang = "en_US"
        cls.shop = cls.env["res.partner"].create({"name": "Jianghan Hardware", "is_company": True})

    def _notified(self, record):
        """{partner: number of notifications} of the messages posted on ``record``."""
        messages = self.env["mail.message"].search([("model", "=", record._name), ("res_id", "=", record.id)])
        counts = {}
        for notification in messages.notification_ids:
            counts[notification.res_partner_id] = counts.get(notification.res_partner_id, 0) + 1
        return counts, messages

    def test_news_reaches_the_sales_head_and_the_ka_department_once(self):
        self.assertEqual(self.plain_user.sale_team_id, self.team)
        news = (
            self.env["key.account.news"]
            .with_user(self.plain_user)
            .create({"partner_id": self.account.id, "name": "New purchasing director", "news_type": "personnel"})
        )
        counts, messages = self._notified(news)
        for person in (self.branch_head, self.ka_manager, self.ka_user):
            self.assertEqual(counts.get(person.partner_id), 1, person.login)
        self.assertNotIn(self.plain_user.partner_id, counts, "the reporter is not told what they reported")
        head_message = messages.filtered(lambda m: self.branch_head.partner_id in m.notification_ids.res_partner_id)
        self.assertIn("人员变动", head_message.body, "the branch head reads Chinese")
        self.assertIn(self.branch_head.partner_id, news.sudo().message_partner_ids)

    def test_candidate_reaches_the_sales_head_and_the_ka_department_once(self):
        candidate = (
            self.env["key.account.candidate"]
            .with_user(self.plain_user)
            .create({"partner_id": self.shop.id, "note": "Opens three new shops next year"})
        )
        counts, messages = self._notified(candidate)
        self.assertEqual(counts, {self.branch_head.partner_id: 1, self.ka_manager.partner_id: 1})
        head_message = messages.filtered(lambda m: self.branch_head.partner_id in m.notification_ids.res_partner_id)
        manager_message = messages.filtered(lambda m: self.ka_manager.partner_id in m.notification_ids.res_partner_id)
        self.assertIn("Opens three new shops", head_message.body)
        self.assertNotEqual(head_message, manager_message, "one message per language")
        self.assertIn("proposes", manager_message.body)

    def test_a_sales_head_reporting_is_not_told_twice(self):
        """A leader reporting themselves: the KA department only."""
        candidate = (
            self.env["key.account.candidate"]
            .with_user(self.branch_head)
            .create({"partner_id": self.shop.id, "note": "Big tender"})
        )
        counts, _messages = self._notified(candidate)
        self.assertEqual(counts, {self.ka_manager.partner_id: 1})
