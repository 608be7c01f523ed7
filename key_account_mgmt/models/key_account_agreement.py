from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one, in_lang_of, to_date

KA_MANAGER = "key_account_mgmt.group_ka_manager"

AGREEMENT_KINDS = [
    ("supply", "Supply Agreement"),
    ("quality", "Quality Assurance Agreement"),
    ("framework", "Framework Agreement"),
    ("tender_won", "Tender Won"),
    ("tender_shortlisted", "Tender Shortlisted"),
]
# the layered approval's states (its "submitted": under review) and the agreement's life
AGREEMENT_STATES = [
    ("draft", "Draft"),
    ("submitted", "To Approve"),
    ("approved", "Approved"),
    ("signed", "Signed"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# the agreements a key account is bound by
RUNNING_STATES = ("signed",)
# what signing, renewing and the expiry reminder write, never the users
SYSTEM_FIELDS = {"signed_by_id", "date_signed", "expiry_reminder_date", "renewal_id"}


class KeyAccountAgreement(models.Model):
    """Contracts and agreements of a key account (合同管理, seed 000 六; seed 003 第九–十一条,
    第十四条): supply and quality-assurance agreements signed by the legal representatives,
    framework agreements, tenders won or shortlisted (中标/入围). The clauses are reviewed (a
    checklist) before the layered approval — KA Manager, then the KA Director from the
    company's amount; a KA Manager records the signature (date and signed document) only once
    approved. A signed agreement's settlement days set the customer's payment terms in its
    company (as a credit-terms policy does); the expiry reminder and the expiry are the cron's;
    "Renew" drafts the next agreement, linked by ``renewal_id``. Confidential like the archive."""

    _name = "key.account.agreement"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.confidential.mixin",
        "key.account.policy.terms.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Key Account Agreement"
    _order = "date_start desc, id desc"
    _approval_material_fields = (
        "partner_id",
        "company_id",
        "kind",
        "subject",
        "amount",
        "date_start",
        "date_end",
        "settlement_days",
        "terms",
        "our_signatory",
        "customer_signatory_id",
    )
    # an approved agreement is what gets signed: other terms are another agreement
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    subject = fields.Char(required=True, tracking=True, help="What the agreement is about.")
    kind = fields.Selection(AGREEMENT_KINDS, string="Type", required=True, default="supply", tracking=True, index=True)
    state = fields.Selection(
        AGREEMENT_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Prepared by",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    amount = fields.Monetary(
        string="Value",
        currency_field="currency_id",
        tracking=True,
        help="The agreement's value (contract or tender amount); from the company's amount the KA Director approves.",
    )
    date_start = fields.Date(string="Valid from", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(
        string="Valid until", required=True, tracking=True, default=lambda self: self._default_date_end()
    )
    settlement_days = fields.Integer(
        tracking=True,
        help="结算周期 agreed (seed 003 第十四条): once signed, the customer's payment terms in this company for the "
        "agreement's validity (0: the agreement sets none).",
    )
    terms = fields.Text(string="Main Terms", help="The main terms: prices, delivery, quality, liabilities…")
    our_signatory = fields.Char(tracking=True, help="Our legal representative or the person authorised by them.")
    customer_signatory_id = fields.Many2one(
        "res.partner",
        string="Customer's Signatory",
        tracking=True,
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="The customer's legal representative or the person authorised by them.",
    )
    clause_ids = fields.One2many("key.account.agreement.clause", "agreement_id", string="Clauses")
    clauses_reviewed = fields.Boolean(
        compute="_compute_clauses_reviewed", help="Every clause of the checklist has been reviewed."
    )
    signed_document = fields.Binary(attachment=True, copy=False)
    signed_document_name = fields.Char(copy=False)
    date_signed = fields.Date(string="Signed On", readonly=True, copy=False, tracking=True)
    signed_by_id = fields.Many2one("res.users", string="Signature Recorded by", readonly=True, copy=False)
    renewal_id = fields.Many2one(
        "key.account.agreement",
        string="Renewed by",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The agreement that renews this one.",
    )
    renewed_from_ids = fields.One2many("key.account.agreement", "renewal_id", string="Renews")
    expiry_reminder_date = fields.Date(
        string="Expiry Reminder Sent", readonly=True, copy=False, help="The day the account manager was reminded."
    )
    is_running = fields.Boolean(
        string="In Force",
        compute="_compute_is_running",
        search="_search_is_running",
        help="Signed and today within its validity.",
    )
    payment_term_id = fields.Many2one(
        help="The payment terms this agreement set on the customer in its company while in force (结算周期)."
    )
    previous_payment_term_id = fields.Many2one(
        help="The customer's payment terms before the agreement, given back when it ends."
    )

    @api.model
    def _default_date_end(self):
        return fields.Date.context_today(self) + relativedelta(years=1, days=-1)

    # ------------------------------------------------------------------ computes
    @api.depends("clause_ids.reviewed")
    def _compute_clauses_reviewed(self):
        for agreement in self:
            clauses = agreement.clause_ids
            agreement.clauses_reviewed = bool(clauses) and all(clauses.mapped("reviewed"))

    @api.depends("amount", "company_id.key_account_agreement_director_amount")
    def _compute_needs_director_approval(self):
        for agreement in self:
            threshold = agreement.company_id.key_account_agreement_director_amount
            agreement.needs_director_approval = bool(threshold) and agreement.amount >= threshold

    @api.depends("state", "date_start", "date_end")
    def _compute_is_running(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.is_running = (
                agreement.state in RUNNING_STATES and agreement.date_start <= today <= agreement.date_end
            )

    def _search_is_running(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on agreements in force."))
        today = fields.Date.context_today(self)
        domain = [("state", "in", RUNNING_STATES), ("date_start", "<=", today), ("date_end", ">=", today)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("date_start", "date_end", "amount", "settlement_days")
    def _check_agreement_terms(self):
        for agreement in self:
            if agreement.date_end < agreement.date_start:
                raise ValidationError(self.env._("An agreement cannot end before it starts."))
            if agreement.amount < 0:
                raise ValidationError(self.env._("The value of an agreement cannot be negative."))
            if not 0 <= agreement.settlement_days <= 365:
                raise ValidationError(self.env._("The settlement days lie between 0 and 365."))

    # ------------------------------------------------------------------ approval
    def _check_submittable(self):
        ensure_one(self)
        if not self.partner_id.sudo().is_key_account:
            raise UserError(self.env._("%(partner)s is not a key account.", partner=self.partner_id.display_name))
        if not self.clauses_reviewed:
            raise ValidationError(self.env._("Review every clause of the checklist before submitting the agreement."))
        if self.date_end < fields.Date.context_today(self):
            raise ValidationError(self.env._("The agreement has already ended: correct its validity."))

    def _approval_locked(self, what, account=False):
        if self.state in ("signed", "expired", "terminated"):
            raise ValidationError(
                self.env._(
                    "%(record)s has been signed: its %(fields)s cannot change anymore.",
                    record=self.display_name,
                    fields=what,
                )
            )
        return super()._approval_locked(what, account=account)

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + ["date_signed", "signed_by_id"]

    def _unlink_refused_message(self):
        return self.env._("Only draft or cancelled agreements can be deleted.")

    # ------------------------------------------------------------------ signing
    def action_sign(self, date_signed=None):
        """Record the signature (KA Manager): the approved agreement, the day and the signed
        document attached beforehand."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise UserError(self.env._("Only a Key Account Manager records the signature of an agreement."))
        today = fields.Date.context_today(self)
        day = to_date(self.env, date_signed, self.env._("Signed On")) if date_signed else today
        if day > today:
            raise ValidationError(self.env._("An agreement cannot be signed on a day still to come."))
        for agreement in self:
            if agreement.state != "approved":
                raise UserError(
                    self.env._("%(agreement)s can be signed only once approved.", agreement=agreement.display_name)
                )
            if not agreement.signed_document:
                raise UserError(self.env._("Attach the signed document before recording the signature."))
            if not (agreement.our_signatory and agreement.customer_signatory_id):
                raise UserError(self.env._("Name both signatories (the legal representatives) before signing."))
            agreement._write_state({"state": "signed", "date_signed": day, "signed_by_id": self.env.uid})
        self._on_signed()
        return True

    def _on_signed(self):
        self._apply_credit_terms()
        self.env["key.account.agreement"]._assign_codes_when_ready(self.partner_id)

    # key.account.policy.terms.mixin: the settlement days of a signed agreement in force
    def _credit_terms_starting_domain(self, today):
        return [
            ("state", "in", RUNNING_STATES),
            ("settlement_days", ">", 0),
            ("payment_term_id", "=", False),
            ("date_start", "<=", today),
            ("date_end", ">=", today),
        ]

    def _credit_terms_days(self):
        return self.settlement_days

    # ------------------------------------------------------------------ end, renewal
    def action_terminate(self):
        """End a signed agreement today (KA Manager)."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise UserError(self.env._("Only a Key Account Manager may terminate an agreement."))
        if any(agreement.state != "signed" for agreement in self):
            raise UserError(self.env._("Only a signed agreement can be terminated."))
        self._close_credit_terms()
        self._write_state({"state": "terminated"})
        for agreement in self:
            agreement.message_post(
                body=self.env._("Terminated by %(user)s.", user=self.env.user.name), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_renew(self):
        """Draft the next agreement with the same terms, from the day after this one ends."""
        agreement = ensure_one(self)
        if agreement.state not in ("signed", "expired"):
            raise UserError(self.env._("Only a signed or expired agreement is renewed."))
        if agreement.renewal_id:
            raise UserError(
                self.env._(
                    "%(agreement)s is already renewed by %(renewal)s.",
                    agreement=agreement.display_name,
                    renewal=agreement.renewal_id.display_name,
                )
            )
        agreement.check_access("write")
        length = agreement.date_end - agreement.date_start
        start = agreement.date_end + timedelta(days=1)
        renewal = agreement.copy(
            {
                "date_start": start,
                "date_end": start + length,
                "user_id": self.env.uid,
                "clause_ids": [
                    fields.Command.create({"sequence": c.sequence, "name": c.name}) for c in agreement.clause_ids
                ],
            }
        )
        agreement.sudo().renewal_id = renewal
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": renewal.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_agreement_expiry(self, batch_size=500):
        """Remind the account manager once before the end (company's days), and mark expired
        the signed agreements whose last day has passed (batched, idempotent)."""
        today = fields.Date.context_today(self)
        expired_domain = [("state", "in", RUNNING_STATES), ("date_end", "<", today)]
        expired = self.sudo().search(expired_domain, limit=batch_size)
        expired._close_credit_terms()
        expired.write({"state": "expired"})
        remind_domain = [
            ("state", "in", RUNNING_STATES),
            ("expiry_reminder_date", "=", False),
            ("renewal_id", "=", False),
            ("date_end", ">=", today),
        ]
        due = (
            self.sudo()
            .search(remind_domain, limit=batch_size)
            .filtered(lambda a: (a.date_end - today).days <= a.company_id.key_account_agreement_reminder_days)
        )
        due._remind_expiry()
        self.sudo().search(self._credit_terms_starting_domain(today), limit=batch_size)._apply_credit_terms()
        remaining = self.sudo().search_count(expired_domain)
        self.env["ir.cron"]._notify_progress(done=len(expired) + len(due), remaining=remaining)
        return True

    def _remind_expiry(self):
        for agreement in self:
            manager = agreement.partner_id.sudo().key_account_manager_id or agreement.user_id
            local = in_lang_of(agreement.sudo(), manager)
            local.activity_schedule(
                "key_account_mgmt.mail_activity_type_agreement_expiry",
                date_deadline=agreement.date_end,
                summary=local.env._("Agreement ends on %(day)s: renew or let it end", day=agreement.date_end),
                user_id=manager.id,
            )
            agreement.sudo().expiry_reminder_date = fields.Date.context_today(self)

    # ------------------------------------------------------------------ key-account code (第九–十一条)
    @api.model
    def _code_ready(self, partners):
        """The key accounts that may get their code: all, unless their company requires a signed
        supply agreement and a signed quality agreement first."""
        required = partners.filtered(lambda p: (p.company_id or self.env.company).key_account_code_requires_agreements)
        if not required:
            return partners
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", required.ids),
                ("state", "in", RUNNING_STATES),
                ("kind", "in", ("supply", "quality")),
            ],
            ["partner_id"],
            ["kind:count_distinct"],
        )
        ready = self.env["res.partner"].browse([partner.id for partner, kinds in groups if kinds == 2])
        return (partners - required) | ready

    @api.model
    def _assign_codes_when_ready(self, partners):
        partners.sudo().filtered(lambda p: p.is_key_account and not p.key_account_code)._assign_key_account_codes()

    # ------------------------------------------------------------------ protection
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.keys() & SYSTEM_FIELDS for vals in vals_list):
            raise ValidationError(self.env._("The signature, the renewal and the reminder are recorded by the system."))
        agreements = super().create(vals_list)
        agreements.filtered(lambda a: not a.clause_ids)._add_default_clauses()
        return agreements

    def write(self, vals):
        if not self.env.su and vals.keys() & SYSTEM_FIELDS:
            raise ValidationError(self.env._("The signature, the renewal and the reminder are recorded by the system."))
        if not self.env.su and {"signed_document", "signed_document_name"} & vals.keys():
            if any(agreement.state in ("signed", "expired", "terminated") for agreement in self):
                raise ValidationError(self.env._("The signed document of a signed agreement cannot change."))
        return super().write(vals)

    def _add_default_clauses(self):
        for agreement in self:
            agreement.clause_ids = [
                fields.Command.create({"sequence": sequence, "name": name})
                for sequence, name in enumerate(agreement._default_clauses(), start=1)
            ]

    def _default_clauses(self):
        """The checklist a new agreement starts with (seed 000 六: 审核合同条款)."""
        return [
            self.env._("Parties and signatories (legal representatives)"),
            self.env._("Scope, products and prices"),
            self.env._("Delivery and acceptance"),
            self.env._("Quality requirements and liabilities"),
            self.env._("Settlement period and payment"),
            self.env._("Validity, renewal and termination"),
            self.env._("Confidentiality"),
            self.env._("Breach and dispute resolution"),
        ]
