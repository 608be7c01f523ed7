from odoo import api, fields, models


class KeyAccountConfidentialMixin(models.AbstractModel):
    """Records confidential to a key account's team (archive, state log, visits, …).

    The record rules in security/key_account_security.xml read the fields of this mixin:
    a KA User sees the records of the accounts on whose team they are
    (``partner_id.key_account_team_user_ids``), Clerks, Managers and Directors those of their
    companies. Exporting them is reserved to KA Managers (SPEC §1, ``key.account.export.mixin``);
    searching them by a field the user may not read is refused (``key.account.search.guard.mixin``).

    Lines of a confidential record (archive people, visit expenses, …) name their parent
    fields in ``_confidential_parents``: they take the parent's account and company.

    Its write guard (key.account.write.guard) keeps the fields feeding the rules, approvals
    and histories to their actions, and lines to parents the user may change."""

    _name = "key.account.confidential.mixin"
    _inherit = ["key.account.write.guard", "key.account.export.mixin", "key.account.search.guard.mixin"]
    _description = "Key Account Confidential Record"
    _confidential_parents = ()

    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        required=True,
        index=True,
        ondelete="restrict",  # a history is never deleted with its account (res.partner refuses first)
        domain="[('is_key_account', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        precompute=True,
    )

    @api.depends(
        lambda self: ["partner_id.company_id", *(f"{parent}.company_id" for parent in self._confidential_parents)]
    )
    def _compute_company_id(self):
        for record in self:
            parent = record._confidential_parent()
            record.company_id = parent.company_id if parent else record.partner_id.company_id or record.env.company

    @api.depends(lambda self: [f"{parent}.partner_id" for parent in self._confidential_parents])
    def _compute_partner_from_parent(self):
        for record in self:
            parent = record._confidential_parent()
            record.partner_id = parent.partner_id if parent else False

    def _confidential_parent(self):
        """The record this line belongs to, if it is a line."""
        for parent in self._confidential_parents:
            if self[parent]:
                return self[parent]
        return None
