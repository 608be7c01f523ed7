"""Key-account restrictions must not break what other users do with partners (SPEC §1)."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestStandardFlows(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Steel beam H300",
                "list_price": 1200.0,
                "standard_price": 900.0,
                "type": "consu",
            }
        )

    def test_plain_salesperson_quotes_confirms_and_messages(self):
        order = (
            self.env["sale.order"]
            .with_user(self.plain_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                }
            )
        )
        self.assertEqual(order.amount_untaxed, 12000.0)
        self.assertEqual(order.order_line.margin, 3000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        message = self.account.with_user(self.plain_user).message_post(
            body="Delivery moved to Monday", message_type="comment"
        )
        self.assertEqual(message.author_id, self.plain_user.partner_id)
        # the salesperson can also open the partner's form data, key-account fields excluded by groups
        data = self.account.with_user(self.plain_user).web_read(
            {"name": {}, "is_key_account": {}, "key_account_tier_id": {"fields": {"display_name": {}}}}
        )
        self.assertEqual(data[0]["key_account_tier_id"]["display_name"], "Strategic")

    def test_contact_of_key_account_in_quotation(self):
        order = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": self.contact.id})
        self.assertEqual(order.partner_id.commercial_partner_id, self.account)

    def test_billing_user_invoices_key_account(self):
        accountant = new_test_user(self.env, "ka_billing", groups="base.group_user,account.group_account_invoice")
        move = (
            self.env["account.move"]
            .with_user(accountant)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.account.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": 2,
                                "price_unit": 1200.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.amount_total, 2400.0)
