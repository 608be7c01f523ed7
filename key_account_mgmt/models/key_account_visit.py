from odoo import api, fields, models

# the preparation (seed 001 §3.3.3 四.1–2) is ticked off while the plan waits for its approval
PREPARATION_FIELDS = [
    "prep_discussion_held",
    "prep_discussion_notes",
    "prep_info_collected",
    "prep_info_analysed",
    "prep_materials_ready",
]


class KeyAccountVisit(models.Model):
    """A visit to a key account (拜访: we go to them), checked in and out on site
    (key.account.visit.checkin.mixin), with an optional checklist of its preparation."""

    _name = "key.account.visit"
    _inherit = ["key.account.visit.mixin", "key.account.visit.checkin.mixin"]
    _description = "Key Account Visit"

    gift_line_ids = fields.One2many("key.account.visit.gift", "visit_id", string="Materials and Gifts", copy=True)
    expense_line_ids = fields.One2many("key.account.visit.expense", "visit_id", string="Expenses")
    competitor_line_ids = fields.One2many("key.account.visit.competitor", "visit_id", string="Competitor Products Seen")

    # preparation (拜访前的讨论会议, 拜访前的物质准备): optional
    prep_discussion_held = fields.Boolean(
        string="Pre-visit Discussion Held",
        help="The person in charge heard the other developers' views on the visit before it (拜访前的讨论会议).",
    )
    prep_discussion_notes = fields.Text(string="Views and Suggestions Heard")
    prep_info_collected = fields.Boolean(
        string="Customer Information Collected", help="People and company: decision makers, business, plans, problems."
    )
    prep_info_analysed = fields.Boolean(string="Customer Information Analysed")
    prep_materials_ready = fields.Boolean(string="Materials Ready", help="Brochures, samples, gifts, car.")

    @api.depends("gift_line_ids.quantity", "gift_line_ids.unit_value", "expense_line_ids.amount")
    def _compute_totals(self):
        return super()._compute_totals()

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + PREPARATION_FIELDS

    @api.model
    def _get_all_validation_exceptions(self):
        return super()._get_all_validation_exceptions() + PREPARATION_FIELDS
