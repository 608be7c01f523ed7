from odoo import fields, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    key_account_partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The key account whose preferential price policies this pricelist applies (优惠政策).",
    )
