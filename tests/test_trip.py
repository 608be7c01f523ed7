"""Business trips (issue #22, part B; seed 001 第13–14条): requested before leaving, approved with
the layered approval (KA Manager; KA Director from the company's amount), locked under review;
arrivals reported at each stop by the traveller only, the clerks notified; trip days per
specialist and month in the KPIs (hand-computed, across a month boundary) against the target."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

JANUARY, FEBRUARY = date(2027, 1, 1), date(2027, 2, 1)


class TripCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_trip_director_amount = 10000.0
        cls.company.key_account_trip_days_target = 15

    def _trip(self, user=None, start=date(2027, 1, 30), end=date(2027, 2, 2), cost=3000.0, **vals):
        return (
            self.env["key.account.trip"]
            .with_user(user or self.ka_user)
            .create(
                {
                    "date_from": start,
                    "date_to": end,
                    "purpose": "Tender of Hengtai's Wuhan plant",
                    "estimated_cost": cost,
                    "stop_ids": [
                        (0, 0, {"place": "Wuhan", "sequence": 1, "date_planned": start}),
                        (0, 0, {"place": "Changsha", "sequence": 2, "date_planned": end}),
                    ],
                    **vals,
                }
            )
        )

    def _approved(self, trip, director=False):
        trip.action_submit()
        trip.with_user(self.ka_manager).validate_tier()
        if director:
            trip.with_user(self.ka_director).validate_tier()
        self.assertEqual(trip.state, "approved")
        return trip


@tagged("post_install", "-at_install")
class TestTripApproval(TripCase):
    @freeze_time("2027-01-20 08:00:00")
    def test_manager_approves_below_the_amount_director_above(self):
        small = self._trip(cost=9999.0)
        self.assertFalse(small.needs_director_approval)
        small.action_submit()
        reviews = small.sudo().review_ids
        self.assertEqual(reviews.reviewer_group_id, self.env.ref("key_account_mgmt.group_ka_manager"))
        # nobody below a KA Manager decides
        for user in (self.ka_user, self.ka_clerk):
            small.with_user(user).validate_tier()
        self.assertEqual(small.state, "submitted")
        small.with_user(self.ka_manager).validate_tier()
        self.assertEqual((small.state, bool(small.approved_date)), ("approved", True))

        big = self._trip(cost=10000.0)
        self.assertTrue(big.needs_director_approval)
        big.action_submit()
        self.assertEqual(len(big.sudo().review_ids), 2)
        big.with_user(self.ka_manager).validate_tier()
        self.assertEqual(big.state, "submitted")
        big.with_user(self.ka_director).validate_tier()
        self.assertEqual(big.state, "approved")

    @freeze_time("2027-01-20 08:00:00")
    def test_rejected_trip_goes_back_to_draft(self):
        trip = self._trip()
        trip.action_submit()
        trip.with_user(self.ka_manager).reject_tier()
        self.assertEqual(trip.state, "rejected")
        trip.action_reset_draft()
        trip.write({"estimated_cost": 2500.0})
        trip.action_submit()
        self.assertEqual(trip.state, "submitted")

    @freeze_time("2027-01-20 08:00:00")
    def test_material_fields_locked_under_review(self):
        trip = self._trip()
        trip.action_submit()
        for vals in ({"estimated_cost": 500.0}, {"date_to": date(2027, 2, 5)}, {"purpose": "Other"}):
            with self.assertRefused(ValidationError, "under approval"):
                trip.write(vals)
        with self.assertRefused(ValidationError, "under approval"):
            trip.stop_ids[0].write({"place": "Nanchang"})
        with self.assertRefused(ValidationError, "under approval"):
            self.env["key.account.trip.stop"].with_user(self.ka_user).create({"trip_id": trip.id, "place": "Hefei"})
        self.assertEqual((trip.estimated_cost, len(trip.stop_ids)), (3000.0, 2))
        # the approval's own fields: never by hand
        with self.assertRefused(ValidationError, "buttons"):
            trip.write({"state": "approved"})
        self.assertEqual(trip.state, "submitted")
        draft = self._trip()
        with self.assertRefused(AccessError, "change only through the actions"):
            draft.write({"trip_days": 30})
        with self.assertRefused(AccessError, "change only through the actions"):
            draft.write({"approved_date": datetime(2027, 1, 1)})
        self.assertEqual((trip.trip_days, draft.trip_days, draft.approved_date), (4, 4, False))

    @freeze_time("2027-01-20 08:00:00")
    def test_changing_an_approved_trip_asks_again(self):
        trip = self._approved(self._trip())
        trip.write({"date_to": date(2027, 2, 3)})
        self.assertEqual(trip.state, "submitted")
        self.assertEqual(trip.trip_days, 5)

    @freeze_time("2027-01-20 08:00:00")
    def test_bad_requests_refused_nothing_changed(self):
        with self.assertRefused(ValidationError, "comes back on or after"):
            self._trip(start=date(2027, 2, 2), end=date(2027, 1, 30), stop_ids=[])
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._trip(cost=-1.0)
        with self.assertRefused(ValidationError, "outside the trip"):
            self._trip(stop_ids=[(0, 0, {"place": "Xi'an", "date_planned": date(2027, 3, 1)})])
        shortened = self._trip()
        with self.assertRefused(ValidationError, "Changsha is planned on 2027-02-02, outside the trip"):
            shortened.write({"date_to": date(2027, 2, 1)})
        self.assertEqual(shortened.date_to, date(2027, 2, 2))
        no_stops = self._trip(stop_ids=False)
        no_stops.stop_ids.unlink()
        with self.assertRefused(ValidationError, "List the destinations"):
            no_stops.action_submit()
        no_purpose = self._trip(purpose=" ")
        with self.assertRefused(ValidationError, "Give the purpose"):
            no_purpose.action_submit()
        past = self._trip(start=date(2027, 1, 10), end=date(2027, 1, 12), stop_ids=[(5, 0, 0)])
        self.env["key.account.trip.stop"].with_user(self.ka_user).create({"trip_id": past.id, "place": "Wuhan"})
        with self.assertRefused(ValidationError, "before leaving"):
            past.action_submit()
        for trip in (no_stops, no_purpose, past):
            self.assertEqual((trip.state, trip.sudo().review_ids), ("draft", self.env["tier.review"]))

    @freeze_time("2027-01-20 08:00:00")
    def test_visits_covered_are_the_specialists_during_the_trip(self):
        Visit = self.env["key.account.visit"].with_user(self.ka_user)
        inside = Visit.create(
            {"partner_id": self.account.id, "purpose": "Tender", "date_planned": datetime(2027, 1, 31, 2, 0)}
        )
        outside = Visit.create(
            {"partner_id": self.account.id, "purpose": "Later", "date_planned": datetime(2027, 2, 10, 2, 0)}
        )
        trip = self._trip()
        trip.action_link_visits()
        self.assertEqual(trip.visit_ids, inside)
        trip.visit_ids = [(4, outside.id)]
        with self.assertRefused(ValidationError, "planned during the trip"):
            trip.action_submit()
        self.assertEqual(trip.state, "draft")


@tagged("post_install", "-at_install")
class TestTripWhereabouts(TripCase):
    def test_arrivals_reported_by_the_traveller_on_the_approved_trip(self):
        with freeze_time("2027-01-20 08:00:00"):
            trip = self._trip()
            with self.assertRefused(UserError, "approved trip"):
                trip.action_report_arrival("Wuhan", 30.59, 114.30, 12)
            self._approved(trip)
            with self.assertRefused(UserError, "runs from"):
                trip.action_report_arrival("Wuhan", 30.59, 114.30, 12)
        with freeze_time("2027-01-30 09:00:00"):
            for user in (self.ka_manager, self.ka_clerk):
                with self.assertRefused(AccessError, "who travels"):
                    trip.with_user(user).action_report_arrival("Wuhan", 30.59, 114.30)
            with self.assertRefused(AccessError, "."):
                trip.with_user(self.ka_user_off).action_report_arrival("Wuhan", 30.59, 114.30)
            with self.assertRefused(ValidationError, "Latitude must be a number"):
                trip.action_report_arrival("Wuhan", 95.0, 114.30)
            self.assertFalse(trip.stop_ids.filtered("arrival_date"))

            stop_id = trip.action_report_arrival("wuhan ", 30.5928, 114.3055, 15, note="Hotel Jinjiang")
            wuhan = trip.stop_ids.filtered(lambda s: s.place == "Wuhan")
            self.assertEqual(stop_id, wuhan.id)
            self.assertEqual(
                (wuhan.position_status, wuhan.latitude, wuhan.longitude, wuhan.reported_by_id, wuhan.arrival_note),
                ("located", 30.5928, 114.3055, self.ka_user, "Hotel Jinjiang"),
            )
            self.assertEqual(wuhan.arrival_date, datetime(2027, 1, 30, 9, 0))
            # the clerk is told (it replaces the phone call) and follows the trip
            message = trip.message_ids.filtered(lambda m: "arrived at Wuhan" in (m.body or ""))
            self.assertIn(self.ka_clerk.partner_id, message.partner_ids)
            self.assertIn(self.ka_clerk.partner_id, trip.message_partner_ids)
            # an unplanned stop, without position (the phone gave none)
            unplanned = self.env["key.account.trip.stop"].browse(trip.action_report_arrival("Yueyang"))
            self.assertEqual((unplanned.planned, unplanned.position_status), (False, "no_position"))
            # the arrival is the action's own
            with self.assertRefused(AccessError, "change only through the actions"):
                wuhan.write({"arrival_date": datetime(2027, 1, 29, 9, 0)})
            with self.assertRefused(AccessError, "change only through the actions"):
                self.env["key.account.trip.stop"].with_user(self.ka_user).create(
                    {"trip_id": trip.id, "place": "Fake", "arrival_date": datetime(2027, 1, 29, 9, 0)}
                )
            with self.assertRefused(UserError, "under way"):
                trip.action_cancel()
            with self.assertRefused(UserError, "Changsha"):
                trip.action_done()
        with freeze_time("2027-02-02 03:00:00"):
            trip.action_report_arrival(latitude=28.2282, longitude=112.9388)  # the next planned: Changsha
            self.assertTrue(trip.stop_ids.filtered(lambda s: s.place == "Changsha").arrival_date)
            trip.action_done()
            self.assertEqual(trip.state, "done")
            with self.assertRefused(UserError, "approved trip"):
                trip.action_report_arrival("Wuhan")


@tagged("post_install", "-at_install")
class TestTripDays(TripCase):
    def test_trip_days_per_month_hand_computed(self):
        """30 Jan – 2 Feb: 2 days in January, 2 in February; an overlapping trip (1–3 Feb) adds
        only 3 Feb; a trip in draft or cancelled counts nothing; another specialist's are theirs."""
        with freeze_time("2027-01-20 08:00:00"):
            self._approved(self._trip())
            self._approved(self._trip(start=date(2027, 2, 1), end=date(2027, 2, 3)))
            self._trip(start=date(2027, 1, 25), end=date(2027, 1, 27))  # draft
            cancelled = self._approved(self._trip(start=date(2027, 1, 21), end=date(2027, 1, 22)))
            cancelled.action_cancel()
            self._approved(self._trip(user=self.ka_user_off, start=date(2027, 1, 28), end=date(2027, 1, 28)))
        activity = self.env["key.account.activity.metrics"]
        self.assertEqual(activity._trip_days(JANUARY, date(2027, 1, 31)), {self.ka_user.id: 2, self.ka_user_off.id: 1})
        self.assertEqual(activity._trip_days(FEBRUARY, date(2027, 2, 28), [self.ka_user.id]), {self.ka_user.id: 3})

        Kpi = self.env["key.account.kpi"]
        rows = Kpi.search([("user_id", "=", self.ka_user.id), ("month", "in", [JANUARY, FEBRUARY])], order="month")
        self.assertEqual(
            [(r.month, r.trip_days, r.trip_days_target) for r in rows], [(JANUARY, 2, 15), (FEBRUARY, 3, 15)]
        )
        figures = Kpi._kpi_ratios([("month", "in", [JANUARY, FEBRUARY]), ("company_id", "=", self.company.id)])
        mine = figures[self.ka_user]
        self.assertEqual((mine["trip_days"], mine["trip_days_target"]), (5, 30))
        self.assertAlmostEqual(mine["trip_days_completion"], 100.0 * 5 / 30)
        # the target is the company's setting
        self.company.key_account_trip_days_target = 20
        self.env.invalidate_all()
        row = Kpi.search([("user_id", "=", self.ka_user.id), ("month", "=", JANUARY)])
        self.assertEqual(row.trip_days_target, 20)


@tagged("post_install", "-at_install")
class TestTripRights(TripCase):
    @freeze_time("2027-01-20 08:00:00")
    def test_who_sees_and_changes_a_trip(self):
        trip = self._trip()
        Trip = self.env["key.account.trip"]
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(Trip.with_user(user).search([("id", "=", trip.id)]), trip, user.login)
        for user in (self.ka_user_off, self.ka_manager_b, self.plain_user):
            with self.assertRaises(AccessError):
                trip.with_user(user).read(["purpose"])
        with self.assertRefused(AccessError, "."):
            trip.with_user(self.ka_user_off).write({"purpose": "Mine now"})
        with self.assertRefused(AccessError, "."):
            self.env["key.account.trip.stop"].with_user(self.ka_user_off).create({"trip_id": trip.id, "place": "Hefei"})
        # a trip is requested for oneself; the manager may request one for a specialist
        with self.assertRefused(AccessError, "."):
            self._trip(user=self.ka_user, user_id=self.ka_user_off.id)
        self._trip(user=self.ka_manager, user_id=self.ka_user_off.id)
        # only the traveller (or a manager) submits
        with self.assertRefused(AccessError, "Only the specialist travelling"):
            trip.with_user(self.ka_clerk).action_submit()
        self.assertEqual(trip.state, "draft")
        # a submitted trip is not deleted
        trip.action_submit()
        with self.assertRefused(UserError, "can be deleted"):
            trip.unlink()
