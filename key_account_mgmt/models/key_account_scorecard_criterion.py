from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# The registry of computed criteria: each source is answered for a whole population of accounts
# by ``_score_source_<source>(run)`` -> {partner_id: raw value or None}, built on the set-based
# SQL of key.account.metrics. A new source = one selection_add + one method.
SCORE_SOURCES = [
    ("revenue_12m", "Revenue, last 12 months"),
    ("margin_12m", "Sales order margin, last 12 months"),
    ("growth_yoy", "Revenue growth, year on year (%)"),
    ("growth_3y", "Revenue growth over three years (%)"),
    ("collection_rate", "Collection rate (%)"),
    ("overdue_ratio", "Overdue ratio (%)"),
    ("order_count", "Confirmed sales orders, last 12 months"),
    ("visit_count", "Visits and receptions done, last 12 months"),
    ("valid_complaints", "Valid complaints, last 12 months"),
]


def points_of(plan, raw, average):
    """Points (0-5, rounded to 0.01) of a raw value for a criterion's plan (see _plan):
    thresholds -> how many of the five are reached; company average = 3 -> 3 x raw / average
    (lower is better: 3 x average / raw) or 3 +/- (raw - average) / step, clipped to 0-5."""
    if raw is None:
        return 0.0
    if plan["scale"] == "average":
        if average is None:
            return 0.0
        if plan["step"]:
            delta = (average - raw) if plan["lower"] else (raw - average)
            points = 3 + delta / plan["step"]
        elif average <= 0:
            points = 3.0
        elif plan["lower"]:
            points = 5.0 if raw <= 0 else 3 * average / raw
        else:
            points = 3 * raw / average
        return round(min(5.0, max(0.0, points)), 2)
    if plan["lower"]:
        return float(sum(1 for t in plan["thresholds"] if raw <= t))
    return float(sum(1 for t in plan["thresholds"] if raw >= t))


class KeyAccountScorecardCriterion(models.Model):
    """A criterion scored 0-5: computed from data (a source mapped to points by thresholds or by
    "company average = 3"), or manual, scored by the members of the group named on it."""

    _name = "key.account.scorecard.criterion"
    _description = "Scorecard Criterion"
    _order = "dimension_id, sequence, id"

    dimension_id = fields.Many2one(
        "key.account.scorecard.dimension", string="Dimension", required=True, index=True, ondelete="cascade"
    )
    scorecard_id = fields.Many2one(related="dimension_id.scorecard_id", store=True, index=True, string="Scorecard")
    company_id = fields.Many2one(related="dimension_id.scorecard_id.company_id", store=True, string="Company")
    sequence = fields.Integer(string="Sequence", default=10)
    name = fields.Char(string="Criterion", required=True, translate=True)
    description = fields.Text(string="How to Score", translate=True, help="Guidance for the people who score it.")
    active = fields.Boolean(string="Active", default=True)
    kind = fields.Selection(
        [("computed", "Computed"), ("manual", "Manual")], string="Kind", required=True, default="computed",
    )
    source = fields.Selection(
        SCORE_SOURCES,
        string="Source",
        help="Revenue, last 12 months: posted customer invoices minus refunds, untaxed, company currency, dated "
        "in the 12 months ending with the scoring month (group customers: with their branches).\n"
        "Sales order margin: margin of the confirmed sales orders of those 12 months, company currency.\n"
        "Growth year on year: (revenue of the 12 months - revenue of the 12 months before) / revenue of the "
        "12 months before x 100; no value when the year before is 0 or less.\n"
        "Growth over three years: (revenue of the 12 months - revenue of the 12 months two years before) / "
        "the latter x 100; no value when that is 0 or less.\n"
        "Collection rate: (total incl. taxes - amount still open) / total x 100 of the invoices and refunds "
        "of the 12 months; no value without invoices.\n"
        "Overdue ratio: open amount past its due date / open amount x 100, over all open invoices dated up "
        "to the end of the month, due dates compared with the end of the month (or today, if earlier); 0 when "
        "nothing is open.\n"
        "Confirmed sales orders: number of sales orders confirmed in the 12 months.\n"
        "Visits and receptions done: reported visits and receptions of the 12 months.\n"
        "Valid complaints: complaints of the 12 months assessed valid (确因人员或企业过失), a branch's counting for "
        "its group; score it with 'lower is better'.",
    )
    scale = fields.Selection(
        [("thresholds", "Thresholds"), ("average", "Company average = 3")],
        string="Scale",
        default="thresholds",
        help="Thresholds: 1 point for reaching threshold 1, ..., 5 points for reaching threshold 5.\n"
        "Company average = 3: points = 3 x value / average of the company's key accounts (capped at 5, "
        "rounded to 0.01), or with a step: points = 3 + (value - average) / step. Accounts without a value "
        "are left out of the average.",
    )
    lower_is_better = fields.Boolean(
        string="Lower Is Better",
        help="Points are earned by staying at or below the thresholds (e.g. overdue ratio); with the average "
        "scale, below the average earns more than 3.",
    )
    threshold_1 = fields.Float(string="1 Point From", digits=(16, 2))
    threshold_2 = fields.Float(string="2 Points From", digits=(16, 2))
    threshold_3 = fields.Float(string="3 Points From", digits=(16, 2))
    threshold_4 = fields.Float(string="4 Points From", digits=(16, 2))
    threshold_5 = fields.Float(string="5 Points From", digits=(16, 2))
    average_step = fields.Float(
        string="Step per Point", digits=(16, 2),
        help="With the average scale: how far from the average one point lies (e.g. 10 for 10 percentage "
        "points of growth). 0: proportional to the average.",
    )
    group_id = fields.Many2one(
        "res.groups", string="Scored by", ondelete="restrict",
        help="Manual criteria: only members of this group score it (seed: service manager, sales manager, "
        "marketing planner).",
    )

    @api.constrains("kind", "source", "group_id")
    def _check_kind(self):
        for criterion in self:
            if criterion.kind == "computed" and not criterion.source:
                raise ValidationError(self.env._("Computed criterion %(name)s needs a source.", name=criterion.name))
            if criterion.kind == "manual" and not criterion.group_id:
                raise ValidationError(
                    self.env._("Manual criterion %(name)s needs the group whose members score it.", name=criterion.name)
                )

    @api.constrains("scale", "lower_is_better", "threshold_1", "threshold_2", "threshold_3", "threshold_4", "threshold_5", "average_step")
    def _check_thresholds(self):
        for criterion in self.filtered(lambda c: c.kind == "computed"):
            if criterion.average_step < 0:
                raise ValidationError(self.env._("The step per point of %(name)s cannot be negative.", name=criterion.name))
            if criterion.scale != "thresholds":
                continue
            values = criterion._thresholds()
            ordered = sorted(values, reverse=criterion.lower_is_better)
            if values != ordered:
                raise ValidationError(
                    self.env._(
                        "The thresholds of %(name)s must go from 1 to 5 points in order: rising, or falling when "
                        "lower is better.",
                        name=criterion.name,
                    )
                )

    def _check_unused(self):
        """Criteria explain past scores: refuse to delete one a snapshot used (archive it)."""
        if not self.ids:
            return
        self.env["key.account.score"].flush_model(["breakdown"])
        self.env.cr.execute(SQL(
            "SELECT 1 FROM key_account_score s, jsonb_array_elements(s.breakdown) e "
            "WHERE s.scorecard_id = ANY(%s) AND (e->>0)::int = ANY(%s) LIMIT 1",
            self.scorecard_id.ids, self.ids,
        ))
        if self.env.cr.fetchone():
            raise UserError(
                self.env._("These criteria explain past scores: archive them instead of deleting them.")
            )

    def unlink(self):
        self._check_unused()
        return super().unlink()

    def _thresholds(self):
        return [self.threshold_1, self.threshold_2, self.threshold_3, self.threshold_4, self.threshold_5]

    # ------------------------------------------------------------------ points
    def _plan(self):
        """The criterion as plain values, for the engine's loop over the population."""
        self.ensure_one()
        return {
            "id": self.id, "dimension_id": self.dimension_id.id, "kind": self.kind, "source": self.source,
            "scale": self.scale, "lower": self.lower_is_better, "thresholds": self._thresholds(),
            "step": self.average_step,
        }

    def _points(self, raw, average=None):
        """Map a raw value to 0-5 points (rounded to 0.01). No value: 0 points."""
        return points_of(self._plan(), raw, average)

    # ------------------------------------------------------------------ sources
    @api.model
    def _score_source(self, source, run):
        """{partner_id: raw value or None} of ``source`` for ``run['partner_ids']``."""
        return getattr(self, f"_score_source_{source}")(run)

    @api.model
    def _run_cached(self, run, key, compute):
        cache = run.setdefault("cache", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    @api.model
    def _invoice_facts(self, run):
        metrics = self.env["key.account.metrics"]
        return self._run_cached(run, "invoice_facts", lambda: metrics._score_invoice_facts(
            run["partner_ids"], run["company_id"], run["period_date"], run["reference_date"]
        ))

    @api.model
    def _order_facts(self, run):
        metrics = self.env["key.account.metrics"]
        date_from, date_to = run["windows"][0]
        return self._run_cached(run, "order_facts", lambda: metrics._score_order_facts(
            run["partner_ids"], run["company_id"], date_from, date_to
        ))

    @api.model
    def _score_source_revenue_12m(self, run):
        facts = self._invoice_facts(run)
        return {pid: facts[pid]["rev_0"] if pid in facts else 0.0 for pid in run["partner_ids"]}

    @api.model
    def _score_source_margin_12m(self, run):
        orders = self._order_facts(run)
        return {pid: orders[pid][0] if pid in orders else 0.0 for pid in run["partner_ids"]}

    @api.model
    def _growth(self, run, base_key):
        facts = self._invoice_facts(run)
        result = {}
        for pid in run["partner_ids"]:
            fact = facts.get(pid)
            base = fact[base_key] if fact else 0.0
            result[pid] = (fact["rev_0"] - base) / base * 100 if base > 0 else None
        return result

    @api.model
    def _score_source_growth_yoy(self, run):
        return self._growth(run, "rev_1")

    @api.model
    def _score_source_growth_3y(self, run):
        return self._growth(run, "rev_2")

    @api.model
    def _score_source_collection_rate(self, run):
        facts = self._invoice_facts(run)
        result = {}
        for pid in run["partner_ids"]:
            fact = facts.get(pid)
            total = fact["total_0"] if fact else 0.0
            result[pid] = (total - fact["residual_0"]) / total * 100 if total > 0 else None
        return result

    @api.model
    def _score_source_overdue_ratio(self, run):
        facts = self._invoice_facts(run)
        result = {}
        for pid in run["partner_ids"]:
            fact = facts.get(pid)
            open_amount = fact["open_residual"] if fact else 0.0
            result[pid] = fact["overdue_residual"] / open_amount * 100 if open_amount > 0 else 0.0
        return result

    @api.model
    def _score_source_order_count(self, run):
        orders = self._order_facts(run)
        return {pid: float(orders[pid][1]) if pid in orders else 0.0 for pid in run["partner_ids"]}

    @api.model
    def _score_source_visit_count(self, run):
        date_from, date_to = run["windows"][0]
        visits = self.env["key.account.metrics"]._score_visit_count(run["partner_ids"], run["company_id"], date_from, date_to)
        return {pid: float(visits.get(pid, 0)) for pid in run["partner_ids"]}

    @api.model
    def _score_source_valid_complaints(self, run):
        date_from, date_to = run["windows"][0]
        metrics = self.env["key.account.metrics"].with_context(allowed_company_ids=[run["company_id"]])
        summary = metrics._complaint_summary(date_from, date_to, partner_ids=run["partner_ids"])
        return {pid: float(summary[pid]["valid"]) if pid in summary else 0.0 for pid in run["partner_ids"]}
