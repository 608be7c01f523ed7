from odoo import api, models
from odoo.tools import SQL


class KeyAccountScoreSource(models.AbstractModel):
    """The raw values of the computed criteria (key.account.scorecard.criterion ``source``) for
    the accounts of a scoring run: each source is a SQL expression over the facts of one
    provider (``_score_sources``), and every provider answers for the whole population in one
    statement built on key.account.metrics (``_score_providers``). A new source = one
    selection_add on the criterion + one entry in ``_score_sources`` (+ a provider if it reads
    new facts). Used by the scoring engine (key.account.score.engine)."""

    _name = "key.account.score.source"
    _description = "Key Account Scoring Sources"

    @api.model
    def _score_providers(self, run):
        """{provider: function returning the SQL of one row per account of the run's population
        (``account_id`` + facts)}: the set-based figures of key.account.score.facts and
        key.account.activity.metrics that the sources read, each in one statement whatever the
        population."""
        facts = self.env["key.account.score.facts"]
        activity = self.env["key.account.activity.metrics"]
        ids, company_id = run["partner_ids"], run["company_id"]
        date_from, date_to = run["windows"][0]
        return {
            "invoices": lambda: facts._score_invoice_facts_query(
                ids, company_id, run["period_date"], run["reference_date"]
            ),
            "orders": lambda: facts._score_order_facts_query(ids, company_id, date_from, date_to),
            "visits": lambda: facts._score_visit_count_query(company_id, date_from, date_to),
            "complaints": lambda: SQL(
                "SELECT key AS account_id, valid FROM (%s) AS summary",
                activity._complaint_summary_query(date_from, date_to, partner_ids=ids, company_ids=[company_id]),
            ),
            "satisfaction": lambda: self.env["key.account.metrics"]._satisfaction_facts_query(date_from, date_to),
        }

    @api.model
    def _score_sources(self):
        """{source: (provider, SQL of the raw value)}: an expression over the facts of the
        provider's row, aliased by the provider's name (NULL columns when the account has no row).
        A NULL raw value is "no value" (0 points)."""

        def fact(provider, column):
            return SQL("%s.%s", SQL.identifier(provider), SQL.identifier(column))

        def zero(provider, column):
            return SQL("COALESCE(%s, 0)", fact(provider, column))

        def growth(base):
            return SQL(
                "CASE WHEN %(base)s > 0 THEN (%(revenue)s - %(base)s) / %(base)s * 100 END",
                base=fact("invoices", base),
                revenue=zero("invoices", "rev_0"),
            )

        return {
            "revenue_12m": ("invoices", zero("invoices", "rev_0")),
            "margin_12m": ("orders", zero("orders", "margin")),
            "growth_yoy": ("invoices", growth("rev_1")),
            "growth_3y": ("invoices", growth("rev_2")),
            "collection_rate": (
                "invoices",
                SQL(
                    "CASE WHEN %(total)s > 0 THEN (%(total)s - COALESCE(%(residual)s, 0)) / %(total)s * 100 END",
                    total=fact("invoices", "total_0"),
                    residual=fact("invoices", "residual_0"),
                ),
            ),
            "overdue_ratio": (
                "invoices",
                SQL(
                    "CASE WHEN %(open)s > 0 THEN COALESCE(%(overdue)s, 0) / %(open)s * 100 ELSE 0 END",
                    open=fact("invoices", "open_residual"),
                    overdue=fact("invoices", "overdue_residual"),
                ),
            ),
            "order_count": ("orders", zero("orders", "orders")),
            "visit_count": ("visits", zero("visits", "visits")),
            "valid_complaints": ("complaints", zero("complaints", "valid")),
            "satisfaction": ("satisfaction", fact("satisfaction", "score")),
        }

    @api.model
    def _score_source(self, source, run):
        """{partner_id: raw value or None} of ``source`` for ``run['partner_ids']``, one
        statement (the engine itself reads every source of a scorecard at once, ``_gather``)."""
        provider, expression = self._score_sources()[source]
        alias = SQL.identifier(provider)
        self.env.cr.execute(
            SQL(
                "SELECT p.id, %(expression)s FROM unnest(%(ids)s::int[]) AS p(id) "
                "LEFT JOIN (%(facts)s) AS %(alias)s ON %(alias)s.account_id = p.id",
                expression=expression,
                ids=list(run["partner_ids"]),
                facts=self._score_providers(run)[provider](),
                alias=alias,
            )
        )
        return {pid: None if raw is None else float(raw) for pid, raw in self.env.cr.fetchall()}

    @api.model
    def _gather(self, run, criteria):
        """SQL of one row per account of ``run['partner_ids']`` with the raw value of every
        criterion (``c_<criterion id>``), its revenue and the company's (``company_revenue``,
        NULL on the rows of accounts without invoices), from the source providers the criteria
        need (every provider one aggregate over its documents) and the manual ratings."""
        metrics = self.env["key.account.metrics"]
        sources, providers = self._score_sources(), self._score_providers(run)
        computed = [criterion for criterion in criteria if criterion.kind == "computed"]
        manual = [criterion for criterion in criteria if criterion.kind == "manual"]
        # the invoices always: the share of annual sales and the tier suggestion need the revenue
        used = sorted({"invoices"} | {sources[criterion.source][0] for criterion in computed})
        facts = [SQL("%s AS (%s)", SQL.identifier(name), providers[name]()) for name in used]
        joins = [
            SQL("LEFT JOIN %(facts)s ON %(facts)s.account_id = p.partner_id", facts=SQL.identifier(name))
            for name in used
        ]
        columns = [SQL("%s AS %s", sources[criterion.source][1], self._raw_column(criterion)) for criterion in computed]
        if manual:
            self.env["key.account.manual.score"].flush_model(["partner_id", "criterion_id", "points"])
            # ratings are of key accounts: the join to the population below picks the run's
            facts.append(
                SQL(
                    "manual AS (SELECT partner_id AS account_id, %s FROM key_account_manual_score "
                    "WHERE criterion_id = ANY(%s) GROUP BY partner_id)",
                    SQL(", ").join(
                        SQL(
                            "MAX(points) FILTER (WHERE criterion_id = %s) AS %s",
                            criterion.id,
                            self._raw_column(criterion),
                        )
                        for criterion in manual
                    ),
                    [criterion.id for criterion in manual],
                )
            )
            joins.append(SQL("LEFT JOIN manual ON manual.account_id = p.partner_id"))
            columns += [SQL("manual.%s", self._raw_column(criterion)) for criterion in manual]
        return SQL(
            """
              WITH population(partner_id) AS (SELECT unnest(%(ids)s)), %(facts)s
            SELECT p.partner_id, %(revenue)s AS revenue, invoices.company_rev_0 AS company_revenue%(columns)s
              FROM population p %(joins)s
            """,
            ids=metrics._int_array(run["partner_ids"]),
            facts=SQL(", ").join(facts),
            revenue=sources["revenue_12m"][1],
            columns=SQL("").join(SQL(", %s", column) for column in columns),
            joins=SQL(" ").join(joins),
        )

    @staticmethod
    def _raw_column(criterion):
        return SQL.identifier(f"c_{criterion.id}")
