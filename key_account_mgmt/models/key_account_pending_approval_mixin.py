from collections import Counter

from odoo import api, fields, models
from odoo.osv import expression

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountPendingApprovalMixin(models.AbstractModel):
    """What of a key account waits for approval: its visits, receptions, policies and
    nominations submitted and not decided yet (``key.account.approval.mixin``), counted as the
    reader may see them (record rules)."""

    _name = "key.account.pending.approval.mixin"
    _description = "Key Account Pending Approvals"

    key_account_pending_approval_count = fields.Integer(
        string="Waiting Approvals",
        compute="_compute_key_account_pending_approval_count",
        groups=KA_USER,
        help="Visits, receptions, policies and nominations of this account submitted and not decided yet.",
    )

    @api.model
    def _key_account_approval_models(self):
        """The approval models whose records belong to one account, that the user may read."""
        names = self.env["key.account.approval.mixin"]._approval_model_names()
        return [name for name in names if "partner_id" in self.env[name]._fields and self.env[name].has_access("read")]

    @api.model
    def _key_account_pending_domain(self, partner_ids):
        return [("partner_id", "in", partner_ids), ("state", "=", "submitted")]

    @api.depends_context("uid")
    def _compute_key_account_pending_approval_count(self):
        domain = self._key_account_pending_domain([pid for pid in self.ids if pid])
        counts = Counter()
        for name in self._key_account_approval_models():
            for partner, count in self.env[name]._read_group(domain, ["partner_id"], ["__count"]):
                counts[partner.id] += count
        for partner in self:
            partner.key_account_pending_approval_count = counts[partner.id]

    def action_open_pending_approvals(self):
        """Stat button: the reviews awaited now on this account's records (one per record)."""
        ensure_one(self)
        domain = self._key_account_pending_domain(self.ids)
        reviewed = [
            [("model", "=", name), ("res_id", "in", self.env[name].search(domain).ids)]
            for name in self._key_account_approval_models()
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waiting Approvals"),
            "res_model": "tier.review",
            "view_mode": "list",
            "views": [(self.env.ref("key_account_mgmt.tier_review_view_list_key_account").id, "list")],
            "search_view_id": self.env.ref("key_account_mgmt.tier_review_view_search_key_account").id,
            "domain": expression.AND([[("status", "=", "pending")], expression.OR(reviewed or [[("id", "=", 0)]])]),
            "context": {"create": False},
        }
