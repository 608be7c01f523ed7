"""Targets by team, key account and product category, their set's approval, and changes after
the approval through the KA Manager with their history (issue #24, seed 001 §2.2 第3–6条)."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

YEAR = date(2026, 1, 1)


@tagged("post_install", "-at_install")
class TestTargetChange(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Target = cls.env["key.account.target"]
        cls.team = cls.env["crm.team"].create({"name": "East Region"})
        cls.valves = cls.env["product.category"].create({"name": "Valves"})
        cls.gate_valves = cls.env["product.category"].create({"name": "Gate Valves", "parent_id": cls.valves.id})
        cls.gate_valve = cls.env["product.product"].create({"name": "Gate valve DN100", "categ_id": cls.gate_valves.id})
        cls.pump = cls.env["product.product"].create({"name": "Pump"})

    def _line(self, product, amount):
        return Command.create(
            {"product_id": product.id, "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
        )

    def _plan(self):
        targets = self.Target.create(
            [
                {"user_id": self.ka_user.id, "period_kind": "year", "date_from": YEAR, "sales_target": 500000.0},
                {"team_id": self.team.id, "period_kind": "year", "date_from": YEAR, "sales_target": 900000.0},
                {
                    "product_category_id": self.valves.id,
                    "period_kind": "year",
                    "date_from": YEAR,
                    "sales_target": 100000.0,
                },
            ]
        )
        plan = (
            self.env["key.account.target.plan"]
            .with_user(self.ka_manager)
            .create({"title": "Sales plan 2026", "target_ids": [Command.set(targets.ids)]})
        )
        return plan, targets

    def test_actuals_and_overlap_per_dimension(self):
        self._post_invoice(self.account, 50000.0, invoice_date=date(2026, 3, 1), team_id=self.team.id)
        self._post_invoice(self.other_account, 30000.0, invoice_date=date(2026, 3, 1))
        self._post_invoice(
            self.account,
            0.0,
            invoice_date=date(2026, 4, 1),
            invoice_line_ids=[self._line(self.gate_valve, 20000.0), self._line(self.pump, 5000.0)],
        )
        self._post_invoice(
            self.other_account,
            0.0,
            invoice_date=date(2026, 5, 1),
            invoice_line_ids=[self._line(self.gate_valve, 7000.0)],
        )
        _plan, (_specialist, team, category) = self._plan()
        account_valves = self.Target.create(
            {
                "partner_id": self.account.id,
                "product_category_id": self.valves.id,
                "period_kind": "year",
                "date_from": YEAR,
                "sales_target": 40000.0,
            }
        )
        # the team's invoices; the category's lines (subcategories too), all accounts or one
        self.assertAlmostEqual(team.sales_actual, 50000.0, places=2)
        self.assertAlmostEqual(category.sales_actual, 27000.0, places=2)
        self.assertAlmostEqual(category.sales_completion, 27.0, places=2)
        self.assertAlmostEqual(account_valves.sales_actual, 20000.0, places=2)
        # same dimensions overlapping: refused; other dimensions: another plan
        with self.assertRefused(ValidationError, "overlapping"):
            self.Target.create(
                {"team_id": self.team.id, "period_kind": "quarter", "date_from": date(2026, 4, 1), "sales_target": 1.0}
            )
        self.Target.create(
            {
                "team_id": self.team.id,
                "product_category_id": self.valves.id,
                "period_kind": "quarter",
                "date_from": date(2026, 4, 1),
                "sales_target": 1.0,
            }
        )
        with self.assertRefused(ValidationError, "a specialist, a sales team, a key account or a product category"):
            self.Target.create({"period_kind": "year", "date_from": YEAR, "sales_target": 1.0})
        with self.assertRefused(ValidationError, "without a specialist"):
            self.Target.create(
                {
                    "user_id": self.ka_user.id,
                    "team_id": self.team.id,
                    "period_kind": "year",
                    "date_from": YEAR,
                    "sales_target": 1.0,
                }
            )

    def test_target_changes_need_the_manager_and_are_tracked(self):
        plan, (target, team_target, _category) = self._plan()
        # before the approval the targets change freely; the KA Manager submits the set
        target.with_user(self.ka_manager).sales_target = 520000.0
        with self.assertRaises(AccessError):
            plan.with_user(self.ka_user).action_submit()
        plan.with_user(self.ka_manager).action_submit()
        with self.assertRefused(ValidationError, "under approval"):
            target.with_user(self.ka_manager).sales_target = 530000.0
        plan.with_user(self.ka_manager).validate_tier()
        self.assertEqual(plan.state, "approved")
        # approved: not even the KA Manager changes, adds or deletes a target directly
        with self.assertRefused(ValidationError, "has been approved"):
            target.with_user(self.ka_manager).sales_target = 600000.0
        with self.assertRefused(ValidationError, "has been approved"):
            self.Target.with_user(self.ka_manager).create(
                {
                    "user_id": self.ka_user_off.id,
                    "period_kind": "year",
                    "date_from": YEAR,
                    "sales_target": 1.0,
                    "plan_id": plan.id,
                }
            )
        with self.assertRefused(ValidationError, "has been approved"):
            team_target.with_user(self.ka_manager).unlink()

        # the specialist asks; only for their own targets
        Change = self.env["key.account.target.change"]
        with self.assertRaises(AccessError):
            Change.with_user(self.ka_user_off).create(
                {"target_id": target.id, "new_sales_target": 1.0, "reason": "Not mine"}
            )
        change = Change.with_user(self.ka_user).create(
            {"target_id": target.id, "new_sales_target": 600000.0, "reason": "Hengtai's second plant"}
        )
        self.assertEqual(change.old_sales_target, 520000.0)
        change.with_user(self.ka_user).action_submit()
        self.assertEqual(target.sales_target, 520000.0, "nothing changes before the KA Manager approves")
        change.with_user(self.ka_user).validate_tier()
        self.assertEqual(change.state, "submitted", "the specialist does not approve their own change")
        change.with_user(self.ka_manager).validate_tier()
        self.assertEqual(change.state, "approved")
        self.assertEqual(target.sales_target, 600000.0)
        self.assertTrue(change.applied_date)
        # an approved change is history
        with self.assertRefused(ValidationError, "has been approved"):
            change.with_user(self.ka_manager).write({"new_sales_target": 700000.0})
        with self.assertRefused(UserError, "draft or cancelled"):
            change.with_user(self.ka_manager).unlink()
        # a second change: the history chains the values
        second = Change.with_user(self.ka_manager).create(
            {"target_id": target.id, "new_sales_target": 550000.0, "reason": "Tender postponed"}
        )
        second.action_submit()
        second.validate_tier()
        history = target.change_ids.filtered(lambda c: c.state == "approved").sorted("id")
        self.assertEqual(
            [(c.old_sales_target, c.new_sales_target, c.user_id) for c in history],
            [(520000.0, 600000.0, self.ka_user), (600000.0, 550000.0, self.ka_manager)],
        )
        self.assertEqual(target.sales_target, 550000.0)

    def test_change_of_a_target_outside_an_approved_set_is_refused(self):
        target = self.Target.create(
            {"user_id": self.ka_user.id, "period_kind": "year", "date_from": YEAR, "sales_target": 1000.0}
        )
        change = (
            self.env["key.account.target.change"]
            .with_user(self.ka_user)
            .create({"target_id": target.id, "new_sales_target": 2000.0, "reason": "More"})
        )
        with self.assertRefused(UserError, "not in an approved target set"):
            change.with_user(self.ka_user).action_submit()
