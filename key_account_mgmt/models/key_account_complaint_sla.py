from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import ensure_one

# the three commitments of a tier (seed 002 集团客户层次分类服务管理办法 三、服务承诺):
# reply to the enquiry (回复), respond to the request (响应), resolve the problem (处理)
SLA_STEPS = ("reply", "respond", "resolve")
SLA_DONE_FIELD = {"reply": "date_replied", "respond": "date_responded", "resolve": "date_resolved"}


class KeyAccountComplaintSla(models.AbstractModel):
    """The service commitments of a key account's tier (key.account.tier ``sla_*_hours``)
    applied to its complaints and requests (helpdesk.ticket): deadlines counted in working
    hours of the company's calendar, and breaches flagged once, the account team and the KA
    Managers told."""

    _name = "key.account.complaint.sla"
    _description = "Key Account Complaint SLA"

    @api.model
    def _plan_hours(self, calendar, start, hours):
        """``start`` (UTC) plus ``hours`` working hours of ``calendar``, its public holidays
        excluded; wall-clock hours when the company has no calendar."""
        if not calendar:
            return start + timedelta(hours=hours)
        return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)

    @api.model
    def _flag_breaches(self, tickets, batch_size=500):
        """Flag, once, each commitment (reply, respond, resolve) whose deadline passed without
        it, or that was met late; tell the account team and the KA Managers of the company.
        ``tickets``: those tickets; none: any ticket (cron).
        Returns (tickets flagged, tickets left for another batch)."""
        tickets.flush_model()
        self.env["helpdesk.ticket.stage"].flush_model(["closed"])
        now = fields.Datetime.now()

        def missed(step):
            done, deadline, flag = (
                SQL.identifier(SLA_DONE_FIELD[step]),
                SQL.identifier(f"{step}_deadline"),
                SQL.identifier(f"{step}_breached"),
            )
            return SQL(
                "(%(deadline)s IS NOT NULL AND NOT COALESCE(%(flag)s, false) AND ("
                "(%(done)s IS NULL AND %(deadline)s < %(now)s AND NOT COALESCE(s.closed, false)) "
                "OR %(done)s > %(deadline)s))",
                deadline=deadline,
                flag=flag,
                done=done,
                now=now,
            )

        scope = SQL("AND t.id = ANY(%s)", tickets.ids) if tickets else SQL()
        candidates = SQL(
            """SELECT t.id, %(reply)s AS reply, %(respond)s AS respond, %(resolve)s AS resolve
                 FROM helpdesk_ticket t
                 LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                WHERE t.key_account_id IS NOT NULL AND t.active %(scope)s
                  AND (%(reply)s OR %(respond)s OR %(resolve)s)""",
            reply=missed("reply"),
            respond=missed("respond"),
            resolve=missed("resolve"),
            scope=scope,
        )
        self.env.cr.execute(
            SQL(
                """WITH cand AS (%(candidates)s ORDER BY t.id LIMIT %(limit)s FOR UPDATE OF t SKIP LOCKED)
               UPDATE helpdesk_ticket t
                  SET reply_breached = COALESCE(t.reply_breached, false) OR cand.reply,
                      respond_breached = COALESCE(t.respond_breached, false) OR cand.respond,
                      resolve_breached = COALESCE(t.resolve_breached, false) OR cand.resolve,
                      sla_breached = true
                 FROM cand WHERE t.id = cand.id
            RETURNING t.id, cand.reply, cand.respond, cand.resolve""",
                candidates=candidates,
                limit=batch_size,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return 0, 0
        flagged = tickets.browse([row[0] for row in rows]).sudo()
        flagged.invalidate_recordset(["reply_breached", "respond_breached", "resolve_breached", "sla_breached"])
        for row, ticket in zip(rows, flagged, strict=True):
            self._notify_breach(
                ticket, [step for step, missed_step in zip(SLA_STEPS, row[1:], strict=True) if missed_step]
            )
        remaining = 0
        if len(rows) == batch_size:
            self.env.cr.execute(SQL("SELECT COUNT(*) FROM (%s) AS c", candidates))
            remaining = self.env.cr.fetchone()[0]
        return len(rows), remaining

    def _notify_breach(self, ticket, steps):
        """A note to the account team and the KA Managers, an activity for whoever handles it."""
        ensure_one(ticket)
        labels = {
            "reply": self.env._("reply (due %(deadline)s)"),
            "respond": self.env._("response (due %(deadline)s)"),
            "resolve": self.env._("resolution (due %(deadline)s)"),
        }
        tz_self = ticket.with_context(tz=ticket.key_account_manager_id.tz or self.env.user.tz or "UTC")
        missed = ", ".join(
            labels[step]
            % {
                "deadline": fields.Datetime.context_timestamp(tz_self, ticket[f"{step}_deadline"]).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
            for step in steps
        )
        account = ticket.key_account_id.with_company(ticket.company_id)
        users = account.key_account_team_user_ids | account._key_account_managers() | ticket.user_id
        ticket.message_post(
            body=self.env._(
                "SLA breached for %(account)s (tier %(tier)s): %(missed)s.",
                account=account.display_name,
                tier=ticket.sla_tier_id.name or "",
                missed=missed,
            ),
            partner_ids=users.partner_id.ids,
            author_id=self.env.ref("base.partner_root").id,
            notify_author=True,  # whoever triggered it (the user on write) is told too
            subtype_xmlid="mail.mt_note",
        )
        responsible = ticket.user_id or ticket.key_account_manager_id
        still_open = [step for step in steps if not ticket[SLA_DONE_FIELD[step]]]
        if responsible and still_open:  # late but done: the note is enough
            ticket.activity_schedule(
                "key_account_mgmt.mail_activity_type_sla_breach",
                summary=self.env._("SLA breached: %(missed)s", missed=missed),
                user_id=responsible.id,
            )
