from odoo import Command, api, fields, models


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

    @api.model
    def _key_account_pricelist(self, partner, company):
        """The sales pricelist of the key account ``partner`` in ``company``: created on its first
        price policy, based on the pricelist the customer had, and set on the customer."""
        partner = partner.sudo().with_company(company)
        pricelist = self.sudo().search(
            [("key_account_partner_id", "=", partner.id), ("company_id", "in", (company.id, False))], limit=1
        )
        if not pricelist:
            pricelist = self._create_key_account_pricelist(partner, company)
        if partner.property_product_pricelist != pricelist:
            partner.property_product_pricelist = pricelist
        return pricelist

    def _create_key_account_pricelist(self, partner, company):
        previous = partner.property_product_pricelist
        pricelist = self.sudo().create(
            {
                "name": self._key_account_pricelist_name(partner),
                "company_id": company.id,
                "currency_id": (previous.currency_id or company.currency_id).id,
                "key_account_partner_id": partner.id,
                # outside the policies the customer keeps the prices of its former pricelist
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "formula",
                            "base": "pricelist" if previous else "list_price",
                            "base_pricelist_id": previous.id,
                            "price_discount": 0.0,
                        }
                    )
                ],
            }
        )
        # a translated name: each reader sees it in their language
        pricelist.update_field_translations(
            "name",
            {
                lang: self.with_context(lang=lang)._key_account_pricelist_name(partner)
                for lang, _name in self.env["res.lang"].get_installed()
            },
        )
        return pricelist

    def _key_account_pricelist_name(self, partner):
        return self.env._("Key Account %(partner)s", partner=partner.display_name)
