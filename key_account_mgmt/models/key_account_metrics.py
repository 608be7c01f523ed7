from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import context_tz

INVOICE_FIELDS = ["state", "move_type", "company_id", "commercial_partner_id", "invoice_date", "amount_untaxed_signed"]


class KeyAccountMetrics(models.AbstractModel):
    """The one place that knows how the figures of key accounts are computed from posted
    invoices, orders, visits and complaints (ARCHITECTURE: metrics). Every method answers for a
    set of partners in one SQL statement; callers (partner form, credit, report, KPIs, targets,
    monthly reviews, shipment and collection, scoring) never write their own query.

    The consolidation rule (集团客户), one for every figure: a customer's documents count for
    itself, and those of a branch (``key_account_group_relation = 'branch'`` with a
    headquarters) count also for its headquarters. A headquarters' group figure is its own plus
    its branches'; a branch shown on its own (a key account itself) shows its own. It is the
    CTE ``accounts(partner_id, account_id)`` of :meth:`_accounts_query`, which every query joins
    to its documents; ``consolidate=False`` asks for a customer's own documents only.

    Where accounts are added up (the report's summary, the dashboard, a specialist's KPIs and
    targets) each document counts once (``total=True``): the sum is taken over the documents of
    the customers that count for at least one of the accounts, so a branch listed with its
    headquarters is not counted twice.

    Periods: :meth:`_period` turns a day into the (first, last) day of its month, quarter or
    year; the month of a document is ``date_trunc('month')`` of its date."""

    _name = "key.account.metrics"
    _description = "Key Account Metrics"

    # ------------------------------------------------------------------ building blocks
    @api.model
    def _period(self, day, kind="month"):
        """(first day, last day) of the month, quarter or year of ``day`` (a date or an ISO
        string): the period of monthly reviews, reports, targets and KPIs."""
        if kind not in ("month", "quarter", "year"):
            raise UserError(self.env._("A period is a month, a quarter or a year."))
        day = fields.Date.to_date(day)
        return fields.Date.start_of(day, kind), fields.Date.end_of(day, kind)

    @api.model
    def _last_12_months(self, today=None):
        """The 12 months up to ``today`` (default: today), today included."""
        today = today or fields.Date.context_today(self)
        return fields.Date.subtract(today, years=1, days=-1), today

    @api.model
    def _accounts_query(self, partner_ids=None, consolidate=True, total=False):
        """SQL of the rows (partner_id, account_id) of the consolidation rule: whose documents
        count for which of the accounts ``partner_ids`` (None: every partner): each one for
        itself and, with ``consolidate``, a branch also for its headquarters. With ``total``,
        one row per customer counting for any of them, under account_id 0 (each document
        once). The branches are read through the partial index of the headquarters, then
        joined to the accounts by hash: testing 20,000 ids on every partner scanned the whole
        table, and estimating ``= ANY`` of 20,000 ids costs the planner 10 ms."""
        self.env["res.partner"].flush_model(["key_account_group_relation", "key_account_headquarters_id"])
        branches = SQL(
            "SELECT id, key_account_headquarters_id AS headquarters_id FROM res_partner "
            "WHERE key_account_headquarters_id IS NOT NULL AND key_account_group_relation = 'branch'"
        )
        if partner_ids is None:
            own = SQL("SELECT id, id FROM res_partner")
            group = SQL("SELECT b.id, b.headquarters_id FROM (%s) AS b", branches)
        else:
            ids = self._int_array(partner_ids)
            own = SQL("SELECT id, id FROM unnest(%s) AS wanted(id)", ids)
            group = SQL(
                "SELECT b.id, b.headquarters_id FROM (%s) AS b JOIN unnest(%s) AS headquarters(id) "
                "ON headquarters.id = b.headquarters_id",
                branches,
                ids,
            )
        rows = SQL("%s UNION ALL %s", own, group) if consolidate else own
        if total:
            return SQL("SELECT DISTINCT partner_id, 0 FROM (%s) AS counted(partner_id, account_id)", rows)
        return rows

    @api.model
    def _score_accounts(self, partner_ids):
        """SQL of the CTE ``accounts(partner_id, account_id)`` of the rule for ``partner_ids``
        (joined to the documents by hash, so one pass aggregates them per account)."""
        return SQL("accounts(partner_id, account_id) AS (%s)", self._accounts_query(partner_ids))

    @api.model
    def _int_array(self, ids):
        """SQL of an integer array (None: NULL) given as one literal: a population of 20,000 ids
        is parsed in a millisecond, where ARRAY[...] of as many constants costs the planner tens."""
        return SQL("%s::int[]", "{%s}" % ",".join("NULL" if i is None else str(int(i)) for i in ids))

    @api.model
    def _invoices_query(self, select, partner_ids, consolidate=True, total=False, where=None, tail=None):
        """SQL ``SELECT <select>`` over the posted customer invoices and refunds ``m`` of the
        current companies counting for the accounts ``a.account_id`` of the rule, ``where``
        added to the conditions and ``tail`` (GROUP BY …) to the statement."""
        self.env["account.move"].flush_model([*INVOICE_FIELDS, "invoice_date_due"])
        return SQL(
            """
            WITH accounts(partner_id, account_id) AS (%(accounts)s)
            SELECT %(select)s
              FROM account_move m
              JOIN accounts a ON a.partner_id = m.commercial_partner_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.company_id = ANY(%(company_ids)s) AND %(where)s
            %(tail)s
            """,
            accounts=self._accounts_query(partner_ids, consolidate, total),
            select=select,
            company_ids=self.env.companies.ids,
            where=where or SQL("TRUE"),
            tail=tail or SQL(),
        )

    # ------------------------------------------------------------------ invoices
    @api.model
    def _revenue(self, partner_ids, date_from, date_to, consolidate=False, total=False):
        """Invoiced revenue net of refunds, untaxed, in company currency, per partner id, of the
        invoices dated between ``date_from`` and ``date_to`` (inclusive): the customer's own,
        or with ``consolidate`` its group figure; with ``total`` one amount (each invoice once)."""
        if not partner_ids:
            return 0.0 if total else {}
        self.env.cr.execute(
            self._invoices_query(
                SQL("a.account_id, SUM(m.amount_untaxed_signed)"),
                partner_ids,
                consolidate,
                total,
                where=SQL("m.invoice_date BETWEEN %s AND %s", date_from, date_to),
                tail=SQL("GROUP BY 1"),
            )
        )
        revenue = dict(self.env.cr.fetchall())
        return revenue.get(0, 0.0) if total else revenue

    @api.model
    def _revenue_by_year(self, partner_ids, years, consolidate=False):
        """{partner_id: {year: revenue}} for the given calendar years, one statement."""
        if not partner_ids or not years:
            return {}
        self.env.cr.execute(
            self._invoices_query(
                SQL("a.account_id, EXTRACT(YEAR FROM m.invoice_date)::int, SUM(m.amount_untaxed_signed)"),
                partner_ids,
                consolidate,
                where=SQL("EXTRACT(YEAR FROM m.invoice_date)::int = ANY(%s)", list(years)),
                tail=SQL("GROUP BY 1, 2"),
            )
        )
        result = {}
        for partner_id, year, amount in self.env.cr.fetchall():
            result.setdefault(partner_id, {})[year] = amount
        return result

    @api.model
    def _invoice_summary(self, partner_ids, consolidate=False):
        """{partner_id: (invoice count, first invoice date, last invoice date)}."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            self._invoices_query(
                SQL(
                    "a.account_id, COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'), "
                    "MIN(m.invoice_date), MAX(m.invoice_date)"
                ),
                partner_ids,
                consolidate,
                tail=SQL("GROUP BY 1"),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _revenue_total(self, date_from, date_to):
        """All customers' invoiced revenue net of refunds, untaxed, in company currency, of the
        current companies in the period: the denominator of key accounts' share of sales."""
        self.env["account.move"].flush_model(INVOICE_FIELDS)
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(SUM(amount_untaxed_signed), 0) FROM account_move WHERE state = 'posted' "
                "AND move_type IN ('out_invoice', 'out_refund') AND company_id = ANY(%(company_ids)s) "
                "AND invoice_date BETWEEN %(date_from)s AND %(date_to)s",
                company_ids=self.env.companies.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _monthly_sales_query(self):
        """SQL rows (company_id, user_id, month, revenue) for the KPI view: per company and
        month, the invoiced revenue net of refunds counting for the key accounts each user
        managed in that month (:meth:`key.account.roster._manager_at_sql`), on the rule of
        :meth:`_revenue`, each invoice once per user."""
        roster = self.env["key.account.roster"]
        month_end = SQL("(c.month + interval '1 month - 1 day')::date")
        return SQL(
            """
            WITH accounts(partner_id, account_id) AS (%(accounts)s),
            customers AS (
                SELECT m.company_id, m.commercial_partner_id AS partner_id,
                       date_trunc('month', m.invoice_date)::date AS month, SUM(m.amount_untaxed_signed) AS revenue
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date IS NOT NULL
                 GROUP BY 1, 2, 3
            ),
            managers AS (
                SELECT DISTINCT c.company_id, c.partner_id, c.month, %(manager)s AS user_id
                  FROM customers c
                  JOIN accounts a ON a.partner_id = c.partner_id
                  JOIN res_partner k ON k.id = a.account_id
                 WHERE (k.is_key_account OR k.key_account_lost) AND %(member)s
            )
            SELECT c.company_id, mg.user_id, c.month, c.revenue
              FROM managers mg
              JOIN customers c ON c.company_id = mg.company_id AND c.partner_id = mg.partner_id AND c.month = mg.month
             WHERE mg.user_id IS NOT NULL
            """,
            accounts=self._accounts_query(),
            manager=roster._manager_at_sql(SQL("k"), month_end),
            member=roster._key_account_at_sql(SQL("k"), month_end),
        )

    # ------------------------------------------------------------------ receivables
    @api.model
    def _instalments_query(self, partner_ids=None, consolidate=True, total=False, date=None, company_ids=None):
        """SQL rows (line_id, move_id, invoice_date, company_id, partner_id, account_id, due,
        balance, amount_residual), one per instalment (payment term line) of the posted customer
        invoices and refunds and account it counts for (partner_ids None: every partner), dated
        up to ``date`` if given, of ``company_ids`` if given: receivables and the shipment and
        collection report."""
        self.env["account.move"].flush_model([*INVOICE_FIELDS, "invoice_date_due"])
        self.env["account.move.line"].flush_model(
            ["move_id", "display_type", "balance", "date_maturity", "amount_residual"]
        )
        where = [SQL("TRUE")]
        if date:
            where.append(SQL("m.invoice_date <= %s", date))
        if company_ids is not None:
            where.append(SQL("m.company_id = ANY(%s)", list(company_ids)))
        return SQL(
            """
            WITH accounts(partner_id, account_id) AS (%(accounts)s)
            SELECT l.id AS line_id, m.id AS move_id, m.invoice_date, m.company_id,
                   m.commercial_partner_id AS partner_id, a.account_id,
                   COALESCE(l.date_maturity, m.invoice_date_due) AS due, l.balance, l.amount_residual
              FROM account_move m
              JOIN accounts a ON a.partner_id = m.commercial_partner_id
              JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') AND %(where)s
            """,
            accounts=self._accounts_query(partner_ids, consolidate, total),
            where=SQL(" AND ").join(where),
        )

    @api.model
    def _receivable_summary(self, partner_ids, date=None, consolidate=False, total=False):
        """Receivables of customer invoices (客户出货回款) per partner id as of ``date`` (default
        today), tax included, in company currency, in one SQL statement:
        ``{partner_id: {'invoiced', 'paid', 'residual', 'overdue', 'overdue_days'}}``.

        - invoiced: receivables of the posted invoices dated up to ``date``, net of refunds;
        - residual: what of it was still open on ``date`` (payments and credit notes matched
          up to that date deducted, from the reconciliations), paid = invoiced - residual;
        - overdue: the open part of the instalments due before ``date``;
        - overdue_days: days past due of the oldest instalment still open (0 if none).

        The customer's own invoices, or with ``consolidate`` its group figure; with ``total``
        one such dict over all of them (each invoice once), empty without invoices."""
        if not partner_ids:
            return {}
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "credit_move_id", "amount", "max_date"])
        self.env.cr.execute(
            SQL(
                """
            WITH instalments AS (
                SELECT i.account_id, i.due, i.balance,
                       i.balance - COALESCE(settled.as_debit, 0) + COALESCE(settled.as_credit, 0) AS residual
                  FROM (%(instalments)s) AS i
                  LEFT JOIN LATERAL (
                        SELECT SUM(p.amount) FILTER (WHERE p.debit_move_id = i.line_id) AS as_debit,
                               SUM(p.amount) FILTER (WHERE p.credit_move_id = i.line_id) AS as_credit
                          FROM account_partial_reconcile p
                         WHERE (p.debit_move_id = i.line_id OR p.credit_move_id = i.line_id) AND p.max_date <= %(date)s
                  ) AS settled ON TRUE
            )
            SELECT account_id, SUM(balance), SUM(balance - residual), SUM(residual),
                   COALESCE(SUM(residual) FILTER (WHERE due < %(date)s), 0),
                   COALESCE(MAX(%(date)s - due) FILTER (WHERE due < %(date)s AND residual > 0), 0)
              FROM instalments
             GROUP BY account_id
            """,
                instalments=self._instalments_query(
                    partner_ids, consolidate, total, date=date, company_ids=self.env.companies.ids
                ),
                date=date,
            )
        )
        summary = {
            row[0]: {"invoiced": row[1], "paid": row[2], "residual": row[3], "overdue": row[4], "overdue_days": row[5]}
            for row in self.env.cr.fetchall()
        }
        return summary.get(0, {}) if total else summary

    # ------------------------------------------------------------------ visits and complaints
    @api.model
    def _visit_summary(self, partner_ids):
        """{partner_id: (last reported date, reported visits, reported receptions)}."""
        if not partner_ids:
            return {}
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_done"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, (MAX(date_done) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                   COUNT(*) FILTER (WHERE kind = 'visit'), COUNT(*) FILTER (WHERE kind = 'reception')
              FROM (SELECT partner_id, date_done, 'visit' AS kind FROM key_account_visit
                     WHERE state IN ('done', 'closed') AND partner_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT partner_id, date_done, 'reception' FROM key_account_reception
                     WHERE state IN ('done', 'closed') AND partner_id = ANY(%(ids)s)) AS reported
             GROUP BY partner_id
            """,
                ids=list(partner_ids),
                tz=context_tz(self.env),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _visit_plans_query(self, date_from=None, date_to=None, user_ids=None, company_ids=None):
        """SQL rows (company_id, user_id, month, done, budget, cost), one per visit or reception
        planned (cancelled and rejected plans left out), planned between the two dates if
        given, of ``company_ids`` if given: done 1 once reported, cost its approved and paid
        expenses. The source of the visit rate and the service cost (KPIs)."""
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["user_id", "state", "date_planned", "company_id", "budget"])
        self.env["key.account.visit.expense"].flush_model(["visit_id", "reception_id", "state", "amount"])
        where = [SQL("p.state NOT IN ('cancelled', 'rejected')")]
        if date_from:
            where.append(SQL("p.date_planned >= %s", fields.Datetime.to_datetime(date_from)))
        if date_to:
            where.append(SQL("p.date_planned < %s", fields.Datetime.to_datetime(fields.Date.add(date_to, days=1))))
        if user_ids is not None:
            where.append(SQL("p.user_id = ANY(%s)", list(user_ids)))
        if company_ids is not None:
            where.append(SQL("p.company_id = ANY(%s)", list(company_ids)))

        def plans(table, parent):
            return SQL(
                """SELECT p.company_id, p.user_id,
                          date_trunc('month', (p.date_planned AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date AS month,
                          (p.state IN ('done', 'closed'))::int AS done, COALESCE(p.budget, 0) AS budget,
                          (SELECT COALESCE(SUM(e.amount), 0) FROM key_account_visit_expense e
                            WHERE e.%(parent)s = p.id AND e.state IN ('approved', 'paid')) AS cost
                     FROM %(table)s p WHERE %(where)s""",
                tz=context_tz(self.env),
                parent=SQL.identifier(parent),
                table=SQL.identifier(table),
                where=SQL(" AND ").join(where),
            )

        return SQL(
            "%s UNION ALL %s",
            plans("key_account_visit", "visit_id"),
            plans("key_account_reception", "reception_id"),
        )

    @api.model
    def _visit_rate(self, date_from, date_to, user_ids=None):
        """Visit rate per responsible person (大客户回访率 = done / planned): {user_id: (planned,
        done)} over the visits and receptions planned in the period, cancelled and rejected
        plans left out."""
        self.env.cr.execute(
            SQL(
                "SELECT user_id, COUNT(*), SUM(done)::int FROM (%s) AS plans GROUP BY user_id",
                self._visit_plans_query(date_from, date_to, user_ids or None, self.env.companies.ids),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _visit_counts(self, partner_ids, date_from, date_to):
        """{partner_id: (visits planned, visits done, receptions done)} in the period: plans
        dated in it (cancelled and rejected left out), reports whose actual date falls in it."""
        if not partner_ids:
            return {}
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_planned", "date_done"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id,
                   COUNT(*) FILTER (WHERE kind = 'visit' AND date_planned >= %(start)s AND date_planned < %(end)s
                                      AND state NOT IN ('cancelled', 'rejected')),
                   COUNT(*) FILTER (WHERE kind = 'visit' AND date_done >= %(start)s AND date_done < %(end)s
                                      AND state IN ('done', 'closed')),
                   COUNT(*) FILTER (WHERE kind = 'reception' AND date_done >= %(start)s AND date_done < %(end)s
                                      AND state IN ('done', 'closed'))
              FROM (SELECT partner_id, state, date_planned, date_done, 'visit' AS kind FROM key_account_visit
                     WHERE partner_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT partner_id, state, date_planned, date_done, 'reception' FROM key_account_reception
                     WHERE partner_id = ANY(%(ids)s)) AS plans
             GROUP BY partner_id
            """,
                ids=list(partner_ids),
                start=fields.Datetime.to_datetime(date_from),
                end=fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _complaint_summary(self, date_from, date_to, partner_ids=None, user_ids=None, group_by=None):
        """Complaints and service requests of key accounts received between ``date_from`` and
        ``date_to`` (dates, inclusive), for the KPIs of seed 001 §2.1 (有效投诉次数, 意见反馈及时率,
        解答及时性), in one SQL statement:
        ``{key: {'count', 'valid', 'replied', 'replied_in_sla', 'resolved', 'resolved_in_sla'}}``.

        - ``count``: complaints and requests received (the denominator of 意见反馈及时率);
          ``valid``: complaints assessed valid (确因人员或企业过失);
        - ``replied`` / ``resolved``: with a first reply / a resolution; ``*_in_sla``: within
          the tier's deadline (working hours).

        Keyed by key account (partner id), or by account manager (user id responsible when
        the complaint was received) when ``user_ids`` is given or ``group_by='user'``.
        ``partner_ids`` / ``user_ids`` restrict the scope; companies: the current ones."""
        group_by = group_by or ("user" if user_ids is not None else "partner")
        self.env.cr.execute(self._complaint_summary_query(date_from, date_to, partner_ids, user_ids, group_by))
        names = ("count", "valid", "replied", "replied_in_sla", "resolved", "resolved_in_sla")
        return {row[0]: dict(zip(names, row[1:])) for row in self.env.cr.fetchall()}

    @api.model
    def _complaint_summary_query(
        self, date_from, date_to, partner_ids=None, user_ids=None, group_by="partner", company_ids=None
    ):
        """The SQL of :meth:`_complaint_summary`: rows (key, count, valid, replied,
        replied_in_sla, resolved, resolved_in_sla); ``company_ids`` default: the current ones."""
        if group_by not in ("partner", "user"):
            raise UserError(self.env._("Complaints are summed up by 'partner' or by 'user'."))
        rows = self._complaint_rows_query(
            date_from, date_to, partner_ids, user_ids, list(company_ids or self.env.companies.ids)
        )
        return SQL(
            """
            SELECT %(key)s AS key, COUNT(*) AS count, COUNT(*) FILTER (WHERE valid) AS valid,
                   COUNT(*) FILTER (WHERE replied) AS replied,
                   COUNT(*) FILTER (WHERE replied_in_sla) AS replied_in_sla,
                   COUNT(*) FILTER (WHERE resolved) AS resolved,
                   COUNT(*) FILTER (WHERE resolved_in_sla) AS resolved_in_sla
              FROM (%(rows)s) AS complaints
             WHERE %(key)s IS NOT NULL
             GROUP BY 1
            """,
            key=SQL.identifier("user_id" if group_by == "user" else "partner_id"),
            rows=rows,
        )

    @api.model
    def _complaint_rows_query(self, date_from=None, date_to=None, partner_ids=None, user_ids=None, company_ids=None):
        """SQL rows (company_id, partner_id, user_id, month, valid, replied, replied_in_sla,
        resolved, resolved_in_sla), one per complaint or request of a key account (its account
        manager when received), received between the two dates if given, of ``company_ids``
        if given: the source of the complaint summary and of the KPIs."""
        self.env["helpdesk.ticket"].flush_model(
            [
                "key_account_id",
                "key_account_manager_id",
                "date_received",
                "company_id",
                "active",
                "is_valid_complaint",
                "date_replied",
                "reply_in_sla",
                "date_resolved",
                "resolve_in_sla",
            ]
        )
        where = [SQL("key_account_id IS NOT NULL AND active AND date_received IS NOT NULL")]
        if date_from:
            where.append(SQL("date_received >= %s", fields.Datetime.to_datetime(date_from)))
        if date_to:
            end = fields.Date.add(fields.Date.to_date(date_to), days=1)
            where.append(SQL("date_received < %s", fields.Datetime.to_datetime(end)))
        if partner_ids is not None:
            where.append(SQL("key_account_id = ANY(%s)", self._int_array(partner_ids)))
        if user_ids is not None:
            where.append(SQL("key_account_manager_id = ANY(%s)", list(user_ids)))
        if company_ids is not None:
            where.append(SQL("company_id = ANY(%s)", list(company_ids)))
        return SQL(
            """
            SELECT company_id, key_account_id AS partner_id, key_account_manager_id AS user_id,
                   date_trunc('month', (date_received AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date AS month,
                   COALESCE(is_valid_complaint, FALSE) AS valid, date_replied IS NOT NULL AS replied,
                   COALESCE(reply_in_sla, FALSE) AS replied_in_sla, date_resolved IS NOT NULL AS resolved,
                   COALESCE(resolve_in_sla, FALSE) AS resolved_in_sla
              FROM helpdesk_ticket
             WHERE %(where)s
            """,
            tz=context_tz(self.env),
            where=SQL(" AND ").join(where),
        )

    # ------------------------------------------------------------------ scoring (issue #4)
    # Set-based providers of the scoring engine: each answers for a whole population of
    # accounts in one statement, on the consolidation rule (``_score_accounts``).

    @api.model
    def _score_windows(self, period_date):
        """The 12-month windows of the scoring period (``period_date`` = first day of month M):
        w0 = the 12 months ending with M, w1 = the 12 months before, w2 = the 12 before w1."""
        start, end = self._period(period_date)
        return [
            (start - relativedelta(months=11 + 12 * back), self._period(end - relativedelta(years=back))[1])
            for back in range(3)
        ]

    @api.model
    def _score_invoice_facts_query(self, partner_ids, company_id, period_date, reference_date):
        """SQL of one row per account of ``partner_ids`` with invoices, from the posted customer
        invoices and refunds of the company, in company currency, in one pass over the invoices:
        rev_0 / rev_1 / rev_2: untaxed revenue net of refunds of windows w0 / w1 / w2;
        total_0 / residual_0: amount incl. taxes and amount still open of the invoices of w0;
        open_residual / overdue_residual: everything still open of the invoices dated up to the end
        of w0, and the part of it due before ``reference_date``;
        invoice_count_0: customer invoices (refunds not counted) of w0;
        company_rev_0: the company's revenue of w0, all customers (the base of the share of sales).

        The invoices are first summed per customer (every customer, in parallel workers: the
        company's revenue comes from the same pass), then the customers' sums per account, so
        that a branch counts for its headquarters too. Amounts are summed as whole numbers of
        the currency's smallest unit in float8: every partial sum is an integer below 2^53
        (90 trillion units of currency at two decimals), so it is exact to the cent, and float8
        additions are what makes this pass cost about what one numeric SUM over the invoice
        lines costs (bench/README.md)."""
        w0, w1, w2 = self._score_windows(period_date)
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
                "invoice_date_due",
                "amount_untaxed_signed",
                "amount_total_signed",
                "amount_residual_signed",
            ]
        )
        self.env["res.partner"].flush_model(["key_account_group_relation", "key_account_headquarters_id"])
        unit = 10 ** self.env["res.company"].browse(company_id).currency_id.decimal_places
        sums = {
            "rev_0": ("amount_untaxed_signed", w0),
            "rev_1": ("amount_untaxed_signed", w1),
            "rev_2": ("amount_untaxed_signed", w2),
            "total_0": ("amount_total_signed", w0),
            "residual_0": ("amount_residual_signed", w0),
            "open_residual": ("amount_residual_signed", None),
            "overdue_residual": ("amount_residual_signed", "overdue"),
        }

        def smallest_units(column, window):
            amount = SQL("SUM(((m.%s * %s)::int8)::float8)", SQL.identifier(column), unit)
            if window is None:
                return amount
            if window == "overdue":
                return SQL("%s FILTER (WHERE m.invoice_date_due < %s)", amount, reference_date)
            return SQL("%s FILTER (WHERE m.invoice_date BETWEEN %s AND %s)", amount, *window)

        def per_account(name):
            return SQL(
                "SUM(c.%(name)s)::int8 / %(unit)s AS %(name)s", name=SQL.identifier(name), unit=SQL("%s::numeric", unit)
            )

        return SQL(
            """
            WITH %(accounts)s, customers AS (
                SELECT m.commercial_partner_id AS partner_id, %(sums)s,
                       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice' AND m.invoice_date BETWEEN %(f0)s AND %(t0)s) AS invoice_count_0,
                       SUM(%(rev_0)s) OVER () AS company_rev_0
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') AND m.company_id = %(company_id)s
                   AND (m.invoice_date >= %(f2)s OR m.amount_residual_signed <> 0)
                   AND m.invoice_date <= %(t0)s
                 GROUP BY m.commercial_partner_id
            )
            SELECT a.account_id, %(per_account)s, SUM(c.invoice_count_0) AS invoice_count_0,
                   MAX(c.company_rev_0)::int8 / %(unit)s AS company_rev_0
              FROM customers c
              JOIN accounts a ON a.partner_id = c.partner_id
             GROUP BY a.account_id
            """,
            accounts=self._score_accounts(partner_ids),
            sums=SQL(", ").join(
                SQL("%s AS %s", smallest_units(*spec), SQL.identifier(name)) for name, spec in sums.items()
            ),
            per_account=SQL(", ").join(per_account(name) for name in sums),
            rev_0=smallest_units(*sums["rev_0"]),
            unit=SQL("%s::numeric", unit),
            f0=w0[0],
            t0=w0[1],
            f2=w2[0],
            company_id=company_id,
        )

    @api.model
    def _score_order_facts_query(self, partner_ids, company_id, date_from, date_to):
        """SQL of (account_id, margin in company currency, orders) of the confirmed sales
        orders (state 'sale') ordered between two dates (``sale_margin``)."""
        self.env["sale.order"].flush_model(
            ["state", "company_id", "partner_id", "date_order", "margin", "currency_rate"]
        )
        return SQL(
            """
            WITH %(accounts)s
            SELECT a.account_id, SUM(so.margin / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS margin, COUNT(*) AS orders
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN accounts a ON a.partner_id = p.commercial_partner_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company_id)s
               AND so.date_order >= %(start)s AND so.date_order < %(end)s
             GROUP BY a.account_id
            """,
            accounts=self._score_accounts(partner_ids),
            company_id=company_id,
            start=fields.Datetime.to_datetime(date_from),
            end=fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
        )

    @api.model
    def _score_visit_count_query(self, company_id, date_from, date_to):
        """SQL of (account_id, visits): reported visits + receptions (state done or closed) of
        the key account itself whose actual date lies between two dates, for every account
        that has some (the caller joins its own accounts: visits are of key accounts anyway,
        and filtering on 20,000 ids costs more to plan than the few others cost to count)."""
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_done", "company_id"])
        where = SQL(
            "state IN ('done', 'closed') AND company_id = %s AND date_done >= %s AND date_done < %s",
            company_id,
            fields.Datetime.to_datetime(date_from),
            fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
        )
        return SQL(
            "SELECT partner_id AS account_id, COUNT(*) AS visits FROM (SELECT partner_id FROM key_account_visit WHERE %s "
            "UNION ALL SELECT partner_id FROM key_account_reception WHERE %s) AS done GROUP BY partner_id",
            where,
            where,
        )
