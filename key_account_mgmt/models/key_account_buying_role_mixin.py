from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"

# seed 001 §3.3.3 二.5: the five buyers of a purchase decision, and the purchasing department
BUYING_ROLES = [
    ("economic", "Economic Buyer"),
    ("technical", "Technical Buyer"),
    ("user", "User Buyer"),
    ("payer", "Paying Buyer"),
    ("coach", "Coach"),
    ("procurement", "Procurement"),
]
# the coverage counts the five buyers
DECISION_ROLES = ("economic", "technical", "user", "payer", "coach")


class KeyAccountBuyingRoleMixin(models.AbstractModel):
    """The buying role of a contact, which roles a customer's people cover, and the columns of
    the customer statistics (客户统计表) derived from them. The relationship map
    (key.account.relationship) is the source: a contact's buying role is their first role on
    it, and the coverage counts the roles of the people in place on the account's map (those
    of its branches included)."""

    _name = "key.account.buying.role.mixin"
    _description = "Key Account Buying Roles"

    buying_role = fields.Selection(
        BUYING_ROLES,
        groups=KA_USER,
        tracking=True,
        copy=False,
        help="The contact's part in the customer's purchase decisions: economic (approves the money), technical "
        "(judges the offer, may veto), user (works with the product), paying (places and pays the order), coach "
        "(guides us inside the customer), procurement (runs the purchase). Their first role on the relationship "
        "map, where they may have several.",
    )
    buying_role_economic = fields.Boolean(
        string="Economic Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_technical = fields.Boolean(
        string="Technical Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_user = fields.Boolean(
        string="User Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_payer = fields.Boolean(
        string="Paying Buyer Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_coach = fields.Boolean(string="Coach Known", compute="_compute_buying_role_coverage", groups=KA_USER)
    buying_role_procurement = fields.Boolean(
        string="Procurement Known", compute="_compute_buying_role_coverage", groups=KA_USER
    )
    buying_role_coverage = fields.Integer(
        string="Buying Roles Covered",
        compute="_compute_buying_role_coverage",
        groups=KA_USER,
        help="How many of the five buying roles have a person in place on the relationship map.",
    )
    key_account_branch_names = fields.Char(
        string="Branch Offices", compute="_compute_statistics_columns", groups=KA_USER
    )
    key_account_main_contact_id = fields.Many2one(
        "res.partner",
        string="Main Contact",
        compute="_compute_statistics_columns",
        groups=KA_USER,
        help="The economic buyer, else the first contact person.",
    )
    key_account_main_contact_phone = fields.Char(
        string="Contact Phone", compute="_compute_statistics_columns", groups=KA_USER
    )

    @api.depends(
        "key_account_relationship_ids.role_ids",
        "key_account_relationship_ids.contact_id.active",
        "key_account_relationship_ids.contact_id.commercial_partner_id",
        "child_ids.buying_role",
        "child_ids.active",
    )
    def _compute_buying_role_coverage(self):
        rows = self.env["key.account.relationship"].sudo().search([("partner_id", "in", self._origin.ids)])
        known = {}
        for row in rows._in_place():
            known.setdefault(row.partner_id.id, set()).update(row.role_ids.mapped("code"))
        for partner in self:
            roles = known.get(partner._origin.id, set())
            for role, _label in BUYING_ROLES:
                partner[f"buying_role_{role}"] = role in roles
            partner.buying_role_coverage = len(roles & set(DECISION_ROLES))

    @api.depends("key_account_branch_ids.name", "child_ids.buying_role", "child_ids.phone", "child_ids.mobile")
    def _compute_statistics_columns(self):
        """客户统计表 (seed 002): branch offices, main contact and phone per customer."""
        rank = {role: index for index, (role, _label) in enumerate(BUYING_ROLES)}
        for partner in self:
            contacts = partner.child_ids.filtered(lambda c: c.type == "contact" and not c.is_company)
            main = contacts.sorted(lambda c: (rank.get(c.buying_role, len(rank)), c.id))[:1]
            partner.key_account_branch_names = ", ".join(partner.key_account_branch_ids.mapped("name"))
            partner.key_account_main_contact_id = main
            partner.key_account_main_contact_phone = main.phone or main.mobile or partner.phone
