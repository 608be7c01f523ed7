"""Check-in and check-out on site (issue #22, part A): the distance to the customer's coordinates
by the haversine formula against hand-computed values, the in-range / out-of-range / no reference
/ no position status against the company's radius, the time on site, photos, and who may check in:
only the people on the visit, through the action only (the fields are the action's own)."""

import base64
import math
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.key_account_mgmt.models.key_account_visit_checkin_mixin import EARTH_RADIUS_M, haversine_m

from .test_visit import REPORT, VisitCase

# the customer: People's Square, Shanghai
CUSTOMER = (31.2304, 121.4737)
# one pixel PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
GUARDED = "change only through the actions that own them"


class CheckinCase(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"partner_latitude": CUSTOMER[0], "partner_longitude": CUSTOMER[1]})
        cls.company.key_account_checkin_radius = 1000

    def _visit(self, **vals):
        return self._approved(participant_ids=[(6, 0, self.ka_clerk.ids)], **vals)


@tagged("post_install", "-at_install")
class TestHaversine(CheckinCase):
    def test_distances_computed_by_hand(self):
        """R = 6,371,008.8 m (mean Earth radius). Along a meridian the distance is R·Δφ; along
        the equator R·Δλ; otherwise a = sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2), d = 2R·asin √a."""
        rad = math.pi / 180
        # 0.006° of latitude north: 6,371,008.8 × 0.006 × π/180 = 667.17 m
        self.assertAlmostEqual(haversine_m(31.2304, 121.4737, 31.2364, 121.4737), 667.17, delta=0.01)
        self.assertAlmostEqual(EARTH_RADIUS_M * 0.006 * rad, 667.17, delta=0.01)
        # 0.01° of latitude: 1,111.95 m; one degree of longitude on the equator: 111,195.08 m
        self.assertAlmostEqual(haversine_m(31.2304, 121.4737, 31.2404, 121.4737), 1111.95, delta=0.01)
        self.assertAlmostEqual(haversine_m(0, 0, 0, 1), 111195.08, delta=0.01)
        # People's Square → Lujiazui (31.2397, 121.4998): Δφ = 0.0093° = 1.62316e-4 rad,
        # Δλ = 0.0261° = 4.55531e-4 rad, cos 31.2304° = 0.855060, cos 31.2397° = 0.854976;
        # a = (8.1158e-5)² + 0.855060 × 0.854976 × (2.27765e-4)² = 6.5866e-9 + 3.7925e-8 = 4.4512e-8;
        # d = 2 × 6,371,008.8 × asin(2.10979e-4) = 2,688.4 m
        self.assertAlmostEqual(haversine_m(31.2304, 121.4737, 31.2397, 121.4998), 2688.4, delta=0.5)
        # symmetric, zero on the spot, and Beijing (Tian'anmen) → Shanghai about 1,068 km
        self.assertAlmostEqual(
            haversine_m(31.2397, 121.4998, 31.2304, 121.4737), haversine_m(31.2304, 121.4737, 31.2397, 121.4998)
        )
        self.assertEqual(haversine_m(*CUSTOMER, *CUSTOMER), 0.0)
        self.assertAlmostEqual(haversine_m(39.9087, 116.3975, *CUSTOMER) / 1000, 1068.1, delta=0.1)


@tagged("post_install", "-at_install")
class TestCheckin(CheckinCase):
    def test_in_range(self):
        visit = self._visit()
        self.assertEqual(visit.checkin_status, "none")
        with freeze_time("2026-03-12 02:05:00"):
            self.assertIs(visit.with_user(self.ka_user).action_check_in(31.2364, 121.4737, 8.0), True)
        self.assertEqual(visit.checkin_status, "in_range")
        self.assertEqual(visit.checkin_distance, 667.0, "667.17 m, kept to the metre")
        self.assertEqual(
            (visit.checkin_date, visit.checkin_user_id, visit.checkin_radius),
            (datetime(2026, 3, 12, 2, 5), self.ka_user, 1000),
        )
        self.assertEqual(
            (visit.checkin_latitude, visit.checkin_longitude, visit.checkin_accuracy), (31.2364, 121.4737, 8.0)
        )
        self.assertEqual((visit.checkin_reference_latitude, visit.checkin_reference_longitude), CUSTOMER)
        self.assertIn("In Range, 667 m from the customer", visit.message_ids[0].body)
        self.assertEqual(visit.message_ids[0].author_id, self.ka_user.partner_id)

    def test_out_of_range_and_the_radius(self):
        far = self._visit()
        far.with_user(self.ka_user).action_check_in(31.2404, 121.4737)  # 1,111.95 m
        self.assertEqual((far.checkin_status, far.checkin_distance), ("out_of_range", 1112.0))
        # a wider radius of the company: in range; the radius in force is kept with the check-in
        self.company.key_account_checkin_radius = 1200
        near = self._visit()
        near.with_user(self.ka_user).action_check_in(31.2404, 121.4737)
        self.assertEqual((near.checkin_status, near.checkin_radius), ("in_range", 1200))
        self.assertEqual((far.checkin_status, far.checkin_radius), ("out_of_range", 1000))
        # the status is decided on the distance before it is kept to the metre: 667.17 m
        for radius, status in ((667, "out_of_range"), (668, "in_range")):
            self.company.key_account_checkin_radius = radius
            edge = self._visit()
            edge.with_user(self.ka_user).action_check_in(31.2364, 121.4737)
            self.assertEqual(edge.checkin_status, status, radius)
        with self.assertRefused(ValidationError, "positive number of metres"):
            self.company.key_account_checkin_radius = 0

    def test_no_reference_location_and_no_position(self):
        """Without coordinates of the customer (no geocoding), the check-in keeps the time and
        position: "no reference location"; without the phone's position: "no position"."""
        self.account.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        visit = self._visit()
        visit.with_user(self.ka_user).action_check_in(31.2364, 121.4737, 20)
        self.assertEqual((visit.checkin_status, visit.checkin_distance), ("no_reference", 0.0))
        self.assertEqual(visit.checkin_latitude, 31.2364)
        self.assertTrue(visit.checkin_date)
        blind = self._visit()
        blind.with_user(self.ka_clerk).action_check_in()
        self.assertEqual((blind.checkin_status, blind.checkin_user_id), ("no_position", self.ka_clerk))
        self.assertFalse(blind.checkin_latitude)

    def test_check_out_and_time_on_site(self):
        visit = self._visit()
        with freeze_time("2026-03-12 02:00:00"):
            visit.with_user(self.ka_user).action_check_in(31.2334, 121.4737)  # 333.59 m
        # the customer's coordinates changed after the check-in: the check-out is measured to
        # the location kept at check-in
        self.account.write({"partner_latitude": 30.0, "partner_longitude": 120.0})
        with freeze_time("2026-03-12 04:45:00"):
            visit.with_user(self.ka_user).action_check_out(31.2304, 121.4837, 15)
        # 0.01° of longitude at 31.2304°: a = cos²φ · sin²(Δλ/2), d = 2R·asin(0.855060 × 8.72665e-5) = 950.82 m
        self.assertEqual((visit.checkout_distance, visit.checkout_status), (951.0, "in_range"))
        self.assertEqual(visit.checkin_distance, 334.0)  # 333.59 m
        self.assertEqual(visit.onsite_hours, 2.75)
        with self.assertRefused(UserError, "checked out already"):
            visit.with_user(self.ka_user).action_check_out(31.2304, 121.4837)
        # checked out after the report is filed too
        late = self._visit()
        late.with_user(self.ka_user).action_check_in(*CUSTOMER)
        late.write(REPORT)
        late.action_done()
        late.with_user(self.ka_user).action_check_out()
        self.assertEqual((late.checkout_status, late.state), ("no_position", "done"))

    def test_when_a_visit_is_checked_in(self):
        for plan in (self._plan(), self._submitted()):
            with self.assertRefused(UserError, "once the visit is approved"):
                plan.with_user(self.ka_user).action_check_in(*CUSTOMER)
        phone = self._approved(method="phone")
        with self.assertRefused(UserError, "Only an on-site visit"):
            phone.with_user(self.ka_user).action_check_in(*CUSTOMER)
        visit = self._visit()
        with self.assertRefused(UserError, "Check in before checking out"):
            visit.with_user(self.ka_user).action_check_out(*CUSTOMER)
        visit.with_user(self.ka_user).action_check_in(*CUSTOMER)
        with self.assertRefused(UserError, "checked in already"):
            visit.with_user(self.ka_clerk).action_check_in(*CUSTOMER)
        reported = self._reported()
        with self.assertRefused(UserError, "once the visit is approved"):
            reported.with_user(self.ka_user).action_check_in(*CUSTOMER)
        self.assertEqual((phone.checkin_status, reported.checkin_status), ("none", "none"))

    def test_bad_positions_refused(self):
        visit = self._visit()
        for args in (
            (91.0, 121.0),
            (31.0, -180.5),
            (float("nan"), 121.0),
            (31.0, float("inf")),
            ("31.2", 121.0),
            (True, 121.0),
            (31.0, None),
            (2**70, 121.0),
            ([31.0], 121.0),
        ):
            with self.assertRefused(ValidationError, "must be a number from"):
                visit.with_user(self.ka_user).action_check_in(*args)
        with self.assertRefused(ValidationError, "Accuracy must be a number"):
            visit.with_user(self.ka_user).action_check_in(31.0, 121.0, -5)
        self.assertEqual(visit.checkin_status, "none")


@tagged("post_install", "-at_install")
class TestCheckinRights(CheckinCase):
    def test_only_the_people_on_the_visit(self):
        """The responsible and the participants check in; the KA Manager who approved the visit,
        a KA User of another team, a plain user, the director: refused."""
        visit = self._visit()
        for user in (self.ka_manager, self.ka_director):
            with self.assertRefused(AccessError, "Only the people on"):
                visit.with_user(user).action_check_in(*CUSTOMER)
        for user in (self.ka_user_off, self.plain_user, self.ka_manager_b):
            with self.assertRaises(AccessError, msg=user.login):
                visit.with_user(user).action_check_in(*CUSTOMER)
        self.assertEqual(visit.checkin_status, "none")
        visit.with_user(self.ka_clerk).action_check_in(*CUSTOMER)  # a participant
        self.assertEqual((visit.checkin_status, visit.checkin_user_id), ("in_range", self.ka_clerk))
        with self.assertRefused(AccessError, "Only the people on"):
            visit.with_user(self.ka_manager).action_check_out(*CUSTOMER)
        visit.with_user(self.ka_user).action_check_out(*CUSTOMER)
        self.assertTrue(visit.checkout_date)

    def test_checkin_fields_only_by_the_action(self):
        visit = self._visit()
        forged = {
            "checkin_status": "in_range",
            "checkin_date": "2026-03-12 02:00:00",
            "checkin_distance": 10.0,
            "checkin_latitude": CUSTOMER[0],
            "checkin_user_id": self.ka_user.id,
            "checkout_date": "2026-03-12 05:00:00",
            "onsite_hours": 3.0,
            "checkin_radius": 50000,
        }
        for user in (self.ka_user, self.ka_clerk, self.ka_manager):
            for name, value in forged.items():
                with self.assertRefused(AccessError, GUARDED):
                    visit.with_user(user).write({name: value})
        with self.assertRefused(AccessError, GUARDED):
            self._plan(checkin_status="in_range", checkin_date="2026-03-12 02:00:00")
        created = (
            self.Visit.with_user(self.ka_user)
            .with_context(default_checkin_status="in_range")
            .create({"partner_id": self.account.id, "purpose": "Plan", "date_planned": "2026-03-20 02:00:00"})
        )
        self.assertEqual(created.checkin_status, "none")
        visit.invalidate_recordset()
        self.assertEqual((visit.checkin_status, visit.checkin_date), ("none", False))

    def test_photos(self):
        visit = self._visit()
        with self.assertRefused(UserError, "after checking in"):
            visit.with_user(self.ka_user).action_add_checkin_photo("site.png", base64.b64encode(PNG).decode())
        visit.with_user(self.ka_user).action_check_in(*CUSTOMER)
        attachment_id = visit.with_user(self.ka_user).action_add_checkin_photo(
            "site.png", "data:image/png;base64," + base64.b64encode(PNG).decode()
        )
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(visit.checkin_photo_ids, attachment)
        self.assertEqual(
            (attachment.res_model, attachment.res_id, attachment.mimetype, attachment.raw, attachment.create_uid),
            ("key.account.visit", visit.id, "image/png", PNG, self.ka_user),
        )
        # the team reads it, another team does not
        self.assertEqual(attachment.with_user(self.ka_manager).raw, PNG)
        with self.assertRaises(AccessError):
            attachment.with_user(self.ka_user_off).read(["raw"])
        for data in ("not base64!", base64.b64encode(b"%PDF-1.4 not an image").decode(), "", 42):
            with self.subTest(data=str(data)[:20]), self.assertRefused(ValidationError, "is an image"):
                visit.with_user(self.ka_user).action_add_checkin_photo("x.png", data)
        with self.assertRefused(AccessError, "Only the people on"):
            visit.with_user(self.ka_manager).action_add_checkin_photo("x.png", base64.b64encode(PNG).decode())
        with self.assertRefused(AccessError, GUARDED):
            visit.with_user(self.ka_user).write({"checkin_photo_ids": [(5, 0, 0)]})
        visit.write(REPORT)
        visit.action_done()
        self._accepted(visit)
        with self.assertRefused(UserError, "before the report is accepted"):
            visit.with_user(self.ka_user).action_add_checkin_photo("late.png", base64.b64encode(PNG).decode())
        self.assertEqual(len(visit.checkin_photo_ids), 1)


@tagged("post_install", "-at_install")
class TestCustomerLocation(CheckinCase):
    def test_who_sets_the_customers_location(self):
        """The check-ins are measured to the account's coordinates: a KA Manager sets them by
        hand, the team has them found from the address (the geocoder); nobody on the team moves
        the customer next to where they check in. Changing the address clears them."""
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "set by a Key Account Manager"):
                self.account.with_user(user).write({"partner_latitude": 31.2334, "partner_longitude": 121.4737})
        self.assertEqual((self.account.partner_latitude, self.account.partner_longitude), CUSTOMER)
        self.account.with_user(self.ka_manager).write({"partner_latitude": 31.2310})
        self.assertEqual(self.account.partner_latitude, 31.2310)
        # a partner that is no key account: as in standard Odoo
        self.contact.with_user(self.ka_user).write({"partner_latitude": 31.0, "partner_longitude": 121.0})
        self.assertEqual(self.contact.partner_latitude, 31.0)
        # a new address clears the location (base_geolocalize): the check-in then has no reference
        self.account.with_user(self.ka_user).write({"street": "1 Renmin Road"})
        self.assertEqual((self.account.partner_latitude, self.account.partner_longitude), (0.0, 0.0))
        visit = self._visit()
        self.assertFalse(visit.checkin_reference_set)
        # no geocoder answers in tests: the team is told to ask a manager
        with self.assertRefused(UserError, "No location was found for the address"):
            visit.with_user(self.ka_user).action_locate_customer()
        with self.assertRaises(AccessError):
            visit.with_user(self.ka_user_off).action_locate_customer()
        visit.with_user(self.ka_user).action_check_in(*CUSTOMER)
        self.assertEqual(visit.checkin_status, "no_reference")
