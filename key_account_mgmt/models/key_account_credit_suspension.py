from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import clean_text, label, post_for


class KeyAccountCreditSuspension(models.AbstractModel):
    """What a credit suspension (暂停记账服务, seed 003 第十四条) does in Sales: while a KA Manager
    keeps an account's credit suspended, orders and customer invoices on credit for it and for
    its branches are refused; a KA Manager may let one through, and that override (who, why,
    which document) is a row of the credit history. Paid in advance (an immediate payment term)
    they go through. Inherited by sale.order and account.move."""

    _name = "key.account.credit.suspension"
    _description = "Key Account Credit Suspension in Sales"

    key_account_credit_warning = fields.Char(string="Credit Suspension", compute="_compute_key_account_credit_warning")
    key_account_overdue_warning = fields.Boolean(
        string="Overdue Receivables", compute="_compute_key_account_credit_warning"
    )

    def _key_account_customer(self):
        """The customer of the document (a partner, in sudo)."""
        raise NotImplementedError

    def _key_account_on_credit(self):
        """Whether the document is paid after delivery or invoicing (记账)."""
        raise NotImplementedError

    @api.model
    def _key_account_payment_term_on_credit(self, term):
        # without a term, or with Immediate Payment, the customer pays at once
        return any(line.nb_days > 0 or line.delay_type != "days_after" for line in term.line_ids)

    def _key_account_suspended_account(self):
        """The key account whose suspension covers the document's customer: its commercial
        entity, else the headquarters of which it is a branch (a carrier is not covered)."""
        account = self._key_account_customer().commercial_partner_id
        if account.key_account_credit_suspended:
            return account
        headquarters = account.key_account_headquarters_id
        if account.key_account_group_relation == "branch" and headquarters.key_account_credit_suspended:
            return headquarters
        return account.browse()

    def _key_account_overrides(self):
        return (
            self.env["key.account.credit.log"]
            .sudo()
            .search([("action", "=", "override"), (self._key_account_override_field(), "in", self.ids)])
        )

    def _key_account_override_field(self):
        return {"sale.order": "sale_order_id", "account.move": "move_id"}[self._name]

    @api.depends_context("lang")
    def _compute_key_account_credit_warning(self):
        for record in self:
            suspended = record._key_account_suspended_account()
            warning = False
            if suspended:
                decision = suspended.key_account_credit_log_ids.filtered(lambda log: log.action == "suspend")[:1]
                warning = self.env._(
                    "Credit suspended for %(partner)s on %(date)s by %(user)s: %(reason)s",
                    partner=suspended.display_name,
                    date=fields.Date.to_string(fields.Datetime.context_timestamp(self, decision.date).date())
                    if decision
                    else "",
                    user=decision.user_id.name or "",
                    reason=decision.reason or "",
                )
            record.key_account_credit_warning = warning
            customer = record._key_account_customer().commercial_partner_id
            record.key_account_overdue_warning = bool(customer.key_account_credit_flag) and not warning

    def _key_account_check_credit(self):
        """Refuse the documents on credit of a suspended account that no KA Manager let through."""
        overridden = set(self._key_account_overrides().mapped(self._key_account_override_field()).ids)
        for record in self:
            suspended = record._key_account_suspended_account()
            if suspended and record._key_account_on_credit() and record.id not in overridden:
                raise UserError(
                    self.env._(
                        "Sales on credit (记账) to %(partner)s are suspended: %(document)s cannot go through on "
                        "credit. Choose the Immediate Payment term (payment in advance), or ask a Key Account "
                        "Manager to let it through.",
                        partner=suspended.display_name,
                        document=record.display_name,
                    )
                )

    def _key_account_override_credit(self, reason):
        """A KA Manager lets these documents through the suspension: one row of the credit
        history each (who, why, which document) and a note on the document; then confirms (or
        posts) those they may change, the others go through when their owner does."""
        self.env["res.partner"]._key_account_check_manager(
            self.env._("Only a Key Account Manager may let a document through a credit suspension.")
        )
        reason = clean_text(self.env, reason, label(self.env, "key.account.credit.log", "reason"))
        if not reason:
            raise ValidationError(self.env._("Give the reason for letting it through the credit suspension."))
        documents = self.sudo().filtered(lambda r: r._key_account_suspended_account())
        if not documents:
            raise ValidationError(self.env._("The customer's credit is not suspended."))
        if documents.company_id - self.env.user.company_ids:
            raise AccessError(self.env._("These documents belong to a company you do not work in."))
        accounts = documents.mapped(lambda r: r._key_account_suspended_account())
        accounts.with_env(self.env)._key_account_check_access("write")
        figures = accounts._key_account_receivables()
        self.env["key.account.credit.log"].sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    "partner_id": (account := document._key_account_suspended_account()).id,
                    "action": "override",
                    self._key_account_override_field(): document.id,
                    "reason_text": reason,
                    "user_id": self.env.uid,
                    "overdue_amount": figures.get(account.id, {}).get("overdue", 0.0),
                    "receivable_amount": figures.get(account.id, {}).get("residual", 0.0),
                }
                for document in documents
            ]
        )
        for document in documents:
            post_for(
                document,
                self.env["res.users"],
                lambda local: local.env._(
                    "Let through the credit suspension of %(partner)s by %(user)s: %(reason)s",
                    partner=local._key_account_suspended_account().display_name,
                    user=local.env.user.name,
                    reason=reason,
                ),
            )
        return documents.with_env(self.env).filtered(lambda document: document.has_access("write"))
