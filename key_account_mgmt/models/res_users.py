from odoo import api, models

from ..tools import model_label


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def review_user_count(self):
        """The reviews menu of the systray names each kind of record in the user's language
        (base_tier_validation sends the untranslated ``_description``)."""
        groups = super().review_user_count()
        for group in groups:
            group["name"] = model_label(self.env[group["model"]])
        return groups
