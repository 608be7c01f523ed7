from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"
# a contact's fields whose change may tell that a champion leaves (archived, moved, new title)
CONTACT_WATCHED_FIELDS = {"active", "parent_id", "function"}
# a company's fields that put its people on a key account's map (it or its group becomes one)
MAP_FIELDS = {"is_key_account", "key_account_headquarters_id", "key_account_group_relation"}


class KeyAccountRelationshipMixin(models.AbstractModel):
    """The relationship map on the partner: the key account's map and its open relationship
    risks (key.account.relationship, key.account.relationship.signal), the map as the form
    draws it (static/src/relationship_map), and the contact's side of it: a buying role set on
    a contact goes to the map of its key account, and a champion archived, moved or retitled is
    a relationship risk at once."""

    _name = "key.account.relationship.mixin"
    _description = "Key Account Relationship Map"

    key_account_relationship_ids = fields.One2many(
        "key.account.relationship", "partner_id", string="Relationship Map", groups=KA_USER
    )
    key_account_relationship_signal_ids = fields.One2many(
        "key.account.relationship.signal", "partner_id", string="Relationship Risks", groups=KA_USER
    )
    key_account_relationship_risk_count = fields.Integer(
        string="Relationship Risks Open", compute="_compute_key_account_relationship_risk_count", groups=KA_USER
    )
    key_account_relationship_map = fields.Json(
        string="Relationship Map Chart",
        compute="_compute_key_account_relationship_map",
        groups=KA_USER,
        help="The people of the account and its branches, whom they report to and what the team knows of them, as "
        "the reader may see it.",
    )

    @api.depends_context("uid")
    def _compute_key_account_relationship_risk_count(self):
        counts = dict(
            self.env["key.account.relationship.signal"]._read_group(
                [("partner_id", "in", self._origin.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.key_account_relationship_risk_count = counts.get(partner._origin, 0)

    @api.depends_context("lang", "uid")
    def _compute_key_account_relationship_map(self):
        builder = self.env["key.account.relationship.map"]
        for partner in self:
            account = partner._origin
            partner.key_account_relationship_map = (
                builder._map_of(account) if account and partner.is_key_account else False
            )

    # ------------------------------------------------------------------ structure
    def _key_account_map_family(self):
        """The companies whose people are on this key account's map: itself and its branches."""
        return self | self.sudo().key_account_branch_ids.with_env(self.env)

    def _key_account_map_account(self):
        """The key account on whose map this person goes: their company, or its group when the
        company is a branch; nothing for a company or when neither is a key account."""
        self.ensure_one()
        company = self.sudo().commercial_partner_id
        if self.sudo().is_company or company == self:
            return self.browse()
        if company.is_key_account:
            return company.with_env(self.env)
        if company.key_account_group_relation == "branch" and company.key_account_headquarters_id.is_key_account:
            return company.key_account_headquarters_id.with_env(self.env)
        return self.browse()

    # ------------------------------------------------------------------ the contact's side
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get("key_account_buying_role_sync"):
            partners.filtered(lambda partner: partner.sudo().buying_role)._key_account_check_buying_role_rights()
            changes = {
                partner: (False, partner.sudo().buying_role) for partner in partners if partner.sudo().buying_role
            }
            if changes:
                self.env["key.account.relationship"]._mirror_buying_roles(changes)
        return partners

    def write(self, vals):
        mirror = "buying_role" in vals and not self.env.context.get("key_account_buying_role_sync")
        before = {partner: partner.sudo().buying_role for partner in self} if mirror else {}
        if mirror:
            self.filtered(
                lambda partner: before[partner] != vals["buying_role"]
            )._key_account_check_buying_role_rights()
        result = super().write(vals)
        if mirror:
            changes = {
                partner: (role, partner.sudo().buying_role)
                for partner, role in before.items()
                if role != partner.sudo().buying_role
            }
            if changes:
                self.env["key.account.relationship"]._mirror_buying_roles(changes)
        if vals.keys() & MAP_FIELDS:
            self._key_account_adopt_buying_roles()
        if vals.keys() & CONTACT_WATCHED_FIELDS:
            champions = (
                self.env["key.account.relationship"]
                .sudo()
                .search([("contact_id", "in", self.ids), ("attitude", "=", "champion")])
            )
            if champions:
                self.env["key.account.relationship.watch"]._watch(champions.partner_id, raised=("champion_left",))
        return result

    def _key_account_check_buying_role_rights(self):
        """The relationship map owns the buying roles: setting one on a person is changing the
        map of the key account they are on, or go on (their company, or its group), which only
        those who may change that account's confidential data do (the one helper)."""
        if self.env.su or not self:
            return
        rows = self.env["key.account.relationship"].sudo().search([("contact_id", "in", self.ids)])
        accounts = rows.partner_id
        for person in self:
            accounts |= person._key_account_map_account().sudo()
        accounts.with_env(self.env)._key_account_check_access(
            "write",
            self.env._(
                "Only the account team of %(partners)s or a Key Account Manager may set the buying roles of its "
                "people: they are on its relationship map."
            ),
        )

    def _key_account_adopt_buying_roles(self):
        """The people of a company that becomes a key account, or a branch of one, come onto
        its map with the buying roles they had."""
        companies = self.sudo().filtered(lambda p: p.is_company and (p.is_key_account or p.key_account_headquarters_id))
        if not companies:
            return
        people = (
            self.env["res.partner"]
            .sudo()
            .search([("parent_id", "in", companies.ids), ("is_company", "=", False), ("buying_role", "!=", False)])
        )
        mapped = self.env["key.account.relationship"].sudo().search([("contact_id", "in", people.ids)]).contact_id
        changes = {person: (False, person.buying_role) for person in people - mapped}
        if changes:
            self.env["key.account.relationship"]._mirror_buying_roles(changes)
