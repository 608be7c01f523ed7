import base64
import binascii
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from ..tools import clean_text, ensure_one, format_number

EARTH_RADIUS_M = 6371008.8  # mean radius of the Earth (IUGG)
CHECKIN_STATUSES = [
    ("none", "Not Checked In"),
    ("in_range", "In Range"),
    ("out_of_range", "Out of Range"),
    ("no_reference", "No Reference Location"),
    ("no_position", "No Position"),
]
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two points given in degrees (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi, half_dlambda = (phi2 - phi1) / 2, math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class KeyAccountVisitCheckinMixin(models.AbstractModel):
    """Field work that proves itself (issue #22): the people on an on-site visit check in at
    the customer and out again from their phone (the visit form's check-in widget, the
    browser's position), and add photos. Each check keeps the time, the position and its
    distance to the account's coordinates (partner_latitude/longitude, geocoded by
    base_geolocalize or set by hand; kept as they were at check-in), and a status against the
    company's radius: in range, out of range, no reference location (the account has no
    coordinates), no position (the phone gave none). All of it is the actions' own (read-only:
    key.account.write.guard keeps it); the report and the expense approver show it."""

    _name = "key.account.visit.checkin.mixin"
    _description = "Visit Check-in"

    checkin_status = fields.Selection(
        CHECKIN_STATUSES, string="Check-in", default="none", required=True, readonly=True, copy=False, index=True
    )
    checkin_date = fields.Datetime(string="Checked In", readonly=True, copy=False)
    checkin_user_id = fields.Many2one("res.users", string="Checked In by", readonly=True, copy=False)
    checkin_latitude = fields.Float(string="Check-in Latitude", digits=(10, 7), readonly=True, copy=False)
    checkin_longitude = fields.Float(string="Check-in Longitude", digits=(10, 7), readonly=True, copy=False)
    checkin_accuracy = fields.Float(string="Check-in Accuracy (m)", digits=(16, 0), readonly=True, copy=False)
    checkin_distance = fields.Float(string="Distance at Check-in (m)", digits=(16, 0), readonly=True, copy=False)
    checkin_radius = fields.Integer(string="Radius (m)", readonly=True, copy=False)
    checkin_reference_latitude = fields.Float(string="Customer Latitude", digits=(10, 7), readonly=True, copy=False)
    checkin_reference_longitude = fields.Float(string="Customer Longitude", digits=(10, 7), readonly=True, copy=False)
    checkout_status = fields.Selection(
        CHECKIN_STATUSES, string="Check-out", default="none", required=True, readonly=True, copy=False
    )
    checkout_date = fields.Datetime(string="Checked Out", readonly=True, copy=False)
    checkout_latitude = fields.Float(string="Check-out Latitude", digits=(10, 7), readonly=True, copy=False)
    checkout_longitude = fields.Float(string="Check-out Longitude", digits=(10, 7), readonly=True, copy=False)
    checkout_accuracy = fields.Float(string="Check-out Accuracy (m)", digits=(16, 0), readonly=True, copy=False)
    checkout_distance = fields.Float(string="Distance at Check-out (m)", digits=(16, 0), readonly=True, copy=False)
    onsite_hours = fields.Float(string="Time on Site (Hours)", compute="_compute_onsite_hours", store=True, copy=False)
    checkin_photo_ids = fields.Many2many(
        "ir.attachment",
        "key_account_visit_checkin_photo_rel",
        "visit_id",
        "attachment_id",
        string="Photos",
        readonly=True,
        copy=False,
    )

    checkin_is_mine = fields.Boolean(
        string="I Am on the Visit", compute="_compute_checkin_is_mine", help="The responsible or a participant."
    )

    checkin_reference_set = fields.Boolean(
        string="Customer Located",
        compute="_compute_checkin_reference_set",
        compute_sudo=True,
        help="The key account has coordinates to measure the check-ins to.",
    )

    @api.depends("partner_id.partner_latitude", "partner_id.partner_longitude")
    def _compute_checkin_reference_set(self):
        for visit in self:
            visit.checkin_reference_set = bool(visit.partner_id.partner_latitude or visit.partner_id.partner_longitude)

    @api.depends_context("uid")
    @api.depends("user_id", "participant_ids")
    def _compute_checkin_is_mine(self):
        for visit in self:
            visit.checkin_is_mine = self.env.user in visit.user_id | visit.participant_ids

    @api.depends("checkin_date", "checkout_date")
    def _compute_onsite_hours(self):
        for visit in self:
            start, end = visit.checkin_date, visit.checkout_date
            visit.onsite_hours = (end - start).total_seconds() / 3600 if start and end and end > start else 0.0

    # ------------------------------------------------------------------ actions
    def action_check_in(self, latitude=None, longitude=None, accuracy=None):
        """Check in at the customer: now, at the position given (in degrees, with its
        accuracy in metres; none when the phone gave none). Once per visit, by one of the
        people on it, while the approved visit takes place."""
        visit = ensure_one(self)
        position = visit._checkin_position(latitude, longitude, accuracy)
        visit._check_on_the_visit()
        if visit.method != "onsite":
            raise UserError(self.env._("Only an on-site visit is checked in at the customer."))
        if visit.state != "approved":
            raise UserError(self.env._("Check in once the visit is approved, before its report is filed."))
        if visit.checkin_date:
            raise UserError(self.env._("%(name)s is checked in already.", name=visit.name))
        account = visit.partner_id.sudo()
        reference = (account.partner_latitude, account.partner_longitude)
        vals = {
            "checkin_user_id": self.env.uid,
            "checkin_radius": visit.company_id.key_account_checkin_radius,
            "checkin_reference_latitude": reference[0],
            "checkin_reference_longitude": reference[1],
        }
        vals.update(visit._checkin_values("checkin", position, reference, vals["checkin_radius"]))
        visit.sudo().write(vals)
        visit._post_checkin_message("checkin")
        return True

    def action_check_out(self, latitude=None, longitude=None, accuracy=None):
        """Check out when leaving: the time on site follows; the distance is measured to the
        customer's location kept at check-in."""
        visit = ensure_one(self)
        position = visit._checkin_position(latitude, longitude, accuracy)
        visit._check_on_the_visit()
        if not visit.checkin_date:
            raise UserError(self.env._("Check in before checking out."))
        if visit.checkout_date:
            raise UserError(self.env._("%(name)s is checked out already.", name=visit.name))
        if visit.state not in ("approved", "done"):
            raise UserError(self.env._("%(name)s cannot be checked out anymore.", name=visit.name))
        reference = (visit.checkin_reference_latitude, visit.checkin_reference_longitude)
        visit.sudo().write(visit._checkin_values("checkout", position, reference, visit.checkin_radius))
        visit._post_checkin_message("checkout")
        return True

    def action_add_checkin_photo(self, name=None, data=None):
        """Add a photo taken on site (base64 ``data`` of an image, file ``name``), between the
        check-in and the acceptance of the report; returns the attachment's id."""
        visit = ensure_one(self)
        visit._check_on_the_visit()
        if not visit.checkin_date or visit.state not in ("approved", "done") or visit.report_review_state == "accepted":
            raise UserError(self.env._("Photos are added on site: after checking in, before the report is accepted."))
        name = clean_text(self.env, name, self.env._("File Name"))[:128] or "photo"
        if not isinstance(data, str) or len(data) > MAX_PHOTO_BYTES * 4 // 3 + 4:
            raise ValidationError(self.env._("A photo is an image of at most 10 MB, sent in base64."))
        try:
            raw = base64.b64decode(data.split("base64,")[-1], validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError(self.env._("A photo is an image of at most 10 MB, sent in base64.")) from error
        mimetype = guess_mimetype(raw, default="")
        if not raw or not mimetype.startswith("image/"):
            raise ValidationError(self.env._("A photo is an image of at most 10 MB, sent in base64."))
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create({"name": name, "raw": raw, "mimetype": mimetype, "res_model": visit._name, "res_id": visit.id})
        )
        visit.sudo().checkin_photo_ids = [(4, attachment.id)]
        return attachment.id

    def action_locate_customer(self):
        """Find the account's coordinates from its address with the geocoder configured
        (base_geolocalize), for those who may change the visit."""
        visit = ensure_one(self)
        visit.check_access("write")
        account = visit.partner_id.sudo()
        account.geo_localize()
        if not (account.partner_latitude or account.partner_longitude):
            raise UserError(
                self.env._(
                    "No location was found for the address of %(account)s: a Key Account Manager can set its "
                    "coordinates by hand.",
                    account=account.display_name,
                )
            )
        return True

    # ------------------------------------------------------------------ helpers
    def _check_on_the_visit(self):
        """Only the people on the visit (its responsible and participants) who may see it."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.su and self.env.user not in self.user_id | self.participant_ids:
            raise AccessError(
                self.env._(
                    "Only the people on %(name)s (its responsible and participants) check in and out.",
                    name=self.display_name,
                )
            )

    @api.model
    def _checkin_position(self, latitude, longitude, accuracy):
        """(latitude, longitude, accuracy) checked, or None when no position is given."""
        if all(value is None or value is False for value in (latitude, longitude)):
            return None

        def number(value, what, low, high):
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise ValidationError(
                    self.env._("%(what)s must be a number from %(low)s to %(high)s.", what=what, low=low, high=high)
                )
            return float(value)

        latitude = number(latitude, self.env._("Latitude"), -90, 90)
        longitude = number(longitude, self.env._("Longitude"), -180, 180)
        accuracy = 0.0 if accuracy is None or accuracy is False else number(accuracy, self.env._("Accuracy"), 0, 1e7)
        return latitude, longitude, accuracy

    def _checkin_values(self, prefix, position, reference, radius):
        """The values of a check-in or check-out (``prefix``) at ``position`` measured against
        ``reference`` (the customer's coordinates; (0, 0) is none, as for Odoo's partners)."""
        vals = {f"{prefix}_date": fields.Datetime.now()}
        if position is None:
            return {**vals, f"{prefix}_status": "no_position"}
        latitude, longitude, accuracy = position
        vals.update({f"{prefix}_latitude": latitude, f"{prefix}_longitude": longitude, f"{prefix}_accuracy": accuracy})
        if not any(reference):
            return {**vals, f"{prefix}_status": "no_reference"}
        distance = haversine_m(latitude, longitude, *reference)
        status = "in_range" if distance <= radius else "out_of_range"
        return {**vals, f"{prefix}_distance": distance, f"{prefix}_status": status}

    def _post_checkin_message(self, prefix):
        """What the person did, in their words, on the visit's chatter."""
        status = dict(self._fields[f"{prefix}_status"]._description_selection(self.env))[self[f"{prefix}_status"]]
        if self[f"{prefix}_status"] in ("in_range", "out_of_range"):
            status = self.env._(
                "%(status)s, %(distance)s m from the customer",
                status=status,
                distance=format_number(self.env, round(self[f"{prefix}_distance"])),
            )
        body = (
            self.env._("Checked in: %(status)s.", status=status)
            if prefix == "checkin"
            else self.env._("Checked out: %(status)s.", status=status)
        )
        self.sudo().message_post(body=body, author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_note")
