from odoo import fields, models


class KeyAccountDevelopmentReason(models.Model):
    """Why a development has not succeeded (seed 001 §3.3.3 六.2: 归类保存): configurable
    categories, reported on failed plans and unsuccessful development visits."""

    _name = "key.account.development.reason"
    _description = "Development Failure Reason"
    _order = "sequence, id"

    name = fields.Char(string="Reason", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
