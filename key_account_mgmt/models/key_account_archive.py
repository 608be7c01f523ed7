from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ensure_one

OWNERSHIPS = [
    ("listed", "Listed Company"),
    ("private", "Private Limited Company"),
    ("joint_venture", "Sino-foreign Joint Venture"),
    ("foreign", "Wholly Foreign-owned"),
    ("state_owned", "State-owned"),
    ("other", "Other"),
]
INDUSTRY_POSITIONS = [
    ("leader", "Industry Leader"),
    ("influential", "Influential"),
    ("medium", "Medium"),
    ("small", "Small Manufacturer"),
    ("other", "Other"),
]
CREDIT_RATINGS = [("a", "A"), ("b", "B"), ("c", "C")]
# archive items an administrator may require for completeness (key.account.archive.requirement)
COMPLETENESS_FIELDS = [
    "founding_date",
    "registered_capital",
    "main_shareholders",
    "legal_representative",
    "bank_name",
    "bank_account",
    "company_regulations",
    "person_ids",
    "employee_count",
    "ownership",
    "industry_position",
    "main_business",
    "side_business",
    "core_products",
    "product_category_ids",
    "annual_output_value",
    "profit_status",
    "sales_year_1",
    "sales_year_2",
    "sales_year_3",
    "credit_rating",
    "credit_limit",
    "settlement_terms",
    "service_form",
]
PROFIT_STATUSES = [("profit", "Profitable"), ("break_even", "Break-even"), ("loss", "Loss-making")]


class KeyAccountArchive(models.Model):
    """Client archive (客户档案, seeds 001 §3.3.4 客户档案表 and 003 第十七条): a trade secret.
    What the partner already holds (name, address, phone, e-mail, industry, tier, categories)
    is not repeated here. Readable by the account team, clerks, managers and directors of the
    company, and by holders of a granted access request until it expires; every read by
    someone off the account team is registered (登记手续, seed 003 第十九条)."""

    _name = "key.account.archive"
    _inherit = [
        "key.account.confidential.mixin",
        "key.account.archive.register.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Client Archive"
    _order = "name desc, id desc"
    _archive_register_free_fields = ("id", "display_name", "name", "partner_id", "company_id")

    name = fields.Char(string="Archive No.", required=True, readonly=True, copy=False, default="/")
    date_created = fields.Date(string="Created On", required=True, default=fields.Date.context_today)
    archivist_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        help="The person designated to keep this archive (指定专人).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    key_account_code = fields.Char(related="partner_id.key_account_code", string="Key Account Code")
    key_account_tier_id = fields.Many2one(related="partner_id.key_account_tier_id", string="Tier")

    # basic data (客户基本资料)
    founding_date = fields.Date(string="Founded On")
    registered_capital = fields.Monetary(currency_field="currency_id")
    main_shareholders = fields.Text()
    legal_representative = fields.Char(tracking=True)
    bank_name = fields.Char(string="Bank")
    bank_account = fields.Char()
    company_regulations = fields.Text(help="Rules of the customer that matter to us (公司规章).")
    person_ids = fields.One2many("key.account.archive.person", "archive_id", string="Key People")

    # business data (客户经营资料)
    employee_count = fields.Integer(string="Employees")
    employee_count_local = fields.Integer(string="Chinese Employees")
    employee_count_foreign = fields.Integer(string="Foreign Employees")
    ownership = fields.Selection(OWNERSHIPS)
    industry_position = fields.Selection(INDUSTRY_POSITIONS)
    main_business = fields.Text()
    side_business = fields.Text()
    core_products = fields.Text()
    product_category_ids = fields.Many2many(
        "product.category", string="Products Used", help="Our product categories this customer uses."
    )
    annual_output_value = fields.Monetary(currency_field="currency_id")
    profit_status = fields.Selection(PROFIT_STATUSES, string="Profit or Loss")
    sales_year_1 = fields.Monetary(
        string="Sales Last Year", currency_field="currency_id", help="The customer's own sales."
    )
    sales_year_2 = fields.Monetary(string="Sales Two Years Ago", currency_field="currency_id")
    sales_year_3 = fields.Monetary(string="Sales Three Years Ago", currency_field="currency_id")

    # credit and service (信用、服务管理)
    credit_rating = fields.Selection(CREDIT_RATINGS, tracking=True)
    credit_limit = fields.Monetary(currency_field="currency_id", tracking=True)
    settlement_terms = fields.Char(tracking=True)
    service_form = fields.Text(help="How we serve this customer: service people and way of service (服务形式).")
    document_ids = fields.One2many("key.account.archive.document", "archive_id", string="Documents")
    grant_ids = fields.One2many("key.account.archive.grant", "archive_id", string="Access Grants")

    # completeness
    completeness = fields.Float(
        string="Completeness (%)",
        compute="_compute_completeness",
        store=True,
        aggregator="avg",
        help="Share of the required items (Configuration › Required Archive Items) that are filled.",
    )
    # the names of the required items in the reader's language, so not stored
    missing_items = fields.Char(compute="_compute_missing_items")

    # transaction history with us, read from posted invoices
    revenue_12m = fields.Monetary(
        string="Revenue, Last 12 Months", compute="_compute_transactions", currency_field="currency_id"
    )
    revenue_this_year = fields.Monetary(compute="_compute_transactions", currency_field="currency_id")
    revenue_last_year = fields.Monetary(compute="_compute_transactions", currency_field="currency_id")
    revenue_year_before = fields.Monetary(
        string="Revenue Two Years Ago", compute="_compute_transactions", currency_field="currency_id"
    )
    invoice_count = fields.Integer(string="Invoices", compute="_compute_transactions")
    first_invoice_date = fields.Date(string="First Invoice", compute="_compute_transactions")
    last_invoice_date = fields.Date(string="Last Invoice", compute="_compute_transactions")

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)", "A key account has one archive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("key.account.archive") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered_reads(self):
        """The access register (登记手续) is a history: an archive that was read is kept."""
        register = self.env["key.account.archive.access.log"].sudo()
        read = self.filtered(lambda a: register.search_count([("archive_id", "=", a.id)], limit=1))
        if read:
            raise UserError(
                self.env._(
                    "The archive of %(partners)s was read by people off its team: the register of these reads is kept, "
                    "so the archive cannot be deleted.",
                    partners=", ".join(read.sudo().partner_id.mapped("display_name")),
                )
            )

    @api.depends(*COMPLETENESS_FIELDS, "document_ids.document_type")
    def _compute_completeness(self):
        requirements = self._requirements()
        for archive in self:
            missing = requirements.filtered(lambda r, archive=archive: not r._is_met(archive))
            archive.completeness = (
                100.0 * (len(requirements) - len(missing)) / len(requirements) if requirements else 100.0
            )

    @api.depends(*COMPLETENESS_FIELDS, "document_ids.document_type")
    @api.depends_context("lang")
    def _compute_missing_items(self):
        requirements = self._requirements()
        for archive in self:
            missing = requirements.filtered(lambda r, archive=archive: not r._is_met(archive))
            archive.missing_items = ", ".join(missing.mapped("name"))

    def _requirements(self):
        return self.env["key.account.archive.requirement"].sudo().with_context(active_test=True).search([])

    @api.depends_context("allowed_company_ids")
    def _compute_transactions(self):
        metrics = self.env["key.account.metrics"]
        partner_ids = self.partner_id.ids
        year = fields.Date.context_today(self).year
        date_from, date_to = metrics._last_12_months()
        last_12 = metrics._revenue(partner_ids, date_from, date_to)
        by_year = metrics._revenue_by_year(partner_ids, [year, year - 1, year - 2])
        summary = metrics._invoice_summary(partner_ids)
        for archive in self:
            partner_id = archive.partner_id.id
            years = by_year.get(partner_id, {})
            count, first, last = summary.get(partner_id, (0, False, False))
            archive.revenue_12m = last_12.get(partner_id, 0.0)
            archive.revenue_this_year = years.get(year, 0.0)
            archive.revenue_last_year = years.get(year - 1, 0.0)
            archive.revenue_year_before = years.get(year - 2, 0.0)
            archive.invoice_count = count
            archive.first_invoice_date = first
            archive.last_invoice_date = last

    # Reading an archive writes the access register, so the web client must not route these
    # reads to a read-only cursor (Odoo 18 does for methods marked @api.readonly). The
    # overrides keep the core's decorators: without @api.model, RPC takes the domain for ids.
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields, load)

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        return super().search_read(domain, fields, offset, limit, order, **read_kwargs)

    def web_read(self, specification):
        return super().web_read(specification)

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        return super().web_search_read(domain, specification, offset, limit, order, count_limit)

    read._readonly = search_read._readonly = web_read._readonly = web_search_read._readonly = False

    def _register_archive_ids(self):
        return list(self._ids)

    def _is_editable_by_user(self):
        """The team and the clerks and managers edit an archive; grant holders only read it."""
        # clerks keep the archives complete (SPEC §1): they edit what they read
        if self.env.user.has_group("key_account_mgmt.group_ka_clerk"):
            return self.partner_id._key_account_has_access("read")
        return self.partner_id._key_account_has_access("write")

    def _get_form_action(self):
        ensure_one(self)
        action = {
            "type": "ir.actions.act_window",
            "name": self.partner_id.display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }
        if not self._is_editable_by_user():
            action["views"] = [(self.env.ref("key_account_mgmt.key_account_archive_view_form_readonly").id, "form")]
        return action

    @api.model
    def _action_open_for(self, partner):
        """Open the account's archive: the archive itself when the user may read it, an access
        request when it exists but is closed to them, a new archive when there is none."""
        archive = self.search([("partner_id", "=", partner.id)], limit=1)
        if archive:
            return archive._get_form_action()
        closed = self.sudo().search([("partner_id", "=", partner.id)], limit=1)
        if closed:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Request Archive Access"),
                "res_model": "key.account.archive.grant",
                "view_mode": "form",
                "target": "new",
                "context": {"default_archive_id": closed.id},
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "context": {"default_partner_id": partner.id},
        }

    def action_open_invoices(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [
            ("commercial_partner_id", "=", self.partner_id.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
        ]
        action["context"] = {"create": False}
        return action

    @api.model
    def _recompute_completeness(self):
        archives = self.sudo().search([])
        self.env.add_to_compute(self._fields["completeness"], archives)
        archives.flush_recordset(["completeness"])
        self.invalidate_model(["missing_items"])
