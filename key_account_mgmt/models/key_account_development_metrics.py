from odoo import api, models
from odoo.tools import SQL

from ..tools import context_tz


class KeyAccountActivityMetrics(models.AbstractModel):
    """The figures of developing key accounts (大客户开发计划完成率, seed 001 §2.1) for the KPIs:
    development plans approved, won and failed per coordinator and month, and the visits and
    receptions made under them (counted in the visit rate already, as every visit is)."""

    # one file per concern of the metrics, as key_account_candidate_metrics.py
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "key.account.activity.metrics"

    @api.model
    def _development_rows_query(self):
        """SQL rows (company_id, user_id, month, approved, won, failed, visits, visits_done):
        one per plan approved (the month of its approval), per plan closed (the month it was
        won or failed) and per visit or reception planned under a plan (cancelled and rejected
        left out; done once reported), each for the plan's coordinator or the visit's
        responsible person."""
        self.env["key.account.development"].flush_model(
            ["company_id", "user_id", "state", "approved_date", "outcome", "date_closed"]
        )
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["company_id", "user_id", "state", "date_planned", "development_id"])
        tz = context_tz(self.env)

        def visits(table):
            return SQL(
                """SELECT p.company_id, p.user_id,
                          date_trunc('month', (p.date_planned AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date AS month,
                          0 AS approved, 0 AS won, 0 AS failed, 1 AS visits,
                          (p.state IN ('done', 'closed'))::int AS visits_done
                     FROM %(table)s p
                    WHERE p.development_id IS NOT NULL AND p.state NOT IN ('cancelled', 'rejected')""",
                tz=tz,
                table=SQL.identifier(table),
            )

        return SQL(
            """SELECT d.company_id, d.user_id,
                      date_trunc('month', (d.approved_date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date AS month,
                      1 AS approved, 0 AS won, 0 AS failed, 0 AS visits, 0 AS visits_done
                 FROM key_account_development d
                WHERE d.state = 'approved' AND d.approved_date IS NOT NULL
            UNION ALL
               SELECT d.company_id, d.user_id, date_trunc('month', d.date_closed)::date,
                      0, (d.outcome = 'won')::int, (d.outcome = 'failed')::int, 0, 0
                 FROM key_account_development d
                WHERE d.outcome IN ('won', 'failed') AND d.date_closed IS NOT NULL
            UNION ALL %(visits)s
            UNION ALL %(receptions)s""",
            tz=tz,
            visits=visits("key_account_visit"),
            receptions=visits("key_account_reception"),
        )
