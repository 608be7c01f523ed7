from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.key_account_attribution_metrics import ATTRIBUTION_READS
from ..tools import context_tz, order_paths, read_group_paths

KEYS = ("company_id", "user_id", "month")
# the row's id from its keys, not a window function: a filter on the keys (the month of a
# pivot, a KA User's own rows) then reaches every source instead of filtering the finished
# view. Packed in 63 bits: month since 1900 (12), company (11), team (16), user (24).
KPI_ID = SQL(
    "((figures.company_id::bigint * 65536 + COALESCE(kpi_team_id, 0)) * 16777216 + COALESCE(user_id, 0)) * 4096 "
    "+ (extract(year FROM month)::int - 1900) * 12 + extract(month FROM month)::int - 1"
)
COUNTS = (
    "lost_count",
    "new_accounts_actual",
    "visits_planned",
    "visits_done",
    "archive_count",
    "complaint_count",
    "complaint_valid",
    "complaint_replied_in_sla",
    "complaint_resolved_in_sla",
    "satisfaction_accounts",
    "trip_days",
    "work_reports_due",
    "work_reports_on_time",
    "work_reports_late",
    "work_reports_missing",
    "developments_approved",
    "developments_won",
    "developments_failed",
    "development_visits",
    "development_visits_done",
    "service_accounts",
)
SUMMED = (
    "sales_target",
    "sales_actual",
    "lost_count",
    "new_accounts_target",
    "new_accounts_actual",
    "visits_planned",
    "visits_done",
    "service_budget",
    "service_cost",
    "archive_count",
    "complaint_count",
    "complaint_valid",
    "complaint_replied_in_sla",
    "complaint_resolved_in_sla",
    "satisfaction_total",
    "satisfaction_accounts",
    "trip_days",
    "work_reports_due",
    "work_reports_on_time",
    "work_reports_late",
    "work_reports_missing",
    "developments_approved",
    "developments_won",
    "developments_failed",
    "development_visits",
    "development_visits_done",
    "service_compliance_total",
    "service_accounts",
)

# the measures some source of the view gives (``key_account_kpi_measures``)
SOURCE_MEASURES = {*SUMMED, "archive_completeness"}


# What the KPI view reads besides the credit split (ATTRIBUTION_READS): its dependencies.
SOURCE_DEPENDS = {
    "key.account.target": [
        "company_id",
        "user_id",
        "period_kind",
        "date_from",
        "date_to",
        "sales_target",
        "new_accounts_target",
    ],
    "key.account.loss": ["company_id", "partner_id", "responsible_id", "date"],
    "key.account.application": [
        "partner_id",
        "company_id",
        "state",
        "approved_date",
        "proposed_manager_id",
        "user_id",
    ],
    "key.account.visit": ["company_id", "user_id", "state", "date_planned", "budget"],
    "key.account.reception": ["company_id", "user_id", "state", "date_planned", "budget"],
    "key.account.visit.expense": ["visit_id", "reception_id", "state", "amount"],
    "key.account.archive": ["company_id", "partner_id", "completeness"],
    "key.account.satisfaction": ["company_id", "user_id", "score", "response_count", "date_last_response"],
    "key.account.trip": ["company_id", "user_id", "state", "date_from", "date_to"],
    "key.account.work.report": ["company_id", "user_id", "period_date", "submitted_date", "late"],
    "key.account.development": ["company_id", "user_id", "state", "approved_date", "outcome", "date_closed"],
    "res.company": ["key_account_trip_days_target"],
    "helpdesk.ticket": [
        "company_id",
        "key_account_id",
        "key_account_manager_id",
        "date_received",
        "active",
        "is_valid_complaint",
        "reply_in_sla",
        "resolve_in_sla",
    ],
}


class KeyAccountKpi(models.Model):
    """KPIs of the key-account specialists per company and month (seed 001 §2.1 考核指标), as a
    view over the records that carry them: targets (spread evenly over the months of their
    period), invoices of the accounts each specialist manages, losses, approved nominations,
    visits and receptions with their budgets and expenses, archives. Ratios are computed from
    the summed columns (see ``_kpi_ratios``): averaging monthly percentages would be wrong."""

    _name = "key.account.kpi"
    _inherit = ["key.account.export.mixin", "key.account.search.guard.mixin"]
    _description = "Key Account KPIs"
    _auto = False
    _order = "month desc, user_id"
    _rec_name = "user_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one("res.users", string="Specialist", readonly=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The specialist's sales team (region); on rows without a specialist, the team or, empty, the company "
        "credited by the credit split.",
    )
    month = fields.Date(readonly=True)
    sales_target = fields.Monetary(currency_field="currency_id", readonly=True)
    sales_actual = fields.Monetary(
        string="Actual Sales",
        currency_field="currency_id",
        readonly=True,
        help="The revenue of invoice lines credited by the credit split (业绩分配), net of refunds, untaxed: by "
        "default the lines of the key accounts the specialist managed in the month (a branch that is a key account "
        "itself for its own manager, else for its headquarters'), shared by the rules and overrides. Each line is "
        "credited once in total: specialists, teams and the company add up to the company's revenue.",
    )
    lost_count = fields.Integer(string="Lost Key Accounts", readonly=True)
    new_accounts_target = fields.Float(string="New Key Accounts Planned", readonly=True, digits=(16, 2))
    new_accounts_actual = fields.Integer(string="New Key Accounts", readonly=True)
    visits_planned = fields.Integer(
        readonly=True,
        help="Visits and receptions planned in the month (cancelled and rejected left out).",
    )
    visits_done = fields.Integer(readonly=True, help="Of those planned in the month, the ones reported.")
    service_budget = fields.Monetary(currency_field="currency_id", readonly=True)
    service_cost = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Approved and paid expenses of the visits and receptions planned in the month.",
    )
    complaint_count = fields.Integer(
        string="Complaints and Requests",
        readonly=True,
        help="Received in the month from the accounts the specialist manages.",
    )
    complaint_valid = fields.Integer(
        string="Valid Complaints", readonly=True, help="Caused by our staff or company (确因人员或企业过失)."
    )
    complaint_replied_in_sla = fields.Integer(
        string="Replied in Time", readonly=True, help="First reply within the tier's deadline."
    )
    complaint_resolved_in_sla = fields.Integer(
        string="Resolved in Time", readonly=True, help="Resolved within the tier's deadline."
    )
    satisfaction_total = fields.Float(
        string="Satisfaction Points",
        readonly=True,
        digits=(16, 2),
        help="The satisfaction scores (0-100) of the accounts managed, added up: over Accounts Surveyed, the "
        "satisfaction KPI (大客户满意程度).",
    )
    satisfaction_accounts = fields.Integer(
        string="Accounts Surveyed",
        readonly=True,
        help="Satisfaction scores of the accounts the specialist manages, in the month their latest answer came.",
    )
    satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_satisfaction_score",
        digits=(5, 2),
        help="大客户满意程度: the average satisfaction (0-100) of the accounts surveyed.",
    )
    archive_count = fields.Integer(
        string="Archives", readonly=True, help="Archives of the accounts managed (current month only)."
    )
    archive_completeness = fields.Float(
        string="Archive Completeness (%)", readonly=True, aggregator="avg", digits=(16, 2)
    )
    trip_days = fields.Integer(
        readonly=True,
        help="Days on approved or completed business trips in the month (a day once, whatever the trips).",
    )
    trip_days_target = fields.Integer(
        readonly=True, help="The company's trip days per month (seed 001 第13条: 每月出差不得低于15天)."
    )
    work_reports_due = fields.Integer(
        string="Monthly Reports Due", readonly=True, help="The specialist's monthly reports submitted or past due."
    )
    work_reports_on_time = fields.Integer(
        string="Monthly Reports on Time", readonly=True, help="First submitted by the due day."
    )
    work_reports_late = fields.Integer(string="Monthly Reports Late", readonly=True)
    work_reports_missing = fields.Integer(
        string="Monthly Reports Missing", readonly=True, help="Past the due day and not submitted."
    )
    developments_approved = fields.Integer(
        string="Development Plans Approved",
        readonly=True,
        help="Plans the specialist coordinates, approved in the month.",
    )
    developments_won = fields.Integer(
        readonly=True,
        help="Development plans the specialist coordinates that succeeded in the month: over New Key Accounts "
        "Planned, the development plan completion (大客户开发计划完成率).",
    )
    developments_failed = fields.Integer(readonly=True)
    development_visits = fields.Integer(
        readonly=True, help="Visits and receptions planned under development plans (in Visits Planned too)."
    )
    development_visits_done = fields.Integer(readonly=True, help="Of those, the ones reported (in Visits Done too).")
    service_compliance_total = fields.Float(
        string="Service Compliance Points",
        readonly=True,
        digits=(16, 2),
        help="The service compliance (0-100, this year to date) of the accounts managed, added up: over Accounts "
        "with a Service Plan, the KPI 客户服务规范执行情况. In the current month.",
    )
    service_accounts = fields.Integer(
        string="Accounts with a Service Plan",
        readonly=True,
        help="Key accounts managed whose service plan owes something.",
    )
    service_compliance = fields.Float(
        string="Service Compliance (%)",
        compute="_compute_service_compliance",
        digits=(5, 2),
        help="客户服务规范执行情况: the average service compliance of the accounts with a service plan.",
    )

    @api.depends("service_compliance_total", "service_accounts")
    def _compute_service_compliance(self):
        for kpi in self:
            kpi.service_compliance = (
                kpi.service_compliance_total / kpi.service_accounts if kpi.service_accounts else 0.0
            )

    _depends = {
        model: sorted({*ATTRIBUTION_READS.get(model, []), *SOURCE_DEPENDS.get(model, [])})
        for model in {*ATTRIBUTION_READS, *SOURCE_DEPENDS}
    }

    @api.depends("satisfaction_total", "satisfaction_accounts")
    def _compute_satisfaction_score(self):
        for kpi in self:
            kpi.satisfaction_score = (
                kpi.satisfaction_total / kpi.satisfaction_accounts if kpi.satisfaction_accounts else 0.0
            )

    @property
    def _table_query(self):
        """Each source gives (company_id, user_id, month) and some of the measures; the others
        are 0 (NULL for the completeness, an average). Sums per company, user and month. Sales,
        visits and complaints are the rows of the metrics' query builders: the sales of
        the accounts each specialist managed in the month (group figures, each invoice once per
        specialist), the visit rate's plans, the complaint summary's tickets."""
        # PostgreSQL plans these sums over the histories as costly enough to compile them (JIT):
        # 0.3 s of a 0.35 s read, every read. For the rest of this transaction, no JIT.
        self.env.cr.execute("SELECT set_config('jit', 'off', true)")
        tz = context_tz(self.env)
        metrics, activity = self.env["key.account.metrics"], self.env["key.account.activity.metrics"]

        def month_of(column):
            return SQL("date_trunc('month', (%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", SQL(column), tz)

        # a caller that reads a few measures over many months names them: the sources that give
        # none of them are left out (the others would be computed only to be summed as 0)
        wanted = set(self.env.context.get("key_account_kpi_measures") or ())

        def source(keys, measures, from_clause):
            """``from_clause``: SQL, or a function that builds it (only for a source wanted)."""
            if wanted and not wanted & measures.keys():
                return None
            if callable(from_clause):
                from_clause = from_clause()
            columns = [SQL("%s AS %s", measures.get(name, SQL("0")), SQL.identifier(name)) for name in SUMMED]
            completeness = measures.get("archive_completeness", SQL("NULL::numeric"))
            return SQL(
                "SELECT %s, %s AS team_id, %s, %s AS archive_completeness %s",
                SQL(", ").join(
                    SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in zip(KEYS, keys, strict=True)
                ),
                measures.get("team_id", SQL("NULL::int")),  # the credit split's; else the specialist's
                SQL(", ").join(columns),
                completeness,
                from_clause,
            )

        # the dates the domain's months cover, a day wider for the sources that read UTC times
        window = self.env.context.get("key_account_kpi_window") or (None, None)
        date_from = window[0] and window[0] - timedelta(days=1)
        date_to = window[1] and window[1] + relativedelta(months=1)
        sources = [
            source(
                [SQL("t.company_id"), SQL("t.user_id"), SQL("month::date")],
                {
                    "sales_target": SQL("t.sales_target / k.months"),
                    "new_accounts_target": SQL("t.new_accounts_target::numeric / k.months"),
                },
                SQL("""FROM key_account_target t
                       JOIN (VALUES ('month', 1), ('quarter', 3), ('year', 12)) AS k(kind, months) ON k.kind = t.period_kind
                      CROSS JOIN generate_series(t.date_from, t.date_to, interval '1 month') AS month"""),
            ),
            source(
                [SQL("r.company_id"), SQL("r.user_id"), SQL("r.month")],
                {"sales_actual": SQL("r.revenue"), "team_id": SQL("r.team_id")},
                lambda: SQL(
                    "FROM (%s) AS r",
                    self.env["key.account.credit.month"]._monthly_credit_query(
                        self.env.context.get("key_account_kpi_users"), window
                    ),
                ),
            ),
            source(
                [SQL("l.company_id"), SQL("l.responsible_id"), SQL("date_trunc('month', l.date)::date")],
                {"lost_count": SQL("1")},
                SQL("FROM key_account_loss l WHERE l.responsible_id IS NOT NULL"),
            ),
            source(
                [SQL("a.company_id"), SQL("COALESCE(a.proposed_manager_id, a.user_id)"), month_of("a.approved_date")],
                {"new_accounts_actual": SQL("1")},
                SQL("FROM key_account_application a WHERE a.state = 'approved' AND a.approved_date IS NOT NULL"),
            ),
            source(
                [SQL("p.company_id"), SQL("p.user_id"), SQL("p.month")],
                {
                    "visits_planned": SQL("1"),
                    "visits_done": SQL("p.done"),
                    "service_budget": SQL("p.budget"),
                    "service_cost": SQL("p.cost"),
                },
                lambda: SQL("FROM (%s) AS p", activity._visit_plans_query(date_from, date_to)),
            ),
            source(
                [SQL("h.company_id"), SQL("h.user_id"), SQL("h.month")],
                {
                    "complaint_count": SQL("1"),
                    "complaint_valid": SQL("h.valid::int"),
                    "complaint_replied_in_sla": SQL("h.replied_in_sla::int"),
                    "complaint_resolved_in_sla": SQL("h.resolved_in_sla::int"),
                },
                lambda: SQL(
                    "FROM (%s) AS h WHERE h.user_id IS NOT NULL", activity._complaint_rows_query(date_from, date_to)
                ),
            ),
            source(
                [SQL("s.company_id"), SQL("s.user_id"), month_of("s.date_last_response")],
                {"satisfaction_total": SQL("s.score"), "satisfaction_accounts": SQL("1")},
                SQL("FROM key_account_satisfaction s WHERE s.response_count > 0"),
            ),
            source(
                [
                    SQL("ar.company_id"),
                    SQL("cp.key_account_manager_id"),
                    SQL("date_trunc('month', now() AT TIME ZONE %s)::date", tz),
                ],
                {"archive_count": SQL("COUNT(*)"), "archive_completeness": SQL("AVG(ar.completeness)")},
                SQL(
                    "FROM key_account_archive ar JOIN res_partner cp ON cp.id = ar.partner_id "
                    "WHERE cp.is_key_account AND cp.key_account_manager_id IS NOT NULL GROUP BY 1, 2, 3"
                ),
            ),
            source(
                [SQL("tr.company_id"), SQL("tr.user_id"), SQL("tr.month")],
                {"trip_days": SQL("tr.days")},
                lambda: SQL("FROM (%s) AS tr", activity._trip_days_query(date_from, date_to)),
            ),
            source(
                [SQL("w.company_id"), SQL("w.user_id"), SQL("w.month")],
                {
                    "work_reports_due": SQL("w.due"),
                    "work_reports_on_time": SQL("w.on_time"),
                    "work_reports_late": SQL("w.late"),
                    "work_reports_missing": SQL("w.missing"),
                },
                lambda: SQL("FROM (%s) AS w", activity._work_report_rows_query()),
            ),
            source(
                [SQL("dv.company_id"), SQL("dv.user_id"), SQL("dv.month")],
                {
                    "developments_approved": SQL("dv.approved"),
                    "developments_won": SQL("dv.won"),
                    "developments_failed": SQL("dv.failed"),
                    "development_visits": SQL("dv.visits"),
                    "development_visits_done": SQL("dv.visits_done"),
                },
                lambda: SQL("FROM (%s) AS dv", activity._development_rows_query()),
            ),
            source(
                [SQL("sv.company_id"), SQL("sv.user_id"), SQL("date_trunc('month', now() AT TIME ZONE %s)::date", tz)],
                {"service_compliance_total": SQL("sv.rate"), "service_accounts": SQL("1")},
                lambda: SQL(
                    "FROM (%s) AS sv WHERE sv.user_id IS NOT NULL",
                    metrics._service_rates_query(
                        fields.Date.context_today(self).replace(month=1, day=1), fields.Date.context_today(self)
                    ),
                ),
            ),
        ]
        totals = SQL(", ").join(
            SQL(
                "SUM(%s)%s AS %s",
                SQL.identifier(name),
                SQL("::int") if name in COUNTS else SQL(""),
                SQL.identifier(name),
            )
            for name in SUMMED
        )
        return SQL(
            """
            SELECT %s AS id, figures.company_id, user_id, kpi_team_id AS team_id, month, %s,
                   SUM(archive_completeness) AS archive_completeness,
                   MAX(co.key_account_trip_days_target) AS trip_days_target
              FROM (SELECT f.*, COALESCE(f.team_id, su.sale_team_id) AS kpi_team_id
                      FROM (%s) AS f LEFT JOIN res_users su ON su.id = f.user_id
                     WHERE f.user_id IS NOT NULL OR f.sales_actual <> 0) AS figures
              LEFT JOIN res_company co ON co.id = figures.company_id
             GROUP BY figures.company_id, user_id, kpi_team_id, month
            """,
            KPI_ID,
            totals,
            SQL(" UNION ALL ").join([query for query in sources if query is not None] or [sources[0]]),
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        """A pivot or graph of some measures (aggregated, filtered or sorted by) reads only their
        sources (``_table_query``): the service compliance of every account of the company, for
        one, is not computed to sum the sales. The rows counted (``__count``, which the web client
        always asks for) are then those with some of these measures: the rows of the other
        sources alone are left out. Any other aggregate (a count of specialists…) reads them all."""
        measures = {path.split(".")[0] for path in read_group_paths((), aggregates, having)}
        measures |= {path.split(".")[0] for path in order_paths(order)} & {*SOURCE_MEASURES, "trip_days_target"}
        kpi = self
        if measures and measures <= SOURCE_MEASURES and not self.env.context.get("key_account_kpi_measures"):
            kpi = self.with_context(key_account_kpi_measures=sorted(measures))
        return super(KeyAccountKpi, kpi)._read_group(domain, groupby, aggregates, having, offset, limit, order)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """The months the domain keeps (a pivot of a month, a year) reach the sources as dates
        their indexes can read, and the specialists it and the record rules keep reach the credit
        split (``_table_query``); the domain still filters the rows."""
        window = _month_window(domain)
        kpi = self.with_context(key_account_kpi_window=window) if window else self
        # rows kept to some specialists (a filter, or a KA User's rule): only the invoice lines
        # that can credit them go through the credit split
        rules = [] if self.env.su else self.env["ir.rule"]._compute_domain(self._name, "read")
        users = _specialists_of([*domain, *rules]) if isinstance(domain, (list, tuple)) else None
        if users:
            kpi = kpi.with_context(key_account_kpi_users=sorted(users))
        return super(KeyAccountKpi, kpi)._search(domain, offset, limit, order)

    @api.model
    def _kpi_ratios(self, domain):
        """{user_id: {figure: value}} over the rows of ``domain``, ratios included, from one
        grouped read: sales completion, development completion, visit rate, cost control,
        feedback and resolution on time (意见反馈及时率 / 解答及时性), satisfaction (大客户满意程度:
        the average satisfaction of the accounts surveyed), trip days against their target,
        monthly reports on time."""
        measures = [
            "sales_target:sum",
            "sales_actual:sum",
            "lost_count:sum",
            "new_accounts_target:sum",
            "new_accounts_actual:sum",
            "visits_planned:sum",
            "visits_done:sum",
            "service_budget:sum",
            "service_cost:sum",
            "complaint_count:sum",
            "complaint_valid:sum",
            "complaint_replied_in_sla:sum",
            "complaint_resolved_in_sla:sum",
            "satisfaction_total:sum",
            "satisfaction_accounts:sum",
            "archive_completeness:avg",
            "trip_days:sum",
            "trip_days_target:sum",
            "work_reports_due:sum",
            "work_reports_on_time:sum",
            "work_reports_late:sum",
            "work_reports_missing:sum",
            "developments_approved:sum",
            "developments_won:sum",
            "developments_failed:sum",
            "development_visits:sum",
            "development_visits_done:sum",
            "service_compliance_total:sum",
            "service_accounts:sum",
        ]
        result = {}
        domain = [*domain, ("user_id", "!=", False)]  # the teams' and the company's credit have no specialist
        for user, *values in self._read_group(domain, ["user_id"], measures):
            figures = dict(zip([m.split(":")[0] for m in measures], values, strict=True))
            figures["sales_completion"] = _percent(figures["sales_actual"], figures["sales_target"])
            figures["development_completion"] = _percent(figures["new_accounts_actual"], figures["new_accounts_target"])
            figures["visit_rate"] = _percent(figures["visits_done"], figures["visits_planned"])
            figures["cost_ratio"] = _percent(figures["service_cost"], figures["service_budget"])
            figures["feedback_on_time"] = _percent(figures["complaint_replied_in_sla"], figures["complaint_count"])
            figures["resolution_on_time"] = _percent(figures["complaint_resolved_in_sla"], figures["complaint_count"])
            figures["satisfaction"] = (
                figures["satisfaction_total"] / figures["satisfaction_accounts"]
                if figures["satisfaction_accounts"]
                else None
            )
            figures["trip_days_completion"] = _percent(figures["trip_days"], figures["trip_days_target"])
            figures["work_reports_on_time_rate"] = _percent(
                figures["work_reports_on_time"], figures["work_reports_due"]
            )
            figures["development_plan_completion"] = _percent(
                figures["developments_won"], figures["new_accounts_target"]
            )
            figures["service_compliance"] = (
                figures["service_compliance_total"] / figures["service_accounts"]
                if figures["service_accounts"]
                else None
            )
            result[user] = figures
        return result


def _conditions_on(domain, name):
    """[(operator, value)] of the top-level conditions of ``domain`` on the field ``name``, or
    None when the domain is not a plain conjunction (an "or", a "not", not a list: the core
    judges those)."""
    if not isinstance(domain, (list, tuple)):
        return None
    conditions = []
    for leaf in domain:
        if leaf in ("|", "!"):
            return None
        if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == name:
            conditions.append((leaf[1], leaf[2]))
    return conditions


def _month_window(domain):
    """(first month, last month) that the top-level conditions of ``domain`` on ``month`` allow
    (either None when open), or None when there are none."""
    first = last = None
    for operator, value in _conditions_on(domain, "month") or ():
        try:
            day = fields.Date.to_date(value)
        except (TypeError, ValueError):
            return None
        if not day or operator not in ("=", ">", ">=", "<", "<="):
            continue
        if operator in ("=", ">", ">="):
            first = max(first, day) if first else day
        if operator in ("=", "<", "<="):
            last = min(last, day) if last else day
    return (first, last) if first or last else None


def _specialists_of(domain):
    """The specialists (user ids) that the top-level conditions of ``domain`` on ``user_id``
    keep, or None when none does."""

    def is_id(value):
        return isinstance(value, int) and not isinstance(value, bool) and value > 0

    users = None
    for operator, value in _conditions_on(domain, "user_id") or ():
        if operator == "=" and is_id(value):
            kept = {value}
        elif operator == "in" and isinstance(value, (list, tuple)) and value:
            if not all(is_id(v) for v in value):
                return None
            kept = set(value)
        else:
            continue
        users = kept if users is None else users & kept
    return users


def _percent(part, whole):
    return 100.0 * (part or 0.0) / whole if whole else None
