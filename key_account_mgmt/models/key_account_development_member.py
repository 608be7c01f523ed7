from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# seed 001 §3.3.3 二.3: 大客户项目小组
DEVELOPMENT_ROLES = [
    ("coordinator", "Coordinator (统筹人)"),
    ("developer", "Developer (拓展)"),
    ("liaison", "Liaison (协调人)"),
    ("upgrade", "Upgrade Activities Lead (升级活动负责人)"),
    ("trainer", "Trainer (培训负责人)"),
]
# the role each one takes on the customer's account team (key.account.team.member)
TEAM_ROLE = {"coordinator": "coordinator", "developer": "developer", "liaison": "liaison", "upgrade": "developer"}


class KeyAccountDevelopmentMember(models.Model):
    """A member of a development plan's project team: part of what the reviewers approve, set
    by the plan's coordinator or a KA Manager; while the customer is not a key account the
    member is on its account team (see key.account.development)."""

    _name = "key.account.development.member"
    _inherit = ["key.account.confidential.mixin", "key.account.approval.line.mixin"]
    _description = "Development Project Team Member"
    _order = "development_id, sequence, id"
    _confidential_parents = ("development_id",)
    _approval_parent_fields = ("development_id",)
    _approval_material_fields = ("development_id", "user_id", "role")

    development_id = fields.Many2one("key.account.development", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        "res.users", string="Member", required=True, ondelete="restrict", domain="[('share', '=', False)]"
    )
    role = fields.Selection(DEVELOPMENT_ROLES, required=True, default="developer")
    note = fields.Char(string="Work", help="What the member does: visits, proposals, contacts, the car, training …")

    def _team_role(self):
        return TEAM_ROLE.get(self.role, self.role)

    @api.constrains("user_id")
    def _check_internal_user(self):
        for member in self:
            if member.user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an internal user and cannot join a project team.", user=member.user_id.name
                    )
                )

    def _check_team_rights(self, developments):
        if self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            return
        if any(plan.sudo().user_id != self.env.user for plan in developments):
            raise AccessError(
                self.env._("Only the coordinator of the plan or a Key Account Manager sets its project team.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["key.account.development"].browse(
            [vals.get("development_id") for vals in vals_list if isinstance(vals.get("development_id"), int)]
        )
        self._check_team_rights(plans)
        members = super().create(vals_list)
        members.development_id._sync_account_team()
        return members

    def write(self, vals):
        self._check_team_rights(self.development_id)
        left = self._team_pairs()
        result = super().write(vals)
        self.development_id._sync_account_team()
        self.development_id._prune_account_team(left)
        return result

    def unlink(self):
        self._check_team_rights(self.development_id)
        plans, left = self.development_id, self._team_pairs()
        result = super().unlink()
        plans._prune_account_team(left)
        return result

    def _team_pairs(self):
        return {(member.sudo().user_id.id, member._team_role()) for member in self}
