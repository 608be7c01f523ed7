"""The credit split of a month, kept (issue #25): the KPI view reads a month's kept rows only
while nothing the split reads has changed since they were computed — any invoice, rule,
override, history, partner, user or product change of that month or before splits it again as
it is read, in the transaction that made the change and in every other; a computation that
began before another transaction's change does not count as having seen it."""

from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import SQL

from .common import KeyAccountCase
from .test_credit_split import MARCH, CreditSplitDataMixin

ZONE = "Asia/Shanghai"


@tagged("post_install", "-at_install")
class TestCreditMonth(CreditSplitDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.months = cls.env["key.account.credit.month"].with_context(tz=ZONE)

    def _kept(self, zone=ZONE):
        return self.months._kept_months(zone)

    def _keep(self, month=MARCH[0]):
        self.months._compute_month(month, ZONE)
        self.assertIn(month, self._kept())

    def _kpi(self, zone=ZONE):
        """{(user, team): credited} of March in the KPI view, read in ``zone``."""
        kpi = self.env["key.account.kpi"].with_context(tz=zone)
        rows = kpi._read_group(
            [("company_id", "=", self.company.id), ("month", "=", MARCH[0])],
            ["user_id", "team_id"],
            ["sales_actual:sum"],
        )
        return {(user.id or False, team.id or False): round(amount, 2) for user, team, amount in rows if amount}

    def _split(self, zone=ZONE):
        """The same, split line by line as it is read (no kept month)."""
        metrics = self.env["key.account.metrics"].with_context(tz=zone)
        self.env.cr.execute(
            SQL(
                "SELECT user_id, team_id, SUM(revenue) FROM (%s) AS r WHERE company_id = %s AND month = %s GROUP BY 1, 2",
                metrics._monthly_attribution_query(),
                self.company.id,
                MARCH[0],
            )
        )
        rows = self.env.cr.fetchall()
        return {(user or False, team or False): round(float(amount), 2) for user, team, amount in rows if amount}

    def test_a_kept_month_is_its_split_and_the_kpi_reads_it(self):
        self._keep()
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*) FROM ((SELECT company_id, team_id, user_id, month, revenue FROM (%(split)s) AS a
                                          EXCEPT SELECT company_id, team_id, user_id, month, revenue
                                                   FROM key_account_credit_month WHERE tz = %(tz)s)
                                         UNION ALL
                                         (SELECT company_id, team_id, user_id, month, revenue
                                            FROM key_account_credit_month WHERE tz = %(tz)s AND month = %(month)s
                                          EXCEPT SELECT company_id, team_id, user_id, month, revenue FROM (%(split)s) AS a
                                          WHERE month = %(month)s)) AS difference""",
                split=self.env["key.account.metrics"].with_context(tz=ZONE)._monthly_attribution_query(),
                tz=ZONE,
                month=MARCH[0],
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the kept rows are the split's, row for row")
        split = self._split()
        self.assertGreaterEqual(len(split), 4, "specialists, teams and the company credited in March")
        self.assertEqual(self._kpi(), split)
        # the KPI reads the kept rows (a kept figure altered by hand shows), in their zone only
        self.env.cr.execute(
            "UPDATE key_account_credit_month SET revenue = revenue + 1 WHERE month = %s AND tz = %s AND user_id = %s",
            [MARCH[0], ZONE, self.ka_user.id],
        )
        altered = self._kpi()
        self.assertEqual(altered[self.ka_user.id, self.north.id], split[self.ka_user.id, self.north.id] + 1)
        self.assertEqual(self._kpi("UTC"), self._split("UTC"), "another zone's days: split as read")
        # once something changes, the month is split again as it is read
        self._post_invoice(self.account, 10.0, date(2026, 3, 28))
        self.assertEqual(self._kpi(), self._split())
        self.assertEqual(self._kpi()[self.ka_user.id, self.north.id], split[self.ka_user.id, self.north.id] + 10)

    def _changes(self):
        """What the split reads, changed as users (or plain SQL) change it."""
        Partner = self.env["res.partner"]
        return {
            "an invoice of the month posted": lambda: self._post_invoice(self.account, 10.0, date(2026, 3, 28)),
            "an invoice of an earlier month posted (a deal after a handover may change)": lambda: self._post_invoice(
                self.jiahe, 10.0, date(2026, 2, 27)
            ),
            "an invoice reset to draft": lambda: self.default_invoice.button_draft(),
            "an override": lambda: (
                self.env["key.account.credit.override"]
                .with_user(self.ka_manager)
                .create(
                    {
                        "partner_id": self.account.id,
                        "move_id": self.default_invoice.id,
                        "user_id": self.ka_user_off.id,
                        "user_share": 100.0,
                        "reason": "Won by the East",
                    }
                )
            ),
            "an override withdrawn": lambda: self.override.with_user(self.ka_manager).write({"active": False}),
            "a rule's share": lambda: self.rules[2].with_user(self.ka_manager).write({"share": 60}),
            "a handover logged": lambda: self.env["key.account.handover.log"].create(
                {
                    "partner_id": self.account.id,
                    "date": "2026-03-02 02:00:00",
                    "from_user_id": self.ka_user.id,
                    "to_user_id": self.ka_user_off.id,
                }
            ),
            "the account's manager (plain SQL)": lambda: self.env.cr.execute(
                "UPDATE res_partner SET key_account_manager_id = %s WHERE id = %s",
                [self.ka_user_off.id, self.account.id],
            ),
            "a branch's region": lambda: self.branch.sudo().write({"key_account_region_id": self.north.id}),
            "a new branch in another region": lambda: Partner.create(
                {
                    "name": "Hengtai Hangzhou Branch",
                    "is_company": True,
                    "key_account_headquarters_id": self.account.id,
                    "key_account_group_relation": "branch",
                    "key_account_region_id": self.east.id,
                }
            ),
            "a specialist's sales team": lambda: (
                self.env["crm.team.member"]
                .search([("user_id", "=", self.ka_user.id)])
                .write({"crm_team_id": self.east.id})
            ),
            "a product's category": lambda: self.installation.product_tmpl_id.write(
                {"categ_id": self.env.ref("product.product_category_all").id}
            ),
            "a nomination approved (plain SQL)": lambda: self.env.cr.execute(
                "UPDATE key_account_application SET state = 'approved', approved_date = '2026-03-03 02:00:00' WHERE id = %s",
                [self._nomination(self.ka_user, Partner.create({"name": "Lianxin Steel", "is_company": True})).id],
            ),
            "an invoice line's amount (plain SQL)": lambda: self.env.cr.execute(
                "UPDATE account_move_line SET balance = balance - 1 WHERE move_id = %s AND display_type = 'product'",
                [self.default_invoice.id],
            ),
        }

    def test_each_change_splits_the_month_again(self):
        moves_nothing = {
            "an invoice of an earlier month posted (a deal after a handover may change)",
            "a nomination approved (plain SQL)",  # of a customer without invoices
        }
        for label, change in self._changes().items():
            with self.env.cr.savepoint() as savepoint:
                self._keep()
                before = self._kpi()
                change()
                self.env.flush_all()
                self.assertNotIn(MARCH[0], self._kept(), label)
                self.assertEqual(self._kpi(), self._split(), label)
                if label not in moves_nothing:
                    self.assertNotEqual(self._kpi(), before, f"{label}: the change moves credit")
                savepoint.close(rollback=True)
            self.env.invalidate_all()

    def test_what_the_split_does_not_read_leaves_the_month_kept(self):
        self._keep()
        self._post_invoice(self.account, 10.0, date(2026, 4, 2))  # a later month
        self.env["res.partner"].create({"name": "Walk-in customer"})
        self.account.sudo().write({"comment": "<p>Visited in March</p>"})
        self.rules[0].with_user(self.ka_manager).write({"name": "移交首单"})  # a label (and its translations)
        nomination = self._nomination(
            self.ka_user, self.env["res.partner"].create({"name": "Xinda Fittings", "is_company": True})
        )
        nomination.write({"reasons": "Second largest steel buyer of the province"})
        draft = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.account.id})
        draft.invoice_date = date(2026, 3, 30)
        self.env.flush_all()
        self.assertIn(MARCH[0], self._kept())
        self.assertNotIn(date(2026, 4, 1), self._kept())

    def test_a_pivot_over_kept_and_split_months(self):
        """A pivot of March (kept) and April (not: an invoice since) reads March's kept rows and
        splits April as read; one of March alone reads the kept rows only."""
        april = date(2026, 4, 1)
        self._keep()
        self._post_invoice(self.account, 10.0, date(2026, 4, 2))
        self.env.flush_all()
        self.assertNotIn(april, self._kept())
        self.env.cr.execute(
            "UPDATE key_account_credit_month SET revenue = revenue + 1 WHERE month = %s AND tz = %s",
            [MARCH[0], ZONE],
        )

        def total(table, month):
            self.env.cr.execute(
                SQL(
                    "SELECT COALESCE(SUM(revenue), 0) FROM (%s) AS r WHERE company_id = %s AND month = %s",
                    table,
                    self.company.id,
                    month,
                )
            )
            return round(float(self.env.cr.fetchone()[0]), 2)

        split = self.env["key.account.metrics"].with_context(tz=ZONE)._monthly_attribution_query()
        kept = SQL("SELECT * FROM key_account_credit_month WHERE tz = %s", ZONE)
        kpi = self.env["key.account.kpi"].with_context(tz=ZONE)

        def pivot(first, last):
            domain = [("company_id", "=", self.company.id), ("month", ">=", first), ("month", "<=", last)]
            rows = kpi._read_group(domain, ["month:month"], ["sales_actual:sum"])
            return {month: round(amount, 2) for month, amount in rows}

        both = pivot(MARCH[0], april)
        self.assertGreater(total(split, april), 0)
        self.assertEqual(both[april], total(split, april), "April split as read")
        self.assertEqual(both[MARCH[0]], total(kept, MARCH[0]), "March as kept")
        self.assertNotEqual(total(kept, MARCH[0]), total(split, MARCH[0]), "(altered by hand)")
        self.assertEqual(pivot(MARCH[0], MARCH[0]), {MARCH[0]: total(kept, MARCH[0])})

    def test_a_computation_that_began_before_a_change_has_not_seen_it(self):
        """Two workers: the scheduled action splits a month while another transaction changes
        a rule and commits; the month stays out of date until computed again."""
        zone, month = "Pacific/Chatham", date(2026, 3, 1)  # nobody's zone: no one's kept rows touched

        def kept():
            with self.registry.cursor() as reader:
                return month in api.Environment(reader, SUPERUSER_ID, {})["key.account.credit.month"]._kept_months(zone)

        try:
            with self.registry.cursor() as cron, self.registry.cursor() as other:
                cron.execute("SELECT 1")  # the cron's snapshot (REPEATABLE READ) is taken
                # a statement that adds no rule still records a change (a statement trigger)
                other.execute(
                    "INSERT INTO key_account_credit_split_rule SELECT * FROM key_account_credit_split_rule WHERE FALSE"
                )
                other.commit()
                api.Environment(cron, SUPERUSER_ID, {})["key.account.credit.month"]._compute_month(month, zone)
                cron.commit()
            self.assertFalse(kept(), "computed before the change committed: not kept")
            with self.registry.cursor() as cron:
                api.Environment(cron, SUPERUSER_ID, {})["key.account.credit.month"]._compute_month(month, zone)
                cron.commit()
            self.assertTrue(kept(), "computed after it: kept")
        finally:
            with self.registry.cursor() as cleanup:
                cleanup.execute("DELETE FROM key_account_credit_month_state WHERE tz = %s", [zone])
                cleanup.execute("DELETE FROM key_account_credit_month WHERE tz = %s", [zone])

    def test_the_scheduled_action_keeps_the_months_left_behind(self):
        months = self.months
        zones = months._zones()
        todo = months._months_to_compute(zones)
        self.assertTrue(all((MARCH[0], zone) in todo for zone in zones))
        while months._months_to_compute(zones):
            months._cron_compute_months(batch_size=2)
        for zone in zones:
            self.assertIn(MARCH[0], months._kept_months(zone))
        self._post_invoice(self.account, 10.0, date(2026, 3, 28))
        self.assertEqual({month for month, _zone in months._months_to_compute(zones)}, {MARCH[0]})

    def test_uninstall_takes_the_triggers_away(self):
        def triggers():
            self.env.cr.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'key_account_credit_change%%'")
            return self.env.cr.fetchone()[0]

        self.assertGreaterEqual(triggers(), 15)
        with self.env.cr.savepoint() as savepoint:
            self.env["key.account.credit.month"]._drop_all()
            self.assertEqual(triggers(), 0)
            self.env.cr.execute("SELECT to_regclass('key_account_credit_change')")
            self.assertIsNone(self.env.cr.fetchone()[0])
            savepoint.close(rollback=True)
        self.assertGreaterEqual(triggers(), 15)
