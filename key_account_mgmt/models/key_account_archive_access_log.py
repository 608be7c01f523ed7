from odoo import fields, models


class KeyAccountArchiveAccessLog(models.Model):
    """The access register (登记手续): one row per reader off the account team, archive and day,
    with the grant the reader held. Written by the archive itself; append-only."""

    _name = "key.account.archive.access.log"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin"]
    _description = "Archive Access Register"
    _order = "date desc, id desc"
    _rec_name = "archive_id"

    archive_id = fields.Many2one("key.account.archive", required=True, index=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", string="Reader", required=True, index=True, ondelete="cascade")
    date = fields.Date(string="Day", required=True, index=True)
    first_read = fields.Datetime(required=True)
    grant_id = fields.Many2one("key.account.archive.grant", index="btree_not_null", ondelete="set null")

    _sql_constraints = [
        (
            "archive_user_date_unique",
            "unique(archive_id, user_id, date)",
            "A reader is registered once per archive and day.",
        ),
    ]
