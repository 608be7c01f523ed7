"""What the server writes for people, in the language of whoever reads it (issue #18): the
credit warning, the SLA breach, the policy filing note, the archive's missing items, what moved
in a handover, the monthly report and the annual list (XLSX) come out in Chinese for a reader
whose language is Simplified Chinese and in English for one who reads English. The rule is in
key_account_mgmt/tools.py ("texts for people")."""

import base64
import io
from datetime import date

import openpyxl

from odoo import fields
from odoo.tests import new_test_user, tagged

from .test_archive import ArchiveCase
from .test_complaint import ComplaintCase, cst
from .test_credit import CreditCase
from .test_handover_loss import HandoverCase
from .test_monthly_report import OCTOBER, ReportCase
from .test_policy import PolicyCase
from .test_scoring import ScoringFixture

ZH = "zh_CN"


def load_chinese(case):
    """Simplified Chinese installed with the addon's terms, as tests/test_i18n.py does."""
    case.env["res.lang"]._activate_lang(ZH)
    case.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], [ZH], overwrite=True)


def migration():
    """migrations/18.0.1.8.0/post-recipient_language.py"""
    import importlib.util
    from pathlib import Path

    import odoo.addons.key_account_mgmt as module

    path = Path(module.__file__).parent / "migrations" / "18.0.1.8.0" / "post-recipient_language.py"
    spec = importlib.util.spec_from_file_location("kam_post_recipient_language", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(content)))


@tagged("post_install", "-at_install")
class TestCreditWarningLanguage(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)
        cls.ka_user.lang = ZH  # manages cls.account; ka_user_off (English) manages cls.other_account

    def _warning(self, partner):
        return self.env["key.account.credit.log"].search([("partner_id", "=", partner.id), ("action", "=", "warning")])

    def test_activity_in_the_managers_language_and_the_reason_in_the_readers(self):
        self._invoice(self.account, 1000.0, due_in=-45)
        self._invoice(self.other_account, 1000.0, due_in=-45)
        self._watch()
        chinese, english = self._activities(self.account), self._activities(self.other_account)
        self.assertEqual((chinese.user_id, english.user_id), (self.ka_user, self.ka_user_off))
        self.assertEqual(chinese.summary, f"欠款预警：{self.account.display_name}")
        self.assertIn("已逾期 45 天", chinese.note)
        self.assertEqual(english.summary, f"Credit warning: {self.other_account.display_name}")
        self.assertIn("overdue for 45 days", english.note)
        # the partner's warning and the history's reason: each reader in their language
        for record, field in (
            (self.account, "key_account_credit_flag_reason"),
            (self._warning(self.account), "reason"),
        ):
            self.assertIn("已逾期 45 天", record.with_user(self.ka_user).with_context(lang=ZH)[field])
            self.assertIn("overdue for 45 days", record.with_user(self.ka_manager).with_context(lang="en_US")[field])
        # paid: the Chinese manager's activity is closed in Chinese
        self._pay(self.account.invoice_ids, 1000.0)
        self._watch()
        self.assertFalse(chinese.exists())
        done = self._warning(self.account).message_ids.filtered(lambda m: "应收账款已恢复正常" in (m.body or ""))
        self.assertTrue(done)

    def test_a_suspension_keeps_the_managers_words(self):
        self.account.with_user(self.ka_manager).action_suspend_credit("未按期结算")
        log = self.account.key_account_credit_log_ids
        self.assertEqual(log.with_context(lang="en_US").reason, "未按期结算")
        self.assertEqual(log.with_context(lang=ZH).reason, "未按期结算")


@tagged("post_install", "-at_install")
class TestTextsWrittenBefore(CreditCase):
    """The migration keeps what 18.0.1.7.0 stored as text (in columns the ORM no longer uses)."""

    def test_old_texts_are_kept_as_written(self):
        self.account.with_user(self.ka_manager).action_suspend_credit("Unpaid for 70 days")
        decision = self.account.key_account_credit_log_ids
        handover = (
            self.env["key.account.handover.log"]
            .sudo()
            .create({"partner_id": self.account.id, "from_user_id": self.ka_user.id, "to_user_id": self.ka_user_off.id})
        )
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("ALTER TABLE key_account_credit_log ADD COLUMN reason text")
        cr.execute(
            "UPDATE key_account_credit_log SET reason = reason_text, reason_text = NULL WHERE id = %s", [decision.id]
        )
        cr.execute("ALTER TABLE res_partner ADD COLUMN key_account_credit_flag_reason varchar")
        cr.execute(
            "UPDATE res_partner SET key_account_credit_flag_reason = %s, key_account_credit_flag = true WHERE id = %s",
            ["1,000.00 overdue for 75 days", self.account.id],
        )
        cr.execute("ALTER TABLE key_account_handover_log ADD COLUMN items text")
        cr.execute("UPDATE key_account_handover_log SET items = %s WHERE id = %s", ["客户经理", handover.id])
        self.env.invalidate_all()
        self.assertFalse(decision.reason)
        for _run in range(2):  # idempotent
            migration().migrate(cr, "18.0.1.7.0")
            self.env.invalidate_all()
            self.assertEqual(decision.reason, "Unpaid for 70 days")
            self.assertEqual(self.account.key_account_credit_flag_reason, "1,000.00 overdue for 75 days")
            self.assertEqual(handover.with_context(lang="en_US").items, "客户经理")


@tagged("post_install", "-at_install")
class TestSlaBreachLanguage(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)
        cls.ka_user.lang = ZH

    def _breach_activity(self, ticket):
        breach = self.env.ref("key_account_mgmt.mail_activity_type_sla_breach")
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == breach)

    def test_activity_in_the_handlers_language_and_the_note_in_each_readers(self):
        chinese = self._ticket(self.account, cst(2026, 3, 2, 9, 0), user=self.ka_user)
        english = self._ticket(self.other_account, cst(2026, 3, 2, 9, 0), user=self.ka_user_off)
        self.assertTrue(self._breach_activity(chinese).summary.startswith("服务超时：回复（截止 2026-03-0"))
        self.assertTrue(self._breach_activity(english).summary.startswith("SLA breached: reply (due 2026-03-0"))
        # one note per language among those told: the Chinese handler reads the Chinese one
        notes = chinese.message_ids.filtered(lambda m: "服务超时" in (m.body or "") or "SLA breached" in (m.body or ""))
        zh_note = notes.filtered(lambda m: "服务超时" in m.body)
        en_note = notes - zh_note
        self.assertEqual(len(zh_note), 1)
        self.assertEqual(len(en_note), 1)
        self.assertIn(self.ka_user.partner_id, zh_note.notified_partner_ids)
        self.assertNotIn(self.ka_user.partner_id, en_note.notified_partner_ids)
        self.assertIn(self.ka_manager.partner_id, en_note.notified_partner_ids)
        self.assertIn("SLA breached for", en_note.body)


@tagged("post_install", "-at_install")
class TestPolicyFilingLanguage(PolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)
        cls.ka_director.lang = ZH
        cls.english_director = new_test_user(
            cls.env,
            "ka_director_en",
            groups="base.group_user,key_account_mgmt.group_ka_director",
            name="KA Director English",
        )

    def test_each_director_reads_the_filing_in_their_language(self):
        policy = self._submitted(value=10.0)
        self._approve(policy, self.ka_manager)
        self.assertEqual(policy.state, "approved")
        # the filing (the approval's own messages reach them too, each in their language)
        filings = policy.message_ids.filtered(lambda m: "备案" in m.body)
        chinese = filings.filtered(lambda m: self.ka_director.partner_id in m.partner_ids)
        english = filings.filtered(lambda m: self.english_director.partner_id in m.partner_ids)
        self.assertEqual(len(chinese), 1)
        self.assertEqual(len(english), 1)
        self.assertIn("已向总经理备案", chinese.body)
        self.assertNotIn(self.english_director.partner_id, chinese.partner_ids)
        self.assertIn("filed with the Director", english.body)

    def test_the_pricelist_is_named_in_each_language(self):
        policy = self._submitted(value=10.0)
        self._approve(policy, self.ka_manager)
        pricelist = policy.sudo().pricelist_item_id.pricelist_id
        self.assertEqual(pricelist.with_context(lang=ZH).name, f"大客户 {self.account.display_name}")
        self.assertEqual(pricelist.with_context(lang="en_US").name, f"Key Account {self.account.display_name}")


@tagged("post_install", "-at_install")
class TestArchiveMissingLanguage(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)

    def test_missing_items_in_the_readers_language(self):
        archive = self._archive(self._key_account("Empty Archive Ltd"))
        self.assertIn("法定代表人", archive.with_user(self.ka_clerk).with_context(lang=ZH).missing_items)
        self.assertIn("Legal representative", archive.with_user(self.ka_clerk).with_context(lang="en_US").missing_items)
        archive.with_user(self.ka_clerk).write({"legal_representative": "Chen Jie"})
        self.assertNotIn("法定代表人", archive.with_context(lang=ZH).missing_items)


@tagged("post_install", "-at_install")
class TestHandoverLanguage(HandoverCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)

    def test_what_moved_in_the_readers_language(self):
        self._wizard().action_handover()
        row = self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])
        self.assertIn("客户经理", row.with_context(lang=ZH).items)
        self.assertIn("account manager", row.with_context(lang="en_US").items)
        self.assertIn("Call the chairman", row.with_context(lang=ZH).items)


@tagged("post_install", "-at_install")
class TestMonthlyReportLanguage(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)
        cls.ka_manager.lang = ZH  # the director and the administrator read English

    def test_file_and_mail_in_each_readers_language(self):
        report = self.Report.with_user(self.ka_director).generate(OCTOBER)
        self.assertEqual(report.lang, "en_US", "most recipients read English")
        chinese = workbook(report.with_user(self.ka_manager).with_context(lang=ZH).file)
        english = workbook(report.with_user(self.ka_director).with_context(lang="en_US").file)
        self.assertEqual(chinese.sheetnames, ["汇总", "大客户"])
        self.assertEqual(english.sheetnames, ["Summary", "Key Accounts"])
        self.assertEqual(chinese["汇总"]["A1"].value, f"大客户信息月报 2026-10 {self.company.name}")
        self.assertEqual(english["Summary"]["A1"].value, f"Key Account Report 2026-10 {self.company.name}")
        zh_sheet = list(chinese["大客户"].iter_rows(values_only=True))
        en_sheet = list(english["Key Accounts"].iter_rows(values_only=True))
        self.assertIn("本月销售额", zh_sheet[0])
        self.assertIn("Revenue of the Month", en_sheet[0])
        code = self.account.key_account_code
        zh_row = next(row for row in zh_sheet if row[0] == code)
        en_row = next(row for row in en_sheet if row[0] == code)
        self.assertIn("合作良好", zh_row)
        self.assertNotIn("合作良好", en_row)
        self.assertEqual(zh_row[9], en_row[9], "the same figures")
        self.assertEqual(report.with_context(lang=ZH).name, f"大客户信息月报 2026-10 {self.company.name}")
        # each recipient gets the mail and the file in their language
        report._send()
        mails = self.env["mail.mail"].search([("model", "=", "key.account.report"), ("res_id", "=", report.id)])
        zh_mail = mails.filtered(lambda m: self.ka_manager.partner_id in m.recipient_ids)
        en_mail = mails.filtered(lambda m: self.ka_director.partner_id in m.recipient_ids)
        self.assertEqual(len(mails), 2)
        self.assertEqual(zh_mail.subject, f"大客户信息月报 2026-10 {self.company.name}")
        self.assertEqual(en_mail.subject, f"Key Account Report 2026-10 {self.company.name}")
        self.assertNotIn(self.ka_director.partner_id, zh_mail.recipient_ids)
        self.assertEqual(workbook(zh_mail.attachment_ids.datas).sheetnames, ["汇总", "大客户"])
        self.assertEqual(workbook(en_mail.attachment_ids.datas).sheetnames, ["Summary", "Key Accounts"])

    def test_reports_generated_before_get_their_kpi_figures(self):
        report = self.Report.with_user(self.ka_director).generate(OCTOBER)
        figures = report.kpi_figures
        self.assertTrue(figures)
        self.env.flush_all()
        self.env.cr.execute("UPDATE key_account_report SET kpi_figures = NULL WHERE id = %s", [report.id])
        self.env.invalidate_all()
        migration().migrate(self.env.cr, "18.0.1.7.0")
        self.env.invalidate_all()
        self.assertEqual(report.kpi_figures, figures)


@tagged("post_install", "-at_install")
class TestAnnualListLanguage(ScoringFixture):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls)
        cls.ka_director.lang = ZH
        # Hengtai graded C for three years already: an elimination candidate
        for period in (date(2023, 6, 1), date(2024, 6, 1), date(2025, 6, 1)):
            cls.env["key.account.score"].create(
                {
                    "partner_id": cls.account.id,
                    "scorecard_id": cls.scorecard.id,
                    "period_date": period,
                    "date_computed": fields.Datetime.now(),
                    "score": 20,
                    "grade": "c",
                }
            )
        cls.review = (
            cls.env["key.account.review"]
            .with_user(cls.ka_manager)
            .create({"year": 2026, "date": date(2026, 6, 25), "scorecard_id": cls.scorecard.id})
        )

    def test_list_and_reasons_in_the_readers_language(self):
        self.review.with_user(self.ka_manager).action_propose()
        line = self.review.line_ids.filtered(lambda line: line.partner_id == self.hq)
        self.assertTrue(line.with_context(lang=ZH).reason.startswith("评分 80.00（"))
        self.assertTrue(line.with_context(lang="en_US").reason.startswith("Score 80.00 (grade"))
        self.review.with_user(self.ka_manager).action_submit()
        self.review.with_user(self.ka_manager).validate_tier()
        self.review.with_user(self.ka_director).validate_tier()
        self.assertEqual(self.review.state, "approved")
        chinese = workbook(self.review.with_user(self.ka_director).with_context(lang=ZH).list_file).active
        english = workbook(self.review.with_user(self.ka_manager).with_context(lang="en_US").list_file).active
        self.assertEqual(chinese.title, "年度重要客户一览表")
        self.assertEqual(english.title, "Annual Key Account List")
        self.assertEqual((chinese["A3"].value, chinese["O3"].value), ("序号", "淘汰候选"))
        self.assertEqual((english["A3"].value, english["O3"].value), ("No.", "Elimination Candidate"))
        zh_rows = {row[2]: row for row in chinese.iter_rows(min_row=4, values_only=True)}
        en_rows = {row[2]: row for row in english.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(zh_rows["Hengtai Construction Group"][14], "是")
        self.assertEqual(en_rows["Hengtai Construction Group"][14], "Yes")
        self.assertTrue(zh_rows["Test Group HQ"][10].startswith("评分"))
        self.assertTrue(en_rows["Test Group HQ"][10].startswith("Score"))
        self.assertEqual(en_rows["Test Group HQ"][9], "Upgrade")
        self.assertNotEqual(zh_rows["Test Group HQ"][9], "Upgrade")
