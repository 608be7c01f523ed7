"""Credit watch (seed 003 第十四条 欠款监控预警): receivables from posted invoices and their
payments, the flag with one activity, the credit suspension on quotations, the shipment and
collection view (客户出货回款信息表), rights per group."""

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin


class CreditCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company.key_account_credit_overdue_days = 30
        cls.activity_type = cls.env.ref("key_account_mgmt.mail_activity_type_credit_watch")

    @classmethod
    def _days(cls, days):
        return fields.Date.add(cls.today, days=days)

    @classmethod
    def _invoice(cls, partner, amount, due_in, invoice_date=None, move_type="out_invoice"):
        """A posted invoice of ``amount`` (no tax) due ``due_in`` days from today."""
        cls._ensure_chart_of_accounts()
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date or cls._days(min(due_in, 0) - 30),
                "invoice_date_due": cls._days(due_in),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Steel beam H300",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, move, amount, date=None):
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {
                "amount": amount,
                "payment_date": date or cls.today,
            }
        )._create_payments()

    def _activities(self, partner):
        # on the warning rows of the credit history, not on the partner (issue #16)
        warnings = self.env["key.account.credit.log"].search(
            [("partner_id", "=", partner.id), ("action", "=", "warning")]
        )
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "key.account.credit.log"),
                ("res_id", "in", warnings.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _watch(self):
        self.env["key.account.credit"]._cron_credit_watch()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestReceivableSummary(CreditCase):
    def test_invoiced_paid_open_and_overdue(self):
        old = self._invoice(self.account, 1000.0, due_in=-45)
        self._pay(old, 400.0, date=self._days(-10))
        self._invoice(self.account, 500.0, due_in=15)
        self._invoice(self.account, 200.0, due_in=-5)
        refund = self._invoice(self.account, 100.0, due_in=0, move_type="out_refund")
        self.assertEqual(refund.amount_residual, 100.0)
        summary = self.env["key.account.metrics"]._receivable_summary([self.account.id])[self.account.id]
        self.assertAlmostEqual(summary["invoiced"], 1600.0)
        self.assertAlmostEqual(summary["paid"], 400.0)
        self.assertAlmostEqual(summary["residual"], 1200.0)
        self.assertAlmostEqual(summary["overdue"], 800.0)
        self.assertEqual(summary["overdue_days"], 45)

        # as of 20 days ago: the payment had not come, the invoice of 5 days ago was not due yet
        before = self.env["key.account.metrics"]._receivable_summary([self.account.id], date=self._days(-20))[
            self.account.id
        ]
        self.assertAlmostEqual(before["paid"], 0.0)
        self.assertAlmostEqual(before["residual"], 1600.0)
        self.assertAlmostEqual(before["overdue"], 1000.0)
        self.assertEqual(before["overdue_days"], 25)

        # paid in full: nothing open, nothing overdue
        self._pay(old, 600.0)
        after = self.env["key.account.metrics"]._receivable_summary([self.account.id])[self.account.id]
        self.assertAlmostEqual(after["residual"], 600.0)
        self.assertAlmostEqual(after["overdue"], 200.0)
        self.assertEqual(after["overdue_days"], 5)
        self.assertEqual(self.account.with_user(self.ka_user).key_account_overdue_amount, 200.0)
        self.assertEqual(self.account.with_user(self.ka_user).key_account_overdue_days, 5)

    def test_branches_consolidate_into_their_headquarters(self):
        branch = self._key_account(
            "Hengtai Shenzhen Branch", key_account_headquarters_id=self.account.id, key_account_group_relation="branch"
        )
        self._invoice(self.account, 300.0, due_in=-40)
        self._invoice(branch, 700.0, due_in=-60)
        metrics = self.env["key.account.metrics"]
        group = metrics._receivable_summary([self.account.id], consolidate=True)[self.account.id]
        self.assertAlmostEqual(group["overdue"], 1000.0)
        self.assertEqual(group["overdue_days"], 60)
        own = metrics._receivable_summary([self.account.id, branch.id])
        self.assertAlmostEqual(own[self.account.id]["overdue"], 300.0)
        self.assertAlmostEqual(own[branch.id]["overdue"], 700.0)
        self.assertEqual(self.account.key_account_overdue_amount, 1000.0)
        self.assertEqual(branch.key_account_overdue_amount, 700.0)
        self.assertFalse(metrics._receivable_summary([]))

    def test_other_companies_are_left_out(self):
        self._invoice(self.account, 300.0, due_in=-40)
        summary = (
            self.env["key.account.metrics"]
            .with_company(self.company_b)
            .with_context(allowed_company_ids=self.company_b.ids)
            ._receivable_summary([self.account.id])
        )
        self.assertFalse(summary)


@tagged("post_install", "-at_install")
class TestCreditWatch(CreditCase):
    def test_overdue_past_the_allowed_days_flags_once(self):
        late = self._invoice(self.account, 1000.0, due_in=-45)
        self._pay(late, 300.0)
        self._invoice(self.other_account, 800.0, due_in=-20)  # overdue, but within 30 days
        self._watch()
        self.assertTrue(self.account.key_account_credit_flag)
        self.assertEqual(self.account.key_account_credit_flag_date, self.today)
        self.assertIn("45 days", self.account.key_account_credit_flag_reason)
        self.assertFalse(self.other_account.key_account_credit_flag)
        activity = self._activities(self.account)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.ka_user)
        self.assertFalse(self._activities(self.other_account))

        # later runs: still one flag, still one activity
        self._watch()
        self._watch()
        self.assertTrue(self.account.key_account_credit_flag)
        self.assertEqual(self._activities(self.account), activity)

        # the company allows less: the other account is flagged too
        self.company.key_account_credit_overdue_days = 15
        self._watch()
        self.assertTrue(self.other_account.key_account_credit_flag)
        self.assertEqual(len(self._activities(self.other_account)), 1)

        # paid: the flag clears, the activity is done
        self._pay(late, 700.0)
        self._watch()
        self.assertFalse(self.account.key_account_credit_flag)
        self.assertFalse(self.account.key_account_credit_flag_reason)
        self.assertFalse(activity.exists())
        warning = self.env["key.account.credit.log"].search(
            [("partner_id", "=", self.account.id), ("action", "=", "warning")]
        )
        self.assertTrue(warning.message_ids.filtered(lambda m: "Receivables back within terms" in (m.body or "")))
        self.assertFalse(self.account.message_ids.filtered(lambda m: "Receivables back within terms" in (m.body or "")))

    def test_over_the_credit_limit_of_the_archive(self):
        self._archive(self.account, credit_rating="b", credit_limit=1500.0)
        self._invoice(self.account, 1000.0, due_in=10)
        self._watch()
        self.assertFalse(self.account.key_account_credit_flag)
        self._invoice(self.account, 600.0, due_in=20)
        self._watch()
        self.assertTrue(self.account.key_account_credit_flag)
        self.assertIn("credit limit", self.account.key_account_credit_flag_reason)
        self.assertEqual(len(self._activities(self.account)), 1)

    def test_the_watch_is_batched_and_each_run_starts_a_new_pass(self):
        accounts = self.account | self.other_account | self._key_account("Jinding Steel", manager=self.ka_user)
        for account in accounts:
            self._invoice(account, 100.0, due_in=-50)
        key_accounts = self.env["res.partner"].search_count([("is_key_account", "=", True)])
        Partner = self.env["res.partner"]
        runs = 0
        while True:
            self.env["key.account.credit"]._cron_credit_watch(batch_size=2)
            runs += 1
            if not Partner.search_count(
                [
                    ("is_key_account", "=", True),
                    (
                        "key_account_credit_watch_pass",
                        "<",
                        int(self.env["ir.config_parameter"].get_param("key_account_mgmt.credit_watch_pass")),
                    ),
                ]
            ):
                break
        self.assertEqual(runs, -(-key_accounts // 2))
        self.assertTrue(all(accounts.mapped("key_account_credit_flag")))
        # the next run begins a new pass and sees a new invoice at once
        extra = self._key_account("Late Payer Ltd", manager=self.ka_user)
        self._invoice(extra, 50.0, due_in=-31)
        self.env["key.account.credit"]._cron_credit_watch(batch_size=100000)
        self.assertTrue(extra.key_account_credit_flag)
        self.assertEqual(len(self._activities(extra)), 1)

    def test_who_runs_the_watch_and_reads_the_flag(self):
        self._invoice(self.account, 1000.0, due_in=-45)
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Only a Key Account Manager may run the credit watch"):
                self.account.with_user(user).action_check_credit()
        self.assertFalse(self.account.key_account_credit_flag)
        self.assertIs(self.account.with_user(self.ka_manager).action_check_credit(), True)
        self.assertTrue(self.account.key_account_credit_flag)
        self.assertTrue(self.account.with_user(self.ka_user_off).key_account_credit_flag)
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_credit_flag"])
        for user in (self.ka_user, self.ka_manager):
            with self.assertRefused(AccessError, "set by the credit watch"):
                self.account.with_user(user).write({"key_account_credit_flag": False})
        self.assertTrue(self.account.key_account_credit_flag)

    def test_overdue_days_setting_is_validated(self):
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.company.key_account_credit_overdue_days = -1
        settings = self.env["res.config.settings"].create({"key_account_credit_overdue_days": 45})
        settings.execute()
        self.assertEqual(self.company.key_account_credit_overdue_days, 45)


@tagged("post_install", "-at_install")
class TestCreditSuspension(CreditCase):
    def test_the_manager_suspends_and_the_quotation_shows_it(self):
        self._invoice(self.account, 1000.0, due_in=-70)
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Only a Key Account Manager may suspend"):
                self.account.with_user(user).action_suspend_credit("Unpaid for 70 days")
        with self.assertRefused(ValidationError, "Give the reason"):
            self.account.with_user(self.ka_manager).action_suspend_credit("  ")
        self.assertFalse(self.account.key_account_credit_suspended)
        self.assertFalse(self.env["key.account.credit.log"].search([("partner_id", "=", self.account.id)]))

        self.assertIs(self.account.with_user(self.ka_manager).action_suspend_credit("Unpaid for 70 days"), True)
        self.assertTrue(self.account.key_account_credit_suspended)
        log = self.env["key.account.credit.log"].search([("partner_id", "=", self.account.id)])
        self.assertEqual((log.action, log.reason, log.user_id), ("suspend", "Unpaid for 70 days", self.ka_manager))
        self.assertEqual(log.overdue_amount, 1000.0)
        with self.assertRefused(ValidationError, "already suspended"):
            self.account.with_user(self.ka_manager).action_suspend_credit("Again")

        # any salesperson's quotation of the customer, or of one of its contacts, shows it
        for partner in (self.account, self.contact):
            order = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": partner.id})
            self.assertIn("Credit suspended", order.key_account_credit_warning)
            self.assertIn("Unpaid for 70 days", order.key_account_credit_warning)
            self.assertIn(self.ka_manager.name, order.key_account_credit_warning)
        other = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": self.other_account.id})
        self.assertFalse(other.key_account_credit_warning)

        self.assertIs(self.account.with_user(self.ka_director).action_restore_credit("Settled on 3 May"), True)
        self.assertFalse(self.account.key_account_credit_suspended)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.key_account_credit_log_ids.mapped("action"), ["restore", "suspend"])
        order = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": self.account.id})
        self.assertFalse(order.key_account_credit_warning)

    def test_the_wizard_and_the_flag_on_quotations(self):
        self._invoice(self.account, 1000.0, due_in=-45)
        self._watch()
        order = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": self.account.id})
        self.assertTrue(order.key_account_overdue_warning)
        action = self.account.with_user(self.ka_manager).action_open_credit_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.ka_manager)
            .with_context(action["context"])
            .create({"reason": "Two reminders without answer"})
        )
        wizard.action_confirm()
        self.assertTrue(self.account.key_account_credit_suspended)
        with self.assertRaises(AccessError):
            self.env["key.account.credit.wizard"].with_user(self.ka_user).create(
                {"partner_ids": [(6, 0, self.account.ids)], "reason": "x"}
            )

    def test_the_history_is_append_only_and_confidential(self):
        self.account.with_user(self.ka_manager).action_suspend_credit("Unpaid for 70 days")
        log = self.account.key_account_credit_log_ids
        for user in (self.ka_user, self.ka_manager, self.ka_director):
            with self.assertRaises(AccessError):
                log.with_user(user).write({"reason": "Nothing happened"})
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()
        self.assertEqual(log.reason, "Unpaid for 70 days")
        self.assertEqual(self.env["key.account.credit.log"].with_user(self.ka_user).search([]), log)
        self.assertEqual(self.env["key.account.credit.log"].with_user(self.ka_clerk).search([]), log)
        self.assertFalse(self.env["key.account.credit.log"].with_user(self.ka_user_off).search([]))
        self.assertFalse(self.env["key.account.credit.log"].with_user(self.ka_manager_b).search([]))
        with self.assertRaises(AccessError):
            self.env["key.account.credit.log"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.env["key.account.credit.log"].with_user(self.ka_manager).create(
                {"partner_id": self.account.id, "action": "restore", "reason": "forged", "user_id": self.ka_manager.id}
            )


@tagged("post_install", "-at_install")
class TestShipmentAndCollection(CreditCase):
    def test_invoiced_collected_and_overdue_by_month(self):
        branch = self._key_account(
            "Hengtai Shenzhen Branch", key_account_headquarters_id=self.account.id, key_account_group_relation="branch"
        )
        late = self._invoice(self.account, 1000.0, due_in=-45, invoice_date=self._days(-75))
        self._pay(late, 400.0)
        self._invoice(branch, 500.0, due_in=10, invoice_date=self._days(-5))
        self._invoice(self.other_account, 900.0, due_in=-5)
        Report = self.env["key.account.receivable.report"]
        action = self.account.with_user(self.ka_user).action_open_receivable_report()
        rows = Report.with_user(self.ka_user).search(action["domain"])
        self.assertEqual(rows.account_id, self.account)
        self.assertEqual(rows.partner_id, self.account | branch)
        totals = Report.with_user(self.ka_user).read_group(
            action["domain"], ["invoiced:sum", "paid:sum", "residual:sum", "overdue:sum"], []
        )[0]
        self.assertEqual(
            (totals["invoiced"], totals["paid"], totals["residual"], totals["overdue"]), (1500.0, 400.0, 1100.0, 600.0)
        )
        by_month = Report.read_group(action["domain"], ["invoiced:sum", "paid:sum"], ["date:month"])
        self.assertEqual(sum(group["invoiced"] for group in by_month), 1500.0)
        payment_month = [g for g in by_month if g["paid"]]
        self.assertEqual(len(payment_month), 1)
        # rights: the team and the KA roles of the company, nobody else
        self.assertEqual(Report.with_user(self.ka_clerk).search_count(action["domain"]), len(rows))
        self.assertFalse(Report.with_user(self.ka_user_off).search(action["domain"]))
        self.assertTrue(Report.with_user(self.ka_user_off).search([("account_id", "=", self.other_account.id)]))
        self.assertFalse(Report.with_user(self.ka_manager_b).search([]))
        with self.assertRaises(AccessError):
            Report.with_user(self.plain_user).search([])


@tagged("post_install", "-at_install")
class TestCreditViews(CreditCase):
    def test_forms_load_for_every_role(self):
        """The key-account fields are removed for those who may not read them; the forms still
        load and the banner of a quotation reaches every salesperson."""
        for user in (self.plain_user, self.ka_user, self.ka_clerk, self.ka_manager):
            with self.subTest(user=user.login):
                arch = (
                    self.env["res.partner"]
                    .with_user(user)
                    .get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
                )
                self.assertEqual("key_account_overdue_amount" in arch, user != self.plain_user)
                self.assertEqual("action_open_credit_wizard" in arch, user == self.ka_manager)
                sale_arch = (
                    self.env["sale.order"]
                    .with_user(user)
                    .get_view(self.env.ref("sale.view_order_form").id, "form")["arch"]
                )
                self.assertIn("key_account_credit_warning", sale_arch)
        self.account.with_user(self.ka_manager).action_suspend_credit("Unpaid")
        data = (
            self.env["sale.order"]
            .with_user(self.plain_user)
            .create({"partner_id": self.account.id})
            .web_read({"key_account_credit_warning": {}, "key_account_overdue_warning": {}})
        )
        self.assertIn("Unpaid", data[0]["key_account_credit_warning"])
