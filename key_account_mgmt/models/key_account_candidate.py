import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import ensure_one, to_date

_logger = logging.getLogger(__name__)

SOURCES = [("data", "Found in the Data"), ("manual", "Proposed")]
# the tiers' rules that read the share of annual sales (a score is not computed before an account exists)
SHARE_RULES = ("share", "share_or_score", "share_and_score")


class KeyAccountCandidate(models.Model):
    """A potential key account (潜在大客户: "按一定规则判定可能成为大客户或接近大客户标准的客户群体",
    seed 001 §3.2.2 二.1): an ordinary customer whose figures of the 12 months meet a tier's
    rule on the share of annual sales, or come within the company's margin of it.

    Found monthly by a scheduled action (``_cron_find_candidates``), per company and month, from
    the scoring's facts (key.account.metrics ``_candidate_facts_query``: one statement per batch
    of customers), ranked; a rerun of the month replaces its rows. Any salesperson, branch sales
    teams included, may propose a customer by hand (seed 000 §三.6): the same figures are
    computed for it. A KA Manager starts a development plan from a candidate in one click."""

    _name = "key.account.candidate"
    _inherit = [
        "key.account.write.guard",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "key.account.upward.report.mixin",
        "mail.thread",
    ]
    _description = "Key Account Candidate"
    _order = "period_date desc, rank, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True), ('parent_id', '=', False), ('is_key_account', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    source = fields.Selection(SOURCES, required=True, readonly=True, default="manual")
    user_id = fields.Many2one(
        "res.users",
        string="Proposed By",
        index="btree_not_null",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    note = fields.Text(string="Why", help="Why this customer could become a key account.")
    period_date = fields.Date(
        string="Month", required=True, readonly=True, index=True, default=lambda self: self._default_period()
    )
    rank = fields.Integer(readonly=True, help="Place among the company's candidates of the month (found ones).")
    revenue = fields.Monetary(string="Sales (12 Months)", readonly=True, currency_field="currency_id")
    previous_revenue = fields.Monetary(string="Sales (12 Months Before)", readonly=True, currency_field="currency_id")
    company_revenue = fields.Monetary(string="Company Sales (12 Months)", readonly=True, currency_field="currency_id")
    sales_share = fields.Float(string="Share of Sales (%)", readonly=True, digits=(16, 4))
    growth = fields.Float(string="Growth (%)", readonly=True, digits=(16, 2))
    invoice_count = fields.Integer(string="Invoices (12 Months)", readonly=True)
    order_count = fields.Integer(string="Orders (12 Months)", readonly=True)
    tier_id = fields.Many2one(
        "key.account.tier",
        readonly=True,
        ondelete="set null",
        help="The tier whose rule the share of sales meets, or the nearest one it does not meet yet.",
    )
    meets_rule = fields.Boolean(string="Meets the Rule", readonly=True)
    share_gap = fields.Float(
        string="Share Missing (points)",
        readonly=True,
        digits=(16, 4),
        help="What the share of sales lacks for the tier.",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True)
    development_id = fields.Many2one("key.account.development", string="Development Plan", readonly=True, copy=False)

    def init(self):
        # one found row per company, customer and month: the upsert of a rerun relies on it
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS key_account_candidate_found_unique "
            "ON key_account_candidate (company_id, partner_id, period_date) WHERE source = 'data'"
        )

    # ------------------------------------------------------------------ proposals by hand
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_proposal(vals)
        candidates = super().create(vals_list)
        manual = candidates.filtered(lambda candidate: candidate.source == "manual")
        if manual:
            manual.sudo()._compute_figures()
            # a salesperson's proposal goes up to their sales head and the KA department (抄报)
            manual.filtered("user_id")._notify_upward(
                lambda local: local.env._(
                    "%(user)s proposes %(customer)s as a key account candidate: %(why)s",
                    user=local.user_id.name,
                    customer=local.partner_id.display_name,
                    why=local.note or "",
                )
            )
        return candidates

    @api.model
    def _check_proposal(self, vals):
        partner_id = vals.get("partner_id")
        valid = isinstance(partner_id, int) and not isinstance(partner_id, bool) and 0 < partner_id < 2**31
        partner = self.env["res.partner"].browse(partner_id).exists() if valid else None
        if not partner:
            raise UserError(self.env._("Choose the customer you propose."))
        if partner.sudo().parent_id:
            raise UserError(
                self.env._("Propose the company %(company)s, not its contact.", company=partner.sudo().parent_id.name)
            )
        partner._key_account_check_development_free()

    def _compute_figures(self):
        """The figures of proposed candidates, for the month that ended (one statement per company)."""
        period = self._default_period()
        for company in self.company_id:
            mine = self.filtered(lambda candidate, company=company: candidate.company_id == company)
            metrics = self.env["key.account.metrics"].with_company(company)
            self.env.cr.execute(metrics._candidate_facts_query(mine.partner_id.ids, company.id, period))
            facts = {row[0]: row for row in self.env.cr.fetchall()}
            tiers = self._share_tiers(company)
            for candidate in mine:
                row = [float(value or 0) for value in facts.get(candidate.partner_id.id, ())] or [0.0] * 8
                share = row[4]
                met = tiers.filtered(lambda tier, share=share: share >= tier.min_sales_share)[:1]
                nearest = met or tiers.sorted("min_sales_share")[:1]
                candidate.write(
                    {
                        "period_date": period,
                        "revenue": row[1],
                        "previous_revenue": row[2],
                        "company_revenue": row[3],
                        "sales_share": share,
                        "growth": row[5],
                        "invoice_count": int(row[6]),
                        "order_count": int(row[7]),
                        "tier_id": nearest.id,
                        "meets_rule": bool(met),
                        "share_gap": 0.0 if met else max(nearest.min_sales_share - share, 0.0),
                        "date_computed": fields.Datetime.now(),
                    }
                )

    @api.model
    def _default_period(self):
        """The month that ended: its 12-month window is complete."""
        return self.env["key.account.metrics"]._period(fields.Date.context_today(self) - relativedelta(months=1))[0]

    @api.model
    def _share_tiers(self, company):
        """The tiers of ``company`` whose rule reads the share of sales, highest first."""
        return (
            self.env["key.account.tier"]
            .sudo()
            .search(["|", ("company_id", "=", False), ("company_id", "=", company.id)])
            .filtered(lambda tier: tier.min_sales_share > 0 and tier.suggestion_rule in SHARE_RULES)
        )

    # ------------------------------------------------------------------ found in the data
    @api.model
    def _cron_find_candidates(self, batch_size=5000):
        """Monthly: the candidates of every company for the month that ended. One company per
        call (its batches, one statement each, then the ranking); the call reports how many
        companies remain (ir.cron._notify_progress) and the scheduler calls again while some
        remain. Idempotent: a rerun of the month replaces its found rows."""
        period = self._default_period()
        companies = (
            self.env["res.company"]
            .sudo()
            .search(["|", ("key_account_candidate_period", "=", False), ("key_account_candidate_period", "!=", period)])
        )
        for company in companies[:1]:
            count = self.sudo().with_company(company)._find_candidates(company, period, batch_size=batch_size)
            _logger.info("Key account candidates of %s for %s: %s", company.name, period, count)
        self.env["ir.cron"]._notify_progress(done=len(companies[:1]), remaining=len(companies[1:]))
        return True

    @api.model
    def find_candidates(self, period_date=None, company_id=None):
        """Find (again) the candidates of a month (default: the month that ended) for a company
        (default: the current one): KA Managers, from the list or over RPC. Returns their count."""
        self._key_account_check_manager_rights()
        period = self.env["key.account.metrics"]._period(
            to_date(self.env, period_date, self.env._("Month")) if period_date else self._default_period()
        )[0]
        if company_id is not None and (not isinstance(company_id, int) or isinstance(company_id, bool)):
            raise UserError(self.env._("Choose one of your companies."))
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if not company.exists() or company not in self.env.user.company_ids:
            raise UserError(self.env._("Choose one of your companies."))
        return self.sudo().with_company(company)._find_candidates(company, period)

    @api.model
    def action_find_candidates(self):
        self.find_candidates()
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _key_account_check_manager_rights(self):
        if not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
            raise AccessError(self.env._("Only a Key Account Manager finds the candidates of the month."))

    @api.model
    def _find_candidates(self, company, period, batch_size=5000):
        """Write the found candidates of ``company`` for ``period`` (first day of a month): one
        INSERT … ON CONFLICT per batch of customers (linked to the customer's open development
        plan, if any), then the ranking; the found rows of the month not found again are deleted
        (unless a development started from them)."""
        metrics = self.env["key.account.metrics"]
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", 0x4B4143, company.id))
        self.env["key.account.development"].flush_model(["partner_id", "outcome", "state"])
        tiers = self._share_tiers(company)
        now = fields.Datetime.now()
        if tiers:
            lowest = min(tiers.mapped("min_sales_share"))
            floor = lowest * (1 - company.key_account_candidate_margin / 100)
            population = metrics._candidate_population(company.id, period)
            met = SQL(
                "CASE %s END", SQL(" ").join(SQL("WHEN f.share >= %s THEN %s", t.min_sales_share, t.id) for t in tiers)
            )
            nearest = tiers.sorted("min_sales_share")[0]
            for start in range(0, len(population), batch_size):
                self.env.cr.execute(
                    self._upsert_batch(
                        metrics._candidate_facts_query(population[start : start + batch_size], company.id, period),
                        met,
                        nearest,
                        floor,
                        company,
                        period,
                        now,
                    )
                )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM key_account_candidate WHERE company_id = %s AND period_date = %s AND source = 'data' "
                "AND date_computed <> %s AND development_id IS NULL",
                company.id,
                period,
                now,
            )
        )
        self.env.cr.execute(
            SQL(
                """
            UPDATE key_account_candidate c SET rank = r.rank
              FROM (SELECT id, row_number() OVER (ORDER BY meets_rule DESC, sales_share DESC, growth DESC NULLS LAST,
                                                          order_count DESC, invoice_count DESC, partner_id) AS rank
                      FROM key_account_candidate
                     WHERE company_id = %(company)s AND period_date = %(period)s AND source = 'data') AS r
             WHERE c.id = r.id
            """,
                company=company.id,
                period=period,
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM key_account_candidate WHERE company_id = %s AND period_date = %s AND source = 'data'",
                company.id,
                period,
            )
        )
        count = self.env.cr.fetchone()[0]
        company.sudo().key_account_candidate_period = period
        self.invalidate_model()
        return count

    @api.model
    def _upsert_batch(self, facts, met, nearest, floor, company, period, now):
        return SQL(
            """
            WITH f AS (%(facts)s), t AS (SELECT f.*, %(met)s AS met_tier_id FROM f)
            INSERT INTO key_account_candidate
                   (company_id, partner_id, period_date, source, revenue, previous_revenue, company_revenue,
                    sales_share, growth, invoice_count, order_count, tier_id, meets_rule, share_gap, date_computed,
                    development_id, create_uid, create_date, write_uid, write_date)
            SELECT %(company)s, t.partner_id, %(period)s, 'data', t.revenue, t.previous_revenue, t.company_revenue,
                   t.share, t.growth, t.invoice_count, t.order_count, COALESCE(t.met_tier_id, %(nearest)s),
                   t.met_tier_id IS NOT NULL,
                   CASE WHEN t.met_tier_id IS NULL THEN GREATEST(%(nearest_share)s - t.share, 0) ELSE 0 END,
                   %(now)s, d.id, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM t
              LEFT JOIN LATERAL (
                    SELECT id FROM key_account_development
                     WHERE partner_id = t.partner_id AND outcome = 'open' AND state NOT IN ('rejected', 'cancelled')
                     ORDER BY id DESC LIMIT 1
              ) AS d ON TRUE
             WHERE t.revenue > 0 AND t.share >= %(floor)s
            ON CONFLICT (company_id, partner_id, period_date) WHERE source = 'data' DO UPDATE SET
                   revenue = EXCLUDED.revenue, previous_revenue = EXCLUDED.previous_revenue,
                   company_revenue = EXCLUDED.company_revenue, sales_share = EXCLUDED.sales_share,
                   growth = EXCLUDED.growth, invoice_count = EXCLUDED.invoice_count,
                   order_count = EXCLUDED.order_count, tier_id = EXCLUDED.tier_id, meets_rule = EXCLUDED.meets_rule,
                   share_gap = EXCLUDED.share_gap, date_computed = EXCLUDED.date_computed,
                   development_id = COALESCE(key_account_candidate.development_id, EXCLUDED.development_id),
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
            """,
            facts=facts,
            met=met,
            nearest=nearest.id,
            nearest_share=nearest.min_sales_share,
            floor=floor,
            company=company.id,
            period=period,
            now=now,
            uid=self.env.uid,
        )

    # ------------------------------------------------------------------ one click
    def action_start_development(self):
        """KA Manager: a development plan for this candidate (or its open one), opened."""
        ensure_one(self)
        if not (self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager")):
            raise AccessError(self.env._("Only a Key Account Manager starts a development from the candidates."))
        plan = self.env["key.account.development"]._start_for_candidate(self)
        return plan._action_open()
