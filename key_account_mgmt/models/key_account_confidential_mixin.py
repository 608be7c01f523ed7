from odoo import api, fields, models
from odoo.exceptions import AccessError


class KeyAccountConfidentialMixin(models.AbstractModel):
    """Records confidential to a key account's team (archive, state log, visits, …).

    The record rules in security/key_account_security.xml read the fields of this mixin:
    a KA User sees the records of the accounts on whose team they are
    (``partner_id.key_account_team_user_ids``), Clerks, Managers and Directors those of their
    companies. Exporting them is reserved to KA Managers (SPEC §1)."""

    _name = "key.account.confidential.mixin"
    _description = "Key Account Confidential Record"

    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_key_account', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        compute="_compute_company_id",
        store=True,
        index=True,
        precompute=True,
    )

    @api.depends("partner_id.company_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = record.partner_id.company_id or record.env.company

    def export_data(self, fields_to_export):
        if not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
            raise AccessError(
                self.env._("Only Key Account Managers may export %(records)s.", records=self._description)
            )
        return super().export_data(fields_to_export)
