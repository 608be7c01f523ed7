from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class KeyAccountScoreFacts(models.AbstractModel):
    """The set-based fact providers of the scoring engine (issue #4): each answers for a whole
    population of accounts in one statement, on the consolidation rule of key.account.metrics
    (``_score_accounts``: a branch's documents count for the branch and for its headquarters)."""

    _name = "key.account.score.facts"
    _description = "Key Account Scoring Facts"

    @api.model
    def _score_windows(self, period_date):
        """The 12-month windows of the scoring period (``period_date`` = first day of month M):
        w0 = the 12 months ending with M, w1 = the 12 months before, w2 = the 12 before w1."""
        start, end = self.env["key.account.metrics"]._period(period_date)
        return [
            (
                start - relativedelta(months=11 + 12 * back),
                self.env["key.account.metrics"]._period(end - relativedelta(years=back))[1],
            )
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
            accounts=self.env["key.account.metrics"]._score_accounts(partner_ids),
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
            accounts=self.env["key.account.metrics"]._score_accounts(partner_ids),
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
