from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

KA_USER = "key_account_mgmt.group_ka_user"
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class ResPartner(models.Model):
    """Key-account fields on the partner.

    No record rule restricts res.partner: core reads partners everywhere as the current user.
    Instead every key-account field carries ``groups=``: any internal user may see whether a
    company is a key account and its tier (SPEC §1), the rest only the key-account groups.
    """

    _inherit = "res.partner"

    # who may change which key-account field, beyond the field's read groups
    _KEY_ACCOUNT_MANAGER_FIELDS = ("is_key_account", "key_account_tier_id", "key_account_manager_id")
    _KEY_ACCOUNT_TEAM_FIELDS = ("key_account_category_ids",)

    is_key_account = fields.Boolean(
        string="Key Account",
        copy=False,
        index=True,
        tracking=True,
        groups="base.group_user",
        help="This company is managed as a key account (大客户).",
    )
    key_account_tier_id = fields.Many2one(
        "key.account.tier",
        string="Tier",
        copy=False,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        groups="base.group_user",
        domain="['|', ('company_id', '=', False), ('company_id', 'in', allowed_company_ids)]",
    )
    key_account_tier_color = fields.Integer(
        related="key_account_tier_id.color", string="Tier Colour", groups="base.group_user"
    )
    key_account_category_ids = fields.Many2many(
        "key.account.category",
        "res_partner_key_account_category_rel",
        "partner_id",
        "category_id",
        string="Key Account Categories",
        copy=False,
        groups=KA_USER,
    )
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        copy=False,
        index="btree_not_null",
        tracking=True,
        groups=KA_USER,
        domain="[('share', '=', False)]",
        help="The key-account specialist responsible for this account (客户经理).",
    )

    @api.constrains("is_key_account", "parent_id")
    def _check_key_account_is_commercial(self):
        for partner in self:
            if partner.is_key_account and partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a contact of %(parent)s: only the company itself can be a "
                        "key account.",
                        partner=partner.name,
                        parent=partner.parent_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_rights(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_key_account_rights(vals)
        return super().write(vals)

    def _key_account_team_users(self):
        """Users on the account team of these partners (sudo: called for rights checks)."""
        return self.sudo().key_account_manager_id

    def _check_key_account_rights(self, vals):
        """Field ``groups`` decide who reads the key-account fields; this decides who changes
        them: making a key account, its tier and its manager belong to KA Managers; the
        categories also to the account team."""
        if self.env.su or self.env.user.has_group(KA_MANAGER):
            return
        manager_fields = [f for f in self._KEY_ACCOUNT_MANAGER_FIELDS if f in vals]
        # a new plain partner may come with is_key_account=False: only a real value counts
        if manager_fields and (self or any(vals[f] for f in manager_fields)):
            raise AccessError(
                self.env._(
                    "Only Key Account Managers may change: %(fields)s.",
                    fields=", ".join(self._fields[f]._description_string(self.env) for f in manager_fields),
                )
            )
        if self and vals.keys() & set(self._KEY_ACCOUNT_TEAM_FIELDS):
            outsiders = self.filtered(lambda p: self.env.user not in p._key_account_team_users())
            if outsiders:
                raise AccessError(
                    self.env._(
                        "Only the account team of %(partners)s or a Key Account Manager may "
                        "change its key account categories.",
                        partners=", ".join(outsiders.mapped("display_name")),
                    )
                )
