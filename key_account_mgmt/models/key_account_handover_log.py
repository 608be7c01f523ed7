from odoo import fields, models


class KeyAccountHandoverLog(models.Model):
    """One row per account and handover (离职交接, seed 001 第12条): from whom, to whom, why and
    what moved (account manager, team roles, nominations, visits, complaints, activities). Who
    is on an account's team is confidential: the note is kept here, read by the account team
    and the KA roles, not in the partner's chatter. Append-only."""

    _name = "key.account.handover.log"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread"]
    _description = "Key Account Handover History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    # empty only on rows recovered from the chatter notes of handovers before 18.0.1.7.0
    from_user_id = fields.Many2one("res.users", string="Handed Over From", index=True)
    to_user_id = fields.Many2one("res.users", string="Handed Over To", index=True)
    user_id = fields.Many2one("res.users", string="Handed Over by")
    reason = fields.Char()
    items = fields.Text(string="What Moved", required=True)
