from odoo import fields, models


class KeyAccountBuyingRole(models.Model):
    """The people inside a customer who influence a purchase (seed 001 §3.3.3 二.5: 客户内部影响
    采购的六类人): economic, technical, user, paying and coach buyers, and the purchasing
    department. Configuration: the relationship map gives each contact the roles they play; the
    code ties a role to the contact's buying role (``res.partner.buying_role``) and to the
    coverage signals. Deciding roles make a contact one of the deciders (重点接触决策人)."""

    _name = "key.account.buying.role"
    _description = "Buying Role"
    _order = "sequence, id"

    name = fields.Char(string="Buying Role", required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical: economic, technical, user, payer, coach and procurement are the six roles of seed 001; the "
        "contact's buying role and the coverage signals use them.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer(string="Colour")
    is_deciding = fields.Boolean(
        string="Decides",
        help="A contact with this role is a decider: an opponent in it, or not met within the tier's visit frequency, "
        "is a relationship risk.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Another buying role has this code."),
    ]
