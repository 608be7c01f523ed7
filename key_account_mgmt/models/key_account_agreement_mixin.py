from odoo import api, fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountAgreementMixin(models.AbstractModel):
    """The agreements of a key account (key.account.agreement), counted as the reader may see
    them, and the gate of its code (seed 003 第九–十一条)."""

    _name = "key.account.agreement.mixin"
    _description = "Key Account Agreements"

    key_account_agreement_count = fields.Integer(
        string="Agreements",
        compute="_compute_key_account_agreement_count",
        groups=KA_USER,
        help="Contracts, agreements and tenders of this account you may see.",
    )

    @api.depends_context("uid")
    def _compute_key_account_agreement_count(self):
        Agreement = self.env["key.account.agreement"]
        counts = {}
        if Agreement.has_access("read"):
            groups = Agreement._read_group(
                [("partner_id", "in", [pid for pid in self.ids if pid])], ["partner_id"], ["__count"]
            )
            counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.key_account_agreement_count = counts.get(partner.id, 0)

    def action_open_key_account_agreements(self):
        """Smart button: the account's agreements."""
        ensure_one(self)
        self.env["key.account.agreement"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_agreement_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _key_account_code_ready(self):
        """The accounts among these that may get their key-account code now."""
        return self.env["key.account.agreement"]._code_ready(self)
