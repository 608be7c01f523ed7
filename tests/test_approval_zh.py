"""Approvals in Simplified Chinese (issue #18): what a zh_CN user sees of the layered approval —
the buttons in the form's header, the banner, the list of reviews, the queue, the systray's
reviews menu and the messages — is this addon's, translated, never base_tier_validation's
English (its templates, widget and messages are translated from its own files only)."""

import re

from lxml import etree

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .test_approval_queue import ApprovalQueueCase

CJK = re.compile(r"[\u4e00-\u9fff]")
# what base_tier_validation injects into a form, which ours replaces
BASE_STRINGS = ("Validate", "Request Validation", "Restart Validation", "needs to be", "Operation has been")


@tagged("post_install", "-at_install")
class TestApprovalChinese(ApprovalQueueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["base_tier_validation", "key_account_mgmt"], ["zh_CN"], overwrite=True
        )
        cls.models = cls.env["key.account.approval.mixin"]._approval_model_names()

    def _arch(self, model, view_type, user, view_id=False):
        views = self.env[model].with_user(user).with_context(lang="zh_CN").get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def assertChinese(self, text, what):
        self.assertRegex(text or "", CJK, f"{what}: {text!r} is not in Chinese")

    def _assert_texts_chinese(self, node, what):
        """Every label of ``node`` (text, string, confirm) is Chinese."""
        for element in node.iter():
            for attribute in ("string", "confirm"):
                if element.get(attribute):
                    self.assertChinese(element.get(attribute), f"{what} <{element.tag} {attribute}>")
            if element.text and element.text.strip():
                self.assertChinese(element.text, f"{what} <{element.tag}>")

    def test_forms_show_the_approval_in_chinese(self):
        for model in self.models:
            form = self._arch(model, "form", self.ka_manager)
            (approve,) = form.xpath("/form/header/button[@name='validate_tier']")
            (reject,) = form.xpath("/form/header/button[@name='reject_tier']")
            self.assertEqual((approve.get("string"), reject.get("string")), ("批准", "驳回"), model)
            self.assertChinese(reject.get("confirm"), model)
            (banner,) = form.xpath("/form/div[@role='status'][.//field[@name='next_review']]")
            self._assert_texts_chinese(banner, f"{model} banner")
            (reviews,) = form.xpath("/form/sheet//field[@name='review_ids']")
            self.assertFalse(reviews.get("widget"), "base_tier_validation's English reviews widget")
            self._assert_texts_chinese(reviews.getparent(), f"{model} reviews")
            self.assertFalse(form.xpath("//button[@name='request_validation' or @name='restart_validation']"), model)
            text = etree.tostring(form, encoding="unicode")
            for english in BASE_STRINGS:
                self.assertNotIn(english, text, model)

    def test_the_banner_names_the_level_awaited(self):
        nomination = self._submitted_nomination().with_user(self.ka_manager).with_context(lang="zh_CN")
        self.assertEqual(nomination.next_review, "大客户部经理审批")
        nomination.validate_tier()
        nomination.invalidate_recordset(["next_review"])
        self.assertEqual(nomination.next_review, "营销总监/总经理审批")

    def test_reviews_status_and_labels_in_chinese(self):
        """The labels of tier.review (custom filters and groupings of the queue list them all),
        its statuses, and the approval status of every approval model (i18n_extra/zh_CN.po)."""
        fields = self.env["tier.review"].with_context(lang="zh_CN").fields_get(attributes=["string", "selection"])
        for name, field in fields.items():
            if name != "id":
                self.assertChinese(field["string"], f"tier.review.{name}")
        for value, label in fields["status"]["selection"]:
            self.assertChinese(label, f"status {value}")
        for model in self.models:
            field = self.env[model].with_context(lang="zh_CN").fields_get(["validation_status"])["validation_status"]
            self.assertChinese(field["string"], model)
            for value, label in field["selection"]:
                self.assertChinese(label, f"{model} validation_status {value}")

    def test_queue_in_chinese(self):
        action = self.action.with_context(lang="zh_CN")
        self.assertEqual(action.name, "审批")
        self.assertEqual(
            self.env.ref("key_account_mgmt.key_account_menu_waiting").with_context(lang="zh_CN").name, "待我审批"
        )
        self.assertChinese(action.help, "help")
        for view_type, view in (("list", self.action.view_id), ("search", self.action.search_view_id)):
            arch = self._arch("tier.review", view_type, self.ka_manager, view.id)
            self._assert_texts_chinese(arch, f"queue {view_type}")
        claims = self.env.ref("key_account_mgmt.key_account_visit_expense_action_claims").with_context(lang="zh_CN")
        self.assertChinese(claims.name, "claims")
        self._assert_texts_chinese(self._arch("key.account.visit.expense", "search", self.ka_manager), "claims search")
        self._assert_texts_chinese(self._arch("key.account.visit.expense", "list", self.ka_manager), "claims list")

    def test_systray_names_the_records_in_chinese(self):
        self._submitted_nomination()
        self._submitted_visit()
        groups = self.env["res.users"].with_user(self.ka_manager).with_context(lang="zh_CN").review_user_count()
        self.assertEqual({group["model"] for group in groups}, {"key.account.application", "key.account.visit"})
        for group in groups:
            self.assertChinese(group["name"], group["model"])
            self.assertEqual(group["name"], self.env["ir.model"].with_context(lang="zh_CN")._get(group["model"]).name)
        # the menu's own words come from base_tier_validation's zh_CN.po (web client terms)
        terms = code_translations.get_web_translations("base_tier_validation", "zh_CN")["messages"]
        terms = {term["id"]: term["string"] for term in terms}
        for term in ("No reviews to do.", "Pending", "Reviews"):
            self.assertChinese(terms.get(term), term)

    def test_messages_in_each_reviewers_language(self):
        """The messages notify the reviewers of the level: one message per language they read,
        each notifying only its readers, whatever the writer's language."""
        managers = self.env.ref("key_account_mgmt.group_ka_manager").users
        managers.lang = "en_US"
        self.ka_manager.lang = "zh_CN"
        english = managers - self.ka_manager
        self.assertTrue(english)
        nomination = self._nomination(self.plain_user, self.candidate, expected=3000000.0).with_context(lang="en_US")
        nomination.action_submit()

        submitted = self._messages(nomination)
        self.assertEqual(len(submitted), 2)
        chinese = submitted.filtered(lambda m: "已提交审批" in m.body)
        self.assertEqual(chinese.partner_ids, self.ka_manager.partner_id)
        self.assertEqual(chinese.notification_ids.res_partner_id, self.ka_manager.partner_id)
        self.assertIn("Submitted for approval", (submitted - chinese).body)
        self.assertEqual((submitted - chinese).partner_ids, english.partner_id)

        # the Director's level is requested once the Manager approved: in the Director's language
        self.ka_director.lang = "zh_CN"
        directors = self.env.ref("key_account_mgmt.group_ka_director").users - self.ka_director
        directors.lang = "zh_CN"
        nomination.with_user(self.ka_manager).validate_tier()
        requested = self._messages(nomination) - submitted
        to_director = requested.filtered(lambda m: self.ka_director.partner_id in m.partner_ids)
        self.assertEqual(len(to_director), 1)
        self.assertIn("下一级审批", to_director.body)
        # the Managers who follow the approval read it too, each in their own language
        self.assertIn("next level of approval", (requested - to_director).body)
        self.assertFalse((requested - to_director).partner_ids & self.ka_director.partner_id)

    def _messages(self, record):
        return record.sudo().message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))

    def _bodies(self, record):
        return " ".join(record.sudo().message_ids.mapped("body"))
