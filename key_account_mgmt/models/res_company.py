from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    key_account_nomination_director_amount = fields.Monetary(
        string="Nomination: Director Approval From",
        currency_field="currency_id",
        default=5000000.0,
        help="Nominations expecting at least these annual sales are approved by the KA Director "
        "after the KA Manager (0: the KA Manager alone).",
    )
    key_account_visit_director_budget = fields.Monetary(
        string="Visits: Director Approval From",
        currency_field="currency_id",
        default=20000.0,
        help="Visits and receptions with at least this budget are approved by the KA Director after the KA "
        "Manager (0: the KA Manager alone).",
    )
