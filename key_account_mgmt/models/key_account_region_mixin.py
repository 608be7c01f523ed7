from odoo import fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountRegionMixin(models.AbstractModel):
    """The region of a customer (区域): one of Odoo's sales teams (``crm.team``). Odoo 18 keeps
    a partner's own Sales Team field in ``crm``, which this addon does not install, so the
    region is a field of its own. Specialists belong to teams through ``crm.team.member``; the
    credit split (key.account.credit.split.rule) reads both."""

    _name = "key.account.region.mixin"
    _description = "Key Account Region"

    key_account_region_id = fields.Many2one(
        "crm.team",
        string="Region",
        copy=False,
        index="btree_not_null",
        groups=KA_USER,
        help="The sales team (region, 区域) the customer belongs to. A group whose branches lie in other regions "
        "than its headquarters is a multi-region account for the credit split (业绩分配); revenue of customers "
        "that are no key accounts is credited to their region, else to the invoice's sales team, else to the company "
        "(无法划分的客户归上一级).",
    )
