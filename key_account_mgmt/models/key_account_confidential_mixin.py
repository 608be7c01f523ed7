from odoo import api, fields, models


class KeyAccountConfidentialMixin(models.AbstractModel):
    """Records confidential to a key account's team (archive, state log, visits, …).

    The record rules in security/key_account_security.xml read the fields of this mixin:
    a KA User sees the records of the accounts on whose team they are
    (``partner_id.key_account_team_user_ids``), Clerks, Managers and Directors those of their
    companies."""

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
