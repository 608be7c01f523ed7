from odoo import fields, models

LOSS_REASONS = [
    ("price", "Price"),
    ("quality", "Quality"),
    ("service", "Service"),
    ("delivery", "Delivery"),
    ("relationship", "Relationship"),
    ("competitor", "Won by a competitor"),
    ("business_change", "Customer's business changed"),
    ("insolvency", "Insolvency"),
    ("other", "Other"),
]


class KeyAccountLoss(models.Model):
    """Loss analysis of a retired key account (流失分析, seed 003 第十八条(4)): why, where it went,
    which competitor, and what the account was worth when lost. Kept for reporting."""

    _name = "key.account.loss"
    _inherit = ["key.account.confidential.mixin", "mail.thread"]
    _description = "Key Account Loss"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(domain="[]")
    date = fields.Date(string="Lost On", required=True, default=fields.Date.context_today, index=True)
    reason_type = fields.Selection(LOSS_REASONS, string="Main Reason", required=True, tracking=True)
    reason = fields.Text(string="Analysis", required=True)
    destination = fields.Char(
        string="Where It Went", help="Where the business went: a competitor, in-house, abandoned …"
    )
    competitor_id = fields.Many2one("res.partner", string="Competitor", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Recorded by", required=True, default=lambda self: self.env.user)
    responsible_id = fields.Many2one(
        "res.users", string="Account Manager", index=True, help="The account manager when the account was lost."
    )
    tier_id = fields.Many2one("key.account.tier", string="Tier", ondelete="set null")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    revenue_12m = fields.Monetary(string="Revenue of the Last 12 Months", currency_field="currency_id")
