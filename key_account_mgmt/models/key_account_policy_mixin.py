from odoo import api, fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountPolicyMixin(models.AbstractModel):
    """The preferential policies of a key account: ``key.account.policy``."""

    _name = "key.account.policy.mixin"
    _description = "Key Account Policies"

    key_account_policy_ids = fields.One2many(
        "key.account.policy", "partner_id", string="Preferential Policies", groups=KA_USER
    )
    key_account_active_policy_ids = fields.Many2many(
        "key.account.policy",
        string="Policies in Force",
        compute="_compute_key_account_active_policy_ids",
        groups=KA_USER,
    )
    key_account_policy_count = fields.Integer(
        string="Policies", compute="_compute_key_account_active_policy_ids", groups=KA_USER
    )

    @api.depends_context("uid")
    @api.depends("key_account_policy_ids.state", "key_account_policy_ids.date_from", "key_account_policy_ids.date_to")
    def _compute_key_account_active_policy_ids(self):
        # as the current user: the record rules keep policies within the account team
        policies = self.env["key.account.policy"].search([("partner_id", "in", self.ids), ("is_active", "=", True)])
        counts = dict(
            self.env["key.account.policy"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        by_partner = policies.grouped("partner_id")
        for partner in self:
            partner.key_account_active_policy_ids = by_partner.get(partner, policies.browse())
            partner.key_account_policy_count = counts.get(partner, 0)

    def action_open_policies(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_policy_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
