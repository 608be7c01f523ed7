import json

from odoo import api, fields, models
from odoo.tools import json_default

MINUTES_PARAM = "key_account_mgmt.dashboard_snapshot_minutes"
DEFAULT_MINUTES = 10


class KeyAccountDashboardSnapshot(models.AbstractModel):
    """The company-wide dashboard as computed a few minutes ago (数据截至): its figures count
    every key account of the company — tens of thousands for a large one, a second of work — so
    they are kept per person, scope, month, language and companies for
    ``key_account_mgmt.dashboard_snapshot_minutes`` (10; 0: always computed), shown with the
    time they were computed and a button that computes them again. A KA User's own and team
    dashboards are always computed as they are read; so are the approvals waiting for the
    reader. The rows are the reader's own (their user id in the key) and never leave the
    server but as the figures they were shown."""

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
            )
            """
        )

    @api.model
    def _kept_or_computed(self, scope, month, refresh, compute):
        """The figures ``compute()`` gives, with ``as_of``: for the company, those kept for the
        reader if recent enough (unless ``refresh``), else computed and kept; for a narrower
        scope, computed (``as_of`` None)."""
        if scope != "company":
            return {**compute(), "as_of": None}
        if not refresh:
            figures, computed_at = self._get(scope, month)
            if figures:
                return {**figures, "as_of": fields.Datetime.to_string(computed_at)}
        figures = compute()
        return {**figures, "as_of": fields.Datetime.to_string(self._keep(scope, month, figures))}

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
        """(figures, computed_at) kept for the reader, if recent enough; else (None, None)."""
        minutes = self._minutes()
        if not minutes:
            return None, None
        self.env.cr.execute(
            """SELECT figures, computed_at FROM key_account_dashboard_snapshot
                WHERE user_id = %s AND key = %s AND computed_at >= %s - make_interval(mins => %s)""",
            [self.env.uid, self._key(scope, month), fields.Datetime.now(), minutes],
        )
        row = self.env.cr.fetchone()
        return row or (None, None)

    @api.model
    def _keep(self, scope, month, figures):
        """Keep ``figures`` for the reader; returns the time they count as computed at."""
        now = fields.Datetime.now()
        if self._minutes():
            self.env.cr.execute(
                """INSERT INTO key_account_dashboard_snapshot (user_id, key, figures, computed_at)
                   VALUES (%s, %s, %s, %s)
                   ON CONFLICT (user_id, key) DO UPDATE SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at""",
                [self.env.uid, self._key(scope, month), json.dumps(figures, default=json_default), now],
            )
        return now
