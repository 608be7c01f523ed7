from odoo import fields, models

from ..tools import ensure_one

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountSatisfactionMixin(models.AbstractModel):
    """The latest satisfaction of a key account on the partner (the key account header), read
    on demand from key.account.satisfaction: every KA User sees it like the score; the answers
    and their breakdown stay with the account team."""

    _name = "key.account.satisfaction.mixin"
    _description = "Key Account Latest Satisfaction"

    key_account_satisfaction = fields.Float(
        string="Satisfaction",
        digits=(5, 2),
        compute="_compute_key_account_satisfaction",
        groups=KA_USER,
        help="Satisfaction (0-100) of the latest survey period with answers: points of the choices made out of "
        "the best ones, over every scored question answered by the account's contacts.",
    )
    key_account_satisfaction_change = fields.Float(
        string="Satisfaction Change",
        digits=(5, 2),
        compute="_compute_key_account_satisfaction",
        groups=KA_USER,
        help="Against the period before.",
    )
    key_account_satisfaction_period = fields.Date(
        string="Satisfaction Period", compute="_compute_key_account_satisfaction", groups=KA_USER
    )
    key_account_satisfaction_alert = fields.Boolean(
        string="Satisfaction Alert", compute="_compute_key_account_satisfaction", groups=KA_USER
    )

    def _compute_key_account_satisfaction(self):
        latest = {}
        for record in (
            self.env["key.account.satisfaction"]
            .sudo()
            .search([("partner_id", "in", self.ids)], order="period_start desc, id desc")
        ):
            latest.setdefault(record.partner_id.id, record)
        for partner in self:
            record = latest.get(partner.id)
            partner.key_account_satisfaction = record.score if record else 0.0
            partner.key_account_satisfaction_change = record.score_change if record else 0.0
            partner.key_account_satisfaction_period = record.period_start if record else False
            partner.key_account_satisfaction_alert = bool(record and record.alert)

    def action_open_satisfaction(self):
        ensure_one(self)
        self._key_account_check_access("read", self.env._("You may not see the satisfaction of %(partners)s."))
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_satisfaction_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
