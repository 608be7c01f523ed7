from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

KEY_ACCOUNT = ("is_key_account", "=", True)
IN_DEVELOPMENT = [("state", "=", "approved"), ("outcome", "=", "open")]


class KeyAccountVisitMixin(models.AbstractModel):
    """Development visits and receptions (seed 001 §3.3.3: 对潜在客户定期拜访): a customer that is
    not yet a key account may be visited or received under an approved development plan, and
    only then, with the same approval, report, follow-up and "no report, no reimbursement"; a
    development visit that has not succeeded yet files the category of the reason too (拜访暂时
    没有成功的原因进行分析和总结, 并进行归类保存)."""

    _inherit = "key.account.visit.mixin"

    development_id = fields.Many2one(
        "key.account.development",
        string="Development Plan",
        compute="_compute_development_id",
        store=True,
        index="btree_not_null",
        help="The approved development plan this visit belongs to, when the customer is not yet a key account.",
    )
    outcome_reason_id = fields.Many2one(
        "key.account.development.reason",
        string="Reason Category",
        copy=False,
        ondelete="restrict",
        help="Why a development visit has not succeeded yet, classified.",
    )

    @api.depends("partner_id")
    def _compute_development_id(self):
        for record in self:
            record.development_id = record._approved_development()

    def _approved_development(self):
        partner = self.partner_id.sudo()
        if not partner or partner.is_key_account:
            return self.env["key.account.development"]
        return (
            self.env["key.account.development"]
            .sudo()
            .search([("partner_id", "=", partner.id), *IN_DEVELOPMENT], limit=1)
        )

    @api.model
    def _partner_id_domain(self):
        domain = super()._partner_id_domain()
        others = [leaf for leaf in domain if leaf != KEY_ACCOUNT]
        developing = [("key_account_development_ids", "any", IN_DEVELOPMENT)]
        return expression.AND([expression.OR([[KEY_ACCOUNT], developing]), others])

    def _check_submittable(self):
        if self.partner_id.sudo().is_key_account:
            return super()._check_submittable()
        if not self._approved_development():
            raise UserError(
                self.env._(
                    "%(partner)s is not a key account, nor under an approved development plan.",
                    partner=self.partner_id.display_name,
                )
            )
        if not (self.purpose or "").strip():
            raise ValidationError(self.env._("Give the purpose of %(name)s.", name=self.name))

    def _check_report(self):
        result = super()._check_report()
        if self.outcome == "not_yet" and self.development_id and not self.outcome_reason_id:
            raise ValidationError(
                self.env._(
                    "The report of %(name)s is missing: %(fields)s.",
                    name=self.name,
                    fields=self._fields["outcome_reason_id"]._description_string(self.env),
                )
            )
        return result
