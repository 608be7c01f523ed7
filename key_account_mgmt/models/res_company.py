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
