from odoo import api, models
from odoo.exceptions import AccessError


class TierReview(models.Model):
    """base_tier_validation lets any internal user write reviews; on key-account approvals
    only the reviewers themselves (or the system) may decide one."""

    _inherit = "tier.review"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("status", "waiting") != "waiting" and vals.get("model") in self._key_account_models()
            for vals in vals_list
        ):
            raise AccessError(self.env._("A key-account review can only be created waiting for its reviewer."))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("status") in ("approved", "rejected") and not self.env.su:
            for review in self.filtered(lambda r: r.model in self._key_account_models()):
                if self.env.user not in review.reviewer_ids:
                    raise AccessError(self.env._("Only its reviewers may approve or reject a key-account review."))
                # reviewers are whole groups, across companies: the reviewer must reach the record
                self.env[review.model].browse(review.res_id).check_access("write")
        return super().write(vals)

    @api.model
    def _key_account_models(self):
        return self.env["key.account.approval.mixin"]._approval_model_names()
