from odoo import api, fields, models, tools
from odoo.exceptions import AccessError

from ..tools import model_label


class KeyAccountScoreLine(models.Model):
    """One criterion of a score snapshot: the raw value, the points it earned, its weight and
    its contribution (weight × points / 5).

    A read-only SQL view over the snapshot's ``breakdown`` (raw values and points, written with
    the snapshot, as JSON text) and the plan of the month's scoring run (criteria, weights,
    company averages, key.account.score.run): a dozen rows per account and month would
    otherwise cost a dozen inserts and foreign-key checks each; the lines stay a model that can
    be listed, searched, grouped and graphed per criterion over time. Read through the
    snapshot's rules."""

    _name = "key.account.score.line"
    _inherit = ["key.account.export.mixin", "key.account.search.guard.mixin"]
    _description = "Key Account Score Line"
    _order = "score_id, sequence"
    _auto = False
    _rec_name = "criterion_id"

    score_id = fields.Many2one("key.account.score", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    period_date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sequence = fields.Integer(readonly=True)
    criterion_id = fields.Many2one("key.account.scorecard.criterion", readonly=True)
    dimension_id = fields.Many2one("key.account.scorecard.dimension", readonly=True)
    kind = fields.Selection(related="criterion_id.kind", string="Kind")
    raw_value = fields.Float(
        string="Value",
        digits=(16, 2),
        readonly=True,
        help="The figure the points come from (manual criteria: the points given).",
    )
    company_average = fields.Float(
        digits=(16, 2),
        readonly=True,
        help="With the average scale: the average that earns 3 points.",
    )
    points = fields.Float(digits=(3, 2), readonly=True)
    weight = fields.Float(string="Weight (%)", digits=(5, 2), readonly=True)
    contribution = fields.Float(digits=(5, 2), readonly=True, help="Weight × points / 5.")
    note = fields.Selection(
        [("no_value", "No value"), ("not_scored", "Not scored")],
        readonly=True,
        help="No value: the figure cannot be computed (e.g. no revenue the year before); 0 points.\n"
        "Not scored: nobody has rated this manual criterion yet; 0 points.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS (
                SELECT s.id * 100 + c.ord AS id,
                       s.id AS score_id, s.partner_id, s.period_date, run.company_id,
                       c.ord::int AS sequence,
                       (c.item->>0)::int AS criterion_id,
                       criterion.dimension_id,
                       (bd.numbers->>(2 * c.ord::int - 2))::numeric AS raw_value,
                       (c.item->>2)::numeric AS company_average,
                       (bd.numbers->>(2 * c.ord::int - 1))::numeric AS points,
                       (c.item->>1)::numeric AS weight,
                       ROUND((c.item->>1)::numeric * (bd.numbers->>(2 * c.ord::int - 1))::numeric / 5, 4) AS contribution,
                       CASE WHEN bd.numbers->>(2 * c.ord::int - 2) IS NULL
                            THEN CASE WHEN (c.item->>3)::boolean THEN 'not_scored' ELSE 'no_value' END
                       END AS note
                  FROM key_account_score s
                  JOIN key_account_score_run run ON run.scorecard_id = s.scorecard_id AND run.period_date = s.period_date
                 CROSS JOIN LATERAL (SELECT s.breakdown::jsonb AS numbers OFFSET 0) AS bd
                 CROSS JOIN LATERAL jsonb_array_elements(run.plan) WITH ORDINALITY AS c(item, ord)
                  LEFT JOIN key_account_scorecard_criterion criterion ON criterion.id = (c.item->>0)::int
            )
        """)

    def _refuse(self):
        raise AccessError(
            self.env._("%(history)s is a history: its entries cannot be changed or deleted.", history=model_label(self))
        )

    # a read-only SQL view: nothing to hand over to super()
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        self._refuse()

    def write(self, vals):  # pylint: disable=method-required-super
        self._refuse()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._refuse()
