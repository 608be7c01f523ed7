from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.key_account_cooperation_mixin import COOPERATION_STATES


class KeyAccountAudienceMixin(models.AbstractModel):
    """Whom a care activity invites or a sending of information reaches (issue #20): key
    accounts chosen by tier, category and cooperation state (or picked, or selected in the list
    of key accounts), and their people in place on the relationship map with the chosen buying
    roles. The heirs declare ``account_ids`` and ``contact_ids`` (many2many on res.partner, with
    a relation table of their own) computed by ``_compute_account_ids`` / ``_compute_contact_ids``.

    Only the accounts whose confidential data the user may change are proposed (the account
    team, KA Managers); any other account picked is refused by ``_audience_check`` before
    anything is done."""

    _name = "key.account.audience.mixin"
    _description = "Key Account Audience"
    # the people need an e-mail address (a sending of information)
    _audience_needs_email = False

    tier_ids = fields.Many2many("key.account.tier", string="Tiers")
    category_ids = fields.Many2many("key.account.category", string="Categories")
    cooperation_state = fields.Selection(COOPERATION_STATES)
    role_ids = fields.Many2many(
        "key.account.buying.role",
        string="Buying Roles",
        help="The people in place on the accounts' relationship maps with one of these roles; empty: all of them.",
    )

    @api.model
    def _default_account_ids(self):
        """The key accounts selected in a list (the action bound to res.partner)."""
        context = self.env.context
        if context.get("active_model") != "res.partner" or not isinstance(context.get("active_ids"), list):
            return self.env["res.partner"]
        ids = [value for value in context["active_ids"] if isinstance(value, int) and 0 < value < 2**31]
        return self.env["res.partner"].browse(ids).exists().filtered("is_key_account")

    @api.depends("tier_ids", "category_ids", "cooperation_state")
    def _compute_account_ids(self):
        for wizard in self:
            if not (wizard.tier_ids or wizard.category_ids or wizard.cooperation_state):
                wizard.account_ids = wizard.account_ids or self._default_account_ids()
                continue
            domain = [("is_key_account", "=", True)]
            if wizard.tier_ids:
                domain.append(("key_account_tier_id", "in", wizard.tier_ids.ids))
            if wizard.category_ids:
                domain.append(("key_account_category_ids", "in", wizard.category_ids.ids))
            if wizard.cooperation_state:
                domain.append(("cooperation_state", "=", wizard.cooperation_state))
            accounts = self.env["res.partner"].search(domain)
            wizard.account_ids = accounts._key_account_filtered_access("write")

    @api.depends("account_ids", "role_ids")
    def _compute_contact_ids(self):
        for wizard in self:
            wizard.contact_ids = wizard._audience_contacts(
                wizard.account_ids._origin._key_account_filtered_access("write")
            )

    def _audience_contacts(self, accounts):
        """The people in place on the maps of ``accounts`` with one of the roles (sudo: the
        maps of accounts the user may change)."""
        entries = self.env["key.account.relationship"].sudo().search([("partner_id", "in", accounts.ids)])
        if self.role_ids:
            entries = entries.filtered(lambda entry: entry.role_ids & self.role_ids)
        people = entries._in_place().contact_id.filtered("active")
        if self._audience_needs_email:
            people = people.filtered("email")
        return people.with_env(self.env)

    def _audience_check(self):
        """{account: its people among the chosen}, after refusing accounts the user may not
        change and people who are not of a chosen account."""
        accounts = self.account_ids
        if not accounts:
            raise UserError(self.env._("Choose at least one key account."))
        if not all(accounts.mapped("is_key_account")):
            raise UserError(self.env._("Only key accounts can be chosen."))
        accounts._key_account_check_access("write")
        if not self.contact_ids:
            raise UserError(self.env._("None of the chosen key accounts has a contact to reach."))
        if self._audience_needs_email and not all(self.contact_ids.mapped("email")):
            raise UserError(self.env._("Every contact needs an e-mail address."))
        by_account = {}
        for person in self.contact_ids:
            account = person if person.is_key_account else person._key_account_map_account()
            if account not in accounts:
                raise UserError(
                    self.env._("%(person)s is not a contact of a chosen key account.", person=person.display_name)
                )
            by_account[account] = by_account.get(account, person.browse()) | person
        return by_account
