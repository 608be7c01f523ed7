from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import ensure_one

BOARD_STAGES = [
    ("quoted", "Quoted"),
    ("confirmed", "Confirmed"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
    ("overdue", "Overdue"),
    ("paid", "Paid"),
]


class KeyAccountOrderBoard(models.Model):
    """The order board of the account teams (内部跟单流程看板, seed 002 客户分类和分级管理制度): a
    card per sales order of a key account or of a branch of its group, in the stage it has
    reached — quoted, confirmed, delivered (every line delivered), invoiced (an invoice
    posted), overdue (an invoice of it open past its due date), paid (invoiced and every
    invoice paid) — with the step it waits for and the next activity planned on the order.
    Cancelled orders are left out."""

    _name = "key.account.order.board"
    _inherit = ["key.account.export.mixin", "key.account.search.guard.mixin"]
    _description = "Key Account Order Board"
    _auto = False
    _order = "date_order desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    stage = fields.Selection(BOARD_STAGES, readonly=True, group_expand=True)
    next_step = fields.Char(compute="_compute_next_step", help="What the order waits for in its stage.")
    account_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        readonly=True,
        help="The key account the order counts for: its customer, or the headquarters of a branch.",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_order = fields.Datetime(string="Order Date", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    amount_residual = fields.Monetary(
        string="Open",
        readonly=True,
        currency_field="company_currency_id",
        help="What the posted invoices of the order still have open, in company currency.",
    )
    activity_id = fields.Many2one("mail.activity", string="Next Activity", readonly=True)
    activity_summary = fields.Char(related="activity_id.summary", string="Next Activity Summary")
    activity_date = fields.Date(string="Next Activity Date", readonly=True)
    activity_user_id = fields.Many2one("res.users", string="Next Activity by", readonly=True)

    def _compute_display_name(self):
        # the order's number: the card is readable where the order itself may not be
        for row in self:
            row.display_name = row.order_id.sudo().display_name

    @api.depends("stage")
    def _compute_next_step(self):
        steps = {
            "quoted": self.env._("Follow up the quotation"),
            "confirmed": self.env._("Deliver"),
            "delivered": self.env._("Invoice"),
            "invoiced": self.env._("Collect when due"),
            "overdue": self.env._("Collect the overdue invoice"),
            "paid": self.env._("Done"),
        }
        for row in self:
            row.next_step = steps.get(row.stage, "")

    def action_open_order(self):
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [(False, "form")],
        }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table), self._board_query()))

    def _board_query(self):
        return SQL(
            """
            WITH orders AS (
                SELECT so.*, COALESCE(CASE WHEN cp.is_key_account THEN cp.id END,
                                      CASE WHEN cp.key_account_group_relation = 'branch' AND hq.is_key_account
                                           THEN hq.id END) AS account_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
                  LEFT JOIN res_partner hq ON hq.id = cp.key_account_headquarters_id
                 WHERE so.state != 'cancel'
            ),
            lines AS (
                SELECT sol.order_id,
                       bool_and(sol.qty_delivered >= sol.product_uom_qty) AS delivered
                  FROM sale_order_line sol
                  JOIN orders o ON o.id = sol.order_id
                 WHERE sol.display_type IS NULL AND sol.product_uom_qty > 0
                 GROUP BY sol.order_id
            ),
            invoices AS (
                SELECT DISTINCT sol.order_id, m.id, m.payment_state, m.invoice_date_due, m.amount_residual_signed
                  FROM sale_order_line sol
                  JOIN orders o ON o.id = sol.order_id
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move m ON m.id = aml.move_id
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
            ),
            billing AS (
                SELECT order_id,
                       bool_or(payment_state NOT IN ('paid', 'in_payment', 'reversed')
                               AND invoice_date_due < CURRENT_DATE) AS overdue,
                       bool_and(payment_state IN ('paid', 'in_payment', 'reversed')) AS paid,
                       SUM(amount_residual_signed) AS residual
                  FROM invoices
                 GROUP BY order_id
            )
            SELECT o.id, o.id AS order_id, o.account_id, o.partner_id, o.user_id, o.company_id, o.currency_id,
                   o.date_order, o.amount_total, c.currency_id AS company_currency_id,
                   COALESCE(b.residual, 0.0) AS amount_residual,
                   CASE WHEN o.state IN ('draft', 'sent') THEN 'quoted'
                        WHEN b.overdue THEN 'overdue'
                        WHEN b.paid AND o.invoice_status = 'invoiced' THEN 'paid'
                        WHEN b.order_id IS NOT NULL THEN 'invoiced'
                        WHEN l.delivered THEN 'delivered'
                        ELSE 'confirmed' END AS stage,
                   act.id AS activity_id, act.date_deadline AS activity_date, act.user_id AS activity_user_id
              FROM orders o
              JOIN res_company c ON c.id = o.company_id
              LEFT JOIN lines l ON l.order_id = o.id
              LEFT JOIN billing b ON b.order_id = o.id
              LEFT JOIN LATERAL (
                  SELECT a.id, a.date_deadline, a.user_id
                    FROM mail_activity a
                   WHERE a.res_model = 'sale.order' AND a.res_id = o.id AND a.active
                   ORDER BY a.date_deadline, a.id
                   LIMIT 1
              ) act ON TRUE
             WHERE o.account_id IS NOT NULL
            """
        )
