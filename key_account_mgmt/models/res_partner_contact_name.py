from odoo import api, models

# context key of the fields that list the people of a key account (contacts to meet, visitors,
# key persons, main contact): they show "Sun Li", not "Hengtai Construction Group, Sun Li"
PERSON_NAME_CONTEXT = "key_account_person_name"


class ResPartner(models.Model):
    # on its own while res_partner.py is split into mixins; belongs with the partner's glue
    _inherit = "res.partner"

    @api.depends_context(PERSON_NAME_CONTEXT)
    def _compute_display_name(self):
        if not self.env.context.get(PERSON_NAME_CONTEXT):
            return super()._compute_display_name()
        people = self.filtered(lambda partner: not partner.is_company and partner.name)
        for person in people:
            person.display_name = person.name
        return super(ResPartner, self - people)._compute_display_name()
