from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import create_index

from ..tools import ensure_one, model_label

KA_USER = "key_account_mgmt.group_ka_user"
KA_MANAGER = "key_account_mgmt.group_ka_manager"

GROUP_RELATIONS = [("branch", "Branch"), ("carrier", "Carrier / Agent")]
# context key of the fields that list the people of a key account (contacts to meet, visitors,
# key persons, main contact): they show "Sun Li", not "Hengtai Construction Group, Sun Li"
PERSON_NAME_CONTEXT = "key_account_person_name"


class ResPartner(models.Model):
    """Key-account glue on the partner: the account's identity (tier, manager, team, code), its
    group structure, the create/write/unlink checks and the smart buttons. Each concern (state,
    visits, score, figures, credit, loss, complaints, buying roles, policies, the trust boundary)
    lives in its ``key.account.<concern>.mixin``, inherited here: its fields are partner fields.

    No record rule restricts res.partner: core reads partners everywhere as the current user.
    Instead every key-account field carries ``groups=``: any internal user may see whether a
    company is a key account and its tier (SPEC §1), the rest only the key-account groups.
    """

    _name = "res.partner"
    _inherit = [
        "res.partner",
        "key.account.search.guard.mixin",
        "key.account.cooperation.mixin",
        "key.account.visit.schedule.mixin",
        "key.account.score.mixin",
        "key.account.figures.mixin",
        "key.account.credit.mixin",
        "key.account.loss.mixin",
        "key.account.complaint.mixin",
        "key.account.buying.role.mixin",
        "key.account.relationship.mixin",
        "key.account.policy.mixin",
        "key.account.activity.mixin",
        "key.account.pending.approval.mixin",
        "key.account.plan.mixin",
        "key.account.development.partner.mixin",
        "key.account.state.suggestion.mixin",
        "key.account.agreement.mixin",
        "key.account.region.mixin",
        # before the write guard: it refines the guard's refusal (super())
        "key.account.access.mixin",
        "key.account.write.guard",
        "key.account.satisfaction.mixin",
        "key.account.service.mixin",
        "key.account.care.mixin",
    ]

    # key.account.write.guard: the fields of this addon only (their rules and actions), and these
    # too, changed only through their actions, which keep the history
    _key_account_guards_own_fields_only = True
    _key_account_action_fields = (
        "cooperation_state",
        "cooperation_state_date",
        "cooperation_state_unconfirmed",
        "cooperation_reminder_date",
        "key_account_escalated",
        "key_account_code",
        "key_account_lost",
        "key_account_last_visit_date",
        "key_account_visit_count",
        "key_account_reception_count",
        "key_account_score",
        "key_account_grade",
        "key_account_score_period",
    )

    is_key_account = fields.Boolean(
        string="Key Account",
        copy=False,
        index=True,
        tracking=True,
        groups="base.group_user",
        help="This company is managed as a key account (大客户).",
    )
    key_account_tier_id = fields.Many2one(
        "key.account.tier",
        string="Tier",
        copy=False,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        groups="base.group_user",
        domain="['|', ('company_id', '=', False), ('company_id', 'in', allowed_company_ids)]",
    )
    key_account_tier_color = fields.Integer(
        related="key_account_tier_id.color", string="Tier Colour", groups="base.group_user"
    )
    key_account_category_ids = fields.Many2many(
        "key.account.category",
        "res_partner_key_account_category_rel",
        "partner_id",
        "category_id",
        string="Key Account Categories",
        copy=False,
        groups=KA_USER,
    )
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        copy=False,
        index="btree_not_null",
        tracking=True,
        groups=KA_USER,
        domain="[('share', '=', False)]",
        help="The key-account specialist responsible for this account (客户经理).",
    )

    key_account_code = fields.Char(
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups=KA_USER,
        help="大客户编码: assigned from a sequence when the partner becomes a key account.",
    )
    key_account_team_member_ids = fields.One2many(
        "key.account.team.member",
        "partner_id",
        string="Team Members",
        groups=KA_USER,
    )
    key_account_headquarters_id = fields.Many2one(
        "res.partner",
        string="Headquarters",
        index="btree_not_null",
        tracking=True,
        groups=KA_USER,
        copy=False,
        domain="[('is_company', '=', True), ('parent_id', '=', False), ('id', '!=', id)]",
        help="The group customer (集团客户) this company belongs to as a branch or carrier.",
    )
    key_account_group_relation = fields.Selection(
        GROUP_RELATIONS,
        string="Relation to Headquarters",
        groups=KA_USER,
        copy=False,
        help="Branch (分支机构): its purchases count in the group's figures. Carrier / agent (承运商): linked, not consolidated.",
    )
    key_account_branch_ids = fields.One2many(
        "res.partner",
        "key_account_headquarters_id",
        string="Branches",
        groups=KA_USER,
        domain=[("key_account_group_relation", "=", "branch")],
        context={"default_key_account_group_relation": "branch"},
    )
    key_account_carrier_ids = fields.One2many(
        "res.partner",
        "key_account_headquarters_id",
        string="Carriers / Agents",
        groups=KA_USER,
        domain=[("key_account_group_relation", "=", "carrier")],
        context={"default_key_account_group_relation": "carrier"},
    )
    key_account_team_user_ids = fields.Many2many(
        "res.users",
        "res_partner_key_account_team_user_rel",
        "partner_id",
        "user_id",
        string="Account Team",
        compute="_compute_key_account_team_user_ids",
        store=True,
        groups=KA_USER,
        help="Users who see this account's confidential records: the account manager and the team members.",
    )

    def init(self):
        result = super().init()
        # every screen of a scope filters by "among its key accounts" (a subquery): 20,000 ids
        # read from this instead of the 100,000 customers (bench/README.md, "Load")
        create_index(self.env.cr, "res_partner_key_account_id_index", self._table, ["id"], where="is_key_account")
        return result

    @api.depends("key_account_manager_id", "key_account_team_member_ids.user_id")
    def _compute_key_account_team_user_ids(self):
        for partner in self:
            partner.key_account_team_user_ids = (
                partner.key_account_manager_id | partner.key_account_team_member_ids.user_id
            )

    @api.constrains("key_account_headquarters_id", "key_account_group_relation")
    def _check_key_account_group_structure(self):
        for partner in self:
            headquarters = partner.key_account_headquarters_id
            if not headquarters:
                continue
            if not partner.key_account_group_relation:
                raise ValidationError(
                    self.env._(
                        "Say whether %(partner)s is a branch or a carrier of %(hq)s.",
                        partner=partner.name,
                        hq=headquarters.name,
                    )
                )
            if headquarters == partner or headquarters.key_account_headquarters_id:
                raise ValidationError(
                    self.env._(
                        "%(hq)s cannot be the headquarters of %(partner)s: a headquarters is not itself a branch or "
                        "carrier.",
                        hq=headquarters.name,
                        partner=partner.name,
                    )
                )
            if partner.parent_id or partner.key_account_branch_ids or partner.key_account_carrier_ids:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be a branch or carrier: it is a contact or a headquarters itself.",
                        partner=partner.name,
                    )
                )

    @api.constrains("is_key_account", "parent_id")
    def _check_key_account_is_commercial(self):
        for partner in self:
            if partner.is_key_account and partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a contact of %(parent)s: only the company itself can be a key account.",
                        partner=partner.name,
                        parent=partner.parent_id.name,
                    )
                )

    @api.depends_context(PERSON_NAME_CONTEXT)
    def _compute_display_name(self):
        if not self.env.context.get(PERSON_NAME_CONTEXT):
            return super()._compute_display_name()
        people = self.filtered(lambda partner: not partner.is_company and partner.name)
        for person in people:
            person.display_name = person.name
        return super(ResPartner, self - people)._compute_display_name()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # defaults given in the context (an RPC client sets them at will): those the user may
            # not set are ignored, the others checked like values
            self, vals_list = self._key_account_context_defaults(vals_list)
        for vals in vals_list:
            self._check_key_account_values(vals)  # before the guards read them (base runs last)
            # on an empty recordset: copy() calls create() on the original record
            self.browse()._check_key_account_rights(vals)
        partners = super().create(vals_list)
        if any(vals.get("is_key_account") for vals in vals_list):
            partners._assign_key_account_codes()
        return partners

    def write(self, vals):
        self._check_key_account_values(vals)  # before the guards read them (base runs last)
        self._check_key_account_rights(vals)
        result = super().write(vals)
        if vals.keys() & {"key_account_manager_id", "key_account_team_member_ids"}:
            self._flush_team_of()
        if vals.get("is_key_account"):
            self._assign_key_account_codes()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_key_account(self):
        """Key accounts (and former ones) are deleted by KA Managers only, and no partner with a
        key-account history (archive, state history, scores, visits, losses, policies, …) is
        deleted at all: histories are never deleted with their account (the snapshots have no
        foreign key to stop it). Archive the partner instead."""
        accounts = self.filtered(lambda p: p._has_key_account_data())
        if accounts:
            self._key_account_check_manager(
                self.env._(
                    "Only a Key Account Manager may delete the key account %(partners)s.",
                    partners=", ".join(accounts.sudo().mapped("display_name")),
                )
            )
        accounts._key_account_check_access(
            "write", self.env._("Only a Key Account Manager of its company may delete the key account %(partners)s.")
        )
        with_history = self._key_account_with_history()
        if with_history:
            raise UserError(
                self.env._(
                    "%(partners)s has a key-account history (archive, state history, scores, visits, …), which is "
                    "never deleted: archive the partner instead.",
                    partners=", ".join(with_history.sudo().mapped("display_name")),
                )
            )

    def _key_account_with_history(self):
        """The partners among these that confidential key-account records refer to."""
        registry = self.env.registry
        models_with_history = [
            name
            for name in registry.descendants(["key.account.confidential.mixin"], "_inherit")
            if not registry[name]._abstract and registry[name]._auto
        ] + ["key.account.application"]
        found = self.browse()
        for name in models_with_history:
            rows = (
                self.env[name]
                .sudo()
                .with_context(active_test=False)
                ._read_group([("partner_id", "in", (self - found).ids)], ["partner_id"])
            )
            found |= self.browse([partner.id for (partner,) in rows])
        return found

    def _key_account_context_defaults(self, vals_list):
        ignored = set(self._key_account_protected_fields())
        if not self.env.user.has_group(KA_MANAGER):
            ignored |= set(self._KEY_ACCOUNT_MANAGER_FIELDS)
        checked = {*self._KEY_ACCOUNT_STRUCTURE_FIELDS, *self._KEY_ACCOUNT_TEAM_FIELDS}
        context, defaults = {}, {}
        for key, value in self.env.context.items():
            name = key[len("default_") :] if key.startswith("default_") else None
            if name in ignored:
                continue
            if name in checked:
                defaults[name] = value
            context[key] = value
        if len(context) == len(self.env.context) and not defaults:
            return self, vals_list
        # the context replaced, not updated: the ignored defaults must leave it
        return self.with_env(self.env(context=context)), [{**defaults, **vals} for vals in vals_list]

    def _flush_team_of(self):
        """The record rules of confidential models read the stored team: write it now, so a
        search later in the same transaction sees the new team."""
        self.flush_recordset(["key_account_team_user_ids"])

    def _assign_key_account_codes(self):
        """大客户编码: every key account gets its code once, from the sequence (where the company
        requires it, once its supply and quality agreements are signed)."""
        for partner in (
            self.sudo().filtered(lambda p: p.is_key_account and not p.key_account_code)._key_account_code_ready()
        ):
            partner.write(
                {
                    "key_account_code": self.env["ir.sequence"].next_by_code("key.account.code"),
                    "key_account_lost": False,
                }
            )
        self.sudo().filtered(lambda p: p.is_key_account and p.key_account_lost).write({"key_account_lost": False})

    # ------------------------------------------------------------------ smart buttons
    def action_open_key_account_archive(self):
        """Smart button: the account's archive, an access request, or a new archive."""
        ensure_one(self)
        return self.env["key.account.archive"]._action_open_for(self)

    def action_open_key_account_records(self):
        """Smart buttons: the confidential records of this account (model in the context)."""
        ensure_one(self)
        model = self.env.context.get("key_account_model")
        if model not in (
            "key.account.application",
            "key.account.archive.grant",
            "key.account.loss",
            "key.account.visit",
            "key.account.reception",
            "key.account.news",
            "key.account.monthly.review",
            "key.account.target",
            "key.account.relationship.signal",
        ):
            raise UserError(self.env._("Nothing to open here."))
        return {
            "type": "ir.actions.act_window",
            "name": model_label(self.env[model]),
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    def action_open_key_account_form(self):
        """The plain partner form's way to the account's form in the Key Accounts app."""
        ensure_one(self)
        form = self.env.ref("key_account_mgmt.res_partner_view_form_key_account")
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(form.id, "form")],
        }

    def action_nominate_key_account(self):
        """Any internal user, branch sales teams included, proposes this company (开发申请)."""
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Key Account Nomination"),
            "res_model": "key.account.application",
            "view_mode": "form",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_open_reassign_wizard(self):
        """One-click reassignment of the account manager (after an escalation)."""
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign Key Account"),
            "res_model": "key.account.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_from_user_id": self.sudo().key_account_manager_id.id,
                "default_note": self.env._("Escalation") if self.key_account_escalated else False,
            },
        }
