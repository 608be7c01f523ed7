"""Visit and reception expenses (SPEC §6, issue #6): "no report, no reimbursement", the KA
Manager approves, refuses and pays, and what is approved or paid stays as it is."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_visit import REPORT, VisitCase


@tagged("post_install", "-at_install")
class TestVisitExpenses(VisitCase):
    def test_draft_expenses_any_time(self):
        for plan in (
            self._plan(),
            self._submitted(),
            self._approved(),
            self._reported(),
            self._approved(model="key.account.reception"),
        ):
            expense = self._expense(plan, amount=100.0)
            self.assertEqual(expense.state, "draft")
            self.assertEqual(
                (expense.partner_id, expense.company_id, expense.user_id), (self.account, self.company, self.ka_user)
            )
            self.assertEqual(plan.expense_total, 100.0)

    def test_claim_before_the_report_refused(self):
        for model in ("key.account.visit", "key.account.reception"):
            for plan in (self._plan(model=model), self._submitted(model=model), self._approved(model=model)):
                expense = self._expense(plan)
                for user in (self.ka_user, self.ka_manager):
                    with self.assertRefused(UserError, "No report, no reimbursement"):
                        expense.with_user(user).action_claim()
                    expense.invalidate_recordset()
                    self.assertEqual(expense.state, "draft")
                with self.assertRefused(UserError, "No report, no reimbursement"):
                    self._expense(plan, name="Dinner with the buyer", state="claimed")
                self.assertEqual(self.Expense.search([("name", "=", "Dinner with the buyer")]).ids, [])

    def test_claim_after_the_report(self):
        for model in ("key.account.visit", "key.account.reception"):
            plan = self._approved(model=model)
            expense = self._expense(plan)
            plan.write(REPORT)
            plan.action_done()
            expense.action_claim()
            self.assertEqual(expense.state, "claimed")
            with self.assertRefused(UserError, "Only draft expenses can be claimed"):
                expense.action_claim()

    def test_only_managers_approve_refuse_and_pay(self):
        visit = self._accepted(self._reported())
        expense, other = self._expense(visit), self._expense(visit, amount=88.0)
        (expense | other).action_claim()
        for user in (self.ka_user, self.ka_clerk):
            for action in ("action_approve", "action_refuse"):
                with self.assertRefused(AccessError, "Only a Key Account Manager"):
                    getattr(expense.with_user(user), action)()
            for state in ("approved", "paid", "refused"):
                with self.assertRefused(AccessError, "Only a Key Account Manager"):
                    expense.with_user(user).write({"state": state})
            expense.invalidate_recordset()
            self.assertEqual(expense.state, "claimed", user.login)
        expense.with_user(self.ka_manager).action_approve()
        self.assertEqual(expense.state, "approved")
        with self.assertRefused(AccessError, "Only a Key Account Manager"):
            expense.with_user(self.ka_user).action_pay()
        self.assertEqual(expense.state, "approved")
        with self.assertRefused(UserError, "Only claimed expenses can be approved"):
            expense.with_user(self.ka_manager).action_approve()
        with self.assertRefused(UserError, "Only approved expenses can be paid"):
            other.with_user(self.ka_manager).action_pay()
        expense.with_user(self.ka_manager).action_pay()
        other.with_user(self.ka_director).action_refuse()
        self.assertEqual((expense.state, other.state), ("paid", "refused"))

    def test_approved_and_paid_expenses_cannot_be_changed(self):
        visit = self._accepted(self._reported())
        approved, paid = self._expense(visit, amount=100.0), self._expense(visit, amount=200.0)
        (approved | paid).action_claim()
        (approved | paid).with_user(self.ka_manager).action_approve()
        paid.with_user(self.ka_manager).action_pay()
        for line in (approved, paid):
            for user in (self.ka_user, self.ka_manager):
                with self.assertRefused(UserError, "cannot be changed"):
                    line.with_user(user).write({"amount": 999.0})
                with self.assertRefused(UserError, "cannot be changed"):
                    line.with_user(user).write({"name": "Renamed", "state": line.state})
        (approved | paid).invalidate_recordset()
        self.assertEqual((approved.amount, paid.amount, visit.expense_total), (100.0, 200.0, 300.0))

    def test_approved_and_paid_expenses_cannot_be_reopened_or_deleted_by_the_claimant(self):
        visit = self._accepted(self._reported())
        paid = self._expense(visit, amount=200.0)
        paid.action_claim()
        paid.with_user(self.ka_manager).action_approve()
        paid.with_user(self.ka_manager).action_pay()
        for state in ("draft", "claimed"):
            with self.assertRaises(UserError, msg=state):  # AccessError is a UserError
                paid.with_user(self.ka_user).write({"state": state})
            paid.invalidate_recordset()
            self.assertEqual(paid.state, "paid")
        with self.assertRaises(UserError):
            paid.with_user(self.ka_user).unlink()
        self.assertTrue(paid.exists())
        self.assertEqual(visit.expense_total, 200.0)

    def test_positive_amounts_only(self):
        visit = self._approved()
        for amount in (-50.0, 0.0):
            with self.assertRefused(ValidationError, "positive amount"):
                self._expense(visit, amount=amount)
        expense = self._expense(visit, amount=10.0)
        with self.assertRefused(ValidationError, "positive amount"):
            expense.write({"amount": -10.0})
        self.assertEqual(expense.amount, 10.0)
        for vals in ({"quantity": -1}, {"unit_value": -5.0}, {"quantity_given": -2}):
            with self.assertRefused(ValidationError, "cannot be negative"):
                self.Gift.with_user(self.ka_user).create({"visit_id": visit.id, "name": "Tea set", **vals})
        self.assertEqual(len(visit.expense_line_ids), 1)
        self.assertFalse(visit.gift_line_ids)

    def test_a_line_belongs_to_one_plan(self):
        visit, reception = self._approved(), self._approved(model="key.account.reception")
        with self.assertRefused(ValidationError, "one visit or one reception"):
            self.Expense.create({"visit_id": visit.id, "reception_id": reception.id, "name": "Taxi", "amount": 30.0})
        with self.assertRefused(ValidationError, "one visit or one reception"):
            self.Gift.create({"visit_id": visit.id, "reception_id": reception.id, "name": "Tea set"})

    def test_close_refused_while_claimed_or_approved(self):
        visit = self._reported()
        expense = self._expense(visit)
        draft, refused = self._expense(visit, amount=5.0), self._expense(visit, amount=7.0)
        refused.action_claim()
        refused.with_user(self.ka_manager).action_refuse()
        expense.action_claim()
        with self.assertRefused(UserError, "still has expenses waiting"):
            visit.action_close()
        self.assertEqual(visit.state, "done")
        self._accepted(visit)
        expense.with_user(self.ka_manager).action_approve()
        with self.assertRefused(UserError, "still has expenses waiting"):
            visit.action_close()
        self.assertEqual(visit.state, "done")
        expense.with_user(self.ka_manager).action_pay()
        visit.action_close()
        self.assertEqual(visit.state, "closed")
        self.assertEqual(draft.state, "draft")

        reception = self._reported(model="key.account.reception")
        claimed = self._expense(reception)
        claimed.action_claim()
        with self.assertRefused(UserError, "still has expenses waiting"):
            reception.action_close()
        self.assertEqual(reception.state, "done")
