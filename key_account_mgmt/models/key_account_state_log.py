from odoo import fields, models

from .res_partner import COOPERATION_STATES


class KeyAccountStateLog(models.Model):
    """One row per change or monthly confirmation of a key account's cooperation state
    (seed 002 客户合作状态分类管理办法): who, when, from, to, why, and the remedy plan of a
    downgrade. Append-only.

    The confidential texts around a change live here, not on the partner (whose chatter every
    internal user reads): the special meeting (专题会议) of an escalation is an activity of the
    row, its conclusion is kept on the row and in its chatter."""

    _name = "key.account.state.log"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Cooperation State History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # the team and the KA roles read its activities (the special meeting) and write notes on a
    # row they may only read; the meeting itself is changed only by KA Managers (mail_activity.py)
    _mail_post_access = "read"

    date = fields.Datetime(string="Date", required=True, default=fields.Datetime.now, index=True)
    period = fields.Date(string="Month", required=True, index=True, help="First day of the month the entry counts for.")
    user_id = fields.Many2one("res.users", string="Changed by", required=True, index=True)
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        help="The account manager at the time: upgrades are counted for this person.",
    )
    state_from = fields.Selection(COOPERATION_STATES, string="From State")
    state_to = fields.Selection(COOPERATION_STATES, string="To State", required=True)
    change_type = fields.Selection(
        [
            ("initial", "Initial"),
            ("confirm", "Confirmation"),
            ("upgrade", "Upgrade"),
            ("downgrade", "Downgrade"),
        ],
        string="Change",
        required=True,
        index=True,
    )
    levels = fields.Integer(string="Levels", help="Levels gained (positive) or lost (negative) by the change.")
    reason = fields.Text(string="Reason / Explanation")
    remedy_plan = fields.Text(string="Remedy Plan")
    escalated = fields.Boolean(string="Escalated", help="The change triggered an escalation.")
    conclusion = fields.Text(
        string="Special Meeting Conclusion",
        readonly=True,
        help="Written by the KA Manager who closed the escalation of this change.",
    )
    escalation_closed_date = fields.Datetime(string="Escalation Closed On", readonly=True)
