from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ensure_one
from .key_account_approval_mixin import APPROVAL_STATES


class KeyAccountApplication(models.Model):
    """Nomination (开发申请, seed 001 §3.2): any salesperson, branch teams included, proposes a
    customer as key account with the reasons, the products and amounts expected and the
    investigation results; the KA Manager approves, and the KA Director too above the
    company's threshold. Approval makes the partner a key account with its code."""

    _name = "key.account.application"
    _inherit = ["key.account.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Key Account Nomination"
    _order = "id desc"
    _approval_material_fields = (
        "partner_id",
        "company_id",
        "date",
        "expected_annual_sales",
        "development_cost",
        "proposed_tier_id",
        "proposed_manager_id",
        "category_ids",
        "trading_principles",
        "line_ids",
    )
    # the approval made the partner a key account: what it decided cannot be approved again
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        APPROVAL_STATES, string="Status", default="draft", required=True, tracking=True, copy=False
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Candidate",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_company', '=', True), ('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Applicant",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date = fields.Date(string="Application Date", required=True, default=fields.Date.context_today)
    category_ids = fields.Many2many("key.account.category", string="Categories")
    proposed_tier_id = fields.Many2one(
        "key.account.tier",
        ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    proposed_manager_id = fields.Many2one(
        "res.users",
        string="Proposed Account Manager",
        domain="[('share', '=', False)]",
        help="Becomes the account manager on approval; the applicant when left empty.",
    )
    reasons = fields.Text(help="Why this customer should be managed as a key account.")
    trading_principles = fields.Text(help="Proposed terms of business: prices, delivery, settlement.")
    line_ids = fields.One2many("key.account.application.line", "application_id", string="Products", copy=True)
    investigation_general = fields.Html(
        string="General Investigation", help="Desk research: business, finances, organisation, purchases."
    )
    investigation_onsite = fields.Html(
        string="On-site Investigation", help="What the visit of the customer's site showed."
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Investigation Documents")
    expected_annual_sales = fields.Monetary(currency_field="currency_id", tracking=True)
    development_cost = fields.Monetary(currency_field="currency_id", tracking=True)
    products_amount = fields.Monetary(
        string="Products Total", currency_field="currency_id", compute="_compute_products_amount", store=True
    )
    key_account_code = fields.Char(readonly=True, copy=False)

    @api.depends("line_ids.expected_amount")
    def _compute_products_amount(self):
        for application in self:
            application.products_amount = sum(application.line_ids.mapped("expected_amount"))

    @api.depends("expected_annual_sales", "company_id.key_account_nomination_director_amount")
    def _compute_needs_director_approval(self):
        for application in self:
            threshold = application.company_id.key_account_nomination_director_amount
            application.needs_director_approval = bool(threshold) and application.expected_annual_sales >= threshold

    @api.constrains("expected_annual_sales", "development_cost")
    def _check_amounts(self):
        for application in self:
            if application.expected_annual_sales < 0 or application.development_cost < 0:
                raise ValidationError(self.env._("Expected sales and development cost cannot be negative."))

    def _check_submittable(self):
        ensure_one(self)
        if self.partner_id.sudo().is_key_account:
            raise UserError(self.env._("%(partner)s is already a key account.", partner=self.partner_id.display_name))
        if not (self.reasons or "").strip():
            raise ValidationError(
                self.env._("Give the reasons for nominating %(partner)s.", partner=self.partner_id.display_name)
            )
        if not self.expected_annual_sales:
            raise ValidationError(
                self.env._("Give the expected annual sales of %(partner)s.", partner=self.partner_id.display_name)
            )
        other = self.sudo().search_count(
            [
                ("id", "!=", self.id),
                ("partner_id", "=", self.partner_id.id),
                ("state", "=", "submitted"),
            ]
        )
        if other:
            raise UserError(
                self.env._("%(partner)s already has a nomination under approval.", partner=self.partner_id.display_name)
            )

    def _on_approved(self):
        """The partner becomes a key account: code, tier, categories and account manager."""
        for application in self:
            partner = application.partner_id.sudo()
            vals = {"is_key_account": True}
            if application.proposed_tier_id:
                vals["key_account_tier_id"] = application.proposed_tier_id.id
            if application.category_ids:
                vals["key_account_category_ids"] = [(4, category.id) for category in application.category_ids]
            if not partner.key_account_manager_id:
                vals["key_account_manager_id"] = (application.proposed_manager_id or application.user_id).id
            partner.write(vals)
            application.sudo().key_account_code = partner.key_account_code
            # the code is confidential: in the nomination's chatter, not in the partner's
            application.sudo().message_post(
                body=self.env._(
                    "Key account since nomination %(name)s, approved. Code: %(code)s.",
                    name=application.name,
                    code=partner.key_account_code,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def write(self, vals):
        if "user_id" in vals and not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
            raise AccessError(self.env._("Only a Key Account Manager may change the applicant of a nomination."))
        return super().write(vals)
