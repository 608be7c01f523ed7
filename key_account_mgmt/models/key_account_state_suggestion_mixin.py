from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountStateSuggestionMixin(models.AbstractModel):
    """The cooperation state suggestions still to decide on the partner (the form's banner);
    raised by key.account.state.watch, decided on key.account.state.suggestion."""

    _name = "key.account.state.suggestion.mixin"
    _description = "Key Account State Suggestions"

    key_account_state_suggestion_ids = fields.Many2many(
        "key.account.state.suggestion",
        string="State Suggestions",
        compute="_compute_key_account_state_suggestion_ids",
        groups=KA_USER,
        help="Cooperation states the data suggests, still to accept or dismiss.",
    )

    @api.depends_context("uid")
    def _compute_key_account_state_suggestion_ids(self):
        suggestions = self.env["key.account.state.suggestion"].search(
            [("partner_id", "in", self._origin.ids), ("decision", "=", "pending")]
        )
        by_account = suggestions.grouped("partner_id")
        for partner in self:
            partner.key_account_state_suggestion_ids = by_account.get(partner._origin, suggestions.browse())
