from odoo import fields, models


class KeyAccountDevelopmentDepartment(models.Model):
    """A department that takes part in the on-site investigation of a potential key account
    and signs it off (实地调查, seed 003 第七条: 与技术、设计及品质等相关部门共同对新客户进行现场考察):
    configurable; a required department's sign-off, once named on a plan, must be given
    before the development is won."""

    _name = "key.account.development.department"
    _description = "Investigating Department"
    _order = "sequence, id"

    name = fields.Char(string="Department", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    required = fields.Boolean(
        string="Sign-off Required",
        default=True,
        help="Named on a plan, this department's sign-off is needed before the development is won.",
    )
    description = fields.Text(translate=True)
