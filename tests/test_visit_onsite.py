"""Visit methods count as they should (issue #22, part A): only on-site visits — and receptions
where the company says so — satisfy the tier's visit frequency; a phone call no longer moves the
next on-site visit due. A tier's yearly minimum of on-site visits, spread evenly over the year,
brings the next visit due forward when the account falls behind; the overdue flag follows. The
migration recomputes the accounts of existing databases."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_visit import VisitCase


@tagged("post_install", "-at_install")
class TestOnsiteVisits(VisitCase):
    def _onsite(self, partner):
        partner.invalidate_recordset()
        return (
            partner.key_account_last_visit_date,
            partner.key_account_last_onsite_date,
            partner.key_account_onsite_year_count,
            partner.key_account_next_visit_date,
        )

    def _report(self, day, method="onsite", model="key.account.visit", partner=None):
        return self._reported(partner=partner, model=model, method=method, report={"date_done": day})

    def _created_on(self, partner, day):
        """The account as if created on ``day`` (the database stamps its creation itself)."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET create_date = %s WHERE id = %s", [day, partner.id])
        partner.invalidate_recordset()
        self.env.add_to_compute(partner._fields["key_account_next_visit_date"], partner)
        self.env.flush_all()
        return partner

    def _overdue(self, partner):
        partner.invalidate_recordset(["key_account_visit_overdue"])
        return partner.key_account_visit_overdue

    def test_a_phone_call_does_not_reset_the_onsite_visit_due(self):
        # strategic: an on-site visit every 30 days
        self._report(datetime(2026, 3, 12, 2, 0))
        self.assertEqual(self._onsite(self.account), (date(2026, 3, 12), date(2026, 3, 12), 1, date(2026, 4, 11)))
        for method, day in (("phone", 5), ("video", 8), ("email", 9), ("letter", 10)):
            self._report(datetime(2026, 4, day, 2, 0), method=method)
            self.assertEqual(
                self._onsite(self.account), (date(2026, 4, day), date(2026, 3, 12), 1, date(2026, 4, 11)), method
            )
        self.assertEqual(self.account.key_account_visit_count, 5, "every report is a contact")
        with freeze_time("2026-04-12 09:00:00"):
            self.assertTrue(self._overdue(self.account), "the calls did not replace the visit")
            self._report(datetime(2026, 4, 12, 1, 0))
            self.assertEqual(self._onsite(self.account), (date(2026, 4, 12), date(2026, 4, 12), 2, date(2026, 5, 12)))
            self.assertFalse(self._overdue(self.account))

    def test_receptions_count_where_the_company_says_so(self):
        self.assertFalse(self.company.key_account_reception_counts_as_visit)
        self._report(datetime(2026, 3, 12, 2, 0))
        self._report(datetime(2026, 3, 25, 2, 0), model="key.account.reception")
        self.assertEqual(self._onsite(self.account), (date(2026, 3, 25), date(2026, 3, 12), 1, date(2026, 4, 11)))
        self.assertEqual(self.account.key_account_reception_count, 1)
        self.company.key_account_reception_counts_as_visit = True
        self.assertEqual(self._onsite(self.account), (date(2026, 3, 25), date(2026, 3, 25), 2, date(2026, 4, 24)))
        # a reception by video is no on-site visit, whatever the setting
        self._report(datetime(2026, 3, 30, 2, 0), method="video", model="key.account.reception")
        self.assertEqual(self._onsite(self.account)[1:], (date(2026, 3, 25), 2, date(2026, 4, 24)))
        self.company.key_account_reception_counts_as_visit = False
        self.assertEqual(self._onsite(self.account), (date(2026, 3, 30), date(2026, 3, 12), 1, date(2026, 4, 11)))

    def test_yearly_minimum_of_onsite_visits(self):
        """Normal tier: every 90 days, and at least 6 on-site visits a year. 2026 in six equal
        periods ending on day ⌈k × 365 / 6⌉ of the year: 2 March, 2 May, 2 July, 1 September,
        1 November, 31 December; the first period of 2027 ends on 2 March."""
        self.tier_normal.write({"visit_frequency_days": 90, "min_onsite_visits": 6})
        account = self._created_on(
            self._key_account("Jinan Heavy Industry", self.ka_user, key_account_tier_id=self.tier_normal.id),
            datetime(2025, 6, 1, 8, 0),
        )
        # never visited, created 1 June 2025: the first period owed ends on 2 July 2025
        self.assertEqual(self._onsite(account), (False, False, 0, date(2025, 7, 2)))
        # one visit on 10 April 2026: the second is owed by 2 May (before the 90 days: 9 July)
        self._report(datetime(2026, 4, 10, 2, 0), partner=account)
        self.assertEqual(self._onsite(account)[2:], (1, date(2026, 5, 2)))
        with freeze_time("2026-05-02 09:00:00"):
            self.assertFalse(self._overdue(account))
        with freeze_time("2026-05-03 09:00:00"):
            self.assertTrue(self._overdue(account), "behind the yearly minimum")
            self.assertEqual(account.key_account_onsite_visits_this_year, 1)
            self.assertEqual(account.key_account_min_onsite_visits, 6)
        # a phone call counts for neither
        self._report(datetime(2026, 4, 28, 2, 0), partner=account, method="phone")
        self.assertEqual(self._onsite(account)[2:], (1, date(2026, 5, 2)))
        # caught up: the third by 2 July; then the frequency comes first (15 October + 90 days)
        self._report(datetime(2026, 4, 20, 2, 0), partner=account)
        self.assertEqual(self._onsite(account)[2:], (2, date(2026, 7, 2)))
        for month, day in ((6, 1), (8, 3), (9, 20), (10, 15)):
            self._report(datetime(2026, month, day, 2, 0), partner=account)
        self.assertEqual(self._onsite(account)[1:], (date(2026, 10, 15), 6, date(2027, 1, 13)))
        # the year's six made, with a longer frequency the first period of 2027 is owed
        self.tier_normal.visit_frequency_days = 365
        self.assertEqual(self._onsite(account)[3], date(2027, 3, 2))
        with freeze_time("2027-01-05 09:00:00"):
            account.invalidate_recordset(["key_account_onsite_visits_this_year"])
            self.assertEqual(account.key_account_onsite_visits_this_year, 0)
        # an account made in October owes the periods that end after it only: 1 November
        late = self._created_on(
            self._key_account("Zibo Ceramics", self.ka_user, key_account_tier_id=self.tier_normal.id),
            datetime(2026, 10, 15, 8, 0),
        )
        self.assertEqual(self._onsite(late)[3], date(2026, 11, 1))
        self._report(datetime(2026, 10, 20, 2, 0), partner=late)
        self.assertEqual(self._onsite(late)[3], date(2026, 12, 31))

    def test_tier_minimum_is_checked(self):
        for value in (-1, 367):
            with self.assertRefused(ValidationError, "between 0 and 366"):
                self.tier_key.min_onsite_visits = value
        self.assertEqual(self.tier_key.min_onsite_visits, 0)

    def test_migration_recomputes_the_accounts(self):
        """migrations/18.0.1.9.0/post-fieldwork_visit_schedule.py on an account as 18.0.1.8.0
        left it: its next visit due moved by a phone call, no last on-site visit."""
        import importlib.util
        from pathlib import Path

        import odoo.addons.key_account_mgmt as module

        self._report(datetime(2026, 3, 12, 2, 0))
        self._report(datetime(2026, 4, 5, 2, 0), method="phone")
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner SET key_account_last_onsite_date = NULL, key_account_onsite_year_count = 0,
                      key_account_next_visit_date = '2026-05-05' WHERE id = %s""",
            [self.account.id],
        )
        self.env.invalidate_all()
        path = Path(module.__file__).parent / "migrations" / "18.0.1.9.0" / "post-fieldwork_visit_schedule.py"
        spec = importlib.util.spec_from_file_location("kam_post_fieldwork_visit_schedule", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.8.0")
        self.env.invalidate_all()
        self.assertEqual(self._onsite(self.account), (date(2026, 4, 5), date(2026, 3, 12), 1, date(2026, 4, 11)))
        migration.migrate(self.env.cr, "18.0.1.8.0")
        self.assertEqual(self._onsite(self.account)[3], date(2026, 4, 11), "idempotent")
