"""The monthly scoring cron moves to the scoring engine (issue #17).

Its record (data/ir_cron_data.xml) is noupdate: a database installed before 18.0.1.8.0 keeps a
cron on key.account.scorecard calling ``model._cron_compute_scores()``, a method the
scorecard no longer has. Point it at key.account.score.engine; the code stays the same.
Idempotent: a cron already on the engine is left alone; no row is added or lost.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("key_account_mgmt.ir_cron_compute_scores", raise_if_not_found=False)
    if cron and cron.model_id.model == "key.account.scorecard":
        cron.write({"model_id": env["ir.model"]._get_id("key.account.score.engine")})
