from odoo import models
from odoo.tools import SQL, create_index


class AccountMove(models.Model):
    """Customer invoices of a key account whose credit is suspended (暂停记账服务) are not posted on
    credit unless a KA Manager let the invoice, or every order it invoices, through
    (key.account.credit.suspension)."""

    _name = "account.move"
    _inherit = ["account.move", "key.account.credit.suspension"]

    def init(self):
        result = super().init()
        # the figures of one key account (revenue, receivables, the key account form's header)
        # read its posted customer invoices by customer and date: without this index, every one
        # of them scans all invoices; the amount and company included, a scope's revenue (the
        # dashboard) and the credit split read it without the rows (bench/README.md, "Load")
        self.env.cr.execute("DROP INDEX IF EXISTS account_move_key_account_sales_index")  # 18.0.1.11.0's
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS account_move_key_account_revenue_index ON %s "
                "(commercial_partner_id, invoice_date) INCLUDE (company_id, amount_untaxed_signed) "
                "WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
                SQL.identifier(self._table),
            )
        )
        # the month of the KPI view and the dashboard (key.account.metrics._monthly_sales_query)
        create_index(
            self.env.cr,
            "account_move_key_account_month_index",
            self._table,
            ["(date_trunc('month', invoice_date::timestamp)::date)", "commercial_partner_id"],
            where="state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
        )
        return result

    def _key_account_customer(self):
        return self.partner_id.sudo()

    def _key_account_on_credit(self):
        if self.invoice_payment_term_id:
            return self._key_account_payment_term_on_credit(self.invoice_payment_term_id)
        return bool(self.invoice_date_due and self.invoice_date and self.invoice_date_due > self.invoice_date)

    def _key_account_check_credit(self):
        # an invoice of orders that were all let through goes through with them (one search)
        let_through = self.invoice_line_ids.sale_line_ids.order_id._key_account_overrides().sale_order_id
        invoices = self.filtered(
            lambda move: not (orders := move.invoice_line_ids.sale_line_ids.order_id) or orders - let_through
        )
        return super(AccountMove, invoices)._key_account_check_credit()

    def _post(self, soft=True):
        # scheduled postings (auto-post) run as the superuser, who is not a salesperson
        if not self.env.su:
            self.filtered(lambda move: move.move_type == "out_invoice")._key_account_check_credit()
        return super()._post(soft=soft)

    def action_key_account_override_credit(self, reason):
        """Let these invoices on credit through the customer's credit suspension (KA Managers),
        kept in the credit history; those the manager may change are posted, the others when
        billing posts them."""
        changeable = self._key_account_override_credit(reason)
        if changeable:
            changeable.action_post()
        return True

    def action_open_key_account_override_wizard(self):
        return self.env["key.account.credit.override.wizard"]._open_for(self)
