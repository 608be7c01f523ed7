from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import context_tz


class KeyAccountActivityMetrics(models.AbstractModel):
    """The figures of the work on key accounts and of their complaints, from visits,
    receptions and helpdesk tickets (the counterpart of key.account.metrics for invoices):
    visit rate and service cost, visits per account, complaint summary. Each is one SQL
    statement; the ``*_query`` builders give the rows the KPI view (key.account.kpi) and the
    scoring engine sum up, so the view never recomputes them in its own SQL."""

    _name = "key.account.activity.metrics"
    _description = "Key Account Activity Metrics"

    @api.model
    def _visit_summary(self, partner_ids):
        """{partner_id: (last reported date, reported visits, reported receptions, last on-site
        date, on-site visits in the calendar year of the last one)}. On site: a visit made on
        site, or a reception where the company receiving counts them (its setting); dates in
        the context's time zone."""
        if not partner_ids:
            return {}
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["partner_id", "state", "date_done", "method", "company_id"])
        self.env["res.company"].flush_model(["key_account_reception_counts_as_visit"])
        self.env.cr.execute(
            SQL(
                """
            WITH reported AS (
                SELECT partner_id, (date_done AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day, kind, onsite
                  FROM (SELECT v.partner_id, v.date_done, 'visit' AS kind, v.method = 'onsite' AS onsite
                          FROM key_account_visit v
                         WHERE v.state IN ('done', 'closed') AND v.partner_id = ANY(%(ids)s)
                        UNION ALL
                        SELECT r.partner_id, r.date_done, 'reception',
                               r.method = 'onsite' AND COALESCE(c.key_account_reception_counts_as_visit, FALSE)
                          FROM key_account_reception r LEFT JOIN res_company c ON c.id = r.company_id
                         WHERE r.state IN ('done', 'closed') AND r.partner_id = ANY(%(ids)s)) AS done
            ), summary AS (
                SELECT partner_id, MAX(day) AS last_day,
                       COUNT(*) FILTER (WHERE kind = 'visit') AS visits,
                       COUNT(*) FILTER (WHERE kind = 'reception') AS receptions,
                       MAX(day) FILTER (WHERE onsite) AS last_onsite
                  FROM reported GROUP BY partner_id
            )
            SELECT s.partner_id, s.last_day, s.visits, s.receptions, s.last_onsite,
                   (SELECT COUNT(*) FROM reported r
                     WHERE r.partner_id = s.partner_id AND r.onsite
                       AND date_part('year', r.day) = date_part('year', s.last_onsite))
              FROM summary s
            """,
                ids=list(partner_ids),
                tz=context_tz(self.env),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _last_contact_summary(self, contact_ids):
        """{contact id: (last met, last contact, kind of the last contact)} of a customer's people
        (the relationship map), in one statement: met in a reported visit or reception (as a
        contact to meet or a visitor) or a calendar meeting that has begun; contacted by any of
        these or a message they wrote or received (e-mail or chatter, not system notices).
        Dates in the time zone of the context; kind: visit, reception, meeting, message."""
        if not contact_ids:
            return {}
        for model in ("key.account.visit", "key.account.reception"):
            self.env[model].flush_model(["state", "date_done", "contact_ids"])
        self.env["key.account.reception.visitor"].flush_model(["reception_id", "contact_id"])
        self.env["calendar.event"].flush_model(["start", "active", "partner_ids"])
        self.env["mail.message"].flush_model(["author_id", "date", "message_type", "partner_ids"])

        def met_in(model, kind):
            field = self.env[model]._fields["contact_ids"]
            return SQL(
                """SELECT rel.%(contact)s AS contact_id, r.date_done AS day, %(kind)s AS kind, TRUE AS met
                     FROM %(relation)s rel JOIN %(table)s r ON r.id = rel.%(record)s
                    WHERE r.state IN ('done', 'closed') AND r.date_done IS NOT NULL AND rel.%(contact)s = ANY(%(ids)s)""",
                contact=SQL.identifier(field.column2),
                record=SQL.identifier(field.column1),
                relation=SQL.identifier(field.relation),
                table=SQL.identifier(self.env[model]._table),
                kind=kind,
                ids=list(contact_ids),
            )

        attendees = self.env["calendar.event"]._fields["partner_ids"]
        recipients = self.env["mail.message"]._fields["partner_ids"]
        self.env.cr.execute(
            SQL(
                """
            SELECT contact_id,
                   (MAX(day) FILTER (WHERE met) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                   (MAX(day) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                   (ARRAY_AGG(kind ORDER BY day DESC))[1]
              FROM (%(visits)s
                    UNION ALL %(receptions)s
                    UNION ALL
                    SELECT v.contact_id, r.date_done, 'reception', TRUE
                      FROM key_account_reception_visitor v JOIN key_account_reception r ON r.id = v.reception_id
                     WHERE r.state IN ('done', 'closed') AND r.date_done IS NOT NULL AND v.contact_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT a.%(attendee)s, e.start, 'meeting', TRUE
                      FROM %(attendees)s a JOIN calendar_event e ON e.id = a.%(event)s
                     WHERE e.active AND e.start <= NOW() AT TIME ZONE 'UTC' AND a.%(attendee)s = ANY(%(ids)s)
                    UNION ALL
                    SELECT m.author_id, m.date, 'message', FALSE
                      FROM mail_message m
                     WHERE m.message_type IN ('email', 'comment', 'email_outgoing') AND m.author_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT rel.%(recipient)s, m.date, 'message', FALSE
                      FROM %(recipients)s rel JOIN mail_message m ON m.id = rel.%(message)s
                     WHERE m.message_type IN ('email', 'comment', 'email_outgoing')
                       AND rel.%(recipient)s = ANY(%(ids)s)) AS contacts
             GROUP BY contact_id
            """,
                tz=context_tz(self.env),
                visits=met_in("key.account.visit", "visit"),
                receptions=met_in("key.account.reception", "reception"),
                attendees=SQL.identifier(attendees.relation),
                event=SQL.identifier(attendees.column1),
                attendee=SQL.identifier(attendees.column2),
                recipients=SQL.identifier(recipients.relation),
                message=SQL.identifier(recipients.column1),
                recipient=SQL.identifier(recipients.column2),
                ids=list(contact_ids),
            )
        )
        return {row[0]: (row[1] or False, row[2] or False, row[3]) for row in self.env.cr.fetchall()}

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
        return {row[0]: dict(zip(names, row[1:], strict=True)) for row in self.env.cr.fetchall()}

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
            where.append(SQL("key_account_id = ANY(%s)", self.env["key.account.metrics"]._int_array(partner_ids)))
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

    # ------------------------------------------------------------------ trips and monthly reports
    @api.model
    def _trip_days_query(self, date_from=None, date_to=None, user_ids=None, company_ids=None):
        """SQL rows (company_id, user_id, month, days): the days each specialist spends on
        approved or completed business trips per month, a day counted once when trips overlap
        and in the month it falls in (a trip across the end of a month counts in both), only
        the days between the two dates if given. The source of the trip days of the KPIs and
        of the monthly report."""
        self.env["key.account.trip"].flush_model(["user_id", "company_id", "state", "date_from", "date_to"])
        where = [SQL("t.state IN ('approved', 'done')")]
        if date_from:
            where.append(SQL("d.day >= %s", fields.Date.to_date(date_from)))
        if date_to:
            where.append(SQL("d.day <= %s", fields.Date.to_date(date_to)))
        if user_ids is not None:
            where.append(SQL("t.user_id = ANY(%s)", list(user_ids)))
        if company_ids is not None:
            where.append(SQL("t.company_id = ANY(%s)", list(company_ids)))
        return SQL(
            """SELECT t.company_id, t.user_id, date_trunc('month', d.day)::date AS month,
                      COUNT(DISTINCT d.day)::int AS days
                 FROM key_account_trip t
                CROSS JOIN LATERAL generate_series(t.date_from, t.date_to, interval '1 day') AS d(day)
                WHERE %s
                GROUP BY 1, 2, 3""",
            SQL(" AND ").join(where),
        )

    @api.model
    def _trip_days(self, date_from, date_to, user_ids=None):
        """{user_id: trip days} between the two dates (inclusive), in the current companies."""
        self.env.cr.execute(
            SQL(
                "SELECT user_id, SUM(days)::int FROM (%s) AS trips GROUP BY user_id",
                self._trip_days_query(date_from, date_to, user_ids or None, self.env.companies.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _work_report_rows_query(self):
        """SQL rows (company_id, user_id, month, due, on_time, late, missing), one per
        specialist's monthly report: due once submitted or late (the daily cron marks late
        those not submitted after their due day), on time when first submitted by its due day,
        missing when late and not submitted yet."""
        self.env["key.account.work.report"].flush_model(
            ["company_id", "user_id", "period_date", "submitted_date", "late"]
        )
        return SQL(
            """SELECT w.company_id, w.user_id, w.period_date AS month,
                      (w.submitted_date IS NOT NULL OR COALESCE(w.late, FALSE))::int AS due,
                      (w.submitted_date IS NOT NULL AND NOT COALESCE(w.late, FALSE))::int AS on_time,
                      COALESCE(w.late, FALSE)::int AS late,
                      (w.submitted_date IS NULL AND COALESCE(w.late, FALSE))::int AS missing
                 FROM key_account_work_report w"""
        )
