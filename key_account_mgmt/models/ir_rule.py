import time

from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain_context_values(self):
        # Archive access grants end at midnight of their last day, in the requester's time zone
        # (a whole UTC hour), and the rules compare with time.strftime('%Y-%m-%d %H:00:00'):
        # the cached rule domains must not outlive the hour.
        yield from super()._compute_domain_context_values()
        yield time.strftime("%Y-%m-%d %H")
