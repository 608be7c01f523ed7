from odoo import api, models
from odoo.tools import SQL


class KeyAccountMetrics(models.AbstractModel):
    """The care figures of key.account.metrics (issue #20): the customer trainings the people of
    each key account attended, for the service plan's compliance (trainings done / owed)."""

    # one file per concern of the metrics: key_account_metrics.py is at its ~400-line limit
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "key.account.metrics"

    @api.model
    def _service_trainings_sql(self, account, date_from, date_to):
        """SQL of the number of trainings the key account ``account`` (an SQL column) attended:
        the active customer trainings (care kind ``training``) held from ``date_from`` to
        ``date_to`` (the day in the event's time zone) at which at least one registration of the
        account (its people, or those of its branches) is marked attended. A scalar subquery read
        by index on the account, for the service figures' lateral join."""
        self.env["event.event"].flush_model(["key_account_care_kind", "date_begin", "date_tz", "active"])
        self.env["event.registration"].flush_model(["event_id", "key_account_id", "state", "active"])
        return SQL(
            """(SELECT COUNT(DISTINCT e.id)
                  FROM event_registration r
                  JOIN event_event e ON e.id = r.event_id
                 WHERE r.key_account_id = %(account)s AND r.state = 'done' AND r.active
                   AND e.active AND e.key_account_care_kind = 'training'
                   AND (e.date_begin AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(e.date_tz, 'UTC'))::date
                       BETWEEN %(date_from)s AND %(date_to)s)""",
            account=account,
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _service_done_trainings(self, partner_ids, date_from, date_to):
        """{partner_id: trainings attended} of the key accounts ``partner_ids`` (see
        ``_service_trainings_sql``). One statement; accounts without any are left out."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT id, done FROM (SELECT p.id, %s AS done FROM unnest(%s::int[]) AS p(id)) AS t WHERE done > 0",
                self._service_trainings_sql(SQL("p.id"), date_from, date_to),
                list(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())
