from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import clean_text, label

LOSS_REASONS = [
    ("price", "Price"),
    ("quality", "Quality"),
    ("service", "Service"),
    ("delivery", "Delivery"),
    ("relationship", "Relationship"),
    ("competitor", "Won by a competitor"),
    ("business_change", "Customer's business changed"),
    ("insolvency", "Insolvency"),
    ("other", "Other"),
]


class KeyAccountLoss(models.Model):
    """Loss analysis of a retired key account (流失分析, seed 003 第十八条(4)): why, where it went,
    which competitor, and what the account was worth when lost. Kept for reporting."""

    _name = "key.account.loss"
    _inherit = ["key.account.confidential.mixin", "mail.thread"]
    _description = "Key Account Loss"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(domain="[]")
    date = fields.Date(string="Lost On", required=True, default=fields.Date.context_today, index=True)
    reason_type = fields.Selection(LOSS_REASONS, string="Main Reason", required=True, tracking=True)
    reason = fields.Text(string="Analysis", required=True)
    destination = fields.Char(
        string="Where It Went", help="Where the business went: a competitor, in-house, abandoned …"
    )
    competitor_id = fields.Many2one("res.partner", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Recorded by", required=True, default=lambda self: self.env.user)
    responsible_id = fields.Many2one(
        "res.users", string="Account Manager", index=True, help="The account manager when the account was lost."
    )
    tier_id = fields.Many2one("key.account.tier", ondelete="set null")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    revenue_12m = fields.Monetary(string="Revenue of the Last 12 Months", currency_field="currency_id")

    @api.model
    def _retire(self, partners, reason_type, reason, destination=False, competitor_id=False):
        """Retire these key accounts with a loss analysis (流失分析). They keep their code,
        team, archive and history, and stay reportable through their loss rows. Returns the
        loss rows (sudo)."""
        partners._key_account_check_manager(self.env._("Only a Key Account Manager may retire a key account."))
        not_key = partners.filtered(lambda p: not p.is_key_account)
        if not_key:
            raise UserError(
                self.env._("%(partners)s is not a key account.", partners=", ".join(not_key.mapped("display_name")))
            )
        reason = clean_text(self.env, reason, label(self.env, self._name, "reason"))
        destination = clean_text(self.env, destination, label(self.env, self._name, "destination")) or False
        if not reason or not reason_type:
            raise ValidationError(self.env._("A lost key account needs its main reason and a written analysis."))
        if reason_type not in self._fields["reason_type"].get_values(self.env):
            raise ValidationError(
                self.env._("Unknown main reason of a loss: %(reason)s.", reason=repr(reason_type)[:40])
            )
        metrics = self.env["key.account.metrics"]
        revenue = metrics._revenue(partners.ids, *metrics._last_12_months())
        losses = self.sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "reason_type": reason_type,
                    "reason": reason,
                    "destination": destination,
                    "competitor_id": competitor_id,
                    "user_id": self.env.uid,
                    "responsible_id": partner.sudo().key_account_manager_id.id,
                    "tier_id": partner.key_account_tier_id.id,
                    "revenue_12m": revenue.get(partner.id, 0.0),
                }
                for partner in partners
            ]
        )
        partners.sudo().write({"is_key_account": False, "key_account_lost": True})
        # the analysis is confidential: on the loss row, not on the partner's chatter
        for loss in losses:
            loss.message_post(
                body=self.env._("Retired as a key account: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note"
            )
        return losses
