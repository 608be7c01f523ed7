from odoo import fields, models, tools
from odoo.tools import SQL


class KeyAccountReceivableReport(models.Model):
    """Shipment and collection (客户出货回款信息表, seed 002) of key accounts: a row per invoice
    instalment (invoiced on its invoice date; still open and, once past due, overdue on its due
    date) and per payment or credit note matched with it (paid on the date of the match), in
    company currency, tax included, so pivot and graph sum them by month. A row counts for a key
    account on the consolidation rule of key.account.metrics (``_instalments_query``): a
    branch's movements count for the branch and for its headquarters."""

    _name = "key.account.receivable.report"
    _inherit = ["key.account.export.mixin", "key.account.search.guard.mixin"]
    _description = "Key Account Shipment and Collection"
    _auto = False
    _order = "date desc"
    _rec_name = "move_id"

    date = fields.Date(readonly=True)
    kind = fields.Selection(
        [("invoice", "Invoiced"), ("payment", "Collected"), ("open", "Open")], string="Movement", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    account_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        readonly=True,
        help="The key account the movement counts for: the customer itself, and a headquarters for its branches'.",
    )
    group_copy = fields.Boolean(
        string="Copy for the Headquarters",
        readonly=True,
        help="A movement of a branch that is a key account itself, counted again for its headquarters' group "
        "figure: leave these rows out to count each invoice once.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    invoiced = fields.Monetary(readonly=True, currency_field="currency_id")
    paid = fields.Monetary(string="Collected", readonly=True, currency_field="currency_id")
    residual = fields.Monetary(string="Open", readonly=True, currency_field="currency_id")
    overdue = fields.Monetary(readonly=True, currency_field="currency_id")

    def _compute_display_name(self):
        # the invoice's number: the row is readable where the invoice itself may not be (the
        # salesman's own-documents rule on invoices)
        for row in self:
            row.display_name = row.move_id.sudo().display_name

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                WITH instalments AS (
                    SELECT i.*,
                           (i.account_id != i.partner_id AND (cp.is_key_account OR cp.key_account_lost)) AS group_copy
                      FROM (%(instalments)s) AS i
                      JOIN res_partner k ON k.id = i.account_id
                      JOIN res_partner cp ON cp.id = i.partner_id
                     WHERE k.is_key_account OR k.key_account_lost
                ),
                movements AS (
                    SELECT i.line_id * 4 AS id, 'invoice' AS kind, i.invoice_date AS date, i.partner_id, i.account_id,
                           i.group_copy, i.company_id, i.move_id, i.balance AS invoiced, 0.0 AS paid, 0.0 AS residual,
                           0.0 AS overdue
                      FROM instalments i
                    UNION ALL
                    SELECT i.line_id * 4 + 1, 'open', i.due, i.partner_id, i.account_id, i.group_copy, i.company_id,
                           i.move_id, 0.0, 0.0, i.amount_residual,
                           CASE WHEN i.due < CURRENT_DATE THEN i.amount_residual ELSE 0.0 END
                      FROM instalments i
                     WHERE i.amount_residual != 0
                    UNION ALL
                    SELECT p.id * 4 + 2, 'payment', p.max_date, i.partner_id, i.account_id, i.group_copy, i.company_id,
                           i.move_id, 0.0, p.amount, 0.0, 0.0
                      FROM account_partial_reconcile p JOIN instalments i ON i.line_id = p.debit_move_id
                    UNION ALL
                    SELECT p.id * 4 + 3, 'payment', p.max_date, i.partner_id, i.account_id, i.group_copy, i.company_id,
                           i.move_id, 0.0, -p.amount, 0.0, 0.0
                      FROM account_partial_reconcile p JOIN instalments i ON i.line_id = p.credit_move_id
                )
                SELECT mv.id * 2 + mv.group_copy::int AS id, mv.kind, mv.date, mv.partner_id, mv.account_id,
                       mv.group_copy, mv.company_id, mv.move_id, mv.invoiced, mv.paid, mv.residual, mv.overdue,
                       c.currency_id
                  FROM movements mv
                  JOIN res_company c ON c.id = mv.company_id
            )
            """,
                table=SQL.identifier(self._table),
                instalments=self.env["key.account.metrics"]._instalments_query(),
            )
        )
