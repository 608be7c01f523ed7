from collections import Counter

from odoo import fields, models

from ..tools import by_lang

KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountReportSendingMixin(models.AbstractModel):
    """Whom key.account.report goes to and how: the company's KA Managers, each getting the mail
    and the file in their language; the frozen file in the most common language of them."""

    _name = "key.account.report.sending.mixin"
    _description = "Key Account Report Sending"

    def _recipients(self):
        """The company's KA Managers (directors included), who get the file."""
        return (
            self.env.ref(KA_MANAGER)
            .sudo()
            .users.filtered(lambda user: not user.share and user.active and self.company_id in user.company_ids)
        )

    def _recipients_lang_tz(self):
        """The most common language and time zone of the recipients, else the company's, else
        English and UTC: the file speaks their language, months end at their midnight."""
        recipients = self._recipients()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = Counter(lang for lang in recipients.mapped("lang") if lang in installed)
        zones = Counter(tz for tz in recipients.mapped("tz") if tz)
        company_partner = self.company_id.partner_id
        lang = (
            langs.most_common(1)[0][0]
            if langs
            else company_partner.lang
            if company_partner.lang in installed
            else "en_US"
        )
        tz = zones.most_common(1)[0][0] if zones else company_partner.tz or "UTC"
        return lang, tz

    def _send(self):
        """E-mail the file to the KA Managers: mail and file in each one's language."""
        template = self.env.ref("key_account_mgmt.mail_template_monthly_report")
        for report in self.filtered("file_name"):
            recipients = report._recipients()
            if not recipients:
                continue
            for lang, readers in by_lang(recipients).items():
                local = report.with_context(lang=lang)
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": local.file_label,
                        "datas": local.file,
                        "res_model": report._name,
                        "res_id": report.id,
                        "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    }
                )
                template.with_context(lang=lang).send_mail(
                    report.id,
                    email_values={
                        "recipient_ids": [(6, 0, readers.partner_id.ids)],
                        "attachment_ids": [(4, attachment.id)],
                    },
                )
            report.sent_date = fields.Datetime.now()
