from odoo import fields, models


class KeyAccountPolicyTermsMixin(models.AbstractModel):
    """Settlement terms (结算周期, seed 003 第十四条) of key.account.policy: a credit-terms policy
    in force sets the customer's payment terms in its company; the terms it had come back when
    the policy ends (terminated or expired), unless someone changed them meanwhile."""

    _name = "key.account.policy.terms.mixin"
    _description = "Key Account Policy Settlement Terms"

    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms Set",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The payment terms a credit-terms policy set on the customer in its company while in force (结算周期).",
    )
    previous_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms Before",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The customer's payment terms before the policy, given back when it ends.",
    )

    def _credit_terms_starting_domain(self, today):
        return [
            ("state", "=", "approved"),
            ("policy_type", "=", "credit_terms"),
            ("payment_term_id", "=", False),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
        ]

    def _credit_terms_days(self):
        """The settlement days the record grants (a policy's value; an agreement's settlement days)."""
        return int(self.value)

    def _apply_credit_terms(self):
        today = fields.Date.context_today(self)
        for policy in self.filtered_domain(self._credit_terms_starting_domain(today)):
            partner = policy.partner_id.sudo().with_company(policy.company_id)
            term = self.env["account.payment.term"]._key_account_days_term(
                policy._credit_terms_days(), policy.company_id
            )
            policy.sudo().write(
                {"previous_payment_term_id": partner.property_payment_term_id.id, "payment_term_id": term.id}
            )
            partner.property_payment_term_id = term

    def _close_credit_terms(self):
        for policy in self.filtered("payment_term_id"):
            partner = policy.partner_id.sudo().with_company(policy.company_id)
            if partner.property_payment_term_id == policy.payment_term_id:
                partner.property_payment_term_id = policy.previous_payment_term_id
