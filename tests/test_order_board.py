"""The order board of the account teams (内部跟单流程看板): each sales order of a key account or of
a branch of its group in the stage it has reached, with its next step and next activity."""

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin


@tagged("post_install", "-at_install")
class TestOrderBoard(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        cls.Board = cls.env["key.account.order.board"]
        cls.today = fields.Date.today()
        cls.product = cls.env["product.product"].create(
            {"name": "Gate valve DN300", "list_price": 1000.0, "type": "consu", "invoice_policy": "order"}
        )
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Account Branch Suzhou",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.plain_customer = cls.env["res.partner"].create({"name": "Walk-in Customer", "is_company": True})

    def _order(self, partner=None, confirm=True, delivered=False):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.account).id,
                "user_id": self.plain_user.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2, "tax_id": False})],
            }
        )
        if confirm:
            order.action_confirm()
        if delivered:
            order.order_line.qty_delivered = 2
        return order

    def _invoiced(self, invoice_date=None, paid=False):
        order = self._order(delivered=True)
        invoice = order._create_invoices()
        invoice.write(
            {
                "invoice_date": invoice_date or self.today,
                "invoice_payment_term_id": self.env.ref("account.account_payment_term_immediate").id,
            }
        )
        invoice.action_post()
        if paid:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
        return order

    def _stages(self, user=None):
        self.env.flush_all()
        board = self.Board.with_user(user) if user else self.Board
        return {row.order_id: row.stage for row in board.search([])}

    def test_each_order_in_the_stage_it_reached(self):
        quoted = self._order(confirm=False)
        confirmed = self._order()
        delivered = self._order(delivered=True)
        invoiced = self._invoiced()
        overdue = self._invoiced(invoice_date=fields.Date.add(self.today, days=-60))
        paid = self._invoiced(paid=True)
        branch_order = self._order(partner=self.branch, confirm=False)
        walk_in = self._order(partner=self.plain_customer)
        cancelled = self._order()
        cancelled._action_cancel()
        stages = self._stages()
        self.assertEqual(
            {order: stages.get(order) for order in (quoted, confirmed, delivered, invoiced, overdue, paid)},
            {
                quoted: "quoted",
                confirmed: "confirmed",
                delivered: "delivered",
                invoiced: "invoiced",
                overdue: "overdue",
                paid: "paid",
            },
        )
        self.assertEqual(stages[branch_order], "quoted")
        self.assertNotIn(walk_in, stages, "not a key account")
        self.assertNotIn(cancelled, stages)
        row = self.Board.search([("order_id", "=", branch_order.id)])
        self.assertEqual((row.account_id, row.partner_id), (self.account, self.branch))
        overdue_row = self.Board.search([("order_id", "=", overdue.id)])
        self.assertAlmostEqual(overdue_row.amount_residual, 2000.0)
        self.assertEqual(overdue_row.next_step, "Collect the overdue invoice")
        self.assertEqual(self.Board.search([("order_id", "=", paid.id)]).amount_residual, 0.0)

    def test_the_next_activity_of_the_order(self):
        order = self._order()
        later, sooner = (
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.add(self.today, days=days),
                summary=summary,
                user_id=self.ka_user.id,
            )
            for days, summary in ((9, "Delivery date with the site"), (2, "Confirm the drawings"))
        )
        self.env.flush_all()
        row = self.Board.search([("order_id", "=", order.id)])
        self.assertEqual(row.activity_id, sooner)
        self.assertEqual((row.activity_summary, row.activity_user_id), ("Confirm the drawings", self.ka_user))
        sooner.action_feedback(feedback="Drawings confirmed")
        self.env.flush_all()
        row.invalidate_recordset()
        self.assertEqual(row.activity_id, later)
        self.assertEqual(row.action_open_order()["res_id"], order.id)

    def test_who_sees_the_board(self):
        mine = self._order()
        other = self._order(partner=self.other_account)
        for user, expected in (
            (self.ka_user, {mine}),
            (self.ka_user_off, {other}),
            (self.ka_clerk, {mine, other}),
            (self.ka_manager, {mine, other}),
            (self.ka_director, {mine, other}),
        ):
            self.assertEqual(set(self._stages(user)), expected, user.name)
        with self.assertRaises(AccessError):
            self.Board.with_user(self.plain_user).search([])
        row = self.Board.search([("order_id", "=", mine.id)])
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaises(AccessError, msg=user.name):
                row.with_user(user).write({"stage": "paid"})
