from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ensure_one
from .key_account_visit_report_mixin import REVIEW_STATES

EXPENSE_TYPES = [
    ("travel", "Travel"),
    ("meals", "Meals"),
    ("gifts", "Gifts"),
    ("lodging", "Lodging"),
    ("other", "Other"),
]
EXPENSE_STATES = [
    ("draft", "Draft"),
    ("claimed", "Claimed"),
    ("approved", "Approved"),
    ("paid", "Paid"),
    ("refused", "Refused"),
]
REPORTED_STATES = ("done", "closed")


class KeyAccountVisitExpense(models.Model):
    """An expense of a visit or reception. It is claimed only once the report is done
    (无拜访总结不得报销费用 / 无接待报告不得报销费用), approved by a KA Manager once the report is
    accepted (检查报告), then paid. The approver sees the report's review and where and when the
    visit was checked in."""

    _name = "key.account.visit.expense"
    _inherit = ["key.account.visit.line.mixin"]
    _description = "Visit Expense"
    _order = "date desc, id desc"

    user_id = fields.Many2one("res.users", string="Spent by", required=True, default=lambda self: self.env.user)
    date = fields.Date(required=True, default=fields.Date.context_today)
    expense_type = fields.Selection(EXPENSE_TYPES, string="Type", required=True, default="travel")
    name = fields.Char(string="Description", required=True)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    receipt = fields.Binary(attachment=True)
    receipt_name = fields.Char(string="Receipt File Name")
    state = fields.Selection(EXPENSE_STATES, string="Status", default="draft", required=True, index=True)
    report_review_state = fields.Selection(
        REVIEW_STATES, string="Report Review", compute="_compute_report_review_state"
    )
    checkin_status = fields.Selection(related="visit_id.checkin_status", string="Check-in")
    checkin_date = fields.Datetime(related="visit_id.checkin_date")
    checkin_distance = fields.Float(related="visit_id.checkin_distance")

    @api.depends("visit_id.report_review_state", "reception_id.report_review_state")
    def _compute_report_review_state(self):
        for line in self:
            line.report_review_state = (line.visit_id or line.reception_id).report_review_state

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.amount <= 0:
                raise ValidationError(self.env._("An expense needs a positive amount."))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.state != "draft")._check_state_allowed()
        return lines

    def write(self, vals):
        if (
            not self.env.su
            and self.filtered(lambda line: line.state in ("approved", "paid"))
            and vals.keys() - {"state"}
        ):
            raise UserError(self.env._("An approved or paid expense cannot be changed."))
        if (
            not self.env.su
            and "state" in vals
            and not self.env.user.has_group("key_account_mgmt.group_ka_manager")
            and self.filtered(lambda line: line.state in ("approved", "paid", "refused"))
        ):
            raise AccessError(self.env._("Only a Key Account Manager approves, refuses or pays expenses."))
        result = super().write(vals)
        if "state" in vals:
            self._check_state_allowed()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_or_paid(self):
        if not self.env.su and self.filtered(lambda line: line.state in ("approved", "paid")):
            raise UserError(self.env._("An approved or paid expense cannot be deleted."))

    def _check_state_allowed(self):
        """Claims need the report; approving and paying need a KA Manager."""
        for line in self:
            parent = line.visit_id or line.reception_id
            if line.state != "draft" and parent.state not in REPORTED_STATES:
                raise UserError(
                    self.env._(
                        "No report, no reimbursement: write the report of %(name)s before claiming its expenses.",
                        name=parent.name,
                    )
                )
            if line.state in ("approved", "paid", "refused") and not (
                self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")
            ):
                raise AccessError(self.env._("Only a Key Account Manager approves, refuses or pays expenses."))
            if line.state in ("approved", "paid") and parent.report_review_state != "accepted":
                raise UserError(
                    self.env._(
                        "Check the report of %(name)s first: its expenses are approved once the report is accepted.",
                        name=parent.name,
                    )
                )

    def action_claim(self):
        if self.filtered(lambda line: line.state != "draft"):
            raise UserError(self.env._("Only draft expenses can be claimed."))
        self.write({"state": "claimed"})
        return True

    def action_approve(self):
        if self.filtered(lambda line: line.state != "claimed"):
            raise UserError(self.env._("Only claimed expenses can be approved."))
        self.write({"state": "approved"})
        return True

    def action_refuse(self):
        if self.filtered(lambda line: line.state != "claimed"):
            raise UserError(self.env._("Only claimed expenses can be refused."))
        self.write({"state": "refused"})
        return True

    def action_pay(self):
        if self.filtered(lambda line: line.state != "approved"):
            raise UserError(self.env._("Only approved expenses can be paid."))
        self.write({"state": "paid"})
        return True

    def action_open_document(self):
        """The claims' queue opens the visit or reception of the expense."""
        parent = ensure_one(self).visit_id or self.reception_id
        return {
            "type": "ir.actions.act_window",
            "res_model": parent._name,
            "res_id": parent.id,
            "views": [(False, "form")],
            "target": "current",
        }
