"""Bad input is answered with a translated UserError/ValidationError and changes nothing
(issue #16, class 7): the known examples, one by one. The RPC fuzz test (test_rpc_fuzz.py)
covers the rest by introspection."""

import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import KeyAccountCase, KeyAccountDataMixin

NAN, INF = float("nan"), float("inf")


@tagged("post_install", "-at_install")
class TestBadInput(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls._archive(cls.account, registered_capital=1000.0)
        cls.Partner = cls.env["res.partner"]

    def _state_logs(self):
        return self.env["key.account.state.log"].search_count([("partner_id", "=", self.account.id)])

    # ------------------------------------------------------------------ score search
    def test_value_check_reads_a_generator_once(self):
        """The value check sits on every model (models/base.py): records created from a
        generator, as core code and core tests do, are all created."""
        tags = self.env["res.partner.category"].create({"name": f"Generated {i}"} for i in range(3))
        self.assertEqual(tags.mapped("name"), ["Generated 0", "Generated 1", "Generated 2"])
        news = (
            self.env["key.account.news"]
            .with_user(self.ka_user)
            .create({"partner_id": self.account.id, "name": f"News {i}"} for i in range(2))
        )
        self.assertEqual(len(news), 2)

    def test_score_search_odd_operators_and_values(self):
        partners = self.Partner.with_user(self.ka_user)
        for domain in (
            [("key_account_score", "like", "5")],
            [("key_account_grade", "ilike", "a")],
        ):
            with self.assertRefused(UserError, "cannot be searched with"):
                partners.search(domain)
        for domain in (
            [("key_account_score", "<", "abc")],
            [("key_account_score", ">", NAN)],
            [("key_account_score", "<=", None)],
            [("key_account_grade", "=", "z")],
            [("key_account_grade", "in", [1])],
        ):
            with self.assertRefused(UserError, "is not a score or grade to search for"):
                partners.search(domain)
        # the core may turn these into "in" lists: answered or refused, never an error
        for domain in ([("key_account_score", "=", [1, 2])], [("key_account_score", "in", 5)]):
            try:
                partners.search(domain)
            except UserError:
                pass
        # what the UI sends still works: never scored (None as False), bands, grades
        self.assertIn(self.account, partners.search([("key_account_score", "=", None), ("id", "=", self.account.id)]))
        self.assertFalse(partners.search([("key_account_score", ">=", 50), ("id", "=", self.account.id)]))
        self.assertFalse(partners.search([("key_account_grade", "in", ["a", "b"]), ("id", "=", self.account.id)]))

    # ------------------------------------------------------------------ text arguments
    def test_reason_must_be_text(self):
        account = self.account.with_user(self.ka_user)
        before = self._state_logs()
        for reason in (["a list"], 42, {"x": 1}, NAN):
            with self.assertRefused(ValidationError, "must be text"):
                account.action_set_cooperation_state("good", reason)
        with self.assertRefused(ValidationError, "Unknown cooperation state"):
            account.action_set_cooperation_state(["good"], "Contract won")
        self.assertEqual(self._state_logs(), before, "bad input changes nothing")
        self.assertTrue(account.action_set_cooperation_state("good", "  Contract won  "))
        self.assertEqual(self._state_logs(), before + 1)
        manager_account = self.account.with_user(self.ka_manager)
        with self.assertRefused(ValidationError, "must be text"):
            manager_account.action_close_escalation(["done"])
        with self.assertRefused(ValidationError, "must be text"):
            manager_account.action_suspend_credit({"why": "overdue"})
        with self.assertRefused(ValidationError, "must be text"):
            manager_account.action_lose_key_account("price", 12345)

    def test_unknown_loss_reason_type(self):
        manager_account = self.account.with_user(self.ka_manager)
        for reason_type in ("meteor", ["price"], 7):
            with self.assertRefused(ValidationError, "Unknown main reason of a loss"):
                manager_account.action_lose_key_account(reason_type, "Cheaper rival")
        self.assertTrue(self.account.is_key_account, "bad input changes nothing")
        self.assertFalse(self.env["key.account.loss"].search([("partner_id", "=", self.account.id)]))

    def test_credit_wizard_reason(self):
        wizard = (
            self.env["key.account.credit.wizard"]
            .with_user(self.ka_manager)
            .create(
                {
                    "partner_ids": [(6, 0, self.account.ids)],
                    "action": "suspend",
                    "reason": "   ",
                }
            )
        )
        with self.assertRefused(ValidationError, "Give the reason of the credit decision"):
            wizard.action_confirm()

    # ------------------------------------------------------------------ report dates
    def test_report_generate_refuses_bad_dates(self):
        reports = self.env["key.account.report"].with_user(self.ka_manager)
        for period in ("2026-13-45", 12345, None, False, "1900-01-01x", ["2026-01-01"]):
            with self.assertRefused(ValidationError, "is not a date"):
                reports.generate(period)
        for period in ("1900-01-01", "1969-12-31"):
            with self.assertRefused(ValidationError, "is out of range"):
                reports.generate(period)
        with self.assertRefused(UserError, "is not a company"):
            reports.generate(fields.Date.today().isoformat(), "abc")
        self.assertFalse(reports.sudo().search([("period_date", "<", "1970-01-01")]), "no report for 1900")
        report = reports.generate(fields.Date.today().replace(day=1).isoformat())
        self.assertEqual(report.period_date, fields.Date.today().replace(day=1))

    # ------------------------------------------------------------------ NaN and infinity
    def test_nan_and_infinity_refused_in_every_float_field(self):
        """One mechanism for every float/monetary field of the addon: a sample of them here,
        the fuzz test covers all (by introspection)."""
        before = self.archive.registered_capital
        for value in (NAN, INF, -INF, 2**70, "abc", [1]):
            with self.assertRefused(ValidationError, "is not a valid value"):
                self.archive.with_user(self.ka_user).write({"registered_capital": value})
        self.assertEqual(self.archive.registered_capital, before)
        for name in ("min_sales_share", "sla_reply_hours", "policy_max_discount"):
            with self.assertRefused(ValidationError, "is not a valid value"):
                self.env["key.account.tier"].with_user(self.ka_manager).create({"name": "Bad", name: NAN})
        with self.assertRefused(ValidationError, "is not a valid value"):
            self._nomination(self.ka_user, self.account, expected=INF)
        with self.assertRefused(ValidationError, "is not a valid value"):
            self.account.with_user(self.ka_manager).write({"key_account_tier_id": 2**70})

    def test_nan_message_in_chinese(self):
        """The refusal is translated: in Chinese when the translation of the message is loaded
        (the lead merges tools/zh_CN_*.py into zh_CN.po), else in English."""
        import polib

        from odoo.tools.misc import file_path

        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)
        msgid = "%(field)s: %(value)s is not a valid value."
        po = polib.pofile(file_path("key_account_mgmt/i18n/zh_CN.po"))
        loaded = any(entry.msgid == msgid and entry.msgstr for entry in po)
        expected = "不是有效的值" if loaded else "is not a valid value"
        with self.assertRefused(ValidationError, expected):
            self.archive.with_user(self.ka_user).with_context(lang="zh_CN").write({"registered_capital": NAN})

    # ------------------------------------------------------------------ grants
    def test_grant_expiry_empty_or_invalid(self):
        grant = (
            self.env["key.account.archive.grant"]
            .with_user(self.ka_user_off)
            .create(
                {
                    "archive_id": self.archive.id,
                    "reason": "Joint offer",
                    "date_expiry": fields.Date.today() + timedelta(days=3),
                }
            )
        )
        valid_until = grant.valid_until
        self.assertTrue(valid_until)
        grant = grant.with_user(self.ka_manager)
        with self.assertRefused(ValidationError, "is not a date"):
            grant.write({"date_expiry": False})
        for expiry in ("2026-13-45", "soon", 12345, "2026-01-01x"):
            with self.assertRefused(ValidationError, "is not a valid value"):
                grant.write({"date_expiry": expiry})
        with self.assertRefused(ValidationError, "is out of range"):
            grant.write({"date_expiry": "9999-12-31"})
        with self.assertRefused(ValidationError, "is not a valid value"):
            self.env["key.account.archive.grant"].with_user(self.ka_user_off).create(
                {
                    "archive_id": self.archive.id,
                    "reason": "Joint offer",
                    "date_expiry": "2026-02-30",
                }
            )
        self.assertEqual(grant.valid_until, valid_until, "bad input changes nothing")

    # ------------------------------------------------------------------ context time zone
    def test_kpis_with_unknown_time_zone(self):
        Kpi = self.env["key.account.kpi"].with_user(self.ka_manager)
        expected = Kpi.search_count([])
        for zone in ("Mars/Olympus_Mons", "'; DROP TABLE res_partner; --", 42):
            self.assertEqual(Kpi.with_context(tz=zone).search_count([]), expected)
            Kpi.with_context(tz=zone).read_group([], ["sales_actual:sum"], ["month"])

    # ------------------------------------------------------------------ one record only
    def test_single_record_actions_on_several_or_none(self):
        two = (self.account | self.other_account).with_user(self.ka_manager)
        for records in (two, self.Partner.with_user(self.ka_manager)):
            with self.assertRefused(UserError, "exactly one"):
                records.action_open_key_account_archive()
            with self.assertRefused(UserError, "exactly one"):
                records.action_open_score_history()
        with self.assertRefused(UserError, "exactly one"):
            self.env["key.account.archive"].with_user(self.ka_manager).action_open_invoices()


@tagged("post_install", "-at_install")
class TestArchiveListOverRpc(KeyAccountDataMixin, KeyAccountCase, HttpCase):
    """The archive list (web_search_read, search_read) over RPC: as every role, with a domain
    that filters, and reads by a grant holder off the team are registered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls._archive(cls.account, legal_representative="Zhang Wei")
        cls.other_archive = cls._archive(cls.other_account, legal_representative="Li Na")
        grant = (
            cls.env["key.account.archive.grant"]
            .with_user(cls.ka_user_off)
            .create(
                {
                    "archive_id": cls.archive.id,
                    "reason": "Joint offer",
                    "date_expiry": fields.Date.today() + timedelta(days=3),
                }
            )
        )
        grant.with_user(cls.ka_manager).action_grant()

    def _call(self, user, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, "key.account.archive", method, list(args), kwargs
        )

    def test_archive_list_for_every_role(self):
        spec = {"partner_id": {"fields": {"display_name": {}}}, "legal_representative": {}, "completeness": {}}
        visible = {
            self.ka_user: {self.archive.id},
            self.ka_user_off: {self.archive.id, self.other_archive.id},  # own account + granted one
            self.ka_clerk: {self.archive.id, self.other_archive.id},
            self.ka_manager: {self.archive.id, self.other_archive.id},
            self.ka_director: {self.archive.id, self.other_archive.id},
        }
        for user, expected in visible.items():
            result = self._call(
                user, "web_search_read", [("partner_id", "in", [self.account.id, self.other_account.id])], spec
            )
            self.assertEqual({row["id"] for row in result["records"]}, expected, user.login)
            rows = self._call(user, "search_read", [("id", "=", self.archive.id)], fields=["legal_representative"])
            self.assertEqual([row["id"] for row in rows], [self.archive.id], f"{user.login}: the domain filters")
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self._call(self.plain_user, "web_search_read", [], spec)
        self.assertEqual(refused.exception.faultCode, 4)
        register = self.env["key.account.archive.access.log"].search([("archive_id", "=", self.archive.id)])
        self.assertIn(self.ka_user_off, register.user_id, "the grant holder's read is registered")
        self.assertTrue(register.filtered(lambda row: row.user_id == self.ka_user_off).grant_id)
        self.assertNotIn(self.ka_user, register.user_id, "the team's reads are not")
