from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import clean_text, label


class KeyAccountCreditOverride(models.Model):
    """A KA Manager's decision on who is credited with an invoice, or with an account's
    invoices of a period (业绩分配的人工调整): it comes before every credit-split rule. The
    person's share, the team's share and the company's (the rest) of each invoice line; the
    reason is required, every change is tracked."""

    _name = "key.account.credit.override"
    _inherit = ["key.account.confidential.mixin", "mail.thread"]
    _description = "Credit Split Override"
    _order = "id desc"
    _rec_name = "partner_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index="btree_not_null",
        ondelete="cascade",
        tracking=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), ('state', '=', 'posted')]",
        help="Only this invoice or refund; leave empty for every invoice of the account in the period.",
    )
    date_from = fields.Date(
        string="From",
        tracking=True,
        default=lambda self: fields.Date.start_of(fields.Date.context_today(self), "month"),
    )
    date_to = fields.Date(
        string="To", tracking=True, default=lambda self: fields.Date.end_of(fields.Date.context_today(self), "month")
    )
    user_id = fields.Many2one(
        "res.users", string="Credited Specialist", tracking=True, domain="[('share', '=', False)]"
    )
    user_share = fields.Float(string="Specialist's Share (%)", digits=(5, 2), default=0.0, tracking=True)
    team_id = fields.Many2one("crm.team", string="Credited Team", tracking=True)
    team_share = fields.Float(string="Team's Share (%)", digits=(5, 2), default=0.0, tracking=True)
    company_share = fields.Float(
        string="Company's Share (%)",
        digits=(5, 2),
        compute="_compute_company_share",
        help="What the specialist and the team do not get: credited to the company, no person.",
    )
    reason = fields.Text(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)

    _key_account_free_fields = ("active",)

    @api.depends("user_share", "team_share")
    def _compute_company_share(self):
        for override in self:
            override.company_share = 100.0 - override.user_share - override.team_share

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.partner"]._key_account_check_manager(
            self.env._("Only a Key Account Manager overrides the credit split.")
        )
        for vals in vals_list:
            self._check_key_account_values(vals)  # before reading them (base runs last)
            self._check_reason(vals)
        return super().create(vals_list)

    def write(self, vals):
        self.env["res.partner"]._key_account_check_manager(
            self.env._("Only a Key Account Manager overrides the credit split.")
        )
        self._check_key_account_values(vals)
        self._check_reason(vals)
        return super().write(vals)

    @api.model
    def _check_reason(self, vals):
        if (
            isinstance(vals, dict)
            and "reason" in vals
            and not clean_text(self.env, vals["reason"], label(self.env, self._name, "reason"))
        ):
            raise ValidationError(self.env._("Say why the credit split is overridden."))

    @api.constrains("move_id", "partner_id", "date_from", "date_to", "user_id", "user_share", "team_id", "team_share")
    def _check_override(self):
        metrics = self.env["key.account.metrics"]
        for override in self:
            if override.user_share < 0 or override.team_share < 0 or override.company_share < 0:
                raise ValidationError(self.env._("The shares are percentages adding up to 100 at most."))
            if bool(override.user_share) != bool(override.user_id) or bool(override.team_share) != bool(
                override.team_id
            ):
                raise ValidationError(
                    self.env._("A share needs its specialist or team, and a specialist or team a share.")
                )
            if override.move_id:
                counted = (
                    self.env["res.partner"]
                    .sudo()
                    .search(metrics._counted_domain([("id", "=", override.partner_id.id)]))
                )
                if override.move_id.sudo().commercial_partner_id not in counted:
                    raise ValidationError(self.env._("The invoice is not one of the key account or its branches."))
            elif not (override.date_from and override.date_to and override.date_from <= override.date_to):
                raise ValidationError(self.env._("Without an invoice, give the period: from one day to a later one."))
