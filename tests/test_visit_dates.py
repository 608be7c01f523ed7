"""The visit dates of the account (last visit, next visit due from the tier, overdue) and
the visit rate, planned versus done per user (SPEC §6, issue #6)."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_visit import VisitCase


@tagged("post_install", "-at_install")
class TestVisitDates(VisitCase):
    @freeze_time("2026-03-13 09:00:00")
    def test_last_visit_counters_and_next_visit_due_follow_the_tier(self):
        created = self.account.create_date.date()
        self.assertEqual(self._visit_fields(self.account), (False, 0, 0))
        self.assertEqual(
            self.account.key_account_next_visit_date, created + timedelta(days=30), "never visited: from the creation"
        )

        self._reported()
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 0))
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 4, 11))  # strategic: every 30 days

        # an older reception counts but does not move the last visit back
        self._reported(model="key.account.reception", report={"date_done": datetime(2026, 3, 5, 3, 0)})
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 1))
        self.assertEqual(self.other_account.key_account_visit_count, 0, "other accounts untouched")

        # change the tier, then the tier's frequency
        self.account.key_account_tier_id = self.tier_key
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 5, 11))  # key: every 60 days
        self.tier_key.visit_frequency_days = 45
        self.account.invalidate_recordset()
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 4, 26))
        # only reported plans count
        self._approved()
        self._submitted()
        self._plan()
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 1, 1))

    def test_visit_dates_are_written_only_by_the_report(self):
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaises(UserError, msg=user.login):  # AccessError is a UserError
                self.account.with_user(user).write({"key_account_last_visit_date": "2026-03-01"})
        self.assertFalse(self.account.key_account_last_visit_date)

    def test_overdue_flag_and_search(self):
        with freeze_time("2026-02-01 09:00:00"):
            # strategic account visited on 5 January: due 4 February
            self._reported(report={"date_done": datetime(2026, 1, 5, 4, 0)})
            # key account visited on 1 February: due 2 April
            self._reported(self.ka_user_off, self.other_account, report={"date_done": datetime(2026, 2, 1, 4, 0)})
        shop = self.env["res.partner"].create({"name": "Ordinary Shop", "is_company": True})
        self.assertEqual(self.account.key_account_next_visit_date, date(2026, 2, 4))
        self.assertEqual(self.other_account.key_account_next_visit_date, date(2026, 4, 2))
        self.assertFalse(shop.sudo().key_account_next_visit_date)
        Partner = self.env["res.partner"].with_user(self.ka_manager)
        accounts = self.account | self.other_account | shop

        def overdue():
            accounts.invalidate_recordset(["key_account_visit_overdue"])
            return {p: p.with_user(self.ka_manager).key_account_visit_overdue for p in accounts}

        def searched(operator, value):
            return Partner.search([("key_account_visit_overdue", operator, value), ("id", "in", accounts.ids)])

        with freeze_time("2026-02-04 09:00:00"):
            self.assertEqual(
                overdue(), {self.account: False, self.other_account: False, shop: False}, "due today is not late"
            )
            self.assertFalse(searched("=", True))
            self.assertEqual(searched("=", False), accounts)
        with freeze_time("2026-02-05 09:00:00"):
            self.assertEqual(overdue(), {self.account: True, self.other_account: False, shop: False})
            self.assertEqual(searched("=", True), self.account)
            self.assertEqual(searched("!=", False), self.account)
            self.assertEqual(searched("=", False), self.other_account | shop)
            self.assertEqual(searched("!=", True), self.other_account | shop)
            # a new visit clears the flag
            self._reported(report={"date_done": datetime(2026, 2, 5, 1, 0)})
            self.assertEqual(overdue()[self.account], False)
            self.assertFalse(searched("=", True))
        with freeze_time("2026-04-03 09:00:00"):  # account due 7 March, other account due 2 April
            self.assertEqual(searched("=", True), self.account | self.other_account)
            self.assertEqual(searched("=", False), shop)
        with self.assertRefused(UserError, "Unsupported search"):
            Partner.search([("key_account_visit_overdue", "in", [True])])


@tagged("post_install", "-at_install")
class TestVisitRate(VisitCase):
    def test_planned_versus_done_per_user(self):
        march = {"date_planned": datetime(2026, 3, 20, 2, 0)}
        self._reported(**march)
        self._approved(**march)
        self._plan(**march).action_cancel()
        self._decide(self._submitted(**march), self.ka_manager, reject=True)
        self._accepted(self._reported(model="key.account.reception", **march)).action_close()
        self._reported(date_planned=datetime(2026, 4, 1, 2, 0))  # April: outside
        self._reported(date_planned=datetime(2026, 2, 28, 15, 0))  # February (UTC): outside
        self._plan(self.ka_user_off, self.other_account, date_planned=datetime(2026, 3, 31, 15, 0))
        self._plan(
            self.ka_manager_b,
            self.env["res.partner"].create(
                {
                    "name": "Company B Customer",
                    "is_company": True,
                    "company_id": self.company_b.id,
                    "is_key_account": True,
                }
            ),
            date_planned=datetime(2026, 3, 5, 2, 0),
        )

        # as in a request: the companies selected in the switcher
        Metrics = self.env["key.account.activity.metrics"].with_context(allowed_company_ids=self.company.ids)
        rate = Metrics._visit_rate(date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(rate, {self.ka_user.id: (3, 2), self.ka_user_off.id: (1, 0)})
        self.assertEqual(
            Metrics._visit_rate(date(2026, 3, 1), date(2026, 3, 31), user_ids=self.ka_user_off.ids),
            {self.ka_user_off.id: (1, 0)},
        )
        self.assertEqual(Metrics._visit_rate(date(2026, 3, 1), date(2026, 4, 30))[self.ka_user.id], (4, 3))
        self.assertEqual(
            Metrics.with_context(allowed_company_ids=self.company_b.ids)._visit_rate(
                date(2026, 3, 1), date(2026, 3, 31)
            ),
            {self.ka_manager_b.id: (1, 0)},
        )
        self.assertEqual(Metrics._visit_rate(date(2025, 3, 1), date(2025, 3, 31)), {})
