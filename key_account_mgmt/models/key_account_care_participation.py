from odoo import api, fields, models
from odoo.tools import float_round

RATINGS = [("1", "Poor"), ("2", "Fair"), ("3", "Good"), ("4", "Very Good"), ("5", "Excellent")]


class KeyAccountCareParticipation(models.Model):
    """A key account invited to a care activity (issue #20): how many of its people were
    invited and came (registrations of the event app, ``done`` = attended), its share of the
    activity's cost charged to its service budget, and its feedback after the event.

    The cost is split in equal shares over the accounts invited, not per registration: a
    training or a presentation costs mostly the room, the speaker and the meal, the same whether
    an account sends one person or three, and the service budget is kept per account; an account
    that was invited but did not come still held its seats. The last share takes the rounding
    remainder, so that the shares add up to the activity's cost to the cent.

    Made and removed with the registrations (never created by hand); the feedback is written by
    the account team. Confidential like the account (the three rules of the confidential mixin)."""

    _name = "key.account.care.participation"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Care Activity Participation"
    _order = "date_begin desc, event_id desc, partner_id"
    _rec_name = "event_id"

    # made by the registrations: the team writes the feedback only
    partner_id = fields.Many2one(readonly=True)
    event_id = fields.Many2one(
        "event.event", string="Care Activity", required=True, readonly=True, index=True, ondelete="cascade"
    )
    care_kind = fields.Selection(string="Kind", related="event_id.key_account_care_kind")
    date_begin = fields.Datetime(string="Date", related="event_id.date_begin", store=True)
    currency_id = fields.Many2one("res.currency", related="event_id.key_account_currency_id")
    invited_count = fields.Integer(string="Invited", compute="_compute_attendance")
    attended_count = fields.Integer(string="Attended", compute="_compute_attendance")
    cost_planned = fields.Monetary(
        string="Planned Cost Share", compute="_compute_cost_share", store=True, currency_field="currency_id"
    )
    cost_actual = fields.Monetary(
        string="Actual Cost Share", compute="_compute_cost_share", store=True, currency_field="currency_id"
    )
    rating = fields.Selection(RATINGS, help="How the account's people rated the activity.")
    feedback = fields.Text(help="What the account's people said after the activity: useful, missing, asked for.")

    _sql_constraints = [
        ("event_partner_uniq", "unique(event_id, partner_id)", "This key account is already invited to this activity."),
    ]

    def _compute_attendance(self):
        counts = {
            (event.id, account.id, state): count
            for event, account, state, count in self.env["event.registration"]
            .sudo()
            ._read_group(
                [("event_id", "in", self.event_id.ids), ("key_account_id", "in", self.partner_id.ids)],
                ["event_id", "key_account_id", "state"],
                ["__count"],
            )
        }
        for participation in self:
            key = (participation.event_id.id, participation.partner_id.id)
            participation.invited_count = sum(counts.get((*key, state), 0) for state in ("draft", "open", "done"))
            participation.attended_count = counts.get((*key, "done"), 0)

    @api.depends(
        "event_id.key_account_cost_planned",
        "event_id.key_account_cost_actual",
        "event_id.key_account_participation_ids",
    )
    def _compute_cost_share(self):
        for event in self.event_id:
            shares = event.sudo().key_account_participation_ids.sorted("id")
            for fname, total in (
                ("cost_planned", event.key_account_cost_planned),
                ("cost_actual", event.key_account_cost_actual),
            ):
                left = total
                for index, participation in enumerate(shares):
                    if index == len(shares) - 1:
                        share = left
                    else:
                        share = event.key_account_currency_id.round(total / len(shares))
                        left -= share
                    if participation in self:
                        participation[fname] = float_round(
                            share, precision_rounding=event.key_account_currency_id.rounding or 0.01
                        )
        (self - self.event_id.sudo().key_account_participation_ids).update({"cost_planned": 0.0, "cost_actual": 0.0})
