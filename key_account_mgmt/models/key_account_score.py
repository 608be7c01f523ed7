import math

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .key_account_scorecard import GRADES


class SnapshotMany2one(fields.Many2one):
    """A many2one of the score snapshots, stored without a foreign-key constraint.

    Every monthly run inserts one snapshot per key account (20,000 in the benchmark) and
    PostgreSQL checks a foreign key row by row: the three of the snapshot (account, scorecard,
    suggested tier) cost 0.5 s per run, twice what writing the snapshots now takes
    (bench/README.md). What the constraints did is
    done where the referenced records are deleted or merged, and tested: an account with
    snapshots is not deleted (res.partner refuses: histories are kept), a merged one hands them to the partner it
    is merged into (base.partner.merge.automatic.wizard), a scorecard with scores cannot be
    deleted (its monthly runs hold it, with a foreign key), a deleted tier is no longer
    suggested (key.account.tier.unlink)."""

    def update_db_foreign_key(self, model, column):
        return


class KeyAccountScore(models.Model):
    """Score snapshot (评分快照): one per key account, scorecard and month, with the breakdown
    per criterion, so any score can be explained and compared over time. Written only by the
    scoring engine, which replaces the snapshot of the same month; append-only otherwise."""

    _name = "key.account.score"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin"]
    _description = "Key Account Score"
    _confidential_parents = ("scorecard_id",)
    _order = "period_date desc, partner_id"
    _rec_name = "partner_id"
    # Every monthly run inserts a row per key account (20,000 in the benchmark), and every
    # foreign key, index and column costs on each: the snapshot references its account, scorecard
    # and suggested tier without foreign keys (SnapshotMany2one), keeps no create/write user (the
    # run records when it was computed) and reaches its company through the scorecard.
    _log_access = False
    # Half of every page is left free, so that scoring a month again rewrites its snapshots in
    # the pages they are in, without touching the indexes (HOT updates): four times faster.
    _FILLFACTOR = 50

    # indexes: the unique (partner, month, scorecard) serves the partner, the month the reports;
    # none more, for the same reason
    partner_id = SnapshotMany2one(index=False)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=False, precompute=False, index=False)
    scorecard_id = SnapshotMany2one("key.account.scorecard", string="Scorecard", required=True, ondelete="restrict")
    period_date = fields.Date(string="Month", required=True, index=True, help="First day of the month scored.")
    date_computed = fields.Datetime(string="Computed On", required=True)
    score = fields.Float(digits=(5, 2), aggregator="avg", help="Σ weight × points / 5, 0 to 100.")
    grade = fields.Selection(GRADES, help="From the bands of the scorecard (A ≥ 80, B 60-79, C < 60 by default).")
    previous_score = fields.Float(
        digits=(5, 2),
        aggregator="avg",
        help="Score of the month before with the same scorecard (0 when there was none).",
    )
    score_change = fields.Float(
        string="Change", digits=(5, 2), compute="_compute_score_change", store=True, aggregator="avg"
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    revenue = fields.Monetary(
        string="Revenue, Last 12 Months",
        currency_field="currency_id",
        help="Invoiced revenue net of refunds of the 12 months ending with the month, company currency, branches included.",
    )
    sales_share = fields.Float(
        string="Share of Annual Sales (%)",
        digits=(7, 4),
        help="Revenue of the 12 months / the company's revenue of the same 12 months × 100.",
    )
    suggested_tier_id = SnapshotMany2one(
        "key.account.tier",
        string="Suggested Tier",
        ondelete="set null",
        help="Set when the rules suggest another tier than the account had: the first tier (highest first) whose "
        "rule the account meets, by share of annual sales and/or score. Empty: the rules confirm its tier.",
    )
    tier_id = fields.Many2one(related="partner_id.key_account_tier_id", string="Tier")
    line_ids = fields.One2many("key.account.score.line", "score_id", string="Breakdown")
    breakdown = fields.Text(
        string="Breakdown Data",
        readonly=True,
        copy=False,
        help="Raw value and points of each criterion as a JSON array, flat, in the order of the plan of the month's "
        "scoring run (key.account.score.run): [raw 1, points 1, raw 2, points 2, …]; read as key.account.score.line.",
    )

    _sql_constraints = [
        (
            "partner_period_scorecard_uniq",
            "unique(partner_id, period_date, scorecard_id)",
            "An account has one score per scorecard and month.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM pg_class WHERE oid = %s::regclass AND %s = ANY(COALESCE(reloptions, '{}'))",
                self._table,
                f"fillfactor={self._FILLFACTOR}",
            )
        )
        if not self.env.cr.fetchone():
            self.env.cr.execute(
                SQL("ALTER TABLE %s SET (fillfactor = %s)", SQL.identifier(self._table), self._FILLFACTOR)
            )

    @api.depends("score", "previous_score")
    def _compute_score_change(self):
        for snapshot in self:
            snapshot.score_change = snapshot.score - snapshot.previous_score if snapshot.previous_score else 0.0

    def _compute_display_name(self):
        for snapshot in self:
            snapshot.display_name = (
                f"{snapshot.partner_id.display_name} {snapshot.period_date and snapshot.period_date.strftime('%Y-%m')}"
            )

    # ------------------------------------------------------------------ the latest score of an account
    @api.model
    def _latest_query(self, partner_ids=None):
        """SQL of the latest snapshot (partner_id, score, grade, period_date) of each account with
        the scorecards of the current company."""
        return SQL(
            """
            SELECT DISTINCT ON (s.partner_id) s.partner_id, s.score, s.grade, s.period_date
              FROM key_account_score s
              JOIN key_account_scorecard c ON c.id = s.scorecard_id
             WHERE c.company_id = %s %s
             ORDER BY s.partner_id, s.period_date DESC, s.id DESC
            """,
            self.env.company.id,
            SQL("AND s.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL(),
        )

    @api.model
    def _latest_of(self, partners):
        """{partner id: (score, grade, month)} of the latest snapshot of these accounts."""
        self.flush_model(["partner_id", "scorecard_id", "score", "grade", "period_date"])
        self.env.cr.execute(self._latest_query([pid for pid in partners.ids if pid]))
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _monthly_of(self, partners, date_from, date_to):
        """{partner id: {month: (score, grade)}} of these accounts' snapshots of the months from
        ``date_from`` to ``date_to`` with the scorecards of the current company, one statement
        (of two snapshots of a month, the one :meth:`_latest_query` would take)."""
        self.flush_model(["partner_id", "scorecard_id", "score", "grade", "period_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (s.partner_id, s.period_date) s.partner_id, s.period_date, s.score, s.grade
                  FROM key_account_score s
                  JOIN key_account_scorecard c ON c.id = s.scorecard_id
                 WHERE c.company_id = %s AND s.partner_id = ANY(%s) AND s.period_date BETWEEN %s AND %s
                 ORDER BY s.partner_id, s.period_date, s.id DESC
                """,
                self.env.company.id,
                [pid for pid in partners.ids if pid],
                date_from,
                date_to,
            )
        )
        result = {}
        for partner_id, month, score, grade in self.env.cr.fetchall():
            result.setdefault(partner_id, {})[month] = (score, grade)
        return result

    @api.model
    def _search_latest(self, column, operator, value):
        """Domain on res.partner: the accounts whose latest score or grade (``column``) matches."""
        if operator not in ("=", "!=", "<", "<=", ">", ">=", "in", "not in"):
            raise UserError(self.env._("Scores and grades cannot be searched with %(operator)s.", operator=operator))
        if value is None and operator in ("=", "!="):
            value = False
        values = value if operator in ("in", "not in") else [value]
        if not (value is False and operator in ("=", "!=")) and not (
            isinstance(values, (list, tuple)) and all(self._is_latest_value(column, v) for v in values)
        ):
            raise UserError(self.env._("%(value)s is not a score or grade to search for.", value=repr(value)[:40]))
        self.flush_model(["partner_id", "scorecard_id", "score", "grade", "period_date"])
        if value is False and operator in ("=", "!="):  # never scored / scored
            scored = SQL("(SELECT latest.partner_id FROM (%s) AS latest)", self._latest_query())
            return [("id", "not in" if operator == "=" else "in", scored)]
        if operator in ("in", "not in"):
            condition = SQL("latest.%s = ANY(%s)", SQL.identifier(column), list(value))
        else:
            condition = SQL(f"latest.%s {'<>' if operator == '!=' else operator} %s", SQL.identifier(column), value)
        if operator in ("!=", "not in"):
            condition = SQL("NOT (%s)", condition)
        return [
            (
                "id",
                "in",
                SQL("(SELECT latest.partner_id FROM (%s) AS latest WHERE %s)", self._latest_query(), condition),
            )
        ]

    @api.model
    def _is_latest_value(self, column, value):
        if column == "grade":
            return isinstance(value, str) and value in self.env["res.partner"]._fields["key_account_grade"].get_values(
                self.env
            )
        return (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and abs(value) < 1e6
        )

    @api.model
    def _compute_now(self, partners):
        """Score these key accounts now (this month's snapshot, replacing an earlier one of the
        same month) with the scorecard of the current company: the account team or a KA Manager."""
        accounts = partners.commercial_partner_id.filtered(lambda p: p.sudo().is_key_account)
        if not accounts:
            raise UserError(self.env._("Only key accounts are scored."))
        accounts._key_account_check_access(
            "write",
            self.env._("Only the account team or a Key Account Manager may compute the score of %(partners)s."),
        )
        scorecard = self.env["key.account.scorecard"].sudo()._for_company(self.env.company)
        if not scorecard:
            raise UserError(self.env._("Company %(company)s has no active scorecard.", company=self.env.company.name))
        scorecard._compute_scores(partner_ids=accounts.ids)
