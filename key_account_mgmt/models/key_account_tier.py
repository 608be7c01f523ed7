from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import ensure_one


class KeyAccountTier(models.Model):
    """A level of key account (战略 / 重点 / 普通客户) with the rules and service commitments
    that come with it: share-of-sales and score thresholds for the tier suggestion, SLA hours
    for complaints and requests, and how often the account must be visited."""

    _name = "key.account.tier"
    _description = "Key Account Tier"
    _order = "sequence, id"

    name = fields.Char(string="Tier", required=True, translate=True)
    sequence = fields.Integer(default=10, help="Higher tiers come first (lower sequence).")
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Colour", help="Colour of the tier on kanban cards and tags.")
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the tier between all companies.",
    )
    description = fields.Text(string="Definition", translate=True)
    min_sales_share = fields.Float(
        string="Min. Share of Annual Sales (%)",
        digits=(5, 2),
        help="An account whose invoiced sales of the last twelve months reach this share of "
        "the company's sales qualifies for the tier (e.g. 5% for strategic accounts).",
    )
    min_score = fields.Float(
        string="Min. Score",
        digits=(5, 2),
        help="Score (0-100) from which an account qualifies for the tier. 0: not used.",
    )
    suggestion_rule = fields.Selection(
        [
            ("share_or_score", "Share or score"),
            ("share_and_score", "Share and score"),
            ("share", "Share of sales only"),
            ("score", "Score only"),
        ],
        default="share_or_score",
        required=True,
        help="How the scoring engine suggests this tier: an account qualifies when its share of the company's "
        'annual sales reaches the minimum share and/or its score reaches the minimum score. With "share or '
        'score" a minimum of 0 does not qualify by itself, unless both minimums are 0 (the fallback tier). Tiers '
        "are tried highest first.",
    )
    sla_reply_hours = fields.Float(
        string="Reply within (h)",
        help="Working hours within which an enquiry of the account must be answered.",
    )
    sla_respond_hours = fields.Float(
        string="Respond within (h)",
        help="Working hours within which a request of the account must be acted upon.",
    )
    sla_resolve_hours = fields.Float(
        string="Resolve within (h)",
        help="Working hours within which a problem of the account must be solved.",
    )
    visit_frequency_days = fields.Integer(
        string="Visit every (days)",
        default=90,
        help="Maximum number of days between two on-site visits of an account of this tier (phone calls, letters, "
        "e-mails and video calls do not count).",
    )
    min_onsite_visits = fields.Integer(
        string="Min. On-site Visits a Year",
        help="On-site visits an account of this tier needs each calendar year, evenly spread: the year is cut into "
        "as many equal periods, each to hold one visit, and the next visit is due by the end of the next one "
        "(0: no minimum).",
    )
    survey_frequency = fields.Selection(
        [("quarter", "Quarterly"), ("half", "Half-yearly"), ("year", "Yearly"), ("none", "No Survey")],
        string="Satisfaction Survey",
        default="year",
        required=True,
        help="How often the contacts of an account of this tier are asked for their satisfaction (a survey "
        "campaign invites each of them once per period).",
    )
    partner_count = fields.Integer(string="Key Accounts", compute="_compute_partner_count")
    # standard range of preferential policies (seed 003 第十三条): within it the KA Manager
    # approves and the Director is informed, beyond it the Director approves
    policy_max_discount = fields.Float(
        string="Standard Max. Discount (%)",
        digits=(5, 2),
        default=2.0,
        help="Price discounts up to this percentage are within the standard of the tier.",
    )
    policy_min_price_coefficient = fields.Float(
        string="Standard Min. Unit-Price Coefficient",
        digits=(5, 4),
        default=0.98,
        help="Unit-price coefficients (单价系数) from this factor up to 1 are within the standard of the tier.",
    )
    policy_max_credit_days = fields.Integer(
        string="Standard Max. Settlement Period (days)",
        default=30,
        help="Credit terms up to this number of days are within the standard of the tier.",
    )
    policy_priority_supply = fields.Boolean(
        string="Priority Supply within Standard",
        help="Priority supply is part of the tier's standard treatment (else the Director approves it).",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A tier with this name already exists in this company.",
        ),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("key_account_tier_id", "in", self.ids), ("is_key_account", "=", True)],
                ["key_account_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.constrains("min_sales_share", "min_score")
    def _check_thresholds(self):
        for tier in self:
            if not 0 <= tier.min_sales_share <= 100:
                raise ValidationError(
                    self.env._(
                        "The minimum share of annual sales of tier %(tier)s must lie between 0 and 100%%.",
                        tier=tier.name,
                    )
                )
            if not 0 <= tier.min_score <= 100:
                raise ValidationError(
                    self.env._(
                        "The minimum score of tier %(tier)s must lie between 0 and 100.",
                        tier=tier.name,
                    )
                )

    @api.constrains("sla_reply_hours", "sla_respond_hours", "sla_resolve_hours")
    def _check_sla_hours(self):
        for tier in self:
            hours = (tier.sla_reply_hours, tier.sla_respond_hours, tier.sla_resolve_hours)
            if any(h < 0 for h in hours):
                raise ValidationError(self.env._("The SLA hours of tier %(tier)s cannot be negative.", tier=tier.name))
            if all(hours) and not hours[0] <= hours[1] <= hours[2]:
                raise ValidationError(
                    self.env._(
                        "In tier %(tier)s, replying cannot take longer than responding, nor "
                        "responding longer than resolving.",
                        tier=tier.name,
                    )
                )

    @api.constrains("visit_frequency_days", "min_onsite_visits")
    def _check_visit_frequency(self):
        for tier in self:
            if not 0 <= tier.min_onsite_visits <= 366:
                raise ValidationError(
                    self.env._(
                        "The yearly minimum of on-site visits of tier %(tier)s must be between 0 and 366.",
                        tier=tier.name,
                    )
                )
            if tier.visit_frequency_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The visit frequency of tier %(tier)s must be a positive number of days.",
                        tier=tier.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        in_use = partners.search([("key_account_tier_id", "in", self.ids)], limit=1)
        if in_use:
            raise UserError(
                self.env._(
                    "Tier %(tier)s is still given to %(partner)s: move its accounts to another tier first.",
                    tier=in_use.key_account_tier_id.name,
                    partner=in_use.display_name,
                )
            )

    def unlink(self):
        # score snapshots reference the tier they suggest without a foreign key
        # (SnapshotMany2one): a deleted tier is no longer suggested, as ON DELETE SET NULL did
        self.env.cr.execute(
            SQL("UPDATE key_account_score SET suggested_tier_id = NULL WHERE suggested_tier_id = ANY(%s)", self.ids)
        )
        self.env["key.account.score"].invalidate_model(["suggested_tier_id"])
        return super().unlink()

    def action_view_partners(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.res_partner_action_key_account")
        action["domain"] = [("is_key_account", "=", True), ("key_account_tier_id", "=", self.id)]
        return action

    @api.constrains("policy_max_discount", "policy_min_price_coefficient", "policy_max_credit_days")
    def _check_policy_range(self):
        for tier in self:
            if not 0 <= tier.policy_max_discount < 100:
                raise ValidationError(
                    self.env._("The standard discount of tier %(tier)s must lie between 0 and 100%%.", tier=tier.name)
                )
            if not 0 < tier.policy_min_price_coefficient <= 1:
                raise ValidationError(
                    self.env._(
                        "The standard unit-price coefficient of tier %(tier)s must lie above 0 and at most 1.",
                        tier=tier.name,
                    )
                )
            if tier.policy_max_credit_days < 0:
                raise ValidationError(
                    self.env._("The standard settlement period of tier %(tier)s cannot be negative.", tier=tier.name)
                )

    def _qualifies_sql(self, share, score):
        """SQL condition: does an account with this share of annual sales (%) and score (SQL
        expressions) meet the tier's suggestion rule? With "share or score" a minimum of 0 does
        not qualify by itself, unless both are 0 (the fallback tier)."""
        ensure_one(self)
        share_ok = SQL("%s >= %s", share, self.min_sales_share)
        score_ok = SQL("%s >= %s", score, self.min_score)
        if self.suggestion_rule == "share_or_score":
            if not self.min_sales_share and not self.min_score:
                return SQL("TRUE")
            reached = [
                ok for ok, minimum in ((share_ok, self.min_sales_share), (score_ok, self.min_score)) if minimum > 0
            ]
            return SQL("(%s)", SQL(" OR ").join(reached))
        if self.suggestion_rule == "share_and_score":
            return SQL("(%s AND %s)", share_ok, score_ok)
        return share_ok if self.suggestion_rule == "share" else score_ok
