from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

INFLUENCE = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
ATTITUDES = [
    ("champion", "Champion"),
    ("supporter", "Supporter"),
    ("neutral", "Neutral"),
    ("opponent", "Opponent"),
]
STRENGTHS = [("strong", "Strong"), ("good", "Good"), ("weak", "Weak"), ("none", "None Yet")]
LEFT_REASONS = [("archived", "Archived"), ("moved", "Moved to Another Company"), ("title", "Title Changed")]
CONTACT_KINDS = [("visit", "Visit"), ("reception", "Reception"), ("meeting", "Meeting"), ("message", "Message")]
# what the relationship watch reads of an entry: a change may resolve a risk at once
WATCHED_FIELDS = ("partner_id", "contact_id", "role_ids", "influence", "attitude")


class KeyAccountRelationship(models.Model):
    """A person of a key account on its relationship map (seed 001 §3.3.3 二.5 客户内部影响采购的
    六类人, §3.2.2 二 组织结构与决策流程; seed 000 二.2 全方位的关系营销): whom they report to,
    the buying roles they play, their influence on the decision, their attitude to us, our
    relationship strength and who on our team owns it.

    The person (name, title, company) is the partner, which everybody reads; what we know and
    think of them is confidential to the account team, like the archive (the same three rules).
    The map of a group customer holds the people of its branches too. The roles are the source
    of the contact's buying role (``res.partner.buying_role``, its first role) and of the
    account's buying-role coverage."""

    _name = "key.account.relationship"
    _inherit = ["key.account.confidential.mixin", "mail.thread"]
    _description = "Relationship Map Entry"
    _order = "partner_id, sequence, id"
    _rec_name = "contact_id"

    contact_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', False), ('type', '=', 'contact'), ('commercial_partner_id', 'in', account_family_ids)]",
        help="A person of the key account or of one of its branches.",
    )
    # the companies whose people go on the account's map: the account and its branches
    account_family_ids = fields.Many2many(
        "res.partner", string="Account and Branches", compute="_compute_account_family_ids"
    )
    function = fields.Char(related="contact_id.function", string="Job Position")
    contact_company_id = fields.Many2one(related="contact_id.commercial_partner_id", string="Their Company")
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one(
        "key.account.relationship",
        string="Reports To",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        domain="[('partner_id', '=', partner_id), ('id', '!=', id)]",
    )
    child_ids = fields.One2many("key.account.relationship", "parent_id", string="Direct Reports")
    role_ids = fields.Many2many(
        "key.account.buying.role",
        "key_account_relationship_buying_role_rel",
        "relationship_id",
        "role_id",
        string="Buying Roles",
        tracking=True,
    )
    influence = fields.Selection(INFLUENCE, string="Influence on the Decision", tracking=True)
    attitude = fields.Selection(ATTITUDES, string="Attitude to Us", tracking=True)
    strength = fields.Selection(STRENGTHS, string="Our Relationship", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Relationship Owner",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Who on our side keeps the relationship with this person.",
    )
    note = fields.Text(string="Notes")
    # the title we knew when the attitude was last set: a champion whose title changes since is
    # a champion who may leave (changed by the attitude and by "Title Checked" only)
    known_function = fields.Char(
        string="Title on the Map", compute="_compute_known_function", store=True, precompute=True, copy=False
    )
    is_decider = fields.Boolean(string="Decider", compute="_compute_is_decider")
    left_reason = fields.Selection(LEFT_REASONS, string="Personnel Change", compute="_compute_left_reason")
    last_contact_date = fields.Date(string="Last Contact", compute="_compute_last_contact")
    last_contact_kind = fields.Selection(CONTACT_KINDS, string="Last Contact By", compute="_compute_last_contact")
    last_met_date = fields.Date(
        string="Last Met", compute="_compute_last_contact", help="The last visit, reception or meeting with the person."
    )
    news_ids = fields.Many2many("key.account.news", compute="_compute_news_ids")

    _sql_constraints = [
        ("contact_unique", "unique(partner_id, contact_id)", "This person is already on the account's map."),
    ]

    @api.depends("contact_id.name")
    def _compute_display_name(self):
        for relationship in self:
            relationship.display_name = relationship.contact_id.sudo().name or ""

    @api.depends("partner_id")
    def _compute_account_family_ids(self):
        for relationship in self:
            relationship.account_family_ids = (
                relationship.partner_id.sudo()._key_account_map_family().with_env(self.env)
            )

    @api.depends("contact_id", "attitude")
    def _compute_known_function(self):
        for relationship in self:
            relationship.known_function = relationship.contact_id.sudo().function or False

    @api.depends("role_ids.is_deciding", "influence")
    def _compute_is_decider(self):
        for relationship in self:
            relationship.is_decider = relationship.influence == "high" or any(
                relationship.role_ids.mapped("is_deciding")
            )

    @api.depends(
        "known_function",
        "contact_id.active",
        "contact_id.function",
        "contact_id.commercial_partner_id",
        "partner_id.key_account_branch_ids",
    )
    def _compute_left_reason(self):
        for relationship in self:
            relationship.left_reason = relationship._left_reason()

    def _left_reason(self):
        """Why this person is no longer where the map has them: archived, gone to a company
        outside the group, or another title than the map's; False if still in place."""
        contact = self.sudo().with_context(active_test=False).contact_id
        if not contact:
            return False
        if not contact.active:
            return "archived"
        if contact.commercial_partner_id not in self.partner_id.sudo()._key_account_map_family():
            return "moved"
        known = (self.known_function or "").strip()
        if known and known != (contact.function or "").strip():
            return "title"
        return False

    def _in_place(self):
        """These entries whose person is still with the account or its branches (a new title
        does not take them away)."""
        return self.filtered(lambda relationship: relationship._left_reason() in (False, "title"))

    @api.depends_context("tz")
    def _compute_last_contact(self):
        summary = self.env["key.account.activity.metrics"]._last_contact_summary(self.contact_id.ids)
        for relationship in self:
            met, contacted, kind = summary.get(relationship.contact_id.id, (False, False, False))
            relationship.last_met_date = met
            relationship.last_contact_date = contacted
            relationship.last_contact_kind = kind

    @api.depends_context("uid")
    def _compute_news_ids(self):
        news = self.env["key.account.news"].search([("contact_ids", "in", self.contact_id.ids)])
        for relationship in self:
            relationship.news_ids = news.filtered(lambda n, r=relationship: r.contact_id in n.contact_ids)

    # ------------------------------------------------------------------ constraints
    @api.constrains("partner_id", "contact_id")
    def _check_person_of_the_account(self):
        for relationship in self.sudo():
            account, contact = relationship.partner_id, relationship.contact_id
            if not account.is_key_account:
                raise ValidationError(
                    self.env._("%(partner)s is not a key account: it has no relationship map.", partner=account.name)
                )
            if contact.is_company or contact.commercial_partner_id not in account._key_account_map_family():
                raise ValidationError(
                    self.env._(
                        "%(person)s is not a person of %(partner)s or of one of its branches.",
                        person=contact.name,
                        partner=account.name,
                    )
                )

    @api.constrains("parent_id", "partner_id")
    def _check_reports_to(self):
        for relationship in self.sudo():
            if relationship.parent_id and relationship.parent_id.partner_id != relationship.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s reports to someone on the map of the same account.",
                        person=relationship.contact_id.name,
                    )
                )
        if self.sudo()._has_cycle():
            raise ValidationError(self.env._("Nobody reports, directly or not, to one of their own reports."))

    # ------------------------------------------------------------------ the contact's buying role
    @api.model_create_multi
    def create(self, vals_list):
        relationships = super().create(vals_list)
        relationships._sync_buying_roles(relationships.contact_id)
        self.env["key.account.relationship.watch"]._watch_resolved(relationships.sudo().partner_id)
        return relationships

    def write(self, vals):
        contacts = self.contact_id if "contact_id" in vals else self.env["res.partner"]
        accounts = self.sudo().partner_id
        result = super().write(vals)
        if vals.keys() & {"attitude", "contact_id"}:
            self.flush_recordset(["known_function"])  # the title of now, not of a later change
        if vals.keys() & {"role_ids", "contact_id"}:
            self._sync_buying_roles(contacts | self.contact_id)
        if vals.keys() & set(WATCHED_FIELDS):
            self.env["key.account.relationship.watch"]._watch_resolved(accounts | self.sudo().partner_id)
        return result

    def unlink(self):
        contacts, accounts = self.sudo().contact_id, self.sudo().partner_id
        result = super().unlink()
        self._sync_buying_roles(contacts)
        self.env["key.account.relationship.watch"]._watch_resolved(accounts)
        return result

    @api.model
    def _sync_buying_roles(self, contacts, mapped_only=False):
        """The buying role of these contacts is their first role on the maps they are on (the
        map is the source; res.partner mirrors it for the lists, forms and reports of before);
        none once they are on no map, unless ``mapped_only``."""
        if self.env.context.get("key_account_buying_role_sync") or not contacts:
            return
        rows = self.sudo().search([("contact_id", "in", contacts.ids)])
        legacy = dict(self.env["res.partner"]._fields["buying_role"].selection)
        for contact in contacts.sudo().with_context(active_test=False):
            own = rows.filtered(lambda r, c=contact: r.contact_id == c)
            if mapped_only and not own:
                continue
            role = next((role.code for role in own.role_ids.sorted() if role.code in legacy), False)
            if contact.buying_role != role:
                contact.with_context(key_account_buying_role_sync=True).buying_role = role

    @api.model
    def _mirror_buying_roles(self, changes):
        """The other way, for who sets a contact's buying role on the partner (the contact list,
        an import, RPC): ``changes`` {contact: (role before, role now)}. The role replaces the
        one before on the contact's rows, or a row is added to the map of the contact's key
        account (the company, or the group of a branch)."""
        roles = {
            role.code: role
            for role in self.env["key.account.buying.role"].sudo().with_context(active_test=False).search([])
        }
        none = self.env["key.account.buying.role"].sudo()
        synced = self.sudo().with_context(
            key_account_buying_role_sync=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        rows = synced.search([("contact_id", "in", [contact.id for contact in changes])])
        contacts = self.env["res.partner"]
        for contact, (before, now) in changes.items():
            old_role, new_role = roles.get(before, none), roles.get(now, none)
            own = rows.filtered(lambda r, c=contact: r.contact_id == c)
            for row in own:
                if (row.role_ids - old_role) | new_role != row.role_ids:
                    row.role_ids = (row.role_ids - old_role) | new_role
            account = contact.sudo()._key_account_map_account()
            if not own and new_role and account:
                owner = account.sudo().key_account_manager_id or self.env.user
                synced.create(
                    {"partner_id": account.id, "contact_id": contact.id, "role_ids": new_role.ids, "user_id": owner.id}
                )
            contacts |= contact
        # the first role of the map wins over the one written when the contact has several
        self._sync_buying_roles(contacts, mapped_only=True)

    # ------------------------------------------------------------------ actions
    def action_title_checked(self):
        """The team has seen the new title of these people: the map takes it, which clears the
        "champion leaves" of a title change."""
        if not self:
            raise UserError(self.env._("Choose the people whose title you checked."))
        self.check_access("write")
        for relationship in self.sudo():
            relationship.known_function = relationship.contact_id.function or False
        self.env["key.account.relationship.watch"]._watch(self.sudo().partner_id, raised=())
        return True
