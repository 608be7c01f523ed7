import logging
from math import lcm

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import ensure_one

_logger = logging.getLogger(__name__)


class KeyAccountScoreEngine(models.AbstractModel):
    """The scoring engine: scores the key accounts of a scorecard (key.account.scorecard, the
    configuration) for a month. Score = Σ weight × points / 5 (0-100), grade A/B/C by the
    scorecard's bands.

    Set-based, in PostgreSQL: one statement gathers the raw value of every criterion for the
    whole population of key accounts (key.account.score.source) and computes their points,
    scores, grades, tier suggestions and breakdowns into a temporary table, the company
    averages of a new month by window; then one statement per batch writes the snapshots
    (UPDATE in place of the month's existing ones, INSERT of the others: a rerun of the month
    replaces its snapshots, keeping their ids)."""

    _name = "key.account.score.engine"
    _description = "Key Account Scoring Engine"

    # the temporary table of a run's scored accounts (one per database session, never a real table)
    _SCORED_TABLE = ("pg_temp", "key_account_score_scored")
    # first key of the transaction lock that makes the runs of one scorecard take turns
    _SCORING_LOCK = 0x4B414D  # "KAM"

    # ------------------------------------------------------------------ entry points
    @api.model
    def _compute_scores(self, scorecard, period_date=None, partner_ids=None, batch_size=2000, resume=False):
        """Score ``partner_ids`` (default: the whole population of ``scorecard``) for the month of
        ``period_date`` (default: this month), in the current transaction. Returns the number of
        snapshots written. With ``resume``, the accounts already scored in the scorecard's
        current run are skipped (``_pending``)."""
        ensure_one(scorecard)
        self = self.with_env(scorecard.env)  # the scorecard's company and rights
        scorecard._check_complete()
        period = self._period_of(fields.Date.to_date(period_date) or fields.Date.context_today(scorecard))
        population = self._population(scorecard)
        if partner_ids is not None:
            wanted = set(partner_ids)
            targets = [row for row in population if row[0] in wanted]
        else:
            targets = population
        if resume:
            targets = self._pending(scorecard, targets, period)
        if not targets:
            return 0
        self.env["key.account.score"].flush_model()
        self._lock_scoring(scorecard)
        self._tune_transaction()
        population_ids = [row[0] for row in population]
        some = [row[0] for row in targets] if len(targets) < len(population) else None
        run = self._prepare_run(scorecard, period, population_ids, some)
        if run["new_plan"] and some is not None:
            # a new plan of the month (the scorecard changed): every snapshot of the month follows it
            targets = population
        done = 0
        try:
            for start in range(0, len(targets), batch_size):
                done += self._write_batch(run, targets[start : start + batch_size])
        finally:
            self._drop_run()
            self._invalidate_scores()
        return done

    @api.model
    def _cron_compute_scores(self, batch_size=2000):
        """Monthly (on the 1st): score every key account of every company with an active
        scorecard for the month that ended (its 12-month window is then complete). Idempotent (a
        rerun replaces that month's snapshots).

        The cron protocol of Odoo 18: one scorecard per call, in the call's transaction (its
        population is gathered once, its snapshots written ``batch_size`` per statement); the
        call reports how many scorecards remain (ir.cron._notify_progress) and the scheduler
        commits, then calls again while some remain. A run of the month opens on every complete
        scorecard when none is open, and each scorecard's run closes when it is scored."""
        period = self._period_of(fields.Date.context_today(self) - relativedelta(months=1))
        scorecards = self.env["key.account.scorecard"].search([])
        running = scorecards.filtered(lambda scorecard: scorecard.run_period == period and not scorecard.run_done)
        if not running:
            running = self._open_runs(scorecards, period)
        for scorecard in running[:1]:
            try:
                written = self._compute_scores(
                    scorecard.with_company(scorecard.company_id), period_date=period, batch_size=batch_size, resume=True
                )
            except UserError as error:
                _logger.warning("Scorecard %s not computed: %s", scorecard.display_name, error)
                scorecard.sudo().write({"run_period": False})
                continue
            _logger.info("Scorecard %s: %s snapshots of %s written", scorecard.display_name, written, period)
            scorecard.sudo().write({"run_done": True})
        self.env["ir.cron"]._notify_progress(done=len(running[:1]), remaining=len(running[1:]))
        return True

    def _open_runs(self, scorecards, period):
        """Open the run of ``period`` on every complete scorecard of ``scorecards`` (the others
        are left out, with a warning); returns them."""
        complete = scorecards.browse()
        for scorecard in scorecards:
            try:
                scorecard._check_complete()
            except UserError as error:
                _logger.warning("Scorecard %s not computed: %s", scorecard.display_name, error)
                continue
            complete |= scorecard
        complete.sudo().write({"run_period": period, "run_started": fields.Datetime.now(), "run_done": False})
        return complete

    def _pending(self, scorecard, targets, period):
        """The resumable run of a scorecard: a run covers a period; an open run goes on with the
        accounts not yet scored since it started, a complete one (or one of another period)
        starts anew (and replaces)."""
        if scorecard.run_period != period or scorecard.run_done:
            scorecard.sudo().write({"run_period": period, "run_started": fields.Datetime.now(), "run_done": False})
            scorecard.flush_recordset()
            return targets
        self.env.cr.execute(
            SQL(
                "SELECT partner_id FROM key_account_score WHERE scorecard_id = %s AND period_date = %s AND date_computed >= %s",
                scorecard.id,
                period,
                scorecard.run_started,
            )
        )
        scored = {row[0] for row in self.env.cr.fetchall()}
        return [row for row in targets if row[0] not in scored]

    # ------------------------------------------------------------------ the run
    @api.model
    def _period_of(self, day):
        return self.env["key.account.metrics"]._period(day)[0]

    @api.model
    def _population(self, scorecard):
        """[(partner_id, tier_id)] of the key accounts scored by ``scorecard``: the company's own
        and the shared ones, one statement."""
        self.env["res.partner"].flush_model(["is_key_account", "company_id", "key_account_tier_id", "parent_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, key_account_tier_id FROM res_partner WHERE %s ORDER BY id",
                self._population_condition(scorecard, "res_partner"),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _population_condition(self, scorecard, alias):
        """SQL condition on the partners ``alias``: scored by ``scorecard`` (its population)."""
        return SQL(
            "%(p)s.is_key_account AND %(p)s.active AND %(p)s.parent_id IS NULL "
            "AND (%(p)s.company_id IS NULL OR %(p)s.company_id = %(company)s)",
            p=SQL.identifier(alias),
            company=scorecard.company_id.id,
        )

    def _lock_scoring(self, scorecard):
        """Wait for any other run of this scorecard to commit, and keep it from starting until
        this transaction ends: two runs of a month then never insert the same snapshot, and the
        second one replaces the first one's."""
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", self._SCORING_LOCK, scorecard.id))

    @api.model
    def _tune_transaction(self):
        """For the current transaction: no JIT compilation (for these one-off statements it
        costs more than it saves: 0.5 s of 1.7 s on 20,000 accounts) and memory enough for the
        aggregates to hash in memory instead of sorting on disk."""
        self.env.cr.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")

    def _drop_run(self):
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(*self._SCORED_TABLE)))

    def _invalidate_scores(self):
        self.env["key.account.score"].invalidate_model()
        self.env["key.account.score.line"].invalidate_model()
        self.env["res.partner"].invalidate_model(["key_account_score", "key_account_grade", "key_account_score_period"])

    @staticmethod
    def _average_column(criterion):
        return SQL.identifier(f"a_{criterion.id}")

    @api.model
    def _prepare_run(self, scorecard, period_date, population_ids, target_ids=None):
        """Score the accounts of the run into the temporary table ``_SCORED_TABLE``, in one
        statement from the documents (``_score_population``), and fix the month's plan:
        weights and company averages, kept on the month's key.account.score.run.

        Scoring all of ``population_ids`` (or a month without a run, or whose scorecard changed
        since: then every snapshot of the month must be written again, ``new_plan``) reads the
        whole population, whose averages make the plan: drop, score, read the averages, the
        run record. Scoring some accounts again (``target_ids``: the account button, a resumed
        run) keeps the plan of the month and reads only them: drop, score."""
        ensure_one(scorecard)
        source = self.env["key.account.score.source"]
        windows = self.env["key.account.score.facts"]._score_windows(period_date)
        today = fields.Date.context_today(self)
        plan = scorecard._plan()
        run_record = (
            self.env["key.account.score.run"]
            .sudo()
            .search([("scorecard_id", "=", scorecard.id), ("period_date", "=", period_date)])
        )
        signature = [
            [criterion.id, round(weight / shared_by, 6), criterion.kind == "manual"]
            for criterion, weight, shared_by in plan
        ]
        keep_plan = bool(
            target_ids is not None
            and run_record
            and [[cid, round(weight, 6), manual] for cid, weight, _average, manual in run_record.plan] == signature
        )
        run = {
            "scorecard": scorecard,
            "partner_ids": list(target_ids) if keep_plan else population_ids,
            "company_id": scorecard.company_id.id,
            "period_date": period_date,
            "windows": windows,
            "reference_date": min(today, windows[0][1] + relativedelta(days=1)),
            "new_plan": not keep_plan,
        }
        averaged = [
            criterion for criterion, *_weight in plan if criterion.kind == "computed" and criterion.scale == "average"
        ]
        if keep_plan:
            averages = {cid: SQL("%s::numeric", average) for cid, _weight, average, _manual in run_record.plan}
            company_revenue = SQL("%s::numeric", run_record.company_revenue)
        else:
            # the population's own, taken while scoring it
            averages = {criterion.id: SQL("AVG(%s) OVER ()", source._raw_column(criterion)) for criterion in averaged}
            company_revenue = SQL("COALESCE(MAX(company_revenue) OVER (), 0)")
        run.update(
            plan=[(criterion, weight, shared_by, averages.get(criterion.id)) for criterion, weight, shared_by in plan],
            company_revenue=company_revenue,
        )
        self._score_population(run)
        if not keep_plan:
            self.env.cr.execute(
                SQL(
                    "SELECT company_revenue %s FROM %s LIMIT 1",
                    SQL("").join(SQL(", %s", self._average_column(criterion)) for criterion in averaged),
                    SQL.identifier(*self._SCORED_TABLE),
                )
            )
            company_revenue, *values = self.env.cr.fetchone() or [0.0] + [None] * len(averaged)
            company_revenue = float(company_revenue or 0.0)
            averages = {
                criterion.id: None if value is None else float(value)
                for criterion, value in zip(averaged, values, strict=True)
            }
            run_values = {
                "date_computed": fields.Datetime.now(),
                "account_count": len(population_ids),
                "company_revenue": company_revenue,
                "plan": [[cid, weight, averages.get(cid), manual] for cid, weight, manual in signature],
            }
            if run_record:
                run_record.write(run_values)
            else:
                run_record = run_record.create(dict(run_values, scorecard_id=scorecard.id, period_date=period_date))
            run_record.flush_recordset()
            run.update(
                plan=[
                    (criterion, weight, shared_by, averages.get(criterion.id)) for criterion, weight, shared_by in plan
                ],
                company_revenue=company_revenue,
            )
        return run

    def _score_population(self, run):
        """One statement: gather the raw values of the run's accounts (key.account.score.source
        ``_gather``) and score them into the temporary table ``_SCORED_TABLE``: points
        (thresholds or company average, in SQL), score, grade, share of sales, the tier the rules
        suggest, the breakdown ``[raw 1, points 1, …]`` (JSON text: written as text, it costs a
        third of building a jsonb) and the previous month's score. The company averages and
        revenue are SQL in ``run['plan']`` and ``run['company_revenue']``: a new plan's are taken
        over the rows by window, a kept plan's are its numbers; they are kept in the columns
        ``a_<criterion id>`` and ``company_revenue``. Scoring the population at once instead of
        batch by batch saves the batches' joins; the batches only copy their rows into the
        snapshots."""
        scorecard, source = run["scorecard"], self.env["key.account.score.source"]
        points, contributions, breakdown, averages = [], [], [], []
        # Σ weight × points / 5, the dimension's weight shared by its active criteria, exactly:
        # over a common denominator, one division per account instead of one per criterion
        denominator = lcm(*(5 * shared_by for _criterion, _weight, shared_by, _average in run["plan"]))
        for criterion, dimension_weight, shared_by, average in run["plan"]:
            column = source._raw_column(criterion)
            name = SQL.identifier(f"p_{criterion.id}")
            if criterion.kind == "computed" and criterion.scale == "average":
                averages.append(SQL("%s AS %s", average, self._average_column(criterion)))
                average = SQL("r.%s", self._average_column(criterion))
            points.append(SQL("%s AS %s", criterion._points_sql(SQL("r.%s", column), average), name))
            contributions.append(SQL("%s::numeric * %s * %s", dimension_weight, denominator // (5 * shared_by), name))
            breakdown.append(SQL("COALESCE(ROUND(s.%s, 4)::text, 'null'), s.%s::text", column, name))
        if "tiers" not in run:  # highest first, searched once per run
            run["tiers"] = self.env["key.account.tier"].search(
                ["|", ("company_id", "=", False), ("company_id", "=", scorecard.company_id.id)]
            )
        share, score = SQL("s.share"), SQL("s.score")
        suggestion = (
            SQL(
                "CASE %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", tier._qualifies_sql(share, score), tier.id) for tier in run["tiers"]
                ),
            )
            if run["tiers"]
            else SQL("NULL::int")
        )
        self._drop_run()
        self.env.cr.execute(
            SQL(
                """
            CREATE TEMPORARY TABLE %(scored)s AS
            SELECT s.partner_id, s.revenue, ROUND(s.share, 4) AS share, s.score,
                   CASE WHEN s.score >= %(grade_a)s THEN 'a' WHEN s.score >= %(grade_b)s THEN 'b' ELSE 'c' END AS grade,
                   %(suggestion)s AS suggested_tier_id,
                   '[' || concat_ws(',', %(breakdown)s) || ']' AS breakdown,
                   previous.score AS previous_score, s.company_revenue%(average_columns)s
              FROM (SELECT points.*, ROUND((%(score)s) / %(denominator)s, 2) AS score
                      FROM (SELECT r.*, %(points)s,
                                   CASE WHEN r.company_revenue > 0 THEN r.revenue / r.company_revenue * 100 ELSE 0 END AS share
                              FROM (SELECT raw.partner_id, raw.revenue, %(company_revenue)s AS company_revenue,
                                           raw.%(raw_columns)s%(averages)s
                                      FROM (%(gather)s) AS raw) AS r
                            OFFSET 0) AS points
                    OFFSET 0) AS s
              LEFT JOIN key_account_score previous
                     ON previous.partner_id = s.partner_id AND previous.scorecard_id = %(scorecard)s
                    AND previous.period_date = %(previous_period)s
            """,
                scored=SQL.identifier(*self._SCORED_TABLE),
                gather=source._gather(run, [item[0] for item in run["plan"]]),
                company_revenue=run["company_revenue"],
                raw_columns=SQL(", raw.").join(source._raw_column(item[0]) for item in run["plan"]),
                averages=SQL("").join(SQL(", %s", average) for average in averages),
                average_columns=SQL("").join(
                    SQL(", s.%s", self._average_column(item[0]))
                    for item in run["plan"]
                    if item[0].kind == "computed" and item[0].scale == "average"
                ),
                points=SQL(", ").join(points),
                score=SQL(" + ").join(contributions),
                denominator=denominator,
                grade_a=scorecard.grade_a_min,
                grade_b=scorecard.grade_b_min,
                suggestion=suggestion,
                breakdown=SQL(", ").join(breakdown),
                scorecard=scorecard.id,
                previous_period=run["period_date"] - relativedelta(months=1),
            )
        )
        # batches are ranges of ids: they read their rows by index
        self.env.cr.execute(SQL("CREATE INDEX ON %(scored)s (partner_id)", scored=SQL.identifier(*self._SCORED_TABLE)))

    def _write_batch(self, run, batch):
        """Write the snapshots of ``batch`` [(partner_id, tier_id)] for the run's period from the
        scored table, in one statement whatever the size of the batch: the month's existing
        snapshots are updated in place (their ids, which annual reviews reference, are kept;
        no indexed column changes and the table keeps room in its pages, so these are HOT
        updates that leave the indexes alone), the others inserted: a plain INSERT, a third
        cheaper than INSERT … ON CONFLICT, since runs of the scorecard take turns
        (``_lock_scoring``) and none can have inserted them meanwhile. The tier is suggested
        only when it differs from the account's."""
        metrics = self.env["key.account.metrics"]
        partner_ids, tier_ids = zip(*batch, strict=True) if batch else ((), ())
        # batches are slices of the population in the order of the ids: reading the range between
        # a batch's first and last id by index spares scanning both tables whole for every batch
        first, last = (min(partner_ids), max(partner_ids)) if batch else (0, 0)
        now = fields.Datetime.now()
        snapshot_values = SQL(
            "date_computed = %(now)s, score = v.score, grade = v.grade, revenue = v.revenue, sales_share = v.share, "
            "suggested_tier_id = v.suggested_tier_id, breakdown = v.breakdown, previous_score = v.previous_score, "
            "score_change = CASE WHEN COALESCE(v.previous_score, 0) <> 0 THEN v.score - v.previous_score ELSE 0 END",
            now=now,
        )
        self.env.cr.execute(
            SQL(
                """
            WITH batch(partner_id, tier_id) AS (SELECT * FROM unnest(%(partners)s, %(tiers)s)),
            v AS MATERIALIZED (
                SELECT s.partner_id, s.revenue, s.share, s.score, s.grade, NULLIF(s.suggested_tier_id, b.tier_id) AS suggested_tier_id,
                       s.breakdown, s.previous_score
                  FROM batch b JOIN %(scored)s s ON s.partner_id = b.partner_id
                 WHERE s.partner_id BETWEEN %(first)s AND %(last)s
            ), updated AS (
                UPDATE key_account_score k SET %(values)s
                  FROM v
                 WHERE k.partner_id = v.partner_id AND k.scorecard_id = %(scorecard)s AND k.period_date = %(period)s
                   AND k.partner_id BETWEEN %(first)s AND %(last)s
             RETURNING k.partner_id
            )
            INSERT INTO key_account_score (partner_id, scorecard_id, period_date, date_computed, score, grade, revenue,
                        sales_share, suggested_tier_id, breakdown, previous_score, score_change)
            SELECT v.partner_id, %(scorecard)s, %(period)s, %(now)s, v.score, v.grade, v.revenue, v.share,
                   v.suggested_tier_id, v.breakdown, v.previous_score,
                   CASE WHEN COALESCE(v.previous_score, 0) <> 0 THEN v.score - v.previous_score ELSE 0 END
              FROM v
             WHERE NOT EXISTS (SELECT 1 FROM updated WHERE updated.partner_id = v.partner_id)
            """,
                partners=metrics._int_array(partner_ids),
                tiers=metrics._int_array(tier_ids),
                scored=SQL.identifier(*self._SCORED_TABLE),
                values=snapshot_values,
                scorecard=run["scorecard"].id,
                period=run["period_date"],
                now=now,
                first=first,
                last=last,
            )
        )
        return len(batch)
