from odoo import fields, models

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountActivityMixin(models.AbstractModel):
    """What happened with a key account, listed on its form: visits, receptions, news and
    hand-overs. The records are confidential: a list shows those the reader's record rules
    let them read."""

    _name = "key.account.activity.mixin"
    _description = "Key Account Activity"

    key_account_visit_ids = fields.One2many("key.account.visit", "partner_id", string="Visits", groups=KA_USER)
    key_account_reception_ids = fields.One2many(
        "key.account.reception", "partner_id", string="Receptions", groups=KA_USER
    )
    key_account_news_ids = fields.One2many("key.account.news", "partner_id", string="News", groups=KA_USER)
    key_account_handover_log_ids = fields.One2many(
        "key.account.handover.log", "partner_id", string="Handovers", groups=KA_USER
    )
