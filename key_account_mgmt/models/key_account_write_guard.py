import re

from odoo import api, models, tools
from odoo.exceptions import AccessError

from ..tools import model_label

# ('field.path', operator, …) in a record rule's domain_force
RULE_FIELD = re.compile(r"""\(\s*['"]([A-Za-z_][\w.]*)['"]\s*,""")


class KeyAccountWriteGuard(models.AbstractModel):
    """Fields that feed record rules, approvals or histories are written only by the actions
    that own them (ARCHITECTURE.md, "Trust boundary"), on create and write, over RPC too.
    Inherited by the confidential records and by the approval mixin; found by introspection,
    so that a new model or field is guarded without being listed:

    - *action fields* — every stored field that is computed (team, account of a line, company,
      routing, totals, validity of a grant, …) or read-only (approval and decision dates, who
      decided, reference to the meeting, …), plus ``_key_account_action_fields`` (a status
      without approval, …): only the superuser writes them, that is the actions, in sudo after
      their own checks. A new record may bring their default value, nothing else; defaults
      given in the context for them are ignored.
    - *rule fields* — every field read by a record rule of the model (account, parent record,
      owner): after a create or write that sets them, the user must still be allowed to write
      the record; a record moved to another account needs the right to change that account's
      confidential data (``res.partner._key_account_check_access``); a line moved or added to a
      parent record needs write access on that parent (``_confidential_parent_access``): nobody
      moves a record into, or adds a line to, another team's account.
    """

    _name = "key.account.write.guard"
    _description = "Key Account Write Guard"

    _key_account_action_fields = ()
    # a core model adopting the guard (res.partner): only the fields this addon adds to it
    _key_account_guards_own_fields_only = False
    # read-only in the forms but no rule, approval or history reads them
    _key_account_free_fields = ("name",)
    # access a user needs on the parent record of a line they create or move (None: none)
    _confidential_parent_access = "write"
    _confidential_parents = ()

    @api.model
    @tools.ormcache("self._name")
    def _key_account_protected_fields(self):
        names = set(self._key_account_action_fields)
        for name, field in self._fields.items():
            if name in models.LOG_ACCESS_COLUMNS or name == "id" or name in self._key_account_free_fields:
                continue
            if self._key_account_guards_own_fields_only and field._module != "key_account_mgmt":
                continue
            # a computed field is read-only unless declared readonly=False (then it is an input)
            if field.store and not field.related and field.readonly:
                names.add(name)
        return frozenset(names)

    @api.model
    @tools.ormcache("self._name")
    def _key_account_rule_fields(self):
        rules = self.env["ir.rule"].sudo().with_context(active_test=False).search([("model_id.model", "=", self._name)])
        names = {path.split(".")[0] for rule in rules for path in RULE_FIELD.findall(rule.domain_force or "")}
        names = (names | set(self._confidential_parents)) & set(self._fields)
        if self._key_account_guards_own_fields_only:
            names = {name for name in names if self._fields[name]._module == "key_account_mgmt"}
        return frozenset(names)

    @api.model
    def _key_account_field_labels(self, names):
        return ", ".join(self._fields[name]._description_string(self.env) for name in sorted(names))

    @api.model
    def _key_account_check_action_fields(self, vals_list, create=False):
        """Refuse the action fields in ``vals_list`` (on create: unless falsy or the default)."""
        if self.env.su:
            return
        protected = self._key_account_protected_fields()
        for vals in vals_list:
            names = [
                name
                for name in vals.keys() & protected
                if not create or not self._key_account_is_default(name, vals[name])
            ]
            if names:
                self._key_account_refuse_action_fields(names)

    @api.model
    def _key_account_refuse_action_fields(self, names):
        """Raise the refusal of writing the action fields ``names`` (a model may name the
        button to use instead)."""
        raise AccessError(
            self.env._(
                "%(fields)s of %(records)s change only through the actions that own them, which check the "
                "rights and keep the history.",
                fields=self._key_account_field_labels(names),
                records=model_label(self),
            )
        )

    @api.model
    def _key_account_is_default(self, name, value):
        if not value:
            return True
        field = self._fields[name]
        default = field.default(self) if field.default else False
        if isinstance(default, models.BaseModel):
            default = default.id
        if isinstance(value, models.BaseModel):
            value = value.id
        return value == default

    @api.model
    def _key_account_check_targets(self, vals, created=False):
        """Before a create or write: the account and the parent records the values point to.
        A record moved to another account (write) needs the right to change that account's
        confidential data (the one helper); a line created in or moved to a parent record needs
        ``_confidential_parent_access`` on it."""
        moved = vals.keys() & {"partner_id", *self._confidential_parents}
        if self.env.su or not moved:
            return
        accounts = self.env["res.partner"]
        if "partner_id" in vals and vals["partner_id"] and not created:
            accounts |= accounts.browse(vals["partner_id"])
        for parent in moved - {"partner_id"}:
            if not vals[parent]:
                continue
            target = self.env[self._fields[parent].comodel_name].browse(vals[parent])
            if self._confidential_parent_access and target - target._filtered_access(self._confidential_parent_access):
                self._key_account_refuse_move(vals)
            if not created and "partner_id" in target._fields:
                accounts |= target.sudo().partner_id.with_env(self.env)
        if accounts - accounts._key_account_filtered_access("write"):
            self._key_account_refuse_move(vals)

    def _key_account_check_rules_after(self, vals):
        """After a write of rule fields (account, parent, owner): the user may still write the
        records (the ORM checks this itself on create only)."""
        if self.env.su or not (vals.keys() & self._key_account_rule_fields()):
            return
        if self - self._filtered_access("write"):
            self._key_account_refuse_move(vals)

    @api.model
    def _key_account_refuse_move(self, vals):
        raise AccessError(
            self.env._(
                "%(records)s cannot go to a key account, record or person whose confidential data you may not "
                "change (%(fields)s).",
                records=model_label(self),
                fields=self._key_account_field_labels(vals.keys() & self._key_account_rule_fields()),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = list(vals_list)  # a generator is read once
        if self.env.su:
            return super().create(vals_list)
        for vals in vals_list:
            self._check_key_account_values(vals)  # before the checks below read them (models/base.py)
        self._key_account_check_action_fields(vals_list, create=True)
        for vals in vals_list:
            self._key_account_check_targets(vals, created=True)
        protected = self._key_account_protected_fields()
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[len("default_") :] in protected)
        }
        # a dict, not keywords: the protected defaults must leave the context, not be overridden
        guarded = self.with_context(context)  # pylint: disable=context-overridden
        return super(KeyAccountWriteGuard, guarded).create(vals_list).with_env(self.env)

    def write(self, vals):
        self._check_key_account_values(vals)
        self._key_account_check_action_fields([vals])
        self._key_account_check_targets(vals)
        result = super().write(vals)
        self._key_account_check_rules_after(vals)
        return result
