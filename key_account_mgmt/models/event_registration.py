from odoo import api, fields, models


class EventRegistration(models.Model):
    """A registration of a care activity names the key account of its attendee (the contact's
    company, or its group for a branch: the account on whose relationship map they are). Only
    the account team and the KA Managers register an account's people at a care activity (the
    one rule of ``res.partner._key_account_filtered_access``); the registrations keep the
    activity's participations (one per account) in step."""

    _inherit = "event.registration"

    key_account_id = fields.Many2one(
        "res.partner",
        compute="_compute_key_account_id",
        compute_sudo=True,
        store=True,
        index=True,
        help="The key account of the attendee: their company, or its group for a branch.",
    )

    @api.depends(
        "partner_id.is_company",
        "partner_id.is_key_account",
        "partner_id.commercial_partner_id.is_key_account",
        "partner_id.commercial_partner_id.key_account_headquarters_id.is_key_account",
    )
    def _compute_key_account_id(self):
        for registration in self:
            person = registration.partner_id
            if person.is_key_account:
                registration.key_account_id = person
            else:
                registration.key_account_id = person._key_account_map_account() if person else False

    @api.model_create_multi
    def create(self, vals_list):
        registrations = super().create(vals_list)
        registrations._key_account_check_care_rights()
        registrations.event_id._key_account_sync_participations()
        return registrations

    def write(self, vals):
        events = self.event_id
        if {"partner_id", "event_id"} & set(vals):
            self._key_account_check_care_rights()
        result = super().write(vals)
        if {"partner_id", "event_id", "active"} & set(vals):
            self._key_account_check_care_rights()
            (events | self.event_id)._key_account_sync_participations()
        return result

    def unlink(self):
        self._key_account_check_care_rights()
        events = self.event_id
        result = super().unlink()
        events._key_account_sync_participations()
        return result

    def _key_account_check_care_rights(self):
        """Who registers a key account's people at a care activity: its team, KA Managers."""
        care = self.filtered(lambda r: r.sudo().event_id.key_account_care_kind and r.sudo().key_account_id)
        care.sudo().key_account_id.with_env(self.env)._key_account_check_access(
            "write",
            self.env._(
                "Only the account team of %(partners)s and the Key Account Managers invite it to a care activity."
            ),
        )
