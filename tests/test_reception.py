"""Receptions (接待, SPEC §6, issue #6): visitors and hosts in the meeting, visitors from the
account's contacts, gift totals."""

from datetime import date

from odoo.tests import tagged

from .test_visit import REPORT, VisitCase


@tagged("post_install", "-at_install")
class TestReception(VisitCase):
    def test_visitors_and_hosts_join_the_meeting(self):
        # the clerk prepares the reception of the account's visitors for the account manager
        reception = self._reception(
            self.ka_clerk,
            user_id=self.ka_user.id,
            participant_ids=[(6, 0, self.ka_clerk.ids)],
            host_ids=[(6, 0, self.ka_director.ids)],
            agenda="09:00 mill tour; 11:00 quality lab; 12:00 lunch",
            meal_standard="Business lunch, 4 persons",
            lodging_standard="Jinan Sofitel, 2 nights",
            see_off="Driver to Jinan West station",
            visitor_ids=[
                (0, 0, {"contact_id": self.contact.id}),
                (0, 0, {"name": "Chen Ming", "title": "Site Manager"}),
            ],
        )
        self.assertRegex(reception.name, r"^REC/\d{4}/\d{4}$")
        by_contact, by_name = reception.visitor_ids
        self.assertEqual(by_contact.name, "Sun Li")
        self.assertEqual((by_name.name, by_name.title), ("Chen Ming", "Site Manager"))
        self.assertEqual(reception.visitor_ids.partner_id, self.account)
        self.assertEqual(reception.visitor_ids.company_id, self.company)
        reception.action_submit()
        self.assertFalse(reception.calendar_event_id)
        self._decide(reception, self.ka_manager)
        event = reception.calendar_event_id
        self.assertEqual(reception.state, "approved")
        self.assertEqual(event.partner_ids, (self.ka_user | self.ka_clerk | self.ka_director).partner_id)
        self.assertEqual((event.res_model, event.res_id), ("key.account.reception", reception.id))
        self.assertIn(
            event,
            self.env["calendar.event"]
            .with_user(self.ka_director)
            .search([("partner_ids", "in", self.ka_director.partner_id.id)]),
        )

        reception.write(REPORT)
        reception.action_done()
        self.assertEqual(self._visit_fields(self.account), (date(2026, 3, 12), 0, 1))

    def test_a_visitor_from_the_contacts_takes_name_and_function(self):
        reception = self._reception(
            visitor_ids=[
                (0, 0, {"contact_id": self.contact.id}),
                (0, 0, {"contact_id": self.engineer.id, "title": "Project Lead"}),
            ]
        )
        self.assertEqual(
            [(v.name, v.title) for v in reception.visitor_ids],
            [("Sun Li", "Purchasing Director"), ("Zhou Qiang", "Project Lead")],
        )

    def test_gift_totals(self):
        visit = self._plan(
            gift_line_ids=[
                (0, 0, {"name": "Company brochure", "quantity": 20, "unit_value": 12.5}),
                (0, 0, {"name": "Longjing tea set", "quantity": 2, "unit_value": 380.0}),
            ]
        )
        self.assertEqual(visit.gift_line_ids.mapped("subtotal"), [250.0, 760.0])
        self.assertEqual(visit.gift_total, 1010.0)
        self.assertEqual(visit.gift_line_ids.partner_id, self.account)
        visit.gift_line_ids[1].write({"quantity": 3})
        self.assertEqual(visit.gift_total, 1390.0)
        visit.write({"gift_line_ids": [(2, visit.gift_line_ids[0].id)]})
        self.assertEqual(visit.gift_total, 1140.0)

        reception = self._reception(
            gift_line_ids=[(0, 0, {"name": "Welcome basket", "quantity": 4, "unit_value": 99.0})]
        )
        self.assertEqual(reception.gift_total, 396.0)
        self.assertEqual(visit.gift_total, 1140.0, "the lines of the reception are not the visit's")
        # gifts given are reported after the approval
        approved = self._approved(gift_line_ids=[(0, 0, {"name": "Tea set", "quantity": 2, "unit_value": 380.0})])
        approved.gift_line_ids.write({"quantity_given": 1})
        self._expense(approved, amount=120.0)
        self._expense(approved, amount=80.5)
        self.assertEqual((approved.gift_total, approved.expense_total), (760.0, 200.5))
