from odoo import api, fields, models
from odoo.exceptions import UserError


class KeyAccountCareInviteWizard(models.TransientModel):
    """Invite key accounts to a care activity: a registration of the event app for each person
    chosen (not yet registered), which makes the account's participation and its share of the
    cost. Refused as a whole when one account is not the user's to change."""

    _name = "key.account.care.invite.wizard"
    _inherit = ["key.account.audience.mixin"]
    _description = "Invite Key Accounts to a Care Activity"

    event_id = fields.Many2one("event.event", string="Care Activity", required=True, ondelete="cascade")
    account_ids = fields.Many2many(
        "res.partner",
        "key_account_care_invite_wizard_account_rel",
        "wizard_id",
        "partner_id",
        string="Key Accounts",
        compute="_compute_account_ids",
        compute_sudo=False,  # the accounts the user may change
        store=True,
        readonly=False,
        domain="[('is_key_account', '=', True)]",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "key_account_care_invite_wizard_contact_rel",
        "wizard_id",
        "partner_id",
        string="Contacts",
        compute="_compute_contact_ids",
        compute_sudo=False,
        store=True,
        readonly=False,
    )

    @api.depends("tier_ids", "category_ids", "cooperation_state")
    def _compute_account_ids(self):
        return super()._compute_account_ids()

    @api.depends("account_ids", "role_ids")
    def _compute_contact_ids(self):
        return super()._compute_contact_ids()

    def action_invite(self):
        """Register the chosen people at the activity; returns to it."""
        if len(self) != 1:
            raise UserError(self.env._("Invite from one wizard at a time."))
        event = self.event_id
        if not event.key_account_care_kind:
            raise UserError(
                self.env._("%(event)s is not a key-account care activity: set its kind first.", event=event.name)
            )
        event.check_access("write")
        by_account = self._audience_check()
        registered = event.sudo().registration_ids.partner_id
        people = self.env["res.partner"].union(*by_account.values()) - registered
        self.env["event.registration"].create(
            [{"event_id": event.id, "partner_id": person.id} for person in people.sorted("id")]
        )
        return {"type": "ir.actions.act_window_close"}
