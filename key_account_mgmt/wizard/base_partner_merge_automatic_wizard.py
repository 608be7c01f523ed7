from odoo import models
from odoo.tools import SQL


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """The merge moves what references the merged partners through foreign keys; score
        snapshots reference their account without one (SnapshotMany2one): move them too. A
        month the destination was already scored in keeps the destination's snapshot; the
        merged partners' one of that month is dropped here (res.partner refuses to delete a
        partner that still has a history)."""
        result = super()._update_foreign_keys(src_partners, dst_partner)
        for source in src_partners:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE key_account_score s SET partner_id = %(dst)s
                 WHERE s.partner_id = %(src)s
                   AND NOT EXISTS (SELECT 1 FROM key_account_score d
                                    WHERE d.partner_id = %(dst)s AND d.period_date = s.period_date
                                      AND d.scorecard_id = s.scorecard_id)
                """,
                    dst=dst_partner.id,
                    src=source.id,
                )
            )
            self.env.cr.execute(SQL("DELETE FROM key_account_score WHERE partner_id = %s", source.id))
        self.env["key.account.score"].invalidate_model(["partner_id"])
        return result
