"""The Inventory bridge key_account_mgmt_stock (issue #23, priority supply; seed 002 6.2.1): the
deliveries of orders of a strategic key account, and of its group's branches, are created
urgent (priority 1) and found by the warehouse's filter; other customers' are not. Runs on the
second test database, with the bridge (and so sale_stock) installed: ./kam test tests/stock."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestPriorityDeliveries(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = new_test_user(cls.env, "ka_stock_user", groups="base.group_user,stock.group_stock_user")
        cls.product = cls.env["product.product"].create(
            {"name": "Steel beam H300", "list_price": 1000.0, "type": "consu", "is_storable": True}
        )
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Construction Suzhou Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Walk-in Builder", "is_company": True})

    def _delivery(self, partner):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 3})],
            }
        )
        order.action_confirm()
        self.assertEqual(len(order.picking_ids), 1)
        return order, order.picking_ids

    def test_deliveries_of_priority_supply_are_urgent(self):
        # the account is strategic: its orders and its branch's come first
        for partner in (self.account, self.branch):
            order, picking = self._delivery(partner)
            self.assertTrue(order.key_account_priority_supply, partner.name)
            self.assertEqual(picking.priority, "1", partner.name)
            self.assertEqual(picking.move_ids.mapped("priority"), ["1"])
            self.assertTrue(picking.key_account_priority_supply)
        # a key tier account and an ordinary customer: normal
        for partner in (self.other_account, self.customer):
            order, picking = self._delivery(partner)
            self.assertFalse(order.key_account_priority_supply, partner.name)
            self.assertEqual(picking.priority, "0", partner.name)

    def test_the_warehouse_filters_the_priority_deliveries(self):
        _order, urgent = self._delivery(self.account)
        _order, normal = self._delivery(self.customer)
        Picking = self.env["stock.picking"].with_user(self.warehouse_user)
        found = Picking.search([("key_account_priority_supply", "=", True), ("id", "in", (urgent | normal).ids)])
        self.assertEqual(found, urgent)
        self.assertEqual(Picking.browse(urgent.id).key_account_priority_supply, True)
        # the filter of the transfers' search view
        arch = Picking.get_view(view_type="search")["arch"]
        self.assertIn('name="key_account_priority_supply"', arch)
