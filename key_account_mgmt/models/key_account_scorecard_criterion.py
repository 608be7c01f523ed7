from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import ensure_one

# The sources of computed criteria: how each one's raw value is read is key.account.score.source's
# (``_score_sources``). A new source = one selection_add + one entry there (+ a provider if it
# reads new facts).
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
    ("satisfaction", "Customer satisfaction (0-100), latest survey period"),
]


class KeyAccountScorecardCriterion(models.Model):
    """A criterion scored 0-5: computed from data (a source mapped to points by thresholds or by
    "company average = 3"), or manual, scored by the members of the group named on it."""

    _name = "key.account.scorecard.criterion"
    _description = "Scorecard Criterion"
    _order = "dimension_id, sequence, id"

    dimension_id = fields.Many2one("key.account.scorecard.dimension", required=True, index=True, ondelete="cascade")
    scorecard_id = fields.Many2one(related="dimension_id.scorecard_id", store=True, index=True, string="Scorecard")
    company_id = fields.Many2one(related="dimension_id.scorecard_id.company_id", store=True, string="Company")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Criterion", required=True, translate=True)
    description = fields.Text(string="How to Score", translate=True, help="Guidance for the people who score it.")
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("computed", "Computed"), ("manual", "Manual")],
        required=True,
        default="computed",
    )
    source = fields.Selection(
        SCORE_SOURCES,
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
        "its group; score it with 'lower is better'.\n"
        "Customer satisfaction: the satisfaction (0-100) of the latest survey period with answers that began by "
        "the end of the scoring month and ended within its 12 months; no value without answers.",
    )
    scale = fields.Selection(
        [("thresholds", "Thresholds"), ("average", "Company average = 3")],
        default="thresholds",
        help="Thresholds: 1 point for reaching threshold 1, ..., 5 points for reaching threshold 5.\n"
        "Company average = 3: points = 3 x value / average of the company's key accounts (capped at 5, "
        "rounded to 0.01), or with a step: points = 3 + (value - average) / step. Accounts without a value "
        "are left out of the average.",
    )
    lower_is_better = fields.Boolean(
        help="Points are earned by staying at or below the thresholds (e.g. overdue ratio); with the average "
        "scale, below the average earns more than 3.",
    )
    threshold_1 = fields.Float(string="1 Point From", digits=(16, 2))
    threshold_2 = fields.Float(string="2 Points From", digits=(16, 2))
    threshold_3 = fields.Float(string="3 Points From", digits=(16, 2))
    threshold_4 = fields.Float(string="4 Points From", digits=(16, 2))
    threshold_5 = fields.Float(string="5 Points From", digits=(16, 2))
    average_step = fields.Float(
        string="Step per Point",
        digits=(16, 2),
        help="With the average scale: how far from the average one point lies (e.g. 10 for 10 percentage "
        "points of growth). 0: proportional to the average.",
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Scoring Group",
        ondelete="restrict",
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

    @api.constrains(
        "scale",
        "lower_is_better",
        "threshold_1",
        "threshold_2",
        "threshold_3",
        "threshold_4",
        "threshold_5",
        "average_step",
    )
    def _check_thresholds(self):
        for criterion in self.filtered(lambda c: c.kind == "computed"):
            if criterion.average_step < 0:
                raise ValidationError(
                    self.env._("The step per point of %(name)s cannot be negative.", name=criterion.name)
                )
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
        self.env["key.account.score.run"].flush_model(["plan"])
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM key_account_score_run r, jsonb_array_elements(r.plan) e "
                "WHERE r.scorecard_id = ANY(%s) AND (e->>0)::int = ANY(%s) LIMIT 1",
                self.scorecard_id.ids,
                self.ids,
            )
        )
        if self.env.cr.fetchone():
            raise UserError(self.env._("These criteria explain past scores: archive them instead of deleting them."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_in_scores(self):
        self._check_unused()

    def _thresholds(self):
        return [self.threshold_1, self.threshold_2, self.threshold_3, self.threshold_4, self.threshold_5]

    # ------------------------------------------------------------------ points
    def _points_sql(self, raw, average):
        """SQL of the points (0-5, rounded to 0.01) of the raw value ``raw`` (SQL, NULL = no value:
        0 points), ``average`` the SQL of the company average of the run (NULL without values):
        thresholds -> how many of the five are reached; company average = 3 -> 3 x raw / average
        (lower is better: 3 x average / raw), or 3 +/- (raw - average) / step, capped to 0-5 (an
        average of 0 or less: 3 points for everyone)."""
        ensure_one(self)

        def capped(points):
            return SQL("ROUND(LEAST(5, GREATEST(0, %s)), 2)", points)

        if self.kind == "manual":
            points = raw
        elif self.scale == "thresholds":
            # how many thresholds the value reaches, by binary search over the thresholds in
            # rising order (lower is better: the value and the thresholds negated); half the
            # cost of five comparisons
            if self.lower_is_better:
                points = SQL(
                    "width_bucket(-(%s), %s::numeric[])", raw, [-threshold for threshold in self._thresholds()]
                )
            else:
                points = SQL("width_bucket(%s, %s::numeric[])", raw, self._thresholds())
        else:
            if self.average_step:
                delta = SQL("(%s - %s)", average, raw) if self.lower_is_better else SQL("(%s - %s)", raw, average)
                by_average = capped(SQL("3 + %s / %s", delta, self.average_step))
            elif self.lower_is_better:
                by_average = SQL(
                    "CASE WHEN %s <= 0 THEN 3 WHEN %s <= 0 THEN 5 ELSE %s END",
                    average,
                    raw,
                    capped(SQL("3 * %s / %s", average, raw)),
                )
            else:
                by_average = SQL(
                    "CASE WHEN %s <= 0 THEN 3 ELSE %s END", average, capped(SQL("3 * %s / %s", raw, average))
                )
            points = SQL("CASE WHEN %s IS NULL THEN 0 ELSE %s END", average, by_average)
        return SQL("COALESCE((%s)::numeric, 0)", points)
