from odoo import api, fields, models
from odoo.exceptions import ValidationError

TEAM_ROLES = [
    ("coordinator", "Coordinator (统筹人)"),
    ("developer", "Developer (拓展)"),
    ("liaison", "Liaison (协调人)"),
    ("trainer", "Trainer (培训)"),
]


class KeyAccountTeamMember(models.Model):
    """A user on a key account's team with a role (seed 000 §二: 大客户服务小组). Team members
    see the account's confidential records like the account manager."""

    _name = "key.account.team.member"
    _description = "Key Account Team Member"
    _order = "partner_id, role, id"
    _rec_name = "user_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Member",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('share', '=', False)]",
    )
    role = fields.Selection(TEAM_ROLES, required=True, default="developer")
    note = fields.Char(string="Responsibilities")

    _sql_constraints = [
        (
            "partner_user_role_unique",
            "unique(partner_id, user_id, role)",
            "This member already has this role on the account.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members.partner_id._flush_team_of()
        return members

    def write(self, vals):
        partners = self.partner_id
        result = super().write(vals)
        (partners | self.partner_id)._flush_team_of()
        return result

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        partners._flush_team_of()
        return result

    @api.constrains("user_id")
    def _check_internal_user(self):
        for member in self:
            if member.user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an internal user and cannot join an account team.", user=member.user_id.name
                    )
                )
