from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import clean_text, ensure_one, post_for
from .key_account_approval_mixin import APPROVAL_STATES

TRIP_STATES = [*APPROVAL_STATES[:3], ("done", "Completed"), *APPROVAL_STATES[3:]]
# what the reviewers approve (the destinations through their lines, key.account.trip.stop)
TRIP_MATERIAL_FIELDS = ("user_id", "company_id", "date_from", "date_to", "purpose", "estimated_cost", "visit_ids")
KA_CLERK = "key_account_mgmt.group_ka_clerk"
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountTrip(models.Model):
    """A business trip of a specialist (出差申请, seed 001 第13–14条): requested before leaving with
    its dates, destinations (key.account.trip.stop), purpose, the visits it covers and its
    estimated cost, approved with the layered approval (KA Manager; KA Director from the
    company's amount) — 批准后方可出差. On the road the specialist reports each arrival from the
    phone (place, time, position): the report replaces the phone call to the department clerk
    (用当地固定电话向部门内勤汇报行踪并登记), who is notified and finds it in the whereabouts
    register. The approved days count as trip days in the KPIs, against the company's monthly
    target (第13条: 每月出差不得低于15天).

    A trip is the specialist's own record: they, the clerks and managers of its company see it
    (security/key_account_trip_security.xml)."""

    _name = "key.account.trip"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Business Trip"
    _order = "date_from desc, id desc"
    _approval_material_fields = TRIP_MATERIAL_FIELDS

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        TRIP_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Specialist",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date_from = fields.Date(string="Leaving On", required=True, tracking=True)
    date_to = fields.Date(string="Back On", required=True, tracking=True)
    purpose = fields.Text()
    estimated_cost = fields.Monetary(currency_field="currency_id", tracking=True, help="Travel, lodging and meals.")
    stop_ids = fields.One2many("key.account.trip.stop", "trip_id", string="Destinations", copy=True)
    visit_ids = fields.Many2many(
        "key.account.visit",
        string="Visits Covered",
        domain="[('user_id', '=', user_id), ('state', 'not in', ('rejected', 'cancelled'))]",
        help="The specialist's visits planned during the trip.",
    )
    trip_days = fields.Integer(
        compute="_compute_trip_days",
        store=True,
        help="Calendar days away, the day of leaving and of coming back included.",
    )
    stop_count = fields.Integer(string="Destinations Planned", compute="_compute_stop_counts")
    reported_stop_count = fields.Integer(string="Arrivals Reported", compute="_compute_stop_counts")
    next_stop_place = fields.Char(string="Next Destination", compute="_compute_stop_counts")
    is_mine = fields.Boolean(string="My Trip", compute="_compute_is_mine")

    @api.depends("date_from", "date_to")
    def _compute_trip_days(self):
        for trip in self:
            days = (trip.date_to - trip.date_from).days + 1 if trip.date_from and trip.date_to else 0
            trip.trip_days = max(days, 0)

    @api.depends("stop_ids.arrival_date", "stop_ids.planned", "stop_ids.sequence")
    def _compute_stop_counts(self):
        for trip in self:
            planned = trip.stop_ids.filtered("planned")
            trip.stop_count = len(planned)
            trip.reported_stop_count = len(trip.stop_ids.filtered("arrival_date"))
            trip.next_stop_place = planned.filtered(lambda stop: not stop.arrival_date)[:1].place or False

    @api.depends_context("uid")
    @api.depends("user_id")
    def _compute_is_mine(self):
        for trip in self:
            trip.is_mine = trip.user_id == self.env.user

    @api.depends("estimated_cost", "company_id.key_account_trip_director_amount")
    def _compute_needs_director_approval(self):
        for trip in self:
            threshold = trip.company_id.key_account_trip_director_amount
            trip.needs_director_approval = bool(threshold) and trip.estimated_cost >= threshold

    @api.depends("name", "user_id", "date_from", "date_to")
    def _compute_display_name(self):
        for trip in self:
            if trip.date_from and trip.date_to:
                trip.display_name = f"{trip.name} · {trip.user_id.name or ''} · {trip.date_from} → {trip.date_to}"
            else:
                trip.display_name = trip.name

    @api.constrains("date_from", "date_to", "estimated_cost")
    def _check_dates_and_cost(self):
        for trip in self:
            if trip.date_to < trip.date_from:
                raise ValidationError(self.env._("A trip comes back on or after the day it leaves."))
            if trip.estimated_cost < 0:
                raise ValidationError(self.env._("The estimated cost cannot be negative."))
        self.stop_ids._check_date_planned()

    # ------------------------------------------------------------------ request
    def _check_submittable(self):
        trip = ensure_one(self)
        if not self.env.su and self.env.user != trip.user_id and not self.env.user.has_group(KA_MANAGER):
            raise AccessError(
                self.env._("Only the specialist travelling submits the request of %(name)s.", name=trip.name)
            )
        if not (trip.purpose or "").strip():
            raise ValidationError(self.env._("Give the purpose of %(name)s.", name=trip.name))
        if not trip.stop_ids:
            raise ValidationError(self.env._("List the destinations of %(name)s.", name=trip.name))
        if trip.date_from < fields.Date.context_today(trip):
            raise ValidationError(self.env._("A trip is requested before leaving (出差前须提交出差申请)."))
        outside = trip.visit_ids.filtered(lambda visit: not trip._covers_visit(visit))
        if outside:
            raise ValidationError(
                self.env._(
                    "%(visits)s: a trip covers visits of its specialist planned during the trip.",
                    visits=", ".join(outside.mapped("display_name")),
                )
            )

    def _covers_visit(self, visit):
        self.ensure_one()
        visit = visit.sudo()
        day = fields.Datetime.context_timestamp(self.with_user(self.user_id), visit.date_planned).date()
        people = visit.user_id | visit.participant_ids
        return self.user_id in people and self.date_from <= day <= self.date_to

    def action_link_visits(self):
        """Link the specialist's visits planned during the trip (those they are on, not
        cancelled or rejected) — while the request is still open."""
        for trip in self:
            if trip.state not in ("draft", "rejected"):
                raise UserError(self.env._("The visits of %(name)s are linked before it is submitted.", name=trip.name))
            start = fields.Datetime.to_datetime(trip.date_from) - timedelta(days=1)
            stop = fields.Datetime.to_datetime(trip.date_to) + timedelta(days=2)
            candidates = self.env["key.account.visit"].search(
                [
                    "|",
                    ("user_id", "=", trip.user_id.id),
                    ("participant_ids", "in", trip.user_id.ids),
                    ("state", "not in", ("rejected", "cancelled")),
                    ("date_planned", ">=", start),
                    ("date_planned", "<", stop),
                ]
            )
            trip.visit_ids = candidates.filtered(trip._covers_visit)
        return True

    def _on_approved(self):
        for trip in self:
            post_for(
                trip,
                trip.user_id,
                lambda local: local.env._("Trip approved: report your arrival at each destination from here."),
                subtype_xmlid="mail.mt_note",
            )

    def action_cancel(self):
        """A request is cancelled up to its approval, an approved trip as long as nobody has
        left (no arrival reported); the trip days then drop out of the KPIs."""
        for trip in self:
            if trip.state == "done" or trip.stop_ids.filtered("arrival_date"):
                raise UserError(
                    self.env._("%(name)s is under way or completed: it cannot be cancelled.", name=trip.name)
                )
        self._write_state({"state": "cancelled"})
        return True

    def action_done(self):
        """Back from the trip: every destination planned has its arrival reported."""
        for trip in self:
            trip._check_traveller()
            if trip.state != "approved":
                raise UserError(self.env._("Only an approved trip is completed."))
            missing = trip.stop_ids.filtered(lambda stop: stop.planned and not stop.arrival_date)
            if missing:
                raise UserError(
                    self.env._(
                        "Report your arrival at %(places)s before completing %(name)s.",
                        places=", ".join(missing.mapped("place")),
                        name=trip.name,
                    )
                )
        self._write_state({"state": "done"})
        return True

    # ------------------------------------------------------------------ on the road
    def _check_traveller(self):
        self.ensure_one()
        self.check_access("read")
        if not self.env.su and self.env.user != self.user_id:
            raise AccessError(
                self.env._("Only %(user)s, who travels, reports on %(name)s.", user=self.user_id.name, name=self.name)
            )

    def action_report_arrival(self, place=None, latitude=None, longitude=None, accuracy=None, note=None):
        """Report the arrival at ``place`` now, at the position given (degrees, accuracy in
        metres; none when the phone gave none): the next planned destination of that name, else
        an unplanned stop. The department clerks are notified (it replaces the phone call).
        Returns the id of the stop."""
        trip = ensure_one(self)
        place = clean_text(self.env, place, self.env._("Place"))[:128]
        note = clean_text(self.env, note, self.env._("Note"))[:500]
        position = self.env["key.account.visit"]._checkin_position(latitude, longitude, accuracy)
        trip._check_traveller()
        if trip.state != "approved":
            raise UserError(self.env._("Arrivals are reported on an approved trip (批准后方可出差)."))
        today = fields.Date.context_today(trip)
        if not trip.date_from <= today <= trip.date_to:
            raise UserError(
                self.env._(
                    "%(name)s runs from %(start)s to %(end)s.", name=trip.name, start=trip.date_from, end=trip.date_to
                )
            )
        waiting = trip.stop_ids.filtered(lambda stop: stop.planned and not stop.arrival_date).sorted("sequence")
        if not place:
            if not waiting:
                raise ValidationError(self.env._("Say where you have arrived."))
            place = waiting[0].place
        stop = waiting.filtered(lambda s: s.place.strip().casefold() == place.casefold())[:1]
        vals = {
            "arrival_date": fields.Datetime.now(),
            "reported_by_id": self.env.uid,
            "arrival_note": note or False,
            "position_status": "no_position" if position is None else "located",
        }
        if position is not None:
            vals.update(dict(zip(("latitude", "longitude", "accuracy"), position, strict=True)))
        if stop:
            stop.sudo().write(vals)
        else:
            sequence = max(trip.stop_ids.mapped("sequence"), default=0) + 1
            stop = (
                self.env["key.account.trip.stop"]
                .sudo()
                .create({"trip_id": trip.id, "place": place, "sequence": sequence, "planned": False, **vals})
            )
        trip._notify_arrival(stop)
        return stop.id

    def _clerks(self):
        """The department clerks of the trip's company (内勤): clerks who are not managers."""
        self.ensure_one()
        clerks = (
            self.env.ref(KA_CLERK)
            .sudo()
            .users.filtered(
                lambda user: not user.share and self.company_id in user.company_ids and not user.has_group(KA_MANAGER)
            )
        )
        return clerks - self.user_id

    def _notify_arrival(self, stop):
        self.ensure_one()
        self.sudo().message_subscribe(partner_ids=self._clerks().partner_id.ids)
        post_for(
            self.sudo(),
            self._clerks(),
            lambda local: local.env._(
                "%(user)s arrived at %(place)s (%(position)s).",
                user=self.user_id.name,
                place=stop.place,
                position=dict(stop._fields["position_status"]._description_selection(local.env))[stop.position_status],
            ),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
