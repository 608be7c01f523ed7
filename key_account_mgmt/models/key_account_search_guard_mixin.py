from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from ..tools import model_label, order_paths, read_group_paths

X2MANY_EMPTY = {("=", False): "not any", ("!=", False): "any"}


class KeyAccountSearchGuardMixin(models.AbstractModel):
    """Searching, counting, grouping and sorting by a field tell its value as surely as reading
    it (bisecting ``search_count`` on a score, ``('key_account_loss_ids', '!=', False)``, a
    sum of credit limits by account).

    Odoo 18 checks a field's ``groups`` only where it turns a stored column into SQL; not for
    conditions on one2many/many2many fields, on searchable computed fields, through
    ``any``/``not any`` or dotted paths, nor for grouping by a many2many. Models that hold
    key-account fields with ``groups=`` (res.partner, every model of this addon) inherit this
    mixin: a domain, groupby, aggregate or order naming a field the user may not read — on any
    model along a path — is refused. Conditions on a one2many/many2many whose model has record
    rules are evaluated through those rules (Odoo evaluates ``= False``, ``!= False`` and lists
    of ids on the bare table): they tell only about records the user may read."""

    _name = "key.account.search.guard.mixin"
    _description = "Key Account Search Guard"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = self._key_account_guard_domain(domain)
            self._key_account_guard_order(order)
        return super()._search(domain, offset, limit, order)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self.env.su:
            self._key_account_guard_paths(read_group_paths(groupby, aggregates, having))
            self._key_account_guard_order(order)
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    # ------------------------------------------------------------------ checks
    @api.model
    def _key_account_guard_order(self, order):
        if order:
            self._key_account_guard_paths(order_paths(order))

    @api.model
    def _key_account_guard_paths(self, paths):
        for path in paths:
            self._key_account_guard_path(self, path)

    @api.model
    def _key_account_guard_path(self, model, path):
        """Refuse ``path`` (``a.b.c``) when the user may not read one of its fields; return the
        last field and its model (None when a name is not a field: Odoo reports it itself)."""
        field = None
        for name in path.split("."):
            if field is not None:
                if not field.relational:
                    break  # date granularity or property name
                model = model.env[field.comodel_name]
            field = model._fields.get(name)
            if field is None:
                return None, model
            if not field.is_accessible(model.env):
                raise AccessError(
                    model.env._(
                        "You may not search, group or sort %(model)s by “%(field)s”: you cannot read it.",
                        model=model_label(model),
                        field=field._description_string(model.env),
                    )
                )
        return field, model

    @api.model
    def _key_account_guard_domain(self, domain, model=None):
        """The domain with every leaf checked; x2many conditions on ruled models rewritten
        into ``any``/``not any`` so that they go through the comodel's record rules."""
        model = model if model is not None else self
        if not isinstance(domain, (list, tuple)):
            return domain
        result = []
        for leaf in domain:
            if not expression.is_leaf(leaf) or leaf in (expression.TRUE_LEAF, expression.FALSE_LEAF):
                result.append(leaf)
                continue
            left, operator, right = leaf
            if not isinstance(left, str):
                result.append(leaf)
                continue
            field, owner = self._key_account_guard_path(model, left)
            if field is not None and field.relational and operator in ("any", "not any"):
                right = self._key_account_guard_domain(right, model.env[field.comodel_name])
                leaf = (left, operator, right)
            elif field is not None and "." not in left and field.type in ("one2many", "many2many") and field.store:
                leaf = self._key_account_guard_x2many(owner, field, operator, right) or leaf
            result.append(leaf)
        return result

    @api.model
    def _key_account_guard_x2many(self, model, field, operator, right):
        comodel = model.env[field.comodel_name]
        if not model.env["ir.rule"]._compute_domain(comodel._name, "read"):
            return None
        if (
            isinstance(right, (int, list, tuple))
            and not isinstance(right, bool)
            and operator in ("in", "not in", "=", "!=")
        ):
            ids = [right] if isinstance(right, int) else list(right)
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
                return None
            subdomain = [("id", "in", ids)]
            if comodel._active_name:
                subdomain.append((comodel._active_name, "in", [True, False]))
            return (field.name, "not any" if operator in ("not in", "!=") else "any", subdomain)
        if (operator, right) in X2MANY_EMPTY or (operator in ("=", "!=") and right is None):
            key = (operator, False)
            subdomain = [(comodel._active_name, "in", [True, False])] if comodel._active_name else []
            return (field.name, X2MANY_EMPTY[key], subdomain)
        return None
