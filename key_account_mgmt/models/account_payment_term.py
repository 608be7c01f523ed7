from odoo import Command, api, models


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    @api.model
    def _key_account_days_term(self, days, company):
        """Payment terms of ``days`` days net, all at once, usable in ``company``: an existing
        one, else created (named in every installed language)."""
        for term in self.sudo().search([("company_id", "in", (company.id, False))]):
            line = term.line_ids
            if (
                len(line) == 1
                and not term.early_discount
                and line.value == "percent"
                and line.value_amount == 100.0
                and line.delay_type == "days_after"
                and line.nb_days == days
            ):
                return term
        term = self.sudo().create(
            {
                "name": self._key_account_days_name(days),
                "company_id": company.id,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "delay_type": "days_after", "nb_days": days}
                    )
                ],
            }
        )
        term.update_field_translations(
            "name",
            {
                lang: self.with_context(lang=lang)._key_account_days_name(days)
                for lang, _name in self.env["res.lang"].get_installed()
            },
        )
        return term

    def _key_account_days_name(self, days):
        return self.env._("%(days)s Days", days=days)
