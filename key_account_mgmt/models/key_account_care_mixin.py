from odoo import api, fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountCareMixin(models.AbstractModel):
    """The care activities of a key account this year on the partner (the key account form's
    smart button): activities it was invited to, those its people attended and its share of
    their actual cost. Read through the participations' record rules: the account team and the
    KA Clerks, Managers and Directors see the figures, other KA Users zero."""

    _name = "key.account.care.mixin"
    _description = "Key Account Care Activities"

    key_account_care_count = fields.Integer(
        string="Care Activities", compute="_compute_key_account_care", groups=KA_USER, help="Invited to, this year."
    )
    key_account_care_attended_count = fields.Integer(
        string="Care Activities Attended",
        compute="_compute_key_account_care",
        groups=KA_USER,
        help="Activities this year at which at least one of the account's people was present.",
    )
    key_account_care_cost = fields.Monetary(
        string="Care Cost",
        compute="_compute_key_account_care",
        currency_field="key_account_care_currency_id",
        groups=KA_USER,
        help="The account's share of the actual cost of this year's care activities (its service budget).",
    )

    key_account_care_currency_id = fields.Many2one(
        "res.currency", string="Care Cost Currency", compute="_compute_key_account_care", groups=KA_USER
    )

    @api.depends_context("uid")
    def _compute_key_account_care(self):
        today = fields.Date.context_today(self)
        first_day = fields.Datetime.to_datetime(today.replace(month=1, day=1))
        participations = self.env["key.account.care.participation"].search(
            [("partner_id", "in", self.ids), ("date_begin", ">=", first_day)]
        )
        for partner in self:
            mine = participations.filtered(lambda p, partner=partner: p.partner_id == partner)
            partner.key_account_care_count = len(mine)
            partner.key_account_care_attended_count = len(mine.filtered("attended_count"))
            partner.key_account_care_cost = sum(mine.mapped("cost_actual"))
            partner.key_account_care_currency_id = partner.sudo().company_id.currency_id or self.env.company.currency_id

    def action_open_care_participations(self):
        ensure_one(self)
        self._key_account_check_access("read", self.env._("You may not see the care activities of %(partners)s."))
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_care_participation_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_open_information_log(self):
        ensure_one(self)
        self._key_account_check_access("read", self.env._("You may not see the information sent to %(partners)s."))
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_information_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
