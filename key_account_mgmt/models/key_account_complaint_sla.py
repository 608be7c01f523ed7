from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import ensure_one, in_lang_of, post_for

KA_CLERK = "key_account_mgmt.group_ka_clerk"
# the three commitments of a tier (seed 002 集团客户层次分类服务管理办法 三、服务承诺):
# reply to the enquiry (回复), respond to the request (响应), resolve the problem (处理)
SLA_STEPS = ("reply", "respond", "resolve")
SLA_DONE_FIELD = {"reply": "date_replied", "respond": "date_responded", "resolve": "date_resolved"}
# times that measure the team: set by the buttons and automatically, corrected by hand only by
# KA Clerks and above (the specialist is measured by them)
MILESTONE_FIELDS = ("date_replied", "date_responded", "date_resolved")


class KeyAccountComplaintSla(models.AbstractModel):
    """The service commitments of a key account's tier (reply / respond / resolve,
    ``key.account.tier`` ``sla_*_hours``) on its complaints and requests: mixed into
    helpdesk.ticket, whose key-account link (``key_account_id``, ``key_account_manager_id``)
    and ``resolution`` it reads (models/helpdesk_ticket.py).

    The deadlines count in working hours of the company's calendar from the time the complaint
    was received. Until the first reply the tier and the deadlines follow the account (tier
    changes, another contact); after it they are frozen, so the KPIs of a period do not move
    when a tier is edited later. Breaches are flagged once (``_check_key_account_sla``: on
    create and write, and by a scheduled action) and the account team and the KA Managers are
    told."""

    _name = "key.account.complaint.sla"
    _description = "Key Account Complaint SLA"

    date_received = fields.Datetime(
        string="Received",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        index=True,
        help="When the complaint or request reached us: the SLA deadlines count from here.",
    )
    date_replied = fields.Datetime(
        string="First Reply",
        copy=False,
        tracking=True,
        help="When the customer got a first answer (回复). Set by the first message sent to the "
        "customer from the chatter, by the Reply button, or by hand.",
    )
    date_responded = fields.Datetime(
        string="Responded",
        copy=False,
        tracking=True,
        help="When we acted on the request (响应): someone took it in hand. Set when the ticket "
        "leaves the new stage, by the Respond button, or by hand.",
    )
    date_resolved = fields.Datetime(
        string="Resolved",
        copy=False,
        tracking=True,
        help="When the problem was solved (处理). Set by the Resolve button or when the ticket "
        "reaches a stage that counts as resolved.",
    )
    sla_tier_id = fields.Many2one(
        "key.account.tier",
        string="SLA Tier",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="The account's tier whose commitments apply. Follows the account until the first reply, then stays.",
    )
    sla_reply_hours = fields.Float(
        string="Reply within (h)",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="Working hours of the tier to reply, frozen at the first reply.",
    )
    sla_respond_hours = fields.Float(
        string="Respond within (h)",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="Working hours of the tier to respond, frozen at the first reply.",
    )
    sla_resolve_hours = fields.Float(
        string="Resolve within (h)",
        compute="_compute_sla_tier",
        store=True,
        precompute=True,
        help="Working hours of the tier to resolve, frozen at the first reply.",
    )
    reply_deadline = fields.Datetime(
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        help="Received time plus the tier's reply hours, counted in working hours of the "
        "company's calendar (public holidays of the calendar excluded).",
    )
    respond_deadline = fields.Datetime(
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        help="Received time plus the tier's respond hours, in working hours.",
    )
    resolve_deadline = fields.Datetime(
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        help="Received time plus the tier's resolve hours, in working hours.",
    )
    reply_in_sla = fields.Boolean(
        string="Replied in Time",
        compute="_compute_in_sla",
        store=True,
        help="Replied, and by the reply deadline (意见反馈及时).",
    )
    respond_in_sla = fields.Boolean(
        string="Responded in Time",
        compute="_compute_in_sla",
        store=True,
        help="Responded, and by the respond deadline.",
    )
    resolve_in_sla = fields.Boolean(
        string="Resolved in Time",
        compute="_compute_in_sla",
        store=True,
        help="Resolved, and by the resolve deadline (解答及时).",
    )
    reply_breached = fields.Boolean(
        default=False,
        string="Reply Overdue",
        readonly=True,
        copy=False,
        help="The reply deadline passed without a reply: flagged once, the team was told.",
    )
    respond_breached = fields.Boolean(
        default=False,
        string="Response Overdue",
        readonly=True,
        copy=False,
        help="The respond deadline passed without a response: flagged once, the team was told.",
    )
    resolve_breached = fields.Boolean(
        default=False,
        string="Resolution Overdue",
        readonly=True,
        copy=False,
        help="The resolve deadline passed without a resolution: flagged once, the team was told.",
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        store=True,
        help="At least one commitment of the tier was missed.",
    )

    # ------------------------------------------------------------------ computes
    @api.depends(
        "key_account_id.key_account_tier_id",
        "key_account_id.key_account_tier_id.sla_reply_hours",
        "key_account_id.key_account_tier_id.sla_respond_hours",
        "key_account_id.key_account_tier_id.sla_resolve_hours",
    )
    def _compute_sla_tier(self):
        for ticket in self:
            if ticket.date_replied and ticket.sla_tier_id:  # frozen at the first reply
                tier, hours = ticket.sla_tier_id, [ticket[f"sla_{step}_hours"] for step in SLA_STEPS]
            else:
                tier = ticket.sudo().key_account_id.key_account_tier_id
                hours = [tier[f"sla_{step}_hours"] for step in SLA_STEPS]
            ticket.sla_tier_id = tier
            for step, step_hours in zip(SLA_STEPS, hours, strict=True):
                ticket[f"sla_{step}_hours"] = step_hours

    # not on the company's calendar: a new calendar applies to new complaints, not to history
    @api.depends("date_received", "sla_reply_hours", "sla_respond_hours", "sla_resolve_hours")
    def _compute_sla_deadlines(self):
        for ticket in self:
            calendar = ticket.sudo().company_id.resource_calendar_id
            for step in SLA_STEPS:
                hours = ticket[f"sla_{step}_hours"]
                ticket[f"{step}_deadline"] = (
                    self._plan_hours(calendar, ticket.date_received, hours)
                    if ticket.date_received and hours > 0
                    else False
                )

    @api.model
    def _plan_hours(self, calendar, start, hours):
        """``start`` (UTC) plus ``hours`` working hours of ``calendar``, its public holidays
        excluded; wall-clock hours when the company has no calendar."""
        if not calendar:
            return start + timedelta(hours=hours)
        return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)

    @api.depends(
        "date_replied",
        "date_responded",
        "date_resolved",
        "reply_deadline",
        "respond_deadline",
        "resolve_deadline",
    )
    def _compute_in_sla(self):
        for ticket in self:
            for step in SLA_STEPS:
                done, deadline = ticket[SLA_DONE_FIELD[step]], ticket[f"{step}_deadline"]
                ticket[f"{step}_in_sla"] = bool(done and (not deadline or done <= deadline))

    @api.depends("reply_breached", "respond_breached", "resolve_breached")
    def _compute_sla_breached(self):
        for ticket in self:
            ticket.sla_breached = ticket.reply_breached or ticket.respond_breached or ticket.resolve_breached

    # ------------------------------------------------------------------ milestones
    @api.constrains("date_received", "date_replied", "date_responded", "date_resolved")
    def _check_key_account_dates(self):
        labels = {
            "date_replied": self.env._("first reply"),
            "date_responded": self.env._("response"),
            "date_resolved": self.env._("resolution"),
        }
        for ticket in self:
            for field_name, label in labels.items():
                if ticket[field_name] and ticket.date_received and ticket[field_name] < ticket.date_received:
                    raise ValidationError(
                        self.env._(
                            "The %(step)s of %(ticket)s cannot come before the complaint was received.",
                            step=label,
                            ticket=ticket.display_name,
                        )
                    )

    def _check_milestone_rights(self):
        if not (self.env.su or self.env.user.has_group(KA_CLERK)):
            raise AccessError(
                self.env._(
                    "Use the Reply, Respond and Resolve buttons: only KA Clerks and Managers correct the "
                    "times of a complaint by hand."
                )
            )

    def _fill_implied_milestones(self):
        """A resolution is also a response and a reply, a response also a reply."""
        for ticket in self:
            vals = {}
            if ticket.date_resolved and not ticket.date_responded:
                vals["date_responded"] = ticket.date_resolved
            if (ticket.date_responded or vals.get("date_responded")) and not ticket.date_replied:
                vals["date_replied"] = vals.get("date_responded") or ticket.date_responded
            if vals:
                ticket.sudo().write(vals)

    def _check_key_account_ticket(self):
        if self.filtered(lambda t: not t.key_account_id):
            raise UserError(self.env._("This is not a complaint or request of a key account."))

    def action_key_account_reply(self):
        """Record that the customer got a first answer now."""
        self._check_key_account_ticket()
        self.check_access("write")
        self.filtered(lambda t: not t.date_replied).sudo().write({"date_replied": fields.Datetime.now()})
        return True

    def action_key_account_respond(self):
        """Record that the request was taken in hand now."""
        self._check_key_account_ticket()
        self.check_access("write")
        self.filtered(lambda t: not t.date_responded).sudo().write({"date_responded": fields.Datetime.now()})
        return True

    def action_key_account_resolve(self):
        """Record the resolution now and close the ticket in the first resolving stage."""
        self._check_key_account_ticket()
        self.check_access("write")
        if self.filtered(lambda t: not (t.resolution or "").strip()):
            raise UserError(self.env._("Describe the resolution before resolving a complaint."))
        for ticket in self.filtered(lambda t: not t.date_resolved):
            vals = {"date_resolved": fields.Datetime.now()}
            stage = ticket.team_id._get_applicable_stages().filtered("key_account_resolves")[:1]
            if stage and not ticket.stage_id.closed:
                vals["stage_id"] = stage.id
            ticket.sudo().write(vals)
        return True

    # ------------------------------------------------------------------ breaches
    @api.model
    def _cron_check_key_account_sla(self, batch_size=500):
        """Scheduled action: flag the commitments missed since the last run, one batch per call
        (the scheduler calls again while some remain). Safe with several workers (rows locked
        and skipped); idempotent (a flag is set once)."""
        flagged, remaining = self.browse()._check_key_account_sla(batch_size=batch_size)
        self.env["ir.cron"]._notify_progress(done=flagged, remaining=remaining)  # the scheduler commits

    def _check_key_account_sla(self, batch_size=500):
        """Flag, once, each commitment (reply, respond, resolve) whose deadline passed without
        it, or that was met late, on these tickets (on any ticket for an empty recordset);
        tell the account team and the KA Managers of the company.
        Returns (tickets flagged, tickets left for another batch)."""
        self.flush_model()
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

        scope = SQL("AND t.id = ANY(%s)", self.ids) if self else SQL()
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
        flagged = self.browse([row[0] for row in rows]).sudo()
        flagged.invalidate_recordset(["reply_breached", "respond_breached", "resolve_breached", "sla_breached"])
        for row, ticket in zip(rows, flagged, strict=True):
            ticket._notify_breach([step for step, missed_step in zip(SLA_STEPS, row[1:], strict=True) if missed_step])
        remaining = 0
        if len(rows) == batch_size:
            self.env.cr.execute(SQL("SELECT COUNT(*) FROM (%s) AS c", candidates))
            remaining = self.env.cr.fetchone()[0]
        return len(rows), remaining

    def _notify_breach(self, steps):
        """A note to the account team and the KA Managers (in each one's language), an activity
        for whoever handles it (in theirs)."""
        ensure_one(self)
        account = self.key_account_id.with_company(self.company_id)
        users = account.key_account_team_user_ids | account._key_account_managers() | self.user_id
        post_for(
            self,
            users,
            lambda ticket: ticket.env._(
                "SLA breached for %(account)s (tier %(tier)s): %(missed)s.",
                account=account.display_name,
                tier=ticket.sla_tier_id.name or "",
                missed=ticket._missed_steps(steps),
            ),
            author_id=self.env.ref("base.partner_root").id,
            notify_author=True,  # whoever triggered it (the user on write) is told too
            subtype_xmlid="mail.mt_note",
        )
        responsible = self.user_id or self.key_account_manager_id
        still_open = [step for step in steps if not self[SLA_DONE_FIELD[step]]]
        if responsible and still_open:  # late but done: the note is enough
            ticket = in_lang_of(self, responsible)
            ticket.activity_schedule(
                "key_account_mgmt.mail_activity_type_sla_breach",
                summary=ticket.env._("SLA breached: %(missed)s", missed=ticket._missed_steps(steps)),
                user_id=responsible.id,
            )

    def _missed_steps(self, steps):
        """The missed steps with their deadlines (the environment's language, the manager's zone)."""
        labels = {
            "reply": self.env._("reply (due %(deadline)s)"),
            "respond": self.env._("response (due %(deadline)s)"),
            "resolve": self.env._("resolution (due %(deadline)s)"),
        }
        tz_self = self.with_context(tz=self.key_account_manager_id.tz or self.env.user.tz or "UTC")
        deadlines = {step: fields.Datetime.context_timestamp(tz_self, self[f"{step}_deadline"]) for step in steps}
        return ", ".join(labels[step] % {"deadline": deadlines[step].strftime("%Y-%m-%d %H:%M")} for step in steps)
