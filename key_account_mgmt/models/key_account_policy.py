from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one, format_number, post_for
from .key_account_approval_mixin import APPROVAL_STATES

POLICY_TYPES = [
    ("discount", "Price Discount (%)"),
    ("coefficient", "Unit-Price Coefficient"),
    ("priority_supply", "Priority Supply"),
    ("credit_terms", "Credit Terms (days)"),
    ("other", "Other"),
]
# the policies the key account's sales pricelist carries
PRICE_TYPES = ("discount", "coefficient")
VALUE_DIGITS = 4  # of the policy value (a coefficient of 0.9250)
# what the approval and the expiry write on a policy, never its users
SYSTEM_FIELDS = {"tier_id", "pricelist_item_id", "payment_term_id", "previous_payment_term_id"}


class KeyAccountPolicy(models.Model):
    """Preferential policy (优惠政策, seed 003 第十二–十五条): a discount, a unit-price coefficient
    (客户单价系数), priority supply, credit terms or another advantage granted to a key account for
    a period. 分层管理、逐级审核、严格保密: within the standard range of the account's tier the KA
    Manager approves and the Director is informed (备案); beyond it the Director approves after
    the KA Manager. Confidential like the archive. An approved price policy becomes an item of
    the key account's sales pricelist for its validity; the expiry cron closes it."""

    _name = "key.account.policy"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.confidential.mixin",
        "key.account.policy.terms.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Preferential Policy"
    _order = "date_from desc, id desc"
    _approval_material_fields = (
        "partner_id",
        "company_id",
        "policy_type",
        "value",
        "date_from",
        "date_to",
        "description",
    )
    # an approved policy is in force: other terms are a new policy (a KA Manager may end it earlier)
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        APPROVAL_STATES + [("expired", "Expired")],
        string="Status",
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    tier_id = fields.Many2one(
        "key.account.tier",
        compute="_compute_tier_id",
        store=True,
        precompute=True,
        help="The tier of the key account when the policy was requested: its standard range decides the approval.",
    )
    policy_type = fields.Selection(POLICY_TYPES, string="Type", required=True, default="discount", tracking=True)
    value = fields.Float(
        string="Policy Value",
        digits=(16, VALUE_DIGITS),
        tracking=True,
        help="Discount: percentage off the price. Unit-price coefficient: factor applied to the price (0.92 = 92%). "
        "Credit terms: settlement period in days. Not used for priority supply and other policies.",
    )
    value_display = fields.Char(
        string="Policy Value (Text)",
        compute="_compute_value_display",
        help="The policy value as people write it: 12%, 0.92, 90.",
    )
    description = fields.Text(
        string="Terms", help="What exactly is granted (required for priority supply and other policies)."
    )
    reason = fields.Text(tracking=True, help="Why the key account gets this advantage.")
    date_from = fields.Date(string="Valid from", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="Valid until", required=True, tracking=True)
    standard_range = fields.Char(string="Standard of the Tier", compute="_compute_standard_range")
    is_active = fields.Boolean(
        string="In Force",
        compute="_compute_is_active",
        search="_search_is_active",
        help="Approved and today within its validity.",
    )
    pricelist_item_id = fields.Many2one(
        "product.pricelist.item",
        string="Pricelist Rule",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The rule of the key account's sales pricelist that applies this policy.",
    )
    pricelist_id = fields.Many2one(related="pricelist_item_id.pricelist_id", string="Sales Pricelist")
    awaiting_group_id = fields.Many2one(
        "res.groups",
        string="Awaiting Approval by",
        compute="_compute_awaiting_group_id",
        help="The group whose review comes next (KA Manager, then KA Director beyond the standard).",
    )

    @api.depends("review_ids.status", "review_ids.sequence", "review_ids.reviewer_group_id")
    def _compute_awaiting_group_id(self):
        for policy in self:
            open_reviews = policy.sudo().review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
            policy.awaiting_group_id = (
                open_reviews.sorted("sequence")[:1].reviewer_group_id if policy.state == "submitted" else False
            )

    @api.depends("partner_id")
    def _compute_tier_id(self):
        for policy in self:
            policy.tier_id = policy.partner_id.sudo().key_account_tier_id

    @api.depends(
        "policy_type",
        "value",
        "tier_id.policy_max_discount",
        "tier_id.policy_min_price_coefficient",
        "tier_id.policy_max_credit_days",
        "tier_id.policy_priority_supply",
    )
    def _compute_needs_director_approval(self):
        for policy in self:
            policy.needs_director_approval = not policy._within_standard()

    def _within_standard(self):
        """Whether the policy lies within the standard range of its tier (第十三条)."""
        ensure_one(self)
        tier = self.tier_id
        if not tier:
            return False
        if self.policy_type == "discount":
            return self.value <= tier.policy_max_discount
        if self.policy_type == "coefficient":
            return self.value >= tier.policy_min_price_coefficient
        if self.policy_type == "credit_terms":
            return self.value <= tier.policy_max_credit_days
        if self.policy_type == "priority_supply":
            return tier.policy_priority_supply
        return False

    @api.depends("policy_type", "value")
    @api.depends_context("lang")
    def _compute_value_display(self):
        for policy in self:
            value = format_number(self.env, policy.value, VALUE_DIGITS)
            shown = {"discount": f"{value}%", "coefficient": value, "credit_terms": value}
            policy.value_display = shown.get(policy.policy_type, False)

    @api.depends("policy_type", "tier_id")
    @api.depends_context("lang")
    def _compute_standard_range(self):
        for policy in self:
            tier = policy.tier_id
            if not tier:
                policy.standard_range = self.env._("No tier: the Director approves.")
            elif policy.policy_type == "discount":
                policy.standard_range = self.env._(
                    "Up to %(value)s%%", value=format_number(self.env, tier.policy_max_discount)
                )
            elif policy.policy_type == "coefficient":
                policy.standard_range = self.env._(
                    "From %(value)s", value=format_number(self.env, tier.policy_min_price_coefficient)
                )
            elif policy.policy_type == "credit_terms":
                policy.standard_range = self.env._(
                    "Up to %(value)s days", value=format_number(self.env, tier.policy_max_credit_days)
                )
            elif policy.policy_type == "priority_supply":
                policy.standard_range = (
                    self.env._("Within the standard")
                    if tier.policy_priority_supply
                    else self.env._("Beyond the standard")
                )
            else:
                policy.standard_range = self.env._("Always approved by the Director")

    @api.depends("state", "date_from", "date_to")
    def _compute_is_active(self):
        today = fields.Date.context_today(self)
        for policy in self:
            policy.is_active = policy.state == "approved" and policy.date_from <= today <= policy.date_to

    def _search_is_active(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on policies in force."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "approved"), ("date_from", "<=", today), ("date_to", ">=", today)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("policy_type", "value", "date_from", "date_to")
    def _check_policy_terms(self):
        for policy in self:
            if policy.date_to < policy.date_from:
                raise ValidationError(self.env._("A policy cannot end before it starts."))
            if policy.policy_type == "discount" and not 0 < policy.value < 100:
                raise ValidationError(self.env._("A price discount lies above 0 and below 100%%."))
            if policy.policy_type == "coefficient" and not 0 < policy.value <= 1:
                raise ValidationError(
                    self.env._("A unit-price coefficient lies above 0 and at most 1 (0.92 = 92%% of the price).")
                )
            if policy.policy_type == "credit_terms" and (policy.value < 1 or policy.value != int(policy.value)):
                raise ValidationError(self.env._("Credit terms are a whole number of days, at least 1."))

    # ------------------------------------------------------------------ approval
    def _check_submittable(self):
        ensure_one(self)
        if not self.partner_id.sudo().is_key_account:
            raise UserError(self.env._("%(partner)s is not a key account.", partner=self.partner_id.display_name))
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("Give the reason for the policy."))
        if self.policy_type in ("priority_supply", "other") and not (self.description or "").strip():
            raise ValidationError(self.env._("Describe the terms of the policy."))
        if self.date_to < fields.Date.context_today(self):
            raise ValidationError(self.env._("The policy has already ended: correct its validity."))
        if self.policy_type in PRICE_TYPES:
            overlapping = self.sudo().search_count(
                [
                    ("id", "!=", self.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("policy_type", "in", PRICE_TYPES),
                    ("state", "in", ("submitted", "approved")),
                    ("date_from", "<=", self.date_to),
                    ("date_to", ">=", self.date_from),
                ]
            )
            if overlapping:
                raise UserError(
                    self.env._(
                        "%(partner)s already has a price policy for this period: one discount or coefficient at a time.",
                        partner=self.partner_id.display_name,
                    )
                )

    def _on_approved(self):
        for policy in self:
            if not policy.needs_director_approval:
                policy._inform_directors()
        self._apply_to_pricelist()
        self._apply_credit_terms()

    def _inform_directors(self):
        """备案: policies within the standard are filed with the Director (a notification, in
        each Director's language)."""
        directors = (
            self.env.ref("key_account_mgmt.group_ka_director")
            .sudo()
            .users.filtered(lambda u: not u.share and self.company_id in u.company_ids)
        )
        post_for(
            self.sudo(),
            directors,
            lambda policy: policy.env._(
                "Approved within the standard of the tier by the KA Manager; filed with the Director (备案)."
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------ pricelist
    def _apply_to_pricelist(self):
        """An approved price policy becomes a rule of the key account's pricelist, limited to
        its validity (the pricelist applies it on the order date)."""
        for policy in self.filtered(
            lambda p: p.policy_type in PRICE_TYPES and p.state == "approved" and not p.pricelist_item_id
        ):
            pricelist = self.env["product.pricelist"]._key_account_pricelist(policy.partner_id, policy.company_id)
            base = pricelist.item_ids.filtered(lambda item: not item.date_start and not item.date_end)[:1]
            vals = {
                "pricelist_id": pricelist.id,
                "applied_on": "3_global",
                "base": base.base or "list_price",
                "base_pricelist_id": base.base_pricelist_id.id,
                **policy._pricelist_item_dates(),
            }
            if policy.policy_type == "discount":
                vals.update(compute_price="percentage", percent_price=policy.value)
            else:
                vals.update(compute_price="formula", price_discount=(1 - policy.value) * 100)
            item = self.env["product.pricelist.item"].sudo().create(vals)
            policy.sudo().pricelist_item_id = item

    def _pricelist_item_dates(self):
        return {
            "date_start": datetime.combine(self.date_from, time.min),
            "date_end": datetime.combine(self.date_to, time.max).replace(microsecond=0),
        }

    def _close_pricelist_items(self):
        self.sudo().pricelist_item_id.unlink()

    @api.model
    def _priority_supply_customers(self):
        """The customers whose orders come first (seed 002 6.2.1): strategic key accounts and
        those with a priority-supply policy in force, with the branches of their groups."""
        policies = self.sudo().search([("policy_type", "=", "priority_supply"), ("is_active", "=", True)])
        Partner = self.env["res.partner"].sudo()
        strategic = self.env.ref("key_account_mgmt.tier_strategic", raise_if_not_found=False)
        accounts = policies.partner_id | (
            Partner.search([("is_key_account", "=", True), ("key_account_tier_id", "=", strategic.id)])
            if strategic
            else Partner
        )
        branches = Partner.search(
            [("key_account_headquarters_id", "in", accounts.ids), ("key_account_group_relation", "=", "branch")]
        )
        return accounts | branches

    # ------------------------------------------------------------------ life cycle
    def action_terminate(self):
        """End an approved policy today (KA Manager): it leaves the pricelist."""
        if not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
            raise UserError(self.env._("Only a Key Account Manager may end an approved policy."))
        if any(policy.state != "approved" for policy in self):
            raise UserError(self.env._("Only an approved policy can be ended."))
        today = fields.Date.context_today(self)
        for policy in self:
            policy._close_pricelist_items()
            policy._close_credit_terms()
            policy._write_state({"state": "expired", "date_to": max(min(policy.date_to, today), policy.date_from)})
            policy.message_post(
                body=self.env._("Ended by %(user)s.", user=self.env.user.name), subtype_xmlid="mail.mt_note"
            )
        return True

    @api.model
    def _cron_expire_policies(self, batch_size=500):
        """Close the approved policies whose validity has ended, take them out of the
        pricelist, and put into the pricelist approved ones that start (idempotent, batched)."""
        today = fields.Date.context_today(self)
        domain = [("state", "=", "approved"), ("date_to", "<", today)]
        policies = self.sudo().search(domain, limit=batch_size)
        policies._close_pricelist_items()
        policies._close_credit_terms()
        policies.write({"state": "expired"})
        self.sudo().search(self._credit_terms_starting_domain(today), limit=batch_size)._apply_credit_terms()
        # an approved price policy whose pricelist rule was deleted by hand gets it back
        self.sudo().search(
            [
                ("state", "=", "approved"),
                ("policy_type", "in", PRICE_TYPES),
                ("pricelist_item_id", "=", False),
                ("date_to", ">=", today),
            ],
            limit=batch_size,
        )._apply_to_pricelist()
        self.env["ir.cron"]._notify_progress(done=len(policies), remaining=self.sudo().search_count(domain))
        return True

    # ------------------------------------------------------------------ protection

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.keys() & SYSTEM_FIELDS for vals in vals_list):
            raise ValidationError(self.env._("The tier and the pricelist rule of a policy are set by the system."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_key_account_values(vals)  # before reading them (base runs last)
        if not self.env.su and vals.keys() & SYSTEM_FIELDS:
            raise ValidationError(self.env._("The tier and the pricelist rule of a policy are set by the system."))
        result = super().write(vals)
        if vals.keys() & {"date_from", "date_to"}:
            for policy in self.filtered("pricelist_item_id"):
                policy.sudo().pricelist_item_id.write(policy._pricelist_item_dates())
        return result

    def _approval_change_allowed(self, vals):
        return self._is_shortening(vals)

    def _is_shortening(self, vals):
        """A KA Manager may end approved policies earlier (never later): the expiry cron
        closes them once the new last day has passed."""
        if vals.keys() != {"date_to"} or not self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            return False
        date_to = fields.Date.to_date(vals["date_to"])
        return bool(date_to) and all(policy.state == "approved" and date_to <= policy.date_to for policy in self)
