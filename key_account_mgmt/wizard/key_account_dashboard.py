from markupsafe import Markup, escape

from odoo import api, fields, models

from ..tools import ensure_one


class KeyAccountDashboard(models.TransientModel):
    """The KA Manager's dashboard: the figures of a month that call for action — portfolio,
    sales share, escalations, unconfirmed states, overdue visits, approvals waiting, news —
    and the KPIs of every specialist, each with the list behind it one click away."""

    _name = "key.account.dashboard"
    _description = "Key Account Dashboard"

    month = fields.Date(
        required=True,
        default=lambda self: self.env["key.account.metrics"]._period(fields.Date.context_today(self))[0],
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    key_account_count = fields.Integer(string="Key Accounts", compute="_compute_figures")
    revenue_month = fields.Monetary(
        string="Key Accounts' Revenue of the Month", currency_field="currency_id", compute="_compute_figures"
    )
    share_month = fields.Float(string="Share of Company Revenue (%)", digits=(16, 2), compute="_compute_figures")
    revenue_ytd = fields.Monetary(
        string="Key Accounts' Revenue Year to Date", currency_field="currency_id", compute="_compute_figures"
    )
    share_ytd = fields.Float(string="Share Year to Date (%)", digits=(16, 2), compute="_compute_figures")
    escalated_count = fields.Integer(string="Escalated", compute="_compute_figures")
    unconfirmed_count = fields.Integer(string="States Unconfirmed", compute="_compute_figures")
    visit_overdue_count = fields.Integer(string="Visits Overdue", compute="_compute_figures")
    approval_count = fields.Integer(
        string="Waiting for Approval", compute="_compute_figures", help="Nominations, visits and receptions submitted."
    )
    news_count = fields.Integer(string="News of the Month", compute="_compute_figures")
    review_missing_count = fields.Integer(string="Monthly Reviews to Write", compute="_compute_figures")
    kpi_table = fields.Html(string="KPIs per Specialist", compute="_compute_figures", sanitize=False)

    @api.depends("month", "company_id")
    def _compute_figures(self):
        for dashboard in self:
            dashboard.update(dashboard.with_context(allowed_company_ids=[dashboard.company_id.id])._figures())

    def _figures(self):
        metrics = self.env["key.account.metrics"]
        start, end = metrics._period(self.month)
        year_start = metrics._period(start, "year")[0]
        partners = self.env["res.partner"]
        accounts = partners.search(self._account_domain())
        # the key accounts' group figures added up, each invoice once (as the monthly report)
        revenue_month = metrics._revenue(accounts.ids, start, end, consolidate=True, total=True)
        revenue_ytd = metrics._revenue(accounts.ids, year_start, end, consolidate=True, total=True)
        company_month = metrics._revenue_total(start, end)
        company_ytd = metrics._revenue_total(year_start, end)
        waiting = sum(
            self.env[model].search_count([("state", "=", "submitted")])
            for model in ("key.account.application", "key.account.visit", "key.account.reception")
        )
        reviews_done = self.env["key.account.monthly.review"].search_count(
            [("period_date", "=", start), ("state", "=", "done")]
        )
        return {
            "key_account_count": len(accounts),
            "revenue_month": revenue_month,
            "share_month": 100.0 * revenue_month / company_month if company_month else 0.0,
            "revenue_ytd": revenue_ytd,
            "share_ytd": 100.0 * revenue_ytd / company_ytd if company_ytd else 0.0,
            "escalated_count": partners.search_count(self._account_domain([("key_account_escalated", "=", True)])),
            "unconfirmed_count": partners.search_count(
                self._account_domain([("cooperation_state_unconfirmed", "=", True)])
            ),
            "visit_overdue_count": partners.search_count(
                self._account_domain([("key_account_visit_overdue", "=", True)])
            ),
            "approval_count": waiting,
            "news_count": self.env["key.account.news"].search_count([("date", ">=", start), ("date", "<=", end)]),
            "review_missing_count": max(len(accounts) - reviews_done, 0),
            "kpi_table": self._kpi_table(start),
        }

    def _account_domain(self, extra=()):
        return [("is_key_account", "=", True), ("company_id", "in", [self.company_id.id, False]), *extra]

    def _kpi_table(self, month):
        kpis = self.env["key.account.kpi"]._kpi_ratios([("company_id", "=", self.company_id.id), ("month", "=", month)])
        headers = [
            self.env._("Specialist"),
            self.env._("Sales Target"),
            self.env._("Actual Sales"),
            self.env._("Sales Completion"),
            self.env._("Lost"),
            self.env._("New"),
            self.env._("Visit Rate"),
            self.env._("Cost against Budget"),
            self.env._("Valid Complaints"),
            self.env._("Feedback on Time"),
            self.env._("Archive Completeness"),
        ]

        def percent(value):
            return "" if value is None else f"{value:.1f} %"

        def money(value):
            return f"{value or 0.0:,.2f}"

        rows = [
            [
                user.name,
                money(f["sales_target"]),
                money(f["sales_actual"]),
                percent(f["sales_completion"]),
                str(f["lost_count"]),
                f"{f['new_accounts_actual']} / {f['new_accounts_target']:.1f}",
                percent(f["visit_rate"]),
                percent(f["cost_ratio"]),
                str(f["complaint_valid"]),
                percent(f["feedback_on_time"]),
                percent(f["archive_completeness"]),
            ]
            for user, f in sorted(kpis.items(), key=lambda item: item[0].name or "")
        ]
        if not rows:
            return Markup("<p class='text-muted'>%s</p>") % self.env._("No KPI figures for this month yet.")
        head = Markup("").join(Markup("<th>%s</th>") % header for header in headers)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % escape(cell) for cell in row)
            for row in rows
        )
        return Markup(
            "<table class='table table-sm table-striped o_kam_kpi_table'><thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (head, body)

    # ------------------------------------------------------------------ drill-down
    def _open_partners(self, name, extra):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(self.env.ref("key_account_mgmt.res_partner_view_list_key_account").id, "list"), (False, "form")],
            "domain": self._account_domain(extra),
        }

    def action_open_accounts(self):
        ensure_one(self)
        return self._open_partners(self.env._("Key Accounts"), [])

    def action_open_escalated(self):
        ensure_one(self)
        return self._open_partners(self.env._("Escalated Key Accounts"), [("key_account_escalated", "=", True)])

    def action_open_unconfirmed(self):
        ensure_one(self)
        return self._open_partners(self.env._("States Unconfirmed"), [("cooperation_state_unconfirmed", "=", True)])

    def action_open_visit_overdue(self):
        ensure_one(self)
        return self._open_partners(self.env._("Visits Overdue"), [("key_account_visit_overdue", "=", True)])

    def action_open_news(self):
        ensure_one(self)
        start, end = self.env["key.account.metrics"]._period(self.month)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("News of the Month"),
            "res_model": "key.account.news",
            "view_mode": "list,form",
            "domain": [("date", ">=", start), ("date", "<=", end)],
        }

    def action_open_reviews(self):
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monthly Reviews"),
            "res_model": "key.account.monthly.review",
            "view_mode": "list,form",
            "domain": [("period_date", "=", self.env["key.account.metrics"]._period(self.month)[0])],
        }

    def action_generate_report(self):
        """Generate (again) the monthly report of the chosen month and open it."""
        ensure_one(self)
        report = self.env["key.account.report"].generate(self.month, self.company_id.id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "key.account.report",
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_kpis(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_kpi_action")
        month = self.env["key.account.metrics"]._period(self.month)[0]
        action["domain"] = [("company_id", "=", self.company_id.id), ("month", "=", month)]
        return action
