from odoo import api, fields, models
from odoo.exceptions import ValidationError

RULE_KINDS = [
    ("handover", "Handover to Another Region"),
    ("multi_region", "Multi-Region Account"),
    ("deal_kind", "Deals of a Kind"),
]


class KeyAccountCreditSplitRule(models.Model):
    """A rule of the credit split (业绩分配, seed 002): how an invoice line's revenue is shared
    between people, teams (regions) and the company. Each line takes the first rule that
    applies, by sequence, after a manual override (key.account.credit.override); without one
    it is the account manager's. The rules are read in SQL by
    ``key.account.metrics._attribution_query``; ``share`` is the first party's percentage:

    - handover: the first deal of a key account after its handover to a specialist of another
      sales team — the giving specialist ``share``, the receiving one the rest (6:4);
    - multi_region: a group with branches in other regions than its headquarters — the company
      ``share``, the region of the customer invoiced the rest (50/50);
    - deal_kind: lines of products of the categories, or invoices of the sales team — the team
      ``share``, the account manager (业务代表) the rest (工程部 70%, 业务代表 30%)."""

    _name = "key.account.credit.split.rule"
    _description = "Credit Split Rule"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Rules are tried in this order; the first that applies credits the line."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    kind = fields.Selection(RULE_KINDS, required=True, default="handover")
    share = fields.Float(
        string="First Share (%)",
        digits=(5, 2),
        required=True,
        default=60.0,
        help="Handover: the giving specialist's share (the receiving one gets the rest). Multi-region account: "
        "the company's share (the region gets the rest). Deals of a kind: the team's share (the account manager "
        "gets the rest).",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Credited Team",
        help="Deals of a kind: the team credited with the first share (e.g. the engineering department, 工程部).",
    )
    categ_ids = fields.Many2many(
        "product.category",
        "key_account_credit_split_rule_categ_rel",
        "rule_id",
        "categ_id",
        string="Product Categories",
        help="Deals of a kind: invoice lines of products in these categories or their subcategories.",
    )
    match_team = fields.Boolean(
        string="Invoices of the Team",
        help="Deals of a kind: also every line of the invoices whose Sales Team is the credited team.",
    )

    @api.constrains("kind", "share", "team_id", "categ_ids", "match_team")
    def _check_rule(self):
        for rule in self:
            if not 0 <= rule.share <= 100:
                raise ValidationError(self.env._("A share is a percentage from 0 to 100."))
            if rule.kind == "deal_kind" and (not rule.team_id or not (rule.categ_ids or rule.match_team)):
                raise ValidationError(
                    self.env._(
                        "A rule for deals of a kind needs the credited team, and product categories or the team's "
                        "invoices."
                    )
                )
