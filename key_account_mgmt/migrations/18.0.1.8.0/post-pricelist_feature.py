"""Issue #18: the addon creates a sales pricelist per key account with price policies, but
databases installed before 18.0.1.8.0 left the Pricelists feature off: the pricelists were
hidden and saving Settings warned that it would archive them all. Turn the feature on where
such a pricelist exists. Idempotent: nothing changes where the feature is on already."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Pricelist = env["product.pricelist"].with_context(active_test=False)
    if Pricelist.search_count([("key_account_partner_id", "!=", False)], limit=1):
        Pricelist._enable_pricelist_feature()
