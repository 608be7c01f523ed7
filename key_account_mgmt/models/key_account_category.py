from odoo import fields, models


class KeyAccountCategory(models.Model):
    """How a key account is classified (分类): by industry, region, potential, group,
    government, value, or by business mode (construction, trading, operation centre, retail)."""

    _name = "key.account.category"
    _description = "Key Account Category"
    _order = "sequence, name, id"

    name = fields.Char(string="Category", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Colour")
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A key account category with this name already exists."),
    ]
