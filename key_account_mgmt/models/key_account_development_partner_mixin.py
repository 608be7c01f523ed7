from odoo import fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountDevelopmentPartnerMixin(models.AbstractModel):
    """Development of key accounts on the partner (inherited by res.partner): its plans, and
    who may start developing it or propose it as a candidate."""

    _name = "key.account.development.partner.mixin"
    _description = "Key Account Development on the Partner"

    key_account_development_ids = fields.One2many(
        "key.account.development", "partner_id", string="Development Plans", groups=KA_USER
    )

    def _key_account_check_development_free(self):
        """A customer nobody develops or manages yet (no key account, no account team) may be
        proposed or developed by anyone allowed to; one with an account team only by that team
        or a KA Manager (the one helper, ``_key_account_filtered_access``)."""
        self.ensure_one()
        partner = self.sudo()
        if self.env.su or not (partner.is_key_account or partner.key_account_team_user_ids):
            return
        self._key_account_check_access(
            "write",
            self.env._("%(partners)s is developed or managed by its account team: ask them or a Key Account Manager."),
        )

    def action_open_key_account_developments(self):
        """Smart button: the development plans of this customer (those the user may see)."""
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Development Plans"),
            "res_model": "key.account.development",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }
