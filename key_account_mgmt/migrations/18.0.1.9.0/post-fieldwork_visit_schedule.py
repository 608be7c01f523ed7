"""Issue #22: only on-site visits (and receptions, where the company counts them) satisfy a
tier's visit frequency; a phone call, letter, e-mail or video call no longer moves the next
visit due. The accounts get their last on-site visit and the number of on-site visits of its
year, from their reported visits; their next visit due follows. The last visit (any method)
and the counters are recomputed alike. Idempotent: recomputed from the visits each time."""

from odoo import SUPERUSER_ID, api

BATCH = 500


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        SELECT partner_id FROM key_account_visit WHERE state IN ('done', 'closed')
         UNION
        SELECT partner_id FROM key_account_reception WHERE state IN ('done', 'closed')
        """
    )
    partner_ids = sorted(row[0] for row in cr.fetchall())
    Visit = env["key.account.visit"]
    for start in range(0, len(partner_ids), BATCH):
        Visit._update_account_visits(env["res.partner"].browse(partner_ids[start : start + BATCH]))
        env.flush_all()
