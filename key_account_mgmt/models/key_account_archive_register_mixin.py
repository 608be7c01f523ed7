from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import order_paths, read_group_paths


class KeyAccountArchiveRegisterMixin(models.AbstractModel):
    """登记手续 (seed 003 第十九条): every read of archive data by someone off the account team
    is registered, however it is made. The archive, its key people and its documents inherit
    this mixin; it registers

    - reads of fields (``read``, ``search_read``, ``web_read``, ``web_search_read``: all go
      through ``_read_format``) and exports;
    - searches, counts and groupings that test, sort, group or sum archive data (a count of
      archives whose credit limit exceeds an amount tells the credit limit as well): every
      archive the condition was evaluated on — those that match the rest of the domain — is
      registered.

    Naming the record only (its account, company, number) registers nothing."""

    _name = "key.account.archive.register.mixin"
    _description = "Archive Access Register Hook"
    # fields that name a record without telling archive data
    _archive_register_free_fields = ("id", "display_name", "partner_id", "company_id")

    # ------------------------------------------------------------------ the paths of reading
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        if not self.env.su and set(fnames) - {"id", "display_name"}:
            self._register_archive_access()
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if not self.env.su:
            self._register_archive_access()
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su and self._archive_register_touches(domain, order):
            self._register_archive_scope(domain)
        return super()._search(domain, offset, limit, order)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self.env.su:
            specs = read_group_paths(groupby, aggregates, having)
            order_terms = order_paths(order)
            if not (
                self._archive_register_free_paths(specs) and self._archive_register_free_paths(order_terms, order=True)
            ):
                self._register_archive_scope(domain)
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    # ------------------------------------------------------------------ which records
    @api.model
    def _archive_register_free_paths(self, paths, order=False):
        free = set(self._archive_register_free_fields)
        if order:  # sorting by the default order (number, sequence, …) tells nothing either
            free.update(term.split()[0] for term in self._order.split(","))
        return all(path.split(".")[0] in free for path in paths)

    @api.model
    def _archive_register_touches(self, domain, order=None):
        leaves = [leaf for leaf in domain or [] if expression.is_leaf(leaf) and isinstance(leaf[0], str)]
        order_terms = [term.split()[0] for term in (order or "").split(",") if term.strip()]
        return not (
            self._archive_register_free_paths([leaf[0] for leaf in leaves])
            and self._archive_register_free_paths(order_terms, order=True)
        )

    @api.model
    def _register_archive_scope(self, domain):
        """Register the records a condition on archive data is evaluated on: those matching the
        conjuncts of ``domain`` that test no archive data (within the user's record rules)."""
        scope = [
            conjunct
            for conjunct in _conjuncts(domain)
            if not self._archive_register_touches([leaf for leaf in conjunct if expression.is_leaf(leaf)])
        ]
        # the records themselves, without this mixin's own _search (which would register again)
        query = super()._search(expression.AND(scope) if scope else [])  # pylint: disable=super-method-mismatch
        return self.browse(query.get_result_ids())._register_archive_access()

    def _register_archive_ids(self):
        """The archives whose data these records are (the archive itself, or the line's)."""
        return self.sudo().archive_id.ids

    def _register_archive_access(self):
        """One register row per reader, archive and day for readers off the account team, with
        the grant they read under. One statement; concurrent reads collapse on the unique key."""
        records = self.browse([record_id for record_id in self._ids if isinstance(record_id, int)])
        ids = records._register_archive_ids()
        if not ids:
            return
        archives = self.env["key.account.archive"].browse(ids)
        archives.flush_recordset(["partner_id", "company_id"])
        self.env["res.partner"].flush_model(["key_account_team_user_ids"])
        self.env["key.account.archive.grant"].flush_model(["archive_id", "user_id", "state", "valid_until"])
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO key_account_archive_access_log
                   (archive_id, partner_id, company_id, user_id, date, first_read, grant_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT a.id, a.partner_id, a.company_id, %(uid)s, %(today)s, %(now)s,
                   (SELECT g.id FROM key_account_archive_grant g
                     WHERE g.archive_id = a.id AND g.user_id = %(uid)s AND g.state = 'granted'
                       AND g.valid_until > %(now)s
                     ORDER BY g.valid_until DESC LIMIT 1),
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM key_account_archive a
             WHERE a.id = ANY(%(ids)s)
               AND NOT EXISTS (SELECT 1 FROM res_partner_key_account_team_user_rel t
                                WHERE t.partner_id = a.partner_id AND t.user_id = %(uid)s)
            ON CONFLICT (archive_id, user_id, date) DO NOTHING
            """,
                uid=self.env.uid,
                today=fields.Date.context_today(self),
                now=now,
                ids=list(ids),
            )
        )


def _conjuncts(domain):
    """The subdomains whose conjunction is ``domain`` (its top-level '&' split)."""
    domain = expression.normalize_domain(list(domain or []))
    position = 0

    def node():
        nonlocal position
        token = domain[position]
        position += 1
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            return (token, node(), node())
        if token == expression.NOT_OPERATOR:
            return (token, node())
        return ("leaf", token)

    def prefix(tree):
        if tree[0] == "leaf":
            return [tree[1]]
        return [tree[0], *(item for child in tree[1:] for item in prefix(child))]

    result, todo = [], [node()]
    while todo:
        tree = todo.pop()
        if tree[0] == expression.AND_OPERATOR:
            todo.extend(tree[1:])
        else:
            result.append(prefix(tree))
    return result
