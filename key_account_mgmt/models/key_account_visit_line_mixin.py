from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import model_label


class KeyAccountVisitLineMixin(models.AbstractModel):
    """A line of a visit or of a reception (gifts, expenses): it belongs to exactly one of
    them and takes its key account and company from it."""

    _name = "key.account.visit.line.mixin"
    _inherit = ["key.account.confidential.mixin"]
    _confidential_parents = ("visit_id", "reception_id")
    _description = "Visit or Reception Line"

    visit_id = fields.Many2one("key.account.visit", index="btree_not_null", ondelete="cascade")
    reception_id = fields.Many2one("key.account.reception", index="btree_not_null", ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")

    @api.constrains("visit_id", "reception_id")
    def _check_one_parent(self):
        for line in self:
            if bool(line.visit_id) == bool(line.reception_id):
                raise ValidationError(
                    self.env._("%(line)s belongs to one visit or one reception.", line=model_label(self))
                )
