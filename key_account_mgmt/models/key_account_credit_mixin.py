from odoo import api, fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountCreditMixin(models.AbstractModel):
    """The credit warning and suspension of a key account, set by ``key.account.credit``
    (seed 003 第十四条: 信用档案和欠款监控预警机制; seed 002 客户资信等级评估表)."""

    _name = "key.account.credit.mixin"
    _description = "Key Account Credit Status"

    key_account_credit_flag = fields.Boolean(
        string="Credit Warning",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        groups=KA_USER,
        help="Set by the credit watch: receivables overdue longer than the company allows, or over the credit limit.",
    )
    key_account_credit_flag_facts = fields.Json(
        string="Credit Warning Findings",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Technical: what the credit watch found (amounts, days, limits), rendered in the reader's language.",
    )
    key_account_credit_flag_reason = fields.Char(
        string="Credit Warning Reason", compute="_compute_key_account_credit_flag_reason", groups=KA_USER
    )
    key_account_credit_flag_date = fields.Date(string="Credit Warning Since", copy=False, readonly=True, groups=KA_USER)
    key_account_credit_suspended = fields.Boolean(
        string="Credit Suspended",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        groups=KA_USER,
        help="A KA Manager suspended sales on credit (暂停记账服务): quotations of the customer show it.",
    )
    key_account_credit_log_ids = fields.One2many(
        "key.account.credit.log", "partner_id", string="Credit Decisions", groups=KA_USER
    )
    key_account_credit_watch_pass = fields.Integer(
        string="Credit Watch Pass",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Technical: the last pass of the credit watch that checked this account.",
    )

    @api.depends("key_account_credit_flag_facts")
    @api.depends_context("lang")
    def _compute_key_account_credit_flag_reason(self):
        credit = self.env["key.account.credit"]
        for partner in self:
            partner.key_account_credit_flag_reason = (
                credit._warning_text(partner.key_account_credit_flag_facts) or False
            )

    def action_check_credit(self):
        """Run the credit watch now on these key accounts, or on all of them when called
        without records: ``key.account.credit._watch_now`` (KA Managers; over RPC too)."""
        return self.env["key.account.credit"]._watch_now(self)

    def action_suspend_credit(self, reason):
        """暂停记账服务: the KA Manager suspends sales on credit, with the reason (history)."""
        return self.env["key.account.credit"]._set_suspension(self, True, reason)

    def action_restore_credit(self, reason):
        """The KA Manager restores sales on credit, with the reason (history)."""
        return self.env["key.account.credit"]._set_suspension(self, False, reason)

    def action_open_credit_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Decision"),
            "res_model": "key.account.credit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_action": "restore" if self[:1].key_account_credit_suspended else "suspend",
            },
        }

    def action_open_receivable_report(self):
        """出货回款: invoiced, paid and overdue by month of this account (with its branches)."""
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_receivable_report_action")
        action["domain"] = ["|", ("partner_id", "=", self.id), ("account_id", "=", self.id)]
        action["context"] = {"search_default_group_month": 1}
        return action
