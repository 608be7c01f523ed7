from odoo import api, fields, models


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

    @api.model_create_multi
    def create(self, vals_list):
        pricelists = super().create(vals_list)
        if any(pricelists.mapped("key_account_partner_id")):
            self._enable_pricelist_feature()
        return pricelists

    @api.model
    def _enable_pricelist_feature(self):
        """Turn the Pricelists feature on, as Settings does (and as the core does for multi-currency
        in res.currency): without it the customers' key-account pricelists are hidden, and saving
        Settings would archive every one of them."""
        group_user = self.env.ref("base.group_user").sudo()
        pricelist_group = self.env.ref("product.group_product_pricelist")
        if pricelist_group not in group_user.implied_ids:
            group_user._apply_group(pricelist_group)
            self.env["res.company"].sudo()._activate_or_create_pricelists()
