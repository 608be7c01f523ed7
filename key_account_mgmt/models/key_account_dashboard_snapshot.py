import json
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import json_default

_logger = logging.getLogger(__name__)

MINUTES_PARAM = "key_account_mgmt.dashboard_snapshot_minutes"
DEFAULT_MINUTES = 10
# figures kept up to so many times the minutes are shown while computed again in the background
STALE_FACTOR = 6
REFRESH_CRON = "key_account_mgmt.ir_cron_dashboard_refresh"
REFRESHED = "key_account_mgmt.dashboard_refreshed"


class KeyAccountDashboardSnapshot(models.AbstractModel):
    """The company-wide dashboard as computed a few minutes ago (数据截至): its figures count
    every key account of the company — tens of thousands for a large one, half a second of
    work — so they are kept per person, scope, month, language and companies for
    ``key_account_mgmt.dashboard_snapshot_minutes`` (10; 0: always computed), shown with the
    time they were computed and a button that computes them again.

    Older kept figures (up to STALE_FACTOR times as old) are still shown at once, marked as
    being computed again: the cron ``ir_cron_dashboard_refresh``, triggered there and then,
    computes them as their reader and tells the reader's open dashboards (bus), which reload.
    A reader who keeps the dashboard in use thus never waits for the company's figures.

    A KA User's own and team dashboards are always computed as they are read; so are the
    approvals waiting for the reader. The rows are the reader's own (their user id in the key)
    and never leave the server but as the figures they were shown."""

    _name = "key.account.dashboard.snapshot"
    _description = "Key Account Dashboard Snapshot"

    def init(self):
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS key_account_dashboard_snapshot (
                user_id int NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
                key varchar NOT NULL,
                figures jsonb NOT NULL,
                computed_at timestamp NOT NULL,
                PRIMARY KEY (user_id, key)
            );
            ALTER TABLE key_account_dashboard_snapshot
                ADD COLUMN IF NOT EXISTS refresh_wanted boolean NOT NULL DEFAULT false;
            """
        )

    @api.model
    def _kept_or_computed(self, scope, month, refresh, compute):
        """The figures ``compute()`` gives, with ``as_of`` and ``refreshing``: for the company,
        those kept for the reader if recent enough (unless ``refresh``; older ones are computed
        again in the background meanwhile), else computed and kept; for a narrower scope,
        computed (``as_of`` None)."""
        if scope != "company":
            return {**compute(), "as_of": None, "refreshing": False}
        if not refresh:
            figures, computed_at, fresh = self._get(scope, month)
            if figures:
                refreshing = not fresh and self._want_refresh(scope, month)
                return {**figures, "as_of": fields.Datetime.to_string(computed_at), "refreshing": refreshing}
        figures = compute()
        return {**figures, "as_of": fields.Datetime.to_string(self._keep(scope, month, figures)), "refreshing": False}

    @api.model
    def _minutes(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MINUTES_PARAM, DEFAULT_MINUTES)
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_MINUTES

    @api.model
    def _key(self, scope, month):
        return json.dumps([scope, str(month), self.env.lang, sorted(self.env.companies.ids)])

    @api.model
    def _get(self, scope, month):
        """(figures, computed_at, fresh) kept for the reader, if they may still be shown; else
        (None, None, False)."""
        minutes = self._minutes()
        if not minutes:
            return None, None, False
        self.env.cr.execute(
            """SELECT figures, computed_at, computed_at >= %(now)s - make_interval(mins => %(minutes)s)
                 FROM key_account_dashboard_snapshot
                WHERE user_id = %(user)s AND key = %(key)s
                  AND computed_at >= %(now)s - make_interval(mins => %(minutes)s * %(factor)s)""",
            {
                "user": self.env.uid,
                "key": self._key(scope, month),
                "now": fields.Datetime.now(),
                "minutes": minutes,
                "factor": STALE_FACTOR,
            },
        )
        return self.env.cr.fetchone() or (None, None, False)

    @api.model
    def _want_refresh(self, scope, month):
        """Ask the refresh cron to compute the reader's kept figures again (once). True."""
        self.env.cr.execute(
            """UPDATE key_account_dashboard_snapshot SET refresh_wanted = true
                WHERE user_id = %s AND key = %s AND NOT refresh_wanted""",
            [self.env.uid, self._key(scope, month)],
        )
        if self.env.cr.rowcount:
            self.env.ref(REFRESH_CRON).sudo()._trigger()
        return True

    @api.model
    def _keep(self, scope, month, figures):
        """Keep ``figures`` for the reader; returns the time they count as computed at."""
        now = fields.Datetime.now()
        if self._minutes():
            self.env.cr.execute(
                """INSERT INTO key_account_dashboard_snapshot (user_id, key, figures, computed_at)
                   VALUES (%s, %s, %s, %s)
                   ON CONFLICT (user_id, key) DO UPDATE
                      SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at, refresh_wanted = false""",
                [self.env.uid, self._key(scope, month), json.dumps(figures, default=json_default), now],
            )
        return now

    # ------------------------------------------------------------------ refresh (cron)
    @api.model
    def _cron_refresh(self, batch_size=20):
        """Compute again the kept figures their readers were shown stale, each as its reader."""
        if not self._minutes():
            self.env.cr.execute("DELETE FROM key_account_dashboard_snapshot")
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return True
        self.env.cr.execute(
            """SELECT user_id, key FROM key_account_dashboard_snapshot
                WHERE refresh_wanted ORDER BY computed_at LIMIT %s""",
            [batch_size + 1],
        )
        rows = self.env.cr.fetchall()
        for user_id, key in rows[:batch_size]:
            self._refresh(user_id, key)
        self.env["ir.cron"]._notify_progress(done=len(rows[:batch_size]), remaining=len(rows) - len(rows[:batch_size]))
        return True

    @api.model
    def _refresh(self, user_id, key):
        """Compute the figures of ``key`` again as user ``user_id``, in the language and
        companies they were read in (those the user still has), keep them and tell the user's
        open dashboards. A reader who may no longer see them loses them."""
        scope, month, lang, company_ids = json.loads(key)
        user = self.env["res.users"].sudo().browse(user_id).exists()
        companies = [company for company in company_ids if company in user.company_ids.ids]
        reader, figures = self, None
        if user.active and companies:
            reader = self.with_user(user).with_context(lang=lang, tz=user.tz, allowed_company_ids=companies)
            try:
                figures = reader.env["key.account.dashboard"]._scope_figures(scope, month)
            except (AccessError, UserError) as error:
                _logger.info("Kept dashboard of user %s dropped: %s", user_id, error)
        if figures is None or reader._key(scope, month) != key:
            self.env.cr.execute(
                "DELETE FROM key_account_dashboard_snapshot WHERE user_id = %s AND key = %s", [user_id, key]
            )
        if figures is not None:
            reader._keep(scope, month, figures)
            user._bus_send(REFRESHED, {"scope": scope, "month": month})
