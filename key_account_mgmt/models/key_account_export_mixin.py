from odoo import models
from odoo.exceptions import AccessError

from ..tools import model_label

KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountExportMixin(models.AbstractModel):
    """Export of confidential key-account data is reserved to KA Managers (SPEC §1): every model
    that holds it inherits this mixin (the confidential records through
    ``key.account.confidential.mixin``; reports, KPIs, targets, reviews and score lines
    directly). tests/test_trust_matrix.py checks that no confidential model is left out."""

    _name = "key.account.export.mixin"
    _description = "Key Account Export Restriction"

    def export_data(self, fields_to_export):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(
                self.env._("Only Key Account Managers may export %(records)s.", records=model_label(self))
            )
        return super().export_data(fields_to_export)
