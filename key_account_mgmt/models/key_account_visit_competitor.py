from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import ensure_one
from .key_account_visit_report_mixin import SATISFACTION


class KeyAccountVisitCompetitor(models.Model):
    """A competitor's product seen at the customer during a visit or reception (seed 001 第11条:
    竞争产品使用情况及满意度): who makes it, what it is, at what price and how the customer likes
    it. Part of the report: it changes with it (not while its review is pending, nor once
    accepted). Listed and pivoted across accounts under Reporting ▸ Market Information."""

    _name = "key.account.visit.competitor"
    _inherit = ["key.account.visit.line.mixin"]
    _description = "Competitor Product Seen"
    _order = "id desc"

    competitor = fields.Char(required=True, index="trigram")
    product = fields.Char(required=True)
    price = fields.Monetary(string="Unit Price", currency_field="currency_id")
    satisfaction = fields.Selection(SATISFACTION, string="Customer Satisfaction")
    note = fields.Text(string="What the Customer Says")
    date = fields.Date(string="Seen On", compute="_compute_from_report", store=True)
    user_id = fields.Many2one("res.users", string="Reported by", compute="_compute_from_report", store=True)

    @api.depends("visit_id.date_done", "reception_id.date_done", "visit_id.user_id", "reception_id.user_id")
    def _compute_from_report(self):
        for line in self:
            parent = line._confidential_parent()
            day = parent.date_done if parent else False
            # the day in the reporter's time zone
            local = line.with_context(tz=parent.user_id.tz or "UTC") if parent else line
            line.date = fields.Datetime.context_timestamp(local, day).date() if day else False
            line.user_id = parent.user_id if parent else False

    @api.constrains("price")
    def _check_price(self):
        if any(line.price < 0 for line in self):
            raise ValidationError(self.env._("A competitor's price cannot be negative."))

    def _check_parents_open(self):
        for line in self:
            parent = line._confidential_parent()
            if parent:
                parent._check_report_open()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_parents_open()
        return lines

    def write(self, vals):
        self._check_parents_open()
        result = super().write(vals)
        self._check_parents_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_report_filed(self):
        self._check_parents_open()

    def action_open_document(self):
        """The market information list opens the report the line belongs to."""
        parent = ensure_one(self)._confidential_parent()
        return {
            "type": "ir.actions.act_window",
            "res_model": parent._name,
            "res_id": parent.id,
            "views": [(False, "form")],
            "target": "current",
        }
