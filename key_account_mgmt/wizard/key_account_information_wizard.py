from odoo import api, fields, models
from odoo.exceptions import UserError


class KeyAccountInformationWizard(models.TransientModel):
    """Send company information — products, policies — to the people of chosen key accounts
    (传递公司产品、政策信息, seed 000 参考 四.7; issue #20) with Odoo's mail composer in mass mode:
    one e-mail per person, rendered for them (a template on contacts may greet them by name).
    Each account gets a row of ``key.account.information`` holding the e-mails, never a message
    on the partner. Refused as a whole (nothing sent, nothing logged) when one account is not
    the user's to change."""

    _name = "key.account.information.wizard"
    _inherit = ["key.account.audience.mixin"]
    _description = "Send Information to Key Accounts"
    _audience_needs_email = True

    account_ids = fields.Many2many(
        "res.partner",
        "key_account_information_wizard_account_rel",
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
        "key_account_information_wizard_contact_rel",
        "wizard_id",
        "partner_id",
        string="Contacts",
        compute="_compute_contact_ids",
        compute_sudo=False,
        store=True,
        readonly=False,
    )
    template_id = fields.Many2one("mail.template", domain="[('model', '=', 'res.partner')]", ondelete="set null")
    subject = fields.Char(compute="_compute_message", store=True, readonly=False)
    body = fields.Html(string="Message", compute="_compute_message", store=True, readonly=False, sanitize=True)

    @api.depends("tier_ids", "category_ids", "cooperation_state")
    def _compute_account_ids(self):
        return super()._compute_account_ids()

    @api.depends("account_ids", "role_ids")
    def _compute_contact_ids(self):
        return super()._compute_contact_ids()

    @api.depends("template_id")
    def _compute_message(self):
        for wizard in self:
            if wizard.template_id:
                wizard.subject = wizard.template_id.subject
                wizard.body = wizard.template_id.body_html

    def action_send(self):
        """Queue one e-mail per chosen person and log the sending on each account."""
        if len(self) != 1:
            raise UserError(self.env._("Send from one wizard at a time."))
        if self.template_id and self.template_id.model != "res.partner":
            raise UserError(self.env._("Choose a template of contacts."))
        if not (self.subject or "").strip() or not self.body:
            raise UserError(self.env._("Write a subject and a message, or choose a template."))
        by_account = self._audience_check()
        people = self.env["res.partner"].union(*by_account.values())
        composer = (
            self.env["mail.compose.message"]
            .with_context(mail_composer_force_partners=False)
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": "res.partner",
                    "res_ids": repr(people.ids),
                    # a template's own text (rendered for each person), else the one written here
                    **(
                        {"template_id": self.template_id.id}
                        if self.template_id
                        else {"subject": self.subject, "body": self.body}
                    ),
                    "force_send": False,
                    "auto_delete": True,
                    "auto_delete_keep_log": True,
                }
            )
        )
        mails = composer._action_send_mail()[0]
        now = fields.Datetime.now()
        logs = (
            self.env["key.account.information"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": account.id,
                        "date": now,
                        "user_id": self.env.user.id,
                        "subject": self.subject,
                        "body": self.body,
                        "template_id": self.template_id.id,
                        "contact_ids": [(6, 0, contacts.ids)],
                        "contact_count": len(contacts),
                    }
                    for account, contacts in by_account.items()
                ]
            )
        )
        log_of = {person: log for log, contacts in zip(logs, by_account.values(), strict=True) for person in contacts}
        for mail in mails.sudo():
            person = people.browse(mail.res_id)
            # the person chosen, whatever the template says; the e-mail kept on the account's log
            mail.write(
                {
                    "model": "key.account.information",
                    "res_id": log_of[person].id,
                    "recipient_ids": [(6, 0, person.ids)],
                    "email_to": False,
                    "email_cc": False,
                }
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(mails)s e-mails queued to the people of %(accounts)s key accounts.",
                    mails=len(mails),
                    accounts=len(logs),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
