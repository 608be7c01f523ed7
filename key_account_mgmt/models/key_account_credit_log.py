from odoo import api, fields, models

CREDIT_DECISIONS = [("suspend", "Credit Suspended"), ("restore", "Credit Restored")]
CREDIT_ACTIONS = [*CREDIT_DECISIONS, ("warning", "Credit Warning"), ("override", "Let Through the Suspension")]


class KeyAccountCreditLog(models.Model):
    """One row per credit decision of a KA Manager on a key account (seed 003 第十四条: 若未能
    按期结算,将暂停记账服务): suspension or restoration, why, who, when, and the receivables at
    that moment; or an order or invoice a KA Manager let through a suspension. The credit
    watch adds a warning row when it flags an account: its activity
    for the account manager, with the overdue amounts and the credit limit, lives on that row,
    not on the partner (whose activities every internal user reads). Append-only."""

    _name = "key.account.credit.log"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Credit Decision History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # the team and the KA roles read the warning's activity and write notes on a row they may
    # only read
    _mail_post_access = "read"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    action = fields.Selection(CREDIT_ACTIONS, string="Decision", required=True)
    # a decision's reason is the KA Manager's text; a warning's is rendered from the watch's
    # findings in the reader's language
    reason = fields.Text(compute="_compute_reason", inverse="_inverse_reason")
    reason_text = fields.Text(
        string="Reason as Written", readonly=True, help="The KA Manager's words (and warnings before 18.0.1.8.0)."
    )
    warning_facts = fields.Json(
        string="Warning Findings",
        readonly=True,
        help="Technical: what the credit watch found (amounts, days, limits), rendered in the reader's language.",
    )
    user_id = fields.Many2one("res.users", string="Decided by", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    sale_order_id = fields.Many2one(
        "sale.order", string="Order Let Through", index="btree_not_null", readonly=True, ondelete="set null"
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice Let Through", index="btree_not_null", readonly=True, ondelete="set null"
    )
    overdue_amount = fields.Monetary(string="Overdue at the Time", currency_field="currency_id")
    receivable_amount = fields.Monetary(string="Open Receivables at the Time", currency_field="currency_id")

    @api.depends("reason_text", "warning_facts")
    @api.depends_context("lang")
    def _compute_reason(self):
        credit = self.env["key.account.credit"]
        for log in self:
            log.reason = log.reason_text or credit._warning_text(log.warning_facts) or False

    def _inverse_reason(self):
        for log in self:
            log.reason_text = log.reason
