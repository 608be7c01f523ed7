import json
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..tools import may_commit
from .key_account_scorecard_criterion import points_of
from .key_account_tier import tier_qualifies

_logger = logging.getLogger(__name__)

GRADES = [("a", "A"), ("b", "B"), ("c", "C")]


class KeyAccountScorecard(models.Model):
    """The weighted scorecard of a company (seed 002 客户分类管理办法 / 客户分级管理办法) and the
    scoring engine: Score = Σ weight × points / 5 (0-100), grade A/B/C by configurable bands.

    The engine is set-based: one SQL statement per source for the whole population of key
    accounts, points in memory, then snapshots and lines written per batch with a constant
    number of statements (bulk INSERT), replacing the snapshots of the same period."""

    _name = "key.account.scorecard"
    _description = "Key Account Scorecard"
    _order = "company_id, sequence, id"

    name = fields.Char(string="Scorecard", required=True, translate=True)
    sequence = fields.Integer(string="Sequence", default=10)
    active = fields.Boolean(string="Active", default=True)
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True, default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    dimension_ids = fields.One2many("key.account.scorecard.dimension", "scorecard_id", string="Dimensions", copy=True)
    criterion_ids = fields.One2many("key.account.scorecard.criterion", "scorecard_id", string="Criteria")
    total_weight = fields.Float(string="Total Weight (%)", compute="_compute_total_weight", digits=(5, 2))
    grade_a_min = fields.Float(string="Grade A From", default=80.0, digits=(5, 2), help="Score from which an account is graded A.")
    grade_b_min = fields.Float(string="Grade B From", default=60.0, digits=(5, 2), help="Score from which an account is graded B; below it, C.")
    run_period = fields.Date(string="Last Run Period", readonly=True, copy=False)
    run_started = fields.Datetime(string="Last Run Started", readonly=True, copy=False)
    run_done = fields.Boolean(string="Last Run Complete", readonly=True, copy=False, default=True)

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A scorecard with this name already exists in this company."),
    ]

    @api.depends("dimension_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.dimension_ids.mapped("weight"))

    @api.constrains("dimension_ids")
    def _check_weights(self):
        for scorecard in self:
            total = sum(scorecard.dimension_ids.mapped("weight"))
            if scorecard.dimension_ids and float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The weights of the dimensions of scorecard %(scorecard)s add up to %(total)s: they must add "
                        "up to 100.",
                        scorecard=scorecard.name,
                        total=round(total, 2),
                    )
                )

    @api.constrains("grade_a_min", "grade_b_min")
    def _check_bands(self):
        for scorecard in self:
            if not 0 < scorecard.grade_b_min < scorecard.grade_a_min <= 100:
                raise ValidationError(
                    self.env._(
                        "Grade bands of %(scorecard)s: 0 < grade B from < grade A from ≤ 100.", scorecard=scorecard.name
                    )
                )

    def _check_complete(self):
        """Refuse to score with an incomplete scorecard."""
        for scorecard in self:
            scorecard._check_weights()
            if not scorecard.dimension_ids:
                raise UserError(self.env._("Scorecard %(scorecard)s has no dimensions.", scorecard=scorecard.name))
            empty = scorecard.dimension_ids.filtered(lambda d: not d.criterion_ids.filtered("active"))
            if empty:
                raise UserError(
                    self.env._(
                        "Dimension %(dimension)s of scorecard %(scorecard)s has no active criterion.",
                        dimension=empty[0].name,
                        scorecard=scorecard.name,
                    )
                )

    def _grade(self, score):
        return "a" if score >= self.grade_a_min else "b" if score >= self.grade_b_min else "c"

    @api.model
    def _for_company(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    # ------------------------------------------------------------------ engine
    @api.model
    def _period_of(self, day):
        return day.replace(day=1)

    def _population(self):
        """[(partner_id, tier_id)] of the key accounts scored by this scorecard: the company's
        own and the shared ones, one statement."""
        self.env["res.partner"].flush_model(["is_key_account", "company_id", "key_account_tier_id", "parent_id"])
        self.env.cr.execute(SQL(
            "SELECT id, key_account_tier_id FROM res_partner WHERE is_key_account AND active AND parent_id IS NULL "
            "AND (company_id IS NULL OR company_id = %s) ORDER BY id",
            self.company_id.id,
        ))
        return self.env.cr.fetchall()

    def _prepare_run(self, period_date, population_ids):
        """Raw values of every criterion for the whole population (averages need all of it):
        one statement per source group, no loop over partners in the database."""
        self.ensure_one()
        windows = self.env["key.account.metrics"]._score_windows(period_date)
        today = fields.Date.context_today(self)
        run = {
            "partner_ids": population_ids,
            "company_id": self.company_id.id,
            "period_date": period_date,
            "windows": windows,
            "reference_date": min(today, windows[0][1] + relativedelta(days=1)),
            "cache": {},
        }
        criteria = self.dimension_ids.criterion_ids.filtered("active")
        criterion_model = self.env["key.account.scorecard.criterion"]
        raw = {}
        # the revenue always: the share of annual sales and the tier suggestion need it
        for source in {"revenue_12m"} | set(criteria.filtered(lambda c: c.kind == "computed").mapped("source")):
            raw[source] = criterion_model._score_source(source, run)
        averages = {}
        for criterion in criteria.filtered(lambda c: c.kind == "computed" and c.scale == "average"):
            values = [value for value in raw[criterion.source].values() if value is not None]
            averages[criterion.id] = sum(values) / len(values) if values else None
        manual_ids = criteria.filtered(lambda c: c.kind == "manual").ids
        manual = {}
        if manual_ids:
            self.env["key.account.manual.score"].flush_model(["partner_id", "criterion_id", "points"])
            self.env.cr.execute(SQL(
                "SELECT partner_id, criterion_id, points FROM key_account_manual_score WHERE criterion_id = ANY(%s) "
                "AND partner_id = ANY(%s)",
                manual_ids, population_ids,
            ))
            manual = {(pid, cid): points for pid, cid, points in self.env.cr.fetchall()}
        date_from, date_to = windows[0]
        run.update(
            raw=raw, averages=averages, manual=manual, plan=self._plan(),
            company_revenue=self.env["key.account.metrics"]._score_company_revenue(self.company_id.id, date_from, date_to),
        )
        return run

    def _plan(self):
        """[(criterion plan, weight)] of the active criteria, dimension by dimension."""
        plan = []
        for dimension in self.dimension_ids:
            criteria = dimension.criterion_ids.filtered("active")
            plan += [(criterion._plan(), dimension.weight / len(criteria)) for criterion in criteria]
        return plan

    @staticmethod
    def _score_lines(run, partner_id):
        """[(criterion plan, raw, points, weight, contribution, note, average)] and the score
        of one account, from the run's values in memory (plain Python, no ORM)."""
        lines = []
        score = 0.0
        manual, raw_values, averages = run["manual"], run["raw"], run["averages"]
        for plan, weight in run["plan"]:
            note = False
            average = averages.get(plan["id"])
            if plan["kind"] == "manual":
                raw = points = manual.get((partner_id, plan["id"]))
                if points is None:
                    points, note = 0.0, "not_scored"
            else:
                raw = raw_values[plan["source"]].get(partner_id)
                points = points_of(plan, raw, average)
                if raw is None:
                    note = "no_value"
            contribution = weight * points / 5
            score += contribution
            lines.append((plan, raw, points, weight, contribution, note, average))
        return lines, round(score, 2)

    @staticmethod
    def _suggest_tier(tiers, share, score):
        """The first tier (highest first) whose rule the account meets; ``tiers`` as plain values."""
        for tier in tiers:
            if tier_qualifies(tier, share, score):
                return tier["id"]
        return None

    def _write_batch(self, run, batch, tiers):
        """Replace the snapshots of ``batch`` [(partner_id, tier_id)] for the run's period:
        three statements whatever the size of the batch (delete, insert the snapshots with their
        per-criterion breakdown, update the partners)."""
        period = run["period_date"]
        now = fields.Datetime.now()
        grade_a, grade_b = self.grade_a_min, self.grade_b_min
        dumps = json.JSONEncoder(separators=(",", ":")).encode
        snapshot_rows = []
        for partner_id, tier_id in batch:
            lines, score = self._score_lines(run, partner_id)
            revenue = run["raw"]["revenue_12m"].get(partner_id) or 0.0
            share = revenue / run["company_revenue"] * 100 if run["company_revenue"] > 0 else 0.0
            snapshot_rows.append((
                partner_id, score, "a" if score >= grade_a else "b" if score >= grade_b else "c", revenue,
                round(share, 4), tier_id, self._suggest_tier(tiers, share, score),
                # positional, compact: [criterion, raw, average, points, weight, contribution, note]
                dumps([[plan["id"], raw, average, points, weight, contribution, note or None]
                       for plan, raw, points, weight, contribution, note, average in lines]),
            ))
        cr = self.env.cr
        cr.execute(SQL(
            "DELETE FROM key_account_score WHERE scorecard_id = %s AND period_date = %s AND partner_id = ANY(%s)",
            self.id, period, [row[0] for row in snapshot_rows],
        ))
        columns = list(zip(*snapshot_rows))
        cr.execute(SQL(
            """
            INSERT INTO key_account_score (partner_id, scorecard_id, company_id, period_date, date_computed, score, grade,
                        revenue, sales_share, tier_id, suggested_tier_id, breakdown, previous_score, score_change,
                        create_uid, create_date, write_uid, write_date)
            SELECT v.partner_id, %(scorecard)s, %(company)s, %(period)s, %(now)s, v.score, v.grade, v.revenue, v.share,
                   v.tier_id, v.suggested_tier_id, v.breakdown, prev.score,
                   CASE WHEN COALESCE(prev.score, 0) <> 0 THEN v.score - prev.score ELSE 0 END,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(partners)s::int[], %(scores)s::numeric[], %(grades)s::varchar[], %(revenues)s::numeric[],
                          %(shares)s::numeric[], %(tiers)s::int[], %(suggested)s::int[], %(breakdowns)s::jsonb[])
                   AS v(partner_id, score, grade, revenue, share, tier_id, suggested_tier_id, breakdown)
              LEFT JOIN key_account_score prev ON prev.partner_id = v.partner_id AND prev.scorecard_id = %(scorecard)s
                                              AND prev.period_date = %(previous_period)s
            """,
            scorecard=self.id, company=self.company_id.id, period=period, now=now, uid=self.env.uid,
            previous_period=period - relativedelta(months=1),
            partners=list(columns[0]), scores=list(columns[1]), grades=list(columns[2]), revenues=list(columns[3]),
            shares=list(columns[4]), tiers=list(columns[5]), suggested=list(columns[6]), breakdowns=list(columns[7]),
        ))
        # the partner shows the latest score: unless a later period was already scored
        cr.execute(SQL(
            """
            UPDATE res_partner p SET key_account_score = v.score, key_account_grade = v.grade,
                   key_account_score_period = %(period)s
              FROM unnest(%(partners)s::int[], %(scores)s::numeric[], %(grades)s::varchar[]) AS v(id, score, grade)
             WHERE p.id = v.id AND (p.key_account_score_period IS NULL OR p.key_account_score_period <= %(period)s)
               AND (p.key_account_score IS DISTINCT FROM v.score OR p.key_account_grade IS DISTINCT FROM v.grade
                    OR p.key_account_score_period IS DISTINCT FROM %(period)s)
            """,
            period=period, partners=list(columns[0]), scores=list(columns[1]), grades=list(columns[2]),
        ))
        return len(snapshot_rows)

    def _tier_plan(self):
        """The tiers of the company, highest first, as plain values."""
        tiers = self.env["key.account.tier"].search(["|", ("company_id", "=", False), ("company_id", "=", self.company_id.id)])
        return [
            {"id": t.id, "rule": t.suggestion_rule, "min_share": t.min_sales_share, "min_score": t.min_score}
            for t in tiers
        ]

    def _invalidate_scores(self):
        self.env["key.account.score"].invalidate_model()
        self.env["key.account.score.line"].invalidate_model()
        self.env["res.partner"].invalidate_model(["key_account_score", "key_account_grade", "key_account_score_period"])

    def _compute_scores(self, period_date=None, partner_ids=None, batch_size=2000, resume=False):
        """Score ``partner_ids`` (default: the whole population) for the month of
        ``period_date`` (default: this month). Returns the number of snapshots written. With
        ``resume`` (the cron), accounts already scored in the current run are skipped and
        every batch is committed and reported to ir.cron."""
        self.ensure_one()
        self._check_complete()
        period = self._period_of(fields.Date.to_date(period_date) or fields.Date.context_today(self))
        population = self._population()
        if partner_ids is not None:
            wanted = set(partner_ids)
            targets = [row for row in population if row[0] in wanted]
        else:
            targets = population
        if resume:
            targets = self._pending(targets, period)
        if not targets:
            return 0
        run = self._prepare_run(period, [row[0] for row in population])
        tiers = self._tier_plan()
        self._flush_for_write()
        done = 0
        for start in range(0, len(targets), batch_size):
            batch = targets[start:start + batch_size]
            done += self._write_batch(run, batch, tiers)
            if resume:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(targets) - done)
                if self._may_commit():
                    self.env.cr.commit()
        self._invalidate_scores()
        return done

    def _flush_for_write(self):
        self.env["key.account.score"].flush_model()
        self.env["res.partner"].flush_model(["key_account_score", "key_account_grade", "key_account_score_period"])

    def _pending(self, targets, period):
        """The cron's resumable run: a run covers a period; an interrupted run goes on with the
        accounts not yet scored since it started, a complete one starts anew (and replaces)."""
        if self.run_period != period or self.run_done:
            self.sudo().write({"run_period": period, "run_started": fields.Datetime.now(), "run_done": False})
            self.flush_recordset()
            return targets
        self.env.cr.execute(SQL(
            "SELECT partner_id FROM key_account_score WHERE scorecard_id = %s AND period_date = %s AND date_computed >= %s",
            self.id, period, self.run_started,
        ))
        scored = {row[0] for row in self.env.cr.fetchall()}
        return [row for row in targets if row[0] not in scored]

    @api.model
    def _may_commit(self):
        """Commit the batches of the cron, never inside tests (Odoo's runner or pytest-odoo)."""
        return not modules.module.current_test and may_commit(self.env)

    @api.model
    def _cron_compute_scores(self, batch_size=2000):
        """Monthly (on the 1st): score every key account of every company with an active
        scorecard for the month that ended (its 12-month window is then complete). Idempotent
        (a rerun replaces that month's snapshots), resumable, batched."""
        period = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        for scorecard in self.search([]):
            try:
                scorecard.with_company(scorecard.company_id)._compute_scores(
                    period_date=period, batch_size=batch_size, resume=True
                )
            except UserError as error:
                _logger.warning("Scorecard %s not computed: %s", scorecard.display_name, error)
                continue
            scorecard.sudo().write({"run_done": True})
            if self._may_commit():
                self.env.cr.commit()
        return True

    def action_compute_scores(self):
        """Button: score all key accounts of the company now (this month's snapshot)."""
        if not self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            raise UserError(self.env._("Only a Key Account Manager may recompute all scores."))
        for scorecard in self:
            scorecard.sudo()._compute_scores()
        return True
