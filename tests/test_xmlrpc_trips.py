"""Trips and monthly reports over real XML-RPC (issue #22, part B), as a phone app or a script
would drive them: the trip requested, approved by the KA Manager, the arrival reported by the
traveller only and its fields written by the action only; the monthly report submitted and sent
back. Every refusal a fault 2 (UserError/ValidationError) or 4 (AccessError), never 1, and
nothing changed by it."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestTripsXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.specialist = new_test_user(
            cls.env, "rpc_trip_specialist", groups=groups + ",key_account_mgmt.group_ka_user"
        )
        cls.colleague = new_test_user(cls.env, "rpc_trip_colleague", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_trip_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.env["res.partner"].create(
            {
                "name": "RPC Trip Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.specialist.id,
            }
        )

    def test_trip_over_xmlrpc(self):
        today = fields.Date.today()
        vals = {
            "date_from": str(today),
            "date_to": str(today + timedelta(days=2)),
            "purpose": "Tenders in Hubei",
            "estimated_cost": 2000,
            "stop_ids": [(0, 0, {"place": "Wuhan", "sequence": 1}), (0, 0, {"place": "Yichang", "sequence": 2})],
        }
        # for another specialist: refused; with a status or trip days of one's own: refused
        self._refused(4, self.specialist, "key.account.trip", "create", {**vals, "user_id": self.colleague.id})
        self._refused(2, self.specialist, "key.account.trip", "create", {**vals, "state": "approved"})
        self._refused(4, self.specialist, "key.account.trip", "create", {**vals, "trip_days": 30})
        self.assertFalse(
            self.env["key.account.trip"].search([("user_id", "in", (self.specialist | self.colleague).ids)])
        )

        trip_id = self._call(self.specialist, "key.account.trip", "create", vals)
        self.assertIs(self._call(self.specialist, "key.account.trip", "action_submit", [trip_id]), True)
        self._refused(2, self.specialist, "key.account.trip", "write", [trip_id], {"estimated_cost": 1})
        self._refused(4, self.colleague, "key.account.trip", "read", [trip_id], ["purpose"])
        self.assertIs(self._call(self.manager, "key.account.trip", "validate_tier", [trip_id]), True)
        [trip] = self._call(
            self.manager, "key.account.trip", "read", [trip_id], ["state", "trip_days", "estimated_cost"]
        )
        self.assertEqual((trip["state"], trip["trip_days"], trip["estimated_cost"]), ("approved", 3, 2000))

        # the arrival: by the traveller, with a position that is one
        self._refused(4, self.manager, "key.account.trip", "action_report_arrival", [trip_id], "Wuhan", 30.59, 114.3)
        self._refused(
            2, self.specialist, "key.account.trip", "action_report_arrival", [trip_id], "Wuhan", "north", 114.3
        )
        self._refused(2, self.specialist, "key.account.trip", "action_report_arrival", [trip_id], ["Wuhan"])
        stop_id = self._call(
            self.specialist,
            "key.account.trip",
            "action_report_arrival",
            [trip_id],
            place="Wuhan",
            latitude=30.5928,
            longitude=114.3055,
            accuracy=12,
        )
        [stop] = self._call(
            self.manager, "key.account.trip.stop", "read", [stop_id], ["place", "position_status", "latitude"]
        )
        self.assertEqual((stop["place"], stop["position_status"], stop["latitude"]), ("Wuhan", "located", 30.5928))
        message = self._refused(
            4, self.specialist, "key.account.trip.stop", "write", [stop_id], {"arrival_date": "2020-01-01 00:00:00"}
        )
        self.assertIn("change only through the actions", message)

    def test_monthly_report_over_xmlrpc(self):
        report = self.env["key.account.work.report"].create(
            {"user_id": self.specialist.id, "period_date": date.today().replace(day=1) - timedelta(days=1)}
        )
        self._refused(4, self.specialist, "key.account.work.report", "create", {"period_date": "2020-01-01"})
        self._refused(2, self.specialist, "key.account.work.report", "action_submit", [report.id])
        content = {
            "summary": "Won the Wuhan tender.",
            "forecast": "300 t next month.",
            "problems": "Late deliveries.",
            "solutions": "Book rail capacity ahead.",
            "customer_trends": "Cut-to-length beams.",
        }
        self.assertIs(self._call(self.specialist, "key.account.work.report", "write", [report.id], content), True)
        self.assertIs(self._call(self.specialist, "key.account.work.report", "action_submit", [report.id]), True)
        self._refused(4, self.specialist, "key.account.work.report", "action_accept", [report.id])
        self._refused(2, self.manager, "key.account.work.report", "action_send_back", [report.id], "")
        self.assertIs(
            self._call(
                self.manager, "key.account.work.report", "action_send_back", [report.id], "Per account, please."
            ),
            True,
        )
        [read] = self._call(
            self.specialist, "key.account.work.report", "read", [report.id], ["state", "review_comment"]
        )
        self.assertEqual((read["state"], read["review_comment"]), ("sent_back", "Per account, please."))
