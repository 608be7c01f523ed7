from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import to_date

KAM = "key_account_mgmt."
KA_CLERK = KAM + "group_ka_clerk"
KA_MANAGER = KAM + "group_ka_manager"
PARTNERS = KAM + "res_partner_action_key_account"
TREND_MONTHS = 12


class KeyAccountDashboard(models.AbstractModel):
    """The Key Accounts app's home (static/src/dashboard, client action ``key_account_dashboard``):
    the figures of a month, and of today, that call for action, over the key accounts of a scope
    (mine: on whose team I am; team: managed by my sales team; company: all of the current
    companies), each with the list behind it.

    One call, :meth:`get_dashboard_data`, in a constant number of queries whatever the number
    of accounts: revenue from ``key.account.metrics`` (the consolidation rule, each invoice
    once), targets and the specialists' KPIs from ``key.account.kpi``, every count and group
    through the ORM as the current user, so that record rules keep a specialist to their
    accounts. Each figure carries the model and domain of the records it counts (``action``):
    the client opens that list (with the views of ``xmlid``'s window action)."""

    _name = "key.account.dashboard"
    _description = "Key Account Dashboard"

    # ------------------------------------------------------------------ entry points (RPC)
    @api.model
    def get_dashboard_data(self, scope=None, month=None, refresh=False):
        """The dashboard of ``scope`` ('mine', 'team', 'company'; default: by group) for the
        month of ``month`` (a date or 'YYYY-MM-DD'; default: this month), as plain dicts. The
        company's figures may be those of a few minutes ago (``as_of``,
        key.account.dashboard.snapshot) unless ``refresh``."""
        scopes = self.env["key.account.scope"]._scopes()
        context, start, end = self._scope_and_month(scope, month, scopes)
        return {
            "scope": context["scope"],
            "scopes": [{"key": key, "label": label} for key, label in scopes],
            "month": fields.Date.to_string(start),
            "currency_id": self.env.company.currency_id.id,
            "can_generate_report": self.env.user.has_group(KA_MANAGER),
            "approvals": self._approval_figures(context),
            **self.env["key.account.dashboard.snapshot"]._kept_or_computed(
                context["scope"], start, refresh, lambda: self._figures(context, start, end)
            ),
        }

    @api.model
    def _scope_and_month(self, scope, month, scopes=None):
        """(the scope's domains, first and last day of the month) of ``scope`` (refused if not
        one of ``scopes``, the user's; default: by group) and the month of ``month`` (default:
        this month)."""
        Scope = self.env["key.account.scope"]
        context = Scope._scope_context(Scope._check_scope(scope, scopes or Scope._scopes()))
        day = to_date(self.env, month, self.env._("Month")) if month else fields.Date.context_today(self)
        return (context, *self.env["key.account.metrics"]._period(day))

    @api.model
    def _scope_figures(self, scope, month):
        """The figures (all but the approvals waiting) of ``scope`` in the month of ``month``,
        as the current user: those the snapshot's refresh computes again."""
        return self._figures(*self._scope_and_month(scope, month))

    @api.model
    def _figures(self, context, start, end):
        """The figures of the scope's accounts (all but the approvals waiting)."""
        return {
            "revenue": self._revenue_figures(context, start, end),
            "attention": self._attention_figures(context, start, end),
            "portfolio": self._portfolio_figures(context),
            "scores": self._score_figures(context, start),
            "specialists": self._specialist_figures(context, start),
        }

    @api.model
    def action_generate_report(self, month):
        """Generate (again) the monthly report of ``month`` (KA Managers) and open it."""
        report = self.env["key.account.report"].generate(month)
        return {
            "type": "ir.actions.act_window",
            "res_model": "key.account.report",
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ building blocks
    @api.model
    def _of_accounts(self, context, field="partner_id"):
        """Domain of the records of ``field`` among the scope's accounts."""
        if "account_ids" in context:
            return [(field, "in", context["account_ids"])]
        return [(field, "any", context["accounts"])]

    @api.model
    def _of_specialists(self, context):
        """Domain of the records of the scope's specialists (targets, KPIs)."""
        users = [("user_id", "in", context["users"])] if context["users"] is not None else []
        return [("company_id", "in", context["companies"]), *users]

    @api.model
    def _action(self, model, domain, name, xmlid=None, **more):
        """The list of a figure: ``model``'s records of ``domain``, titled ``name``, in the
        views of the window action ``xmlid``."""
        return {"res_model": model, "domain": domain, "name": name, "xmlid": xmlid, "context": {}, **more}

    @api.model
    def _count(self, key, label, model, domain, xmlid, name=None):
        return {
            "key": key,
            "label": label,
            "value": self.env[model].search_count(domain),
            "action": self._action(model, domain, name or label, xmlid),
        }

    # ------------------------------------------------------------------ revenue and target
    @api.model
    def _revenue_figures(self, context, start, end):
        """The scope's revenue of the month, of the year to date and of the 12 months to the
        month with the 12 before (key.account.metrics: group figures, each invoice once),
        the target of each month (key.account.kpi), the share of the company's revenue (for
        those who see all its accounts)."""
        metrics = self.env["key.account.metrics"]
        first = start - relativedelta(months=2 * TREND_MONTHS - 1)
        account_ids = self.env["res.partner"].search(context["accounts"]).ids
        by_month = metrics._revenue_by_month(account_ids, first, end, consolidate=True, total=True)
        months = [start - relativedelta(months=back) for back in range(TREND_MONTHS - 1, -1, -1)]
        kpi_domain = [*self._of_specialists(context), ("month", ">=", months[0]), ("month", "<=", start)]
        kpi = self.env["key.account.kpi"].with_context(key_account_kpi_measures=["sales_target"])
        targets = dict(kpi._read_group(kpi_domain, ["month:month"], ["sales_target:sum"]))
        year_start = metrics._period(start, "year")[0]
        revenue = by_month.get(start, 0.0)
        revenue_ytd = sum(amount for month, amount in by_month.items() if year_start <= month <= start)
        target = targets.get(start, 0.0)
        share = share_ytd = None
        if self.env.su or self.env.user.has_group(KA_CLERK):
            company, company_ytd = metrics._revenue_total(start, end), metrics._revenue_total(year_start, end)
            share = 100.0 * revenue / company if company else 0.0
            share_ytd = 100.0 * revenue_ytd / company_ytd if company_ytd else 0.0
        invoices = self._invoice_action(context, account_ids, first, end)
        month_domain = [("invoice_date", ">=", start), ("invoice_date", "<=", end)]
        targets_action = self._action(
            "key.account.target",
            self._of_specialists(context),
            self.env._("Targets"),
            KAM + "key_account_target_action",
        )
        covering = [("date_from", "<=", end), ("date_to", ">=", start)]
        return {
            "month": revenue,
            "ytd": revenue_ytd,
            "target": target,
            "completion": 100.0 * revenue / target if target else None,
            "share": share,
            "share_ytd": share_ytd,
            "action": {**invoices, "domain": invoices["domain"] + (month_domain if invoices["dates"] else [])},
            "target_action": {**targets_action, "domain": [*targets_action["domain"], *covering]},
            "trend": {
                "months": [fields.Date.to_string(month) for month in months],
                "revenue": [by_month.get(month, 0.0) for month in months],
                "previous": [by_month.get(month - relativedelta(years=1), 0.0) for month in months],
                "target": [targets.get(month, 0.0) for month in months],
                # the invoices and targets of a month: these domains and the month's dates
                "action": invoices,
                "target_action": targets_action,
            },
        }

    @api.model
    def _invoice_action(self, context, account_ids, date_from, date_to):
        """The invoices and refunds counted in the scope's revenue, if the user reads all those
        of the period; else (no invoicing rights, a salesperson's own documents only) the
        scope's accounts, ``dates`` False."""
        domain = [
            ("commercial_partner_id", "any", self.env["key.account.metrics"]._counted_domain(context["accounts"])),
            ("state", "=", "posted"),
            ("move_type", "in", ["out_invoice", "out_refund"]),
            ("company_id", "in", context["companies"]),
        ]
        Move = self.env["account.move"]
        if Move.has_access("read") and account_ids:
            period = SQL("m.invoice_date BETWEEN %s AND %s", date_from, date_to)
            self.env.cr.execute(
                self.env["key.account.metrics"]._invoices_query(SQL("COUNT(*)"), account_ids, True, True, period)
            )
            [(count,)] = self.env.cr.fetchall()
            dates = [("invoice_date", ">=", date_from), ("invoice_date", "<=", date_to)]
            if Move.search_count([*domain, *dates]) == count:
                name = self.env._("Key Accounts' Invoices")
                return self._action("account.move", domain, name, "account.action_move_out_invoice_type", dates=True)
        return self._action("res.partner", context["accounts"], self.env._("Key Accounts"), PARTNERS, dates=False)

    # ------------------------------------------------------------------ what calls for action
    @api.model
    def _attention_figures(self, context, start, end):
        """Counts of today (overdue visits, escalations, unconfirmed states, SLA breaches
        still open, credit warnings, open relationship risks) and of the month (news, monthly
        reviews not filed)."""
        done = self.env["key.account.monthly.review"]._read_group(
            [*self._of_accounts(context), ("period_date", "=", start), ("state", "=", "done")], ["partner_id"]
        )

        def accounts(key, label, condition, xmlid=PARTNERS, name=None):
            return self._count(key, label, "res.partner", [*context["accounts"], *condition], xmlid, name)

        tickets = [
            *self._of_accounts(context, "key_account_id"),
            ("stage_id.closed", "=", False),
            ("sla_breached", "=", True),
        ]
        news = [*self._of_accounts(context), ("date", ">=", start), ("date", "<=", end)]
        return [
            accounts("accounts", self.env._("Key Accounts"), []),
            accounts(
                "visit_overdue",
                self.env._("Visits Overdue"),
                [("key_account_visit_overdue", "=", True)],
                KAM + "res_partner_action_visit_overdue",
            ),
            accounts(
                "escalated",
                self.env._("Escalations"),
                [("key_account_escalated", "=", True)],
                name=self.env._("Escalated Key Accounts"),
            ),
            accounts(
                "unconfirmed",
                self.env._("States Unconfirmed"),
                [("cooperation_state_unconfirmed", "=", True)],
                KAM + "res_partner_action_cooperation_state",
            ),
            self._count(
                "sla_breached",
                self.env._("SLA Breached, Open"),
                "helpdesk.ticket",
                tickets,
                KAM + "helpdesk_ticket_action",
                self.env._("Open Complaints past their SLA"),
            ),
            accounts(
                "credit_warning",
                self.env._("Credit Warnings"),
                [("key_account_credit_flag", "=", True)],
                KAM + "res_partner_action_credit_warning",
            ),
            self._count(
                "relationship_risks",
                self.env._("Relationship Risks"),
                "key.account.relationship.signal",
                self._of_accounts(context),
                KAM + "key_account_relationship_signal_action",
            ),
            self._count(
                "news", self.env._("News of the Month"), "key.account.news", news, KAM + "key_account_news_action"
            ),
            accounts(
                "review_missing",
                self.env._("Monthly Reviews to Write"),
                [("id", "not in", [partner.id for (partner,) in done])],
                name=self.env._("Key Accounts without a Monthly Review"),
            ),
        ]

    # ------------------------------------------------------------------ portfolio
    @api.model
    def _portfolio_figures(self, context):
        """The scope's accounts by tier and by cooperation state."""
        Partner = self.env["res.partner"]
        accounts = context["accounts"]
        tiers = [
            {
                "key": tier.id or 0,
                "label": tier.name or self.env._("No Tier"),
                "color": tier.color or 0,
                "value": count,
                "action": self._action(
                    "res.partner", [*accounts, ("key_account_tier_id", "=", tier.id)], tier.name, PARTNERS
                ),
            }
            for tier, count in Partner._read_group(accounts, ["key_account_tier_id"], ["__count"])
        ]
        labels = dict(Partner._fields["cooperation_state"]._description_selection(self.env))
        counts = dict(Partner._read_group(accounts, ["cooperation_state"], ["__count"]))
        states = [
            {
                "key": state or "none",
                "label": labels.get(state, self.env._("No State")),
                "value": counts[state],
                "action": self._action(
                    "res.partner",
                    [*accounts, ("cooperation_state", "=", state)],
                    labels.get(state, self.env._("No State")),
                    PARTNERS,
                ),
            }
            for state in [*labels, False]
            if counts.get(state)
        ]
        return {"tiers": tiers, "states": states}

    # ------------------------------------------------------------------ scores
    @api.model
    def _score_figures(self, context, start, movers=5):
        """The latest scoring up to the month (its snapshots of the scope's accounts): their
        number and average, by grade, and the accounts whose score rose or fell most."""
        Score = self.env["key.account.score"]
        scope = self._of_accounts(context)
        # the latest snapshot by the index on the month, not the maximum over every snapshot
        latest = Score.search_fetch(
            [*scope, ("period_date", "<=", start)], ["period_date"], order="period_date desc", limit=1
        )
        period = latest.period_date
        if not period:
            return {"period": False, "count": 0, "average": 0.0, "grades": [], "up": [], "down": []}
        domain = [*scope, ("period_date", "=", period)]
        labels = dict(Score._fields["grade"]._description_selection(self.env))
        grades = {
            grade: (count, total)
            for grade, count, total in Score._read_group(domain, ["grade"], ["__count", "score:sum"])
        }
        count = sum(n for n, _total in grades.values())
        name = self.env._("Scores of %(month)s", month=period.strftime("%Y-%m"))
        score_action = KAM + "key_account_score_action"

        def mover(snapshot):
            return {
                "key": snapshot.id,
                "label": snapshot.partner_id.complete_name,
                "score": snapshot.score,
                "change": snapshot.score_change,
                "action": self._action(
                    "key.account.score",
                    [("partner_id", "=", snapshot.partner_id.id)],
                    snapshot.partner_id.complete_name,
                    score_action,
                ),
            }

        columns = ["partner_id", "score", "score_change"]
        up = Score.search_fetch(
            [*domain, ("score_change", ">", 0)], columns, order="score_change desc, id", limit=movers
        )
        down = Score.search_fetch([*domain, ("score_change", "<", 0)], columns, order="score_change, id", limit=movers)
        # a key account is a company: its name as shown is its complete name (stored; the
        # display name would read every column of the partners to compute it)
        (up | down).partner_id.fetch(["complete_name"])
        return {
            "period": fields.Date.to_string(period),
            "count": count,
            "average": sum(total for _n, total in grades.values()) / count if count else 0.0,
            "action": self._action("key.account.score", domain, name, score_action),
            "grades": [
                {
                    "key": grade or "none",
                    "label": labels.get(grade, self.env._("No Grade")),
                    "value": grades[grade][0],
                    "action": self._action("key.account.score", [*domain, ("grade", "=", grade)], name, score_action),
                }
                for grade in [*labels, False]
                if grade in grades
            ],
            "up": [mover(snapshot) for snapshot in up],
            "down": [mover(snapshot) for snapshot in down],
        }

    # ------------------------------------------------------------------ approvals and claims
    @api.model
    def _approval_figures(self, context):
        """Records submitted for approval (nominations, visits, receptions, policies, annual
        reviews) and visits and receptions with expenses claimed, not decided yet."""
        submitted = [("state", "=", "submitted")]
        if context["scope"] == "mine":
            nominations = ["|", ("user_id", "=", self.env.uid), ("proposed_manager_id", "=", self.env.uid)]
        elif context["scope"] == "team":
            nominations = [("user_id", "in", context["users"])]
        else:
            nominations = [("company_id", "in", context["companies"])]
        claimed = [("expense_line_ids.state", "=", "claimed")]
        figures = [
            ("nominations", self.env._("Nominations"), "key.account.application", [*submitted, *nominations]),
            ("visits", self.env._("Visits"), "key.account.visit", [*submitted, *self._of_accounts(context)]),
            (
                "receptions",
                self.env._("Receptions"),
                "key.account.reception",
                [*submitted, *self._of_accounts(context)],
            ),
            (
                "policies",
                self.env._("Preferential Policies"),
                "key.account.policy",
                [*submitted, *self._of_accounts(context)],
            ),
            (
                "visit_claims",
                self.env._("Visit Expenses Claimed"),
                "key.account.visit",
                [*claimed, *self._of_accounts(context)],
            ),
            (
                "reception_claims",
                self.env._("Reception Expenses Claimed"),
                "key.account.reception",
                [*claimed, *self._of_accounts(context)],
            ),
        ]
        if context["scope"] != "mine":
            reviews = [*submitted, ("company_id", "in", context["companies"])]
            figures.insert(4, ("reviews", self.env._("Annual Reviews"), "key.account.review", reviews))
        return [
            self._count(key, label, model, domain, f"{KAM}{model.replace('.', '_')}_action")
            for key, label, model, domain in figures
        ]

    # ------------------------------------------------------------------ specialists
    @api.model
    def _specialist_figures(self, context, start):
        """The KPIs of the month of the scope's specialists (key.account.kpi)."""
        month = [*self._of_specialists(context), ("month", "=", start)]
        names = ("sales_target", "sales_actual", "sales_completion", "visit_rate", "complaint_valid")
        names += ("feedback_on_time", "archive_completeness")
        # only the sources of the figures shown (the service plans' compliance of every account
        # of the company, for one, is not)
        measures = ["sales_target", "sales_actual", "visits_planned", "complaint_count", "archive_completeness"]
        kpis = self.env["key.account.kpi"].with_context(key_account_kpi_measures=measures)._kpi_ratios(month)
        return [
            {
                "key": user.id,
                "label": user.name,
                **{name: figures[name] for name in names},
                "action": self._action(
                    "key.account.kpi", [*month, ("user_id", "=", user.id)], user.name, KAM + "key_account_kpi_action"
                ),
            }
            for user, figures in sorted(kpis.items(), key=lambda item: item[0].name or "")
        ]
