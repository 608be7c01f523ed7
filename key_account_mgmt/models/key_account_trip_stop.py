from odoo import api, fields, models
from odoo.exceptions import ValidationError

POSITION_STATUSES = [
    ("none", "Not Reported"),
    ("located", "Position Given"),
    ("no_position", "No Position"),
]


class KeyAccountTripStop(models.Model):
    """A destination of a business trip and the whereabouts reported there (每抵达一个目的地…汇报
    行踪并登记): the planned destinations are part of the request the reviewers approve
    (key.account.approval.line.mixin); the arrival — time, position, who reported it — is
    written by the trip's ``action_report_arrival`` only, which adds the unplanned stops too.
    The list of reported arrivals is the clerk's register (登记)."""

    _name = "key.account.trip.stop"
    _inherit = [
        "key.account.write.guard",
        "key.account.approval.line.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
    ]
    _description = "Business Trip Destination"
    _order = "trip_id, sequence, id"
    _rec_name = "place"
    _confidential_parents = ("trip_id",)
    _approval_parent_fields = ("trip_id",)
    _approval_material_fields = ("trip_id", "sequence", "place", "date_planned")

    trip_id = fields.Many2one("key.account.trip", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(related="trip_id.user_id", string="Specialist")
    company_id = fields.Many2one(related="trip_id.company_id", string="Company")
    sequence = fields.Integer(default=10)
    place = fields.Char(string="Destination", required=True, help="City, site or customer.")
    date_planned = fields.Date(string="Planned On")
    planned = fields.Boolean(
        default=True, readonly=True, help="Listed in the request; an unplanned stop was added by reporting an arrival."
    )
    arrival_date = fields.Datetime(string="Arrived On", readonly=True, copy=False)
    reported_by_id = fields.Many2one("res.users", string="Reported by", readonly=True, copy=False)
    position_status = fields.Selection(
        POSITION_STATUSES, string="Position", default="none", required=True, readonly=True, copy=False
    )
    latitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    longitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    accuracy = fields.Float(string="Accuracy (m)", digits=(16, 0), readonly=True, copy=False)
    arrival_note = fields.Char(
        string="Note", readonly=True, copy=False, help="What the specialist added: hotel, phone…"
    )

    @api.constrains("date_planned", "trip_id")
    def _check_date_planned(self):
        for stop in self.filtered("date_planned"):
            trip = stop.trip_id
            if not trip.date_from <= stop.date_planned <= trip.date_to:
                raise ValidationError(
                    self.env._(
                        "%(place)s is planned on %(day)s, outside the trip (%(start)s to %(end)s).",
                        place=stop.place,
                        day=stop.date_planned,
                        start=trip.date_from,
                        end=trip.date_to,
                    )
                )
