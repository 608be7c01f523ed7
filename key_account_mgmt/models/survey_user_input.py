from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A completed answer to a key account's satisfaction survey moves the account's
        satisfaction of the period at once (the public page calls this as the superuser)."""
        result = super()._mark_done()
        invitations = self.env["key.account.survey.invitation"].sudo().search([("user_input_id", "in", self.ids)])
        if invitations:
            self.env["key.account.satisfaction"]._refresh(
                {
                    (invitation.partner_id.id, invitation.period_start): invitation.period_end
                    for invitation in invitations
                }
            )
        return result
