from odoo import fields, models


class KeyAccountAgreementClause(models.Model):
    """A clause of an agreement's checklist (seed 000 六: 审核合同条款): each is reviewed before the
    agreement is submitted; what it says is part of what the reviewers approve."""

    _name = "key.account.agreement.clause"
    _inherit = ["key.account.confidential.mixin", "key.account.approval.line.mixin"]
    _description = "Agreement Clause"
    _order = "agreement_id, sequence, id"
    _confidential_parents = ("agreement_id",)
    _approval_parent_fields = ("agreement_id",)
    _approval_material_fields = ("agreement_id", "name", "reviewed", "note")

    agreement_id = fields.Many2one("key.account.agreement", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Clause", required=True)
    reviewed = fields.Boolean(help="The clause has been read and agreed with the customer.")
    note = fields.Char(help="What was checked, changed or agreed.")
