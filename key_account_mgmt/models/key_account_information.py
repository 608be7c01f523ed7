from odoo import fields, models


class KeyAccountInformation(models.Model):
    """One sending of company information to a key account (传递公司产品、政策信息, seed 000 参考
    四.7; issue #20): when, what (subject, text, template), by whom and to which of its people.
    Written by the "Send Information" wizard, one row per account and sending; the e-mails
    themselves hang on this row (its chatter), never on the partner, whose chatter every internal
    user reads. Append-only, confidential like the account."""

    _name = "key.account.information"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread"]
    _description = "Information Sent to a Key Account"
    _order = "date desc, id desc"
    _rec_name = "subject"
    _mail_post_access = "read"

    date = fields.Datetime(string="Sent On", required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", string="Sent by", required=True, readonly=True, index=True)
    subject = fields.Char(required=True, readonly=True)
    body = fields.Html(string="Message", readonly=True, sanitize=True)
    template_id = fields.Many2one("mail.template", readonly=True, ondelete="set null")
    contact_ids = fields.Many2many(
        "res.partner",
        "key_account_information_contact_rel",
        "information_id",
        "contact_id",
        string="Contacts",
        readonly=True,
    )
    contact_count = fields.Integer(string="Recipients", readonly=True)
