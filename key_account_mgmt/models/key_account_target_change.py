from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ensure_one
from .key_account_approval_mixin import APPROVAL_STATES

KA_CLERK = "key_account_mgmt.group_ka_clerk"


class KeyAccountTargetChange(models.Model):
    """A change of an approved target (计划变更, seed 001 第6条: 须经部门经理批准): the new
    sales amount and new key accounts planned, with the reason, approved with the layered
    approval (KA Manager; KA Director when the set needed the Director) and then applied.
    The approved changes of a target are its history: each keeps the values before and
    after, who asked, why and when it took effect; approved, nothing of it changes and it is
    never deleted."""

    _name = "key.account.target.change"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Target Change Request"
    _order = "id desc"
    _approval_material_fields = ("target_id", "new_sales_target", "new_new_accounts_target", "reason")
    # the approval applied the change: a further change is a new request
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        APPROVAL_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    target_id = fields.Many2one(
        "key.account.target",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('plan_id.state', '=', 'approved')]",
    )
    plan_id = fields.Many2one(related="target_id.plan_id", string="Target Set", store=True, index=True)
    company_id = fields.Many2one(related="target_id.company_id", string="Company", store=True, index=True)
    target_user_id = fields.Many2one(related="target_id.user_id", string="Specialist", store=True, index=True)
    currency_id = fields.Many2one(related="target_id.currency_id", string="Currency")
    user_id = fields.Many2one(
        "res.users", string="Requested by", required=True, readonly=True, default=lambda self: self.env.user
    )
    old_sales_target = fields.Monetary(
        string="Sales Target Before", currency_field="currency_id", compute="_compute_old_values", store=True
    )
    old_new_accounts_target = fields.Integer(
        string="New Key Accounts Before", compute="_compute_old_values", store=True
    )
    new_sales_target = fields.Monetary(currency_field="currency_id")
    new_new_accounts_target = fields.Integer(string="New Key Accounts Planned")
    reason = fields.Text(required=True)
    applied_date = fields.Datetime(string="Applied On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_requester(vals.get("target_id") if isinstance(vals, dict) else None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and isinstance(vals, dict) and vals.get("target_id"):
            self._check_requester(vals["target_id"])
        return super().write(vals)

    @api.model
    def _check_requester(self, target_id):
        """A specialist asks to change their own targets (and those of the accounts on whose
        team they are); clerks and managers any they read."""
        valid = isinstance(target_id, int) and not isinstance(target_id, bool)
        target = self.env["key.account.target"].browse(target_id if valid else ()).exists()
        if not target:
            raise UserError(self.env._("Choose the target to change."))
        target.check_access("read")
        user = self.env.user
        own_account = not target.user_id and user in target.partner_id.sudo().key_account_team_user_ids
        if target.user_id != user and not own_account and not user.has_group(KA_CLERK):
            raise AccessError(self.env._("A specialist asks to change their own targets only."))

    @api.depends("target_id")
    def _compute_old_values(self):
        # the values when the request is made (not recomputed when the target changes)
        for change in self:
            change.old_sales_target = change.target_id.sales_target
            change.old_new_accounts_target = change.target_id.new_accounts_target

    @api.depends("plan_id.needs_director_approval")
    def _compute_needs_director_approval(self):
        for change in self:
            change.needs_director_approval = change.plan_id.needs_director_approval

    @api.depends("name", "target_id")
    def _compute_display_name(self):
        for change in self:
            change.display_name = f"{change.name} · {change.target_id.display_name or ''}"

    @api.constrains("new_sales_target", "new_new_accounts_target")
    def _check_values(self):
        for change in self:
            if change.new_sales_target < 0 or change.new_new_accounts_target < 0:
                raise ValidationError(self.env._("Targets cannot be negative."))

    def _check_submittable(self):
        change = ensure_one(self)
        target = change.target_id.sudo()
        if target.plan_id.state != "approved":
            raise UserError(
                self.env._(
                    "%(target)s is not in an approved target set: change it directly.", target=target.display_name
                )
            )
        if not (change.reason or "").strip():
            raise ValidationError(self.env._("Give the reason of the change."))
        if (change.new_sales_target, change.new_new_accounts_target) == (
            target.sales_target,
            target.new_accounts_target,
        ):
            raise ValidationError(self.env._("The change request changes nothing."))
        if change.new_new_accounts_target and not target._is_specialist_wide():
            raise ValidationError(self.env._("New key accounts are planned per specialist."))
        others = self.search_count(
            [("id", "!=", change.id), ("target_id", "=", target.id), ("state", "=", "submitted")]
        )
        if others:
            raise UserError(self.env._("A change of %(target)s is already under approval.", target=target.display_name))

    def _on_approved(self):
        """Apply the change to the target (as the system: an approved set's targets are
        locked) and record what it was before."""
        for change in self:
            target = change.target_id.sudo()
            change.sudo().write(
                {
                    "old_sales_target": target.sales_target,
                    "old_new_accounts_target": target.new_accounts_target,
                    "applied_date": fields.Datetime.now(),
                }
            )
            target.write(
                {"sales_target": change.new_sales_target, "new_accounts_target": change.new_new_accounts_target}
            )
            change.sudo().message_post(
                body=self.env._(
                    "Applied: sales target %(old)s → %(new)s.",
                    old=change.old_sales_target,
                    new=change.new_sales_target,
                ),
                subtype_xmlid="mail.mt_note",
            )
