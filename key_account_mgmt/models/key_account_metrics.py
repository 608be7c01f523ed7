from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

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
    def _counted_domain(self, accounts_domain):
        """The rule of :meth:`_accounts_query` as a domain on res.partner: the customers whose
        documents count for the accounts of ``accounts_domain`` (each, and with its branches),
        to list the documents behind a consolidated figure."""
        branches = [
            ("key_account_group_relation", "=", "branch"),
            ("key_account_headquarters_id", "any", accounts_domain),
        ]
        return expression.OR([accounts_domain, branches])

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
    def _invoices_query(self, select, partner_ids, consolidate=True, total=False, where=None, tail=None, joins=None):
        """SQL ``SELECT <select>`` over the posted customer invoices and refunds ``m`` of the
        current companies counting for the accounts ``a.account_id`` of the rule, ``joins``
        (their lines, …) added to the tables, ``where`` to the conditions and ``tail``
        (GROUP BY …) to the statement."""
        self.env["account.move"].flush_model([*INVOICE_FIELDS, "invoice_date_due"])
        return SQL(
            """
            WITH accounts(partner_id, account_id) AS (%(accounts)s)
            SELECT %(select)s
              FROM account_move m
              JOIN accounts a ON a.partner_id = m.commercial_partner_id
              %(joins)s
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.company_id = ANY(%(company_ids)s) AND %(where)s
            %(tail)s
            """,
            accounts=self._accounts_query(partner_ids, consolidate, total),
            joins=joins or SQL(),
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
    def _revenue_by_month(self, partner_ids, date_from, date_to, consolidate=False, total=False):
        """:meth:`_revenue` per month of the invoice date: ``{partner_id: {month: revenue}}``
        (a month by its first day), with ``total`` ``{month: revenue}`` (each invoice once)."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            self._invoices_query(
                SQL("a.account_id, date_trunc('month', m.invoice_date)::date, SUM(m.amount_untaxed_signed)"),
                partner_ids,
                consolidate,
                total,
                where=SQL("m.invoice_date BETWEEN %s AND %s", date_from, date_to),
                tail=SQL("GROUP BY 1, 2"),
            )
        )
        result = {}
        for account_id, month, amount in self.env.cr.fetchall():
            result.setdefault(account_id, {})[month] = amount
        return result.get(0, {}) if total else result

    @api.model
    def _revenue_by_period(self, partner_ids, periods, consolidate=False):
        """:meth:`_revenue` of each period ``(date_from, date_to)`` of ``periods``, in one
        statement: ``{partner_id: [revenue of each period]}`` (the partners without invoices in
        any of them left out)."""
        if not partner_ids or not periods:
            return {}
        sums = SQL(", ").join(
            SQL("COALESCE(SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date BETWEEN %s AND %s), 0)", *period)
            for period in periods
        )
        self.env.cr.execute(
            self._invoices_query(
                SQL("a.account_id, %s", sums),
                partner_ids,
                consolidate,
                where=SQL(
                    "m.invoice_date BETWEEN %s AND %s",
                    min(date_from for date_from, _date_to in periods),
                    max(date_to for _date_from, date_to in periods),
                ),
                tail=SQL("GROUP BY 1"),
            )
        )
        return {row[0]: list(row[1:]) for row in self.env.cr.fetchall()}

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
    def _purchases_by_category(self, partner_ids, periods, consolidate=True):
        """What the accounts bought from us per product category in each period ``(date_from,
        date_to)`` of ``periods``, in one statement: ``{partner_id: {categ_id: [amount of each
        period]}}`` — the product lines of the posted customer invoices and refunds (refunds
        negative), untaxed, in company currency, with the branches' by default (the whitespace
        of the account plan). Lines without a product have no category and are left out."""
        if not partner_ids or not periods:
            return {}
        self.env["account.move.line"].flush_model(["move_id", "display_type", "balance", "product_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id"])
        sums = SQL(", ").join(
            SQL("COALESCE(SUM(-l.balance) FILTER (WHERE m.invoice_date BETWEEN %s AND %s), 0)", *period)
            for period in periods
        )
        self.env.cr.execute(
            self._invoices_query(
                SQL("a.account_id, t.categ_id, %s", sums),
                partner_ids,
                consolidate,
                joins=SQL(
                    "JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product' "
                    "JOIN product_product p ON p.id = l.product_id "
                    "JOIN product_template t ON t.id = p.product_tmpl_id"
                ),
                where=SQL(
                    "m.invoice_date BETWEEN %s AND %s",
                    min(date_from for date_from, _date_to in periods),
                    max(date_to for _date_from, date_to in periods),
                ),
                tail=SQL("GROUP BY 1, 2"),
            )
        )
        result = {}
        for account_id, categ_id, *amounts in self.env.cr.fetchall():
            result.setdefault(account_id, {})[categ_id] = amounts
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
        # the customers' sums in a subquery, the accounts in a lateral one: the view's filter on
        # the month reaches the invoices' aggregate instead of summing every month first, through
        # the index on the invoice month (account_move.py: the expression must stay the same)
        return SQL(
            """
            SELECT c.company_id, mg.user_id, c.month, c.revenue
              FROM (SELECT m.company_id, m.commercial_partner_id AS partner_id,
                           date_trunc('month', m.invoice_date::timestamp)::date AS month,
                           SUM(m.amount_untaxed_signed) AS revenue
                      FROM account_move m
                     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                       AND m.invoice_date IS NOT NULL
                     GROUP BY 1, 2, 3) AS c
             CROSS JOIN LATERAL (
                   WITH accounts(partner_id, account_id) AS (%(accounts)s)
                   SELECT DISTINCT %(manager)s AS user_id
                     FROM accounts a
                     JOIN res_partner k ON k.id = a.account_id
                    WHERE a.partner_id = c.partner_id AND (k.is_key_account OR k.key_account_lost) AND %(member)s
             ) AS mg
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
