from odoo import api, fields, models

from .key_account_visit_mixin import VISIT_MATERIAL_FIELDS


class KeyAccountReception(models.Model):
    """A reception of a key account's visitors (接待: they come to us), with visitors, agenda,
    reception standard, hosts and see-off (seed 001 §3.3.2, 五)."""

    _name = "key.account.reception"
    _inherit = ["key.account.visit.mixin"]
    _description = "Key Account Reception"
    _approval_material_fields = (*VISIT_MATERIAL_FIELDS, "meal_standard", "lodging_standard")

    method = fields.Selection(default="onsite")
    visitor_ids = fields.One2many("key.account.reception.visitor", "reception_id", string="Visitors", copy=True)
    agenda = fields.Text()
    meal_standard = fields.Char(string="Meals", help="Reception standard for meals (食宿规格), by the company's rules.")
    lodging_standard = fields.Char(string="Lodging")
    host_ids = fields.Many2many(
        "res.users",
        "key_account_reception_host_rel",
        "reception_id",
        "user_id",
        string="Hosts",
        domain="[('share', '=', False)]",
    )
    see_off = fields.Char(string="See-off", help="How the visitors are seen off (礼送客户).")
    gift_line_ids = fields.One2many("key.account.visit.gift", "reception_id", string="Materials and Gifts", copy=True)
    expense_line_ids = fields.One2many("key.account.visit.expense", "reception_id", string="Expenses")
    competitor_line_ids = fields.One2many(
        "key.account.visit.competitor", "reception_id", string="Competitor Products Seen"
    )

    @api.depends("gift_line_ids.quantity", "gift_line_ids.unit_value", "expense_line_ids.amount")
    def _compute_totals(self):
        return super()._compute_totals()

    def _calendar_attendees(self):
        return super()._calendar_attendees() | self.host_ids
