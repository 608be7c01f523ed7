import time

from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain_context_values(self):
        # Archive access grants expire at the end of a day and the rules compare with
        # time.strftime('%Y-%m-%d'): the cached rule domains must not outlive the day.
        yield from super()._compute_domain_context_values()
        yield time.strftime("%Y-%m-%d")
