from odoo import api, models
from odoo.tools import SQL

from ..tools import context_tz


class KeyAccountRoster(models.AbstractModel):
    """Who was a key account, and who was its account manager, on a given day, from the
    histories rather than from today's partner fields: a past month's report and KPIs show the
    accounts and managers of that month.

    - A partner becomes a key account when its nomination is approved
      (``key.account.application.approved_date``) and is one whenever its cooperation state is
      set or confirmed (``key.account.state.log``); it stops being one when it is lost
      (``key.account.loss.date``). On a day, the last of these events up to it decides; before
      the first one, the partner was not a key account if that event makes it one, and was
      one if it is a loss; a partner without any history is taken as it is today.
    - The account manager on a day is today's, walked back through the handovers after that
      day (``key.account.handover.log``): a handover to the manager so far gives the account
      back to the user it came from. A manager changed without a handover has no history."""

    _name = "key.account.roster"
    _description = "Key Accounts and Managers of a Day"

    @api.model
    def _flush_histories(self):
        self.env["res.partner"].flush_model(["is_key_account", "key_account_lost", "key_account_manager_id"])
        self.env["key.account.application"].flush_model(["partner_id", "state", "approved_date"])
        self.env["key.account.state.log"].flush_model(["partner_id", "date"])
        self.env["key.account.loss"].flush_model(["partner_id", "date"])
        self.env["key.account.handover.log"].flush_model(["partner_id", "date", "from_user_id", "to_user_id"])

    def _local_day(self, column):
        return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", column, context_tz(self.env, user_zone=False))

    @api.model
    def _key_account_at_sql(self, partner, day):
        """SQL boolean: the partner row ``partner`` (an alias of res_partner) was a key account
        at the end of ``day`` (SQL of a date)."""
        events = SQL(
            """SELECT partner_id, %(approved)s AS day, TRUE AS joined FROM key_account_application
                WHERE state = 'approved' AND approved_date IS NOT NULL
               UNION ALL
               SELECT partner_id, %(logged)s, TRUE FROM key_account_state_log
               UNION ALL
               SELECT partner_id, date, FALSE FROM key_account_loss""",
            approved=self._local_day(SQL("approved_date")),
            logged=self._local_day(SQL("date")),
        )
        return SQL(
            """COALESCE(
                (SELECT ka_event.joined FROM (%(events)s) AS ka_event
                  WHERE ka_event.partner_id = %(partner)s.id AND ka_event.day <= %(day)s
                  ORDER BY ka_event.day DESC, ka_event.joined LIMIT 1),
                (SELECT NOT ka_event.joined FROM (%(events)s) AS ka_event
                  WHERE ka_event.partner_id = %(partner)s.id AND ka_event.day > %(day)s
                  ORDER BY ka_event.day, ka_event.joined DESC LIMIT 1),
                %(partner)s.is_key_account)""",
            events=events,
            partner=partner,
            day=day,
        )

    @api.model
    def _manager_at_sql(self, partner, day):
        """SQL of the user id: the account manager of the partner row ``partner`` at the end of
        ``day`` (SQL of a date). Its aliases are prefixed: ``day`` may refer to the caller's."""
        return SQL(
            """(WITH RECURSIVE ka_chain(user_id, since) AS (
                    SELECT %(partner)s.key_account_manager_id, 'infinity'::timestamp
                     UNION ALL
                    SELECT ka_handover.from_user_id, ka_handover.date
                      FROM ka_chain
                     CROSS JOIN LATERAL (
                           SELECT h.from_user_id, h.date FROM key_account_handover_log h
                            WHERE h.partner_id = %(partner)s.id AND h.to_user_id = ka_chain.user_id
                              AND h.date < ka_chain.since AND h.from_user_id IS NOT NULL AND %(handed)s > %(day)s
                            ORDER BY h.date DESC, h.id DESC LIMIT 1) AS ka_handover
                ) SELECT user_id FROM ka_chain ORDER BY since LIMIT 1)""",
            partner=partner,
            handed=self._local_day(SQL("h.date")),
            day=day,
        )

    @api.model
    def _accounts_at(self, day, company_id):
        """[(partner id, manager id)] of the key accounts of the company (or shared) at the end
        of ``day``, by code."""
        self._flush_histories()
        self.env["res.partner"].flush_model(["active", "company_id", "key_account_code"])
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id, %(manager)s FROM res_partner p
             WHERE p.active AND (p.is_key_account OR p.key_account_lost)
               AND (p.company_id = %(company_id)s OR p.company_id IS NULL) AND %(member)s
             ORDER BY p.key_account_code, p.id
            """,
                manager=self._manager_at_sql(SQL("p"), SQL("%s::date", day)),
                member=self._key_account_at_sql(SQL("p"), SQL("%s::date", day)),
                company_id=company_id,
            )
        )
        return self.env.cr.fetchall()
