from odoo import api, fields, models


class SaleOrder(models.Model):
    """Quotations of a key account whose credit a KA Manager suspended (暂停记账服务) or which
    the credit watch flagged show it to every salesperson (the partner fields themselves are
    for the key-account groups)."""

    _inherit = "sale.order"

    key_account_credit_warning = fields.Char(string="Credit Suspension", compute="_compute_key_account_credit_warning")
    key_account_overdue_warning = fields.Boolean(
        string="Overdue Receivables", compute="_compute_key_account_credit_warning"
    )

    @api.depends("partner_id")
    @api.depends_context("lang")
    def _compute_key_account_credit_warning(self):
        for order in self:
            account = order.partner_id.commercial_partner_id.sudo()
            warning = False
            if account.key_account_credit_suspended:
                decision = account.key_account_credit_log_ids.filtered(lambda log: log.action == "suspend")[:1]
                warning = self.env._(
                    "Credit suspended for %(partner)s on %(date)s by %(user)s: %(reason)s",
                    partner=account.display_name,
                    date=fields.Date.to_string(fields.Datetime.context_timestamp(self, decision.date).date())
                    if decision
                    else "",
                    user=decision.user_id.name or "",
                    reason=decision.reason or "",
                )
            order.key_account_credit_warning = warning
            order.key_account_overdue_warning = bool(account.key_account_credit_flag) and not warning
