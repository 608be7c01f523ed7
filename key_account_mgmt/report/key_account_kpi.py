from odoo import api, fields, models
from odoo.tools import SQL


class KeyAccountKpi(models.Model):
    """KPIs of the key-account specialists per company and month (seed 001 §2.1 考核指标), as a
    view over the records that carry them: targets (spread evenly over the months of their
    period), invoices of the accounts each specialist manages, losses, approved nominations,
    visits and receptions with their budgets and expenses, archives. Ratios are computed from
    the summed columns (see ``_kpi_ratios``): averaging monthly percentages would be wrong."""

    _name = "key.account.kpi"
    _description = "Key Account KPIs"
    _auto = False
    _order = "month desc, user_id"
    _rec_name = "user_id"

    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one("res.users", string="Specialist", readonly=True)
    month = fields.Date(string="Month", readonly=True)
    sales_target = fields.Monetary(string="Sales Target", currency_field="currency_id", readonly=True)
    sales_actual = fields.Monetary(
        string="Actual Sales", currency_field="currency_id", readonly=True,
        help="Invoiced to the key accounts the specialist manages, net of refunds, untaxed.",
    )
    lost_count = fields.Integer(string="Lost Key Accounts", readonly=True)
    new_accounts_target = fields.Float(string="New Key Accounts Planned", readonly=True, digits=(16, 2))
    new_accounts_actual = fields.Integer(string="New Key Accounts", readonly=True)
    visits_planned = fields.Integer(
        string="Visits Planned", readonly=True, help="Visits and receptions planned in the month (cancelled and rejected left out)."
    )
    visits_done = fields.Integer(string="Visits Done", readonly=True, help="Of those planned in the month, the ones reported.")
    service_budget = fields.Monetary(string="Service Budget", currency_field="currency_id", readonly=True)
    service_cost = fields.Monetary(
        string="Service Cost", currency_field="currency_id", readonly=True,
        help="Approved and paid expenses of the visits and receptions planned in the month.",
    )
    archive_count = fields.Integer(string="Archives", readonly=True, help="Archives of the accounts managed (current month only).")
    archive_completeness = fields.Float(string="Archive Completeness (%)", readonly=True, aggregator="avg", digits=(16, 2))

    _depends = {
        "account.move": ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date", "amount_untaxed_signed"],
        "res.partner": ["is_key_account", "key_account_manager_id"],
        "key.account.target": ["company_id", "user_id", "period_kind", "date_from", "date_to", "sales_target", "new_accounts_target"],
        "key.account.loss": ["company_id", "responsible_id", "date"],
        "key.account.application": ["company_id", "state", "approved_date", "proposed_manager_id", "user_id"],
        "key.account.visit": ["company_id", "user_id", "state", "date_planned", "budget"],
        "key.account.reception": ["company_id", "user_id", "state", "date_planned", "budget"],
        "key.account.visit.expense": ["visit_id", "reception_id", "state", "amount"],
        "key.account.archive": ["company_id", "partner_id", "completeness"],
    }

    @property
    def _table_query(self):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"

        def month_of(column):
            return SQL("date_trunc('month', (%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", SQL.identifier(column), tz)

        plans = SQL(
            " UNION ALL ".join(["%s"] * 2),
            *(
                SQL(
                    """
                    SELECT p.company_id, p.user_id, %(month)s AS month,
                           1 AS planned, (p.state IN ('done', 'closed'))::int AS done, COALESCE(p.budget, 0) AS budget,
                           (SELECT COALESCE(SUM(e.amount), 0) FROM key_account_visit_expense e
                             WHERE e.%(parent)s = p.id AND e.state IN ('approved', 'paid')) AS cost
                      FROM %(table)s p WHERE p.state NOT IN ('cancelled', 'rejected')
                    """,
                    month=month_of("date_planned"),
                    parent=SQL.identifier(parent),
                    table=SQL.identifier(table),
                )
                for table, parent in (("key_account_visit", "visit_id"), ("key_account_reception", "reception_id"))
            ),
        )
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY month, company_id, user_id) AS id, company_id, user_id, month,
                   SUM(sales_target) AS sales_target, SUM(sales_actual) AS sales_actual,
                   SUM(lost_count)::int AS lost_count, SUM(new_accounts_target) AS new_accounts_target,
                   SUM(new_accounts_actual)::int AS new_accounts_actual, SUM(visits_planned)::int AS visits_planned,
                   SUM(visits_done)::int AS visits_done, SUM(service_budget) AS service_budget,
                   SUM(service_cost) AS service_cost, SUM(archive_count)::int AS archive_count,
                   SUM(archive_completeness) AS archive_completeness
              FROM (
                SELECT t.company_id, t.user_id, month::date AS month,
                       t.sales_target / k.months AS sales_target, 0 AS sales_actual, 0 AS lost_count,
                       t.new_accounts_target::numeric / k.months AS new_accounts_target, 0 AS new_accounts_actual,
                       0 AS visits_planned, 0 AS visits_done, 0 AS service_budget, 0 AS service_cost,
                       0 AS archive_count, NULL::numeric AS archive_completeness
                  FROM key_account_target t
                  JOIN (VALUES ('month', 1), ('quarter', 3), ('year', 12)) AS k(kind, months) ON k.kind = t.period_kind
                 CROSS JOIN generate_series(t.date_from, t.date_to, interval '1 month') AS month
                UNION ALL
                SELECT r.company_id, cp.key_account_manager_id, r.month, 0, r.revenue, 0, 0, 0, 0, 0, 0, 0, 0, NULL
                  FROM (%(revenue)s) AS r JOIN res_partner cp ON cp.id = r.partner_id
                 WHERE cp.is_key_account AND cp.key_account_manager_id IS NOT NULL
                UNION ALL
                SELECT l.company_id, l.responsible_id, date_trunc('month', l.date)::date, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, NULL
                  FROM key_account_loss l WHERE l.responsible_id IS NOT NULL
                UNION ALL
                SELECT a.company_id, COALESCE(a.proposed_manager_id, a.user_id), %(approved_month)s,
                       0, 0, 0, 0, 1, 0, 0, 0, 0, 0, NULL
                  FROM key_account_application a WHERE a.state = 'approved' AND a.approved_date IS NOT NULL
                UNION ALL
                SELECT company_id, user_id, month, 0, 0, 0, 0, 0, planned, done, budget, cost, 0, NULL
                  FROM (%(plans)s) AS plans
                UNION ALL
                SELECT ar.company_id, cp.key_account_manager_id, date_trunc('month', now() AT TIME ZONE %(tz)s)::date,
                       0, 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*), AVG(ar.completeness)
                  FROM key_account_archive ar JOIN res_partner cp ON cp.id = ar.partner_id
                 WHERE cp.is_key_account AND cp.key_account_manager_id IS NOT NULL
                 GROUP BY 1, 2, 3
              ) AS figures
             WHERE user_id IS NOT NULL
             GROUP BY company_id, user_id, month
            """,
            revenue=self.env["key.account.metrics"]._monthly_revenue_query(),
            approved_month=month_of("approved_date"),
            plans=plans,
            tz=tz,
        )

    @api.model
    def _kpi_ratios(self, domain):
        """{user_id: {figure: value}} over the rows of ``domain``, ratios included, from one
        grouped read: sales completion, development completion, visit rate, cost control."""
        measures = [
            "sales_target:sum", "sales_actual:sum", "lost_count:sum", "new_accounts_target:sum",
            "new_accounts_actual:sum", "visits_planned:sum", "visits_done:sum", "service_budget:sum",
            "service_cost:sum", "archive_completeness:avg",
        ]
        result = {}
        for user, *values in self._read_group(domain, ["user_id"], measures):
            figures = dict(zip([m.split(":")[0] for m in measures], values))
            figures["sales_completion"] = _percent(figures["sales_actual"], figures["sales_target"])
            figures["development_completion"] = _percent(figures["new_accounts_actual"], figures["new_accounts_target"])
            figures["visit_rate"] = _percent(figures["visits_done"], figures["visits_planned"])
            figures["cost_ratio"] = _percent(figures["service_cost"], figures["service_budget"])
            result[user] = figures
        return result


def _percent(part, whole):
    return 100.0 * (part or 0.0) / whole if whole else None
