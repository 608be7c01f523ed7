from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import context_tz
from .key_account_service_plan import SERVICE_KINDS

# the lines whose compliance makes the overall rate (the gift budget is a ceiling, not a duty)
OBLIGATIONS = tuple(kind for kind in SERVICE_KINDS if kind != "gift")


class KeyAccountMetrics(models.AbstractModel):
    """The service figures of key.account.metrics (issue #20, 服务规范 / 客户服务规范执行情况): for
    each key account with a service plan (its tier's, in its company), what was done in a
    period of a year against what the plan owes over the months of that period, line by line,
    in one statement for a batch of accounts; trainings come from ``_service_trainings_sql`` (the care activities)."""

    # one file per concern of the metrics: key_account_metrics.py is at its ~400-line limit
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "key.account.metrics"

    @api.model
    def _service_months(self, date_from, date_to):
        """The months of a year the period covers, whole months counted (January to March: 3)."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        return (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1

    @api.model
    def _service_lines_query(self, date_from, date_to, partner_ids=None):
        """SQL rows (partner_id, company_id, user_id, plan_id, kind, owed, done): one per key
        account with a plan (of ``partner_ids`` if given) and service line. Owed: the plan's
        yearly quantity (the monthly hours × 12) × the months of the period / 12. Done, between
        the two dates (in the context's time zone): on-site visits reported (and receptions
        where the company counts them), business reviews (cooperation evaluations of periods
        begun then, accepted), trainings (the hook), survey periods begun then with answers,
        hours of reported visits (time on site when checked in and out, else the duration) and
        receptions, value of their materials and gifts."""
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_done", "method", "duration", "gift_total"])
        self.env["key.account.visit"].flush_model(["onsite_hours"])
        self.env["key.account.evaluation"].flush_model(["partner_id", "state", "period_start"])
        self.env["key.account.satisfaction"].flush_model(["partner_id", "period_start", "response_count"])
        self.env["key.account.service.plan"].flush_model()
        self.env["res.partner"].flush_model(["is_key_account", "key_account_tier_id", "key_account_manager_id"])
        scope = SQL("TRUE") if partner_ids is None else SQL("p.id = ANY(%s)", list(partner_ids))
        tz = context_tz(self.env)
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)

        def local_day(column):
            return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", SQL(column), tz)

        # each account's figures in a lateral join read by index on the account: a filter on
        # the specialist (a KA User's KPIs) reaches the accounts, and only theirs are counted
        return SQL(
            """
            SELECT a.partner_id, a.company_id, a.user_id, a.plan_id, k.kind,
                   (CASE k.kind WHEN 'onsite_visit' THEN a.onsite_visits
                                WHEN 'business_review' THEN a.business_reviews
                                WHEN 'training' THEN a.trainings
                                WHEN 'survey' THEN a.surveys
                                WHEN 'gift' THEN a.gift_budget
                                ELSE a.service_hours * 12 END) * %(months)s / 12.0 AS owed,
                   COALESCE(CASE k.kind WHEN 'onsite_visit' THEN d.onsite
                                        WHEN 'service_hours' THEN d.hours
                                        WHEN 'gift' THEN d.gifts
                                        WHEN 'business_review' THEN ev.reviews
                                        WHEN 'survey' THEN sa.surveys
                                        WHEN 'training' THEN tr.trainings END, 0) AS done
              FROM (
                SELECT p.id AS partner_id, sp.company_id, p.key_account_manager_id AS user_id, sp.id AS plan_id,
                       sp.onsite_visits, sp.business_reviews, sp.trainings, sp.surveys, sp.gift_budget,
                       sp.service_hours
                  FROM res_partner p
                  LEFT JOIN res_users u ON u.id = p.key_account_manager_id
                  JOIN key_account_service_plan sp ON sp.tier_id = p.key_account_tier_id AND sp.active
                                                  AND sp.company_id = COALESCE(p.company_id, u.company_id)
                 WHERE p.is_key_account AND %(scope)s
              ) AS a
              CROSS JOIN LATERAL (
                SELECT COUNT(*) FILTER (WHERE onsite)::numeric AS onsite, SUM(hours)::numeric AS hours,
                       SUM(gifts)::numeric AS gifts
                  FROM (SELECT v.method = 'onsite' AS onsite,
                               CASE WHEN v.onsite_hours > 0 THEN v.onsite_hours ELSE COALESCE(v.duration, 0) END AS hours,
                               COALESCE(v.gift_total, 0) AS gifts
                          FROM key_account_visit v
                         WHERE v.partner_id = a.partner_id AND v.state IN ('done', 'closed')
                           AND %(visit_day)s BETWEEN %(date_from)s AND %(date_to)s
                        UNION ALL
                        SELECT r.method = 'onsite' AND COALESCE(c.key_account_reception_counts_as_visit, FALSE),
                               COALESCE(r.duration, 0), COALESCE(r.gift_total, 0)
                          FROM key_account_reception r LEFT JOIN res_company c ON c.id = r.company_id
                         WHERE r.partner_id = a.partner_id AND r.state IN ('done', 'closed')
                           AND %(reception_day)s BETWEEN %(date_from)s AND %(date_to)s) AS reported
              ) AS d
              CROSS JOIN LATERAL (
                SELECT COUNT(*)::numeric FROM key_account_evaluation ev
                 WHERE ev.partner_id = a.partner_id AND ev.state = 'accepted'
                   AND ev.period_start BETWEEN %(date_from)s AND %(date_to)s
              ) AS ev(reviews)
              CROSS JOIN LATERAL (
                SELECT COUNT(*)::numeric FROM key_account_satisfaction sa
                 WHERE sa.partner_id = a.partner_id AND sa.response_count > 0
                   AND sa.period_start BETWEEN %(date_from)s AND %(date_to)s
              ) AS sa(surveys)
              CROSS JOIN LATERAL (SELECT %(trainings)s::numeric) AS tr(trainings)
             CROSS JOIN unnest(%(kinds)s::varchar[]) AS k(kind)
            """,
            scope=scope,
            visit_day=local_day("v.date_done"),
            reception_day=local_day("r.date_done"),
            date_from=date_from,
            date_to=date_to,
            trainings=self._service_trainings_sql(SQL("a.partner_id"), date_from, date_to),
            months=self._service_months(date_from, date_to),
            kinds=list(SERVICE_KINDS),
        )

    @api.model
    def _service_rates_query(self, date_from, date_to, partner_ids=None):
        """SQL rows (partner_id, company_id, user_id, rate): the overall compliance (0-100) of
        each account with something owed: the average, over the lines owed (not the gift
        budget), of done / owed, each capped at 100% (more visits do not make up for a missing
        training)."""
        return SQL(
            """SELECT partner_id, company_id, user_id,
                      100.0 * AVG(LEAST(done / owed, 1)) AS rate
                 FROM (%s) AS lines
                WHERE owed > 0 AND kind = ANY(%s)
                GROUP BY partner_id, company_id, user_id""",
            self._service_lines_query(date_from, date_to, partner_ids),
            list(OBLIGATIONS),
        )

    @api.model
    def _service_compliance(self, partner_ids, date_from, date_to):
        """{partner_id: {"plan_id", "rate", "lines": {kind: (owed, done, rate)}}} of the key
        accounts with a service plan among ``partner_ids``, between the two dates (one
        statement). A line's rate is done / owed (None when nothing is owed); the overall rate
        as ``_service_rates_query`` says (None when nothing is owed)."""
        if not partner_ids:
            return {}
        self.env.cr.execute(self._service_lines_query(date_from, date_to, partner_ids))
        result = {}
        for partner_id, _company_id, _user_id, plan_id, kind, owed, done in self.env.cr.fetchall():
            owed, done = float(owed or 0.0), float(done or 0.0)
            entry = result.setdefault(partner_id, {"plan_id": plan_id, "lines": {}})
            entry["lines"][kind] = (owed, done, 100.0 * done / owed if owed else None)
        for entry in result.values():
            capped = [
                min(done / owed, 1.0)
                for kind, (owed, done, _r) in entry["lines"].items()
                if kind in OBLIGATIONS and owed
            ]
            entry["rate"] = 100.0 * sum(capped) / len(capped) if capped else None
        return result
