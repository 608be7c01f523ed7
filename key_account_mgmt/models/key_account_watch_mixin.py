from odoo import api, models
from odoo.tools import SQL


class KeyAccountWatchMixin(models.AbstractModel):
    """A daily watch over the key accounts: each call of its scheduled action checks the next
    batch of accounts (key accounts, and accounts with an open row of the watch's own model)
    after a cursor kept in a system parameter; the scheduler commits and calls again while some
    remain, and the pass starts again at the next run. A watch names its cursor parameter and
    the model of its open rows (``partner_id``, ``active``) and implements ``_watch(accounts)``."""

    _name = "key.account.watch.mixin"
    _description = "Key Account Watch"

    _watch_cursor_param = None
    _watch_row_model = None

    @api.model
    def _watch_next_batch(self, batch_size):
        params = self.env["ir.config_parameter"].sudo()
        cursor = int(params.get_param(self._watch_cursor_param, 0) or 0)
        rows = self.env[self._watch_row_model]
        population = SQL(
            """FROM res_partner p
              WHERE p.id > %(cursor)s
                AND ((p.is_key_account AND p.active)
                     OR EXISTS (SELECT 1 FROM %(rows)s s WHERE s.partner_id = p.id AND s.active))""",
            cursor=cursor,
            rows=SQL.identifier(rows._table),
        )
        self.env["res.partner"].flush_model(["is_key_account", "active"])
        rows.flush_model(["partner_id", "active"])
        self.env.cr.execute(SQL("SELECT p.id %s ORDER BY p.id LIMIT %s", population, batch_size))
        ids = [row[0] for row in self.env.cr.fetchall()]
        self._watch(self.env["res.partner"].browse(ids))
        remaining = 0
        if ids:
            self.env.cr.execute(SQL("SELECT COUNT(*) %s AND p.id > %s", population, ids[-1]))
            remaining = self.env.cr.fetchone()[0]
        params.set_param(self._watch_cursor_param, ids[-1] if remaining else 0)
        # the scheduler commits after each call and calls again while some remain
        self.env["ir.cron"]._notify_progress(done=len(ids), remaining=remaining)
        return True

    @api.model
    def _watch(self, accounts):
        raise NotImplementedError
