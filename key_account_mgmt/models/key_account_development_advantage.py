from odoo import api, fields, models

# seed 001 §3.2.2 二.3: 开发方案应确立潜在大客户开发的竞争优势
ADVANTAGES = [
    ("cost", "Lower Total Purchase Cost"),
    ("revenue", "Higher Returns"),
    ("waste", "Less Waste"),
    ("efficiency", "Better Working Efficiency"),
    ("solution", "A Real Solution"),
    ("intangible", "Intangible Value"),
]


class KeyAccountDevelopmentAdvantage(models.Model):
    """One of the six competitive advantages a development plan must establish, checked when
    it is, with how."""

    _name = "key.account.development.advantage"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Development Competitive Advantage"
    _order = "development_id, sequence, id"
    _rec_name = "kind"
    _confidential_parents = ("development_id",)

    development_id = fields.Many2one("key.account.development", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(ADVANTAGES, string="Advantage", required=True)
    established = fields.Boolean(help="The plan establishes this advantage.")
    note = fields.Text(string="How")

    @api.model
    def _default_lines(self):
        return [(0, 0, {"kind": kind, "sequence": index}) for index, (kind, _label) in enumerate(ADVANTAGES)]
