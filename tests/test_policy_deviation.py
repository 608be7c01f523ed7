"""How the preferential standards are applied (seed 003 第十五条): invoice lines of key accounts
priced otherwise than their policies give, found by the check and sent in the KA Managers'
digest. Figures by hand: the steel beam's sales price is 100."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase
from .test_policy import PolicyCase


@tagged("post_install", "-at_install")
class TestPolicyDeviation(PolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Deviation = cls.env["key.account.policy.deviation"]
        cls._ensure_chart_of_accounts()

    def _invoice(self, price, partner=None, invoice_date=None, discount=0.0, quantity=1.0, uom=None, refund=False):
        move = self.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": (partner or self.account).id,
                "invoice_date": invoice_date or self.today,
                "invoice_user_id": self.plain_user.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "discount": discount,
                            "product_uom_id": (uom or self.product.uom_id).id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _approved(self, partner=None, days_before=60, **vals):
        policy = self._submitted(
            partner=partner,
            date_from=fields.Date.add(self.today, days=-days_before),
            date_to=fields.Date.add(self.today, days=120),
            **vals,
        )
        return self._approve(policy, self.ka_manager)

    def _check(self):
        self.Deviation.with_user(self.ka_manager).action_check_now()
        rows = self.Deviation.search([])
        return {
            row.move_id: (row.kind, round(row.expected_price, 2), round(row.unit_price, 2), round(row.amount_gap, 2))
            for row in rows
        }

    def test_each_kind_of_deviation_with_hand_figures(self):
        policy = self._approved(value=8.0)  # 92 for the account from 60 days ago
        priced_right = self._invoice(92.0, quantity=10)
        no_discount = self._invoice(100.0, quantity=10)
        too_much = self._invoice(100.0, discount=15.0, quantity=2)
        within_tolerance = self._invoice(92.4)
        before_policy = self._invoice(90.0, invoice_date=fields.Date.add(self.today, days=-61))
        full_price_before = self._invoice(100.0, invoice_date=fields.Date.add(self.today, days=-61))
        refund = self._invoice(50.0, refund=True)
        no_policy_other = self._invoice(95.0, partner=self.other_account)
        rows = self._check()
        self.assertEqual(
            rows,
            {
                no_discount: ("missing_discount", 92.0, 100.0, 80.0),
                too_much: ("beyond_policy", 92.0, 85.0, -14.0),
                before_policy: ("no_policy", 100.0, 90.0, -10.0),
                no_policy_other: ("no_policy", 100.0, 95.0, -5.0),
            },
        )
        for move in (priced_right, within_tolerance, full_price_before, refund):
            self.assertNotIn(move, rows)
        row = self.Deviation.search([("move_id", "=", no_discount.id)])
        self.assertEqual(row.policy_id, policy)
        self.assertEqual((row.partner_id, row.user_id, row.quantity), (self.account, self.plain_user, 10.0))
        self.assertAlmostEqual(row.deviation_percent, 8.70, places=2)

    def test_the_customers_own_pricelist_and_unit(self):
        former = self.env["product.pricelist"].create(
            {
                "name": "Distributors",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "formula",
                            "base": "list_price",
                            "price_discount": 20,
                        }
                    )
                ],
            }
        )
        self.account.property_product_pricelist = former
        self._approved(policy_type="coefficient", value=0.95)  # 80 × 0.95 = 76
        right = self._invoice(76.0)
        wrong = self._invoice(80.0)
        dozen = self.env.ref("uom.product_uom_dozen")
        right_dozen = self._invoice(912.0, uom=dozen)  # 12 × 76
        wrong_dozen = self._invoice(960.0, uom=dozen, quantity=2)
        rows = self._check()
        self.assertEqual(
            rows,
            {
                wrong: ("missing_discount", 76.0, 80.0, 4.0),
                wrong_dozen: ("missing_discount", 912.0, 960.0, 96.0),
            },
        )
        self.assertNotIn(right, rows)
        self.assertNotIn(right_dozen, rows)

    def test_an_expired_policy_still_applied(self):
        with freeze_time(datetime.now() - timedelta(days=30)):
            policy = self._approved(user=self.ka_user_off, partner=self.other_account, value=5.0)
            policy.with_user(self.ka_manager).action_terminate()
        self.assertEqual(policy.state, "expired")
        old_price = self._invoice(95.0, partner=self.other_account)
        other_price = self._invoice(90.0, partner=self.other_account)
        during = self._invoice(95.0, partner=self.other_account, invoice_date=policy.date_to)
        rows = self._check()
        self.assertEqual(rows[old_price], ("expired_policy", 100.0, 95.0, -5.0))
        self.assertEqual(rows[other_price], ("no_policy", 100.0, 90.0, -10.0))
        self.assertNotIn(during, rows)
        self.assertEqual(self.Deviation.search([("move_id", "=", old_price.id)]).policy_id, policy)

    def _later(self, hours):
        """Time passes as between two transactions: write dates are the transaction's time
        (``cr.now()``, PostgreSQL's now() — the same all through a test — unless set)."""
        self.env.flush_all()
        later = fields.Datetime.now() + timedelta(hours=hours)
        self.env.cr._now = later
        return freeze_time(later)

    def test_the_check_follows_corrections_and_new_policies(self):
        wrong = self._invoice(90.0)
        discounted = self._invoice(95.0, partner=self.other_account)
        self.assertEqual(set(self._check()), {wrong, discounted})
        with self._later(1):
            # a corrected invoice leaves the list
            wrong.button_draft()
            wrong.invoice_line_ids.price_unit = 100.0
            wrong.action_post()
            self.assertEqual(set(self._check()), {discounted})
        with self._later(2):
            # a policy approved back-dated covers the discount given before
            self._approved(user=self.ka_user_off, partner=self.other_account, value=5.0, days_before=10)
            self.assertEqual(self._check(), {})
        with self._later(3):
            # a policy of the account makes its full price a missing discount
            self._approved(value=5.0, days_before=10)
            self.assertEqual(self._check(), {wrong: ("missing_discount", 95.0, 100.0, 5.0)})
            # the check again: nothing changed, nothing duplicated
            self.assertEqual(self._check(), {wrong: ("missing_discount", 95.0, 100.0, 5.0)})
            self.assertEqual(self.Deviation.search_count([]), 1)

    def test_the_check_goes_through_invoices_changed_together(self):
        """Invoices of one transaction (an import) share their write date to the microsecond:
        the check's batches still go through them, each once (its cursor to the second took the
        same batch again and again: 164,586 invoices 'remaining' for ever on the benchmark)."""
        moves = self.env["account.move"].browse([self._invoice(90.0 + index).id for index in range(5)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET write_date = '2026-11-20 08:00:00.123456' WHERE id IN %s", [tuple(moves.ids)]
        )
        self.env.invalidate_all()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("key_account_mgmt.policy_check_cursor", "2026-11-20 08:00:00|0")
        batches, remaining = [], True
        while remaining and len(batches) < 10:
            done, remaining = self.Deviation.sudo()._check_next_batch(batch_size=2)
            batches.append(done)
        self.assertEqual(batches, [2, 2, 1])
        self.assertEqual(self.Deviation.search([]).move_id, moves)

    def test_who_sees_and_runs_the_check(self):
        self._invoice(90.0)
        self._invoice(90.0, partner=self.other_account)
        self._check()
        self.env.flush_all()
        for user, expected in (
            (self.ka_user, {self.account}),
            (self.ka_user_off, {self.other_account}),
            (self.ka_clerk, {self.account, self.other_account}),
            (self.ka_manager, {self.account, self.other_account}),
            (self.ka_director, {self.account, self.other_account}),
        ):
            self.assertEqual(set(self.Deviation.with_user(user).search([]).partner_id), expected, user.name)
        with self.assertRaises(AccessError):
            self.Deviation.with_user(self.plain_user).search([])
        row = self.Deviation.search([], limit=1)
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            with self.assertRaises(AccessError, msg=user.name):
                row.with_user(user).write({"kind": "no_policy"})
            with self.assertRaises(AccessError, msg=user.name):
                row.with_user(user).unlink()
        for user in (self.ka_user, self.ka_clerk, self.plain_user):
            with self.assertRaises(AccessError, msg=user.name):
                self.Deviation.with_user(user).action_check_now()

    def test_the_digest_to_the_ka_managers(self):
        self._approved(value=8.0)
        self._invoice(100.0, quantity=10)  # +80
        self._invoice(90.0, partner=self.other_account, quantity=3)  # -30
        self._invoice(85.0, quantity=2)  # -14
        self._check()
        digest = self.env.ref("key_account_mgmt.digest_digest_key_account_policy")
        now = datetime.now()
        week = digest.with_context(start_datetime=now - timedelta(days=7), end_datetime=now)
        self.assertEqual(week.with_user(self.ka_manager).kpi_key_account_policy_deviation_value, 3)
        self.assertAlmostEqual(week.with_user(self.ka_manager).kpi_key_account_policy_gap_value, 44.0)
        week.invalidate_model()
        self.assertEqual(week.with_user(self.ka_user).kpi_key_account_policy_deviation_value, 2, "their team's only")
        week.invalidate_model()
        with self.assertRaises(AccessError):
            week.with_user(self.plain_user).kpi_key_account_policy_deviation_value  # noqa: B018
        digest.user_ids = False
        digest._action_send(update_periodicity=False)
        self.assertIn(self.ka_manager, digest.user_ids)
        self.assertNotIn(self.ka_user, digest.user_ids)
        mail = self.env["mail.mail"].search([("email_to", "ilike", self.ka_manager.email)], order="id desc", limit=1)
        self.assertIn("Key Account Price Deviations", mail.body_html)
        digest._action_unsubscribe_users(self.ka_manager)
        digest._action_send(update_periodicity=False)
        self.assertNotIn(self.ka_manager, digest.user_ids, "an unsubscribed manager stays unsubscribed")


@tagged("post_install", "-at_install")
class TestPolicyDeviationXmlRpc(KeyAccountXmlRpcCase):
    def test_rows_are_the_checks_only(self):
        specialist = new_test_user(
            self.env, "rpc_dev_specialist", groups="base.group_user,key_account_mgmt.group_ka_user"
        )
        manager = new_test_user(self.env, "rpc_dev_manager", groups="base.group_user,key_account_mgmt.group_ka_manager")
        self._refused(4, specialist, "key.account.policy.deviation", "action_check_now", [])
        self._refused(4, manager, "key.account.policy.deviation", "create", {"kind": "no_policy"})
        self.assertIsInstance(self._call(manager, "key.account.policy.deviation", "action_check_now", []), dict)
