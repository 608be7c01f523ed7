from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

FREQUENCIES = ("quarter", "half", "year")
# one worker at a time sends invitations (all campaigns: a contact is invited once per period)
SENDING_LOCK = 2020_0001


class KeyAccountSurveyCampaign(models.Model):
    """A satisfaction survey campaign (客户满意度调查, seeds 000 四.2(3), 002 3.3, 004 第十四条) on
    Odoo's own survey: the questionnaire, the key accounts it covers (tiers), and the contacts
    invited by their buying role on the relationship map. Each tier says how often
    (``survey_frequency``: strategic quarterly, key half-yearly, normal yearly by default); the
    scheduled action invites every chosen contact once per period, by e-mail with the survey's
    personal link, and reminds those who have not answered."""

    _name = "key.account.survey.campaign"
    _inherit = ["mail.thread"]
    _description = "Satisfaction Survey Campaign"
    _order = "sequence, id"

    name = fields.Char(string="Campaign", required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Questionnaire",
        required=True,
        ondelete="restrict",
        tracking=True,
        domain="[('survey_type', '=', 'survey')]",
    )
    tier_ids = fields.Many2many(
        "key.account.tier",
        string="Tiers",
        help="The key accounts of these tiers are surveyed, each at its tier's frequency. Empty: every tier.",
    )
    role_ids = fields.Many2many(
        "key.account.buying.role",
        string="Invite Contacts in Role",
        required=True,
        help="The people in place on the account's relationship map with one of these buying roles (and an "
        "e-mail address) are invited.",
    )
    reminder_days = fields.Integer(
        string="Remind after (days)",
        default=7,
        help="Days after the invitation (or the last reminder) a contact who has not answered is reminded. 0: never.",
    )
    max_reminders = fields.Integer(string="Reminders at Most", default=2)
    invitation_ids = fields.One2many("key.account.survey.invitation", "campaign_id", string="Invitations")
    invitation_count = fields.Integer(string="Invited", compute="_compute_counts")
    answered_count = fields.Integer(string="Answered", compute="_compute_counts")

    @api.depends("invitation_ids.state")
    def _compute_counts(self):
        counts = {
            (campaign.id, state): count
            for campaign, state, count in self.env["key.account.survey.invitation"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
            )
        }
        for campaign in self:
            invited = sum(count for (cid, _state), count in counts.items() if cid == campaign.id)
            campaign.invitation_count = invited
            campaign.answered_count = counts.get((campaign.id, "done"), 0)

    @api.constrains("reminder_days", "max_reminders")
    def _check_reminders(self):
        for campaign in self:
            if campaign.reminder_days < 0 or campaign.max_reminders < 0:
                raise ValidationError(
                    self.env._(
                        "The reminders of campaign %(campaign)s cannot be a negative number of days or times.",
                        campaign=campaign.name,
                    )
                )

    @api.constrains("survey_id")
    def _check_survey(self):
        for campaign in self.sudo():
            if not campaign.survey_id.question_ids._satisfaction_scored():
                raise ValidationError(
                    self.env._(
                        "Questionnaire %(survey)s has no scored question: it cannot give a satisfaction score.",
                        survey=campaign.survey_id.title,
                    )
                )

    # ------------------------------------------------------------------ the scheduled action
    @api.model
    def _cron_send_surveys(self, batch_size=200):
        """Invite the next ``batch_size`` contacts due, then remind those due; the scheduler
        commits and calls again while some remain. Idempotent: a contact is invited once per
        period (unique index); a second worker finding the sending taken leaves it."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", SENDING_LOCK))
        if not self.env.cr.fetchone()[0]:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return False
        today = fields.Date.context_today(self)
        campaigns = self.sudo().search([])
        due = campaigns._due_contacts(today, limit=batch_size + 1)
        invitations = campaigns._invite(due[:batch_size], today)
        reminded = campaigns._remind(limit=batch_size)
        remaining = max(len(due) - batch_size, 0) + (1 if len(reminded) == batch_size else 0)
        self.env["ir.cron"]._notify_progress(done=len(invitations) + len(reminded), remaining=remaining)
        return True

    def action_send_now(self):
        """Invite now the contacts of these campaigns due this period (KA Managers)."""
        if not self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            raise UserError(self.env._("Only a Key Account Manager may send a satisfaction survey campaign."))
        self.check_access("write")
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", SENDING_LOCK))
        today = fields.Date.context_today(self)
        campaigns = self.sudo()
        invitations = campaigns._invite(campaigns._due_contacts(today), today)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if invitations else "info",
                "message": self.env._("%(count)s contacts invited.", count=len(invitations)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _period_table(self, today):
        """SQL VALUES (frequency, first day, last day) of the periods of ``today``."""
        metrics = self.env["key.account.metrics"]
        return SQL(", ").join(
            SQL("(%s, %s::date, %s::date)", kind, *metrics._period(today, kind)) for kind in FREQUENCIES
        )

    def _due_contacts(self, today, limit=None):
        """[(campaign_id, account_id, contact_id, period_start, period_end)] to invite: the people
        in place on the maps of the campaigns' key accounts (of their companies and tiers) with
        one of the campaigns' roles and an e-mail, not invited yet in the period of the account's
        tier; a person on several maps or campaigns once, for the first. One statement."""
        if not self:
            return []
        for model in ("key.account.relationship", "res.partner", "key.account.tier", "key.account.survey.invitation"):
            self.env[model].flush_model()
        self.flush_recordset()
        roles = self.env["key.account.relationship"]._fields["role_ids"]
        tiers = self._fields["tier_ids"]
        campaign_roles = self._fields["role_ids"]
        self.env.cr.execute(
            SQL(
                """
            WITH periods(kind, first_day, last_day) AS (VALUES %(periods)s)
            SELECT DISTINCT ON (r.contact_id) c.id, p.id, r.contact_id, per.first_day, per.last_day
              FROM key_account_survey_campaign c
              JOIN res_partner p ON p.is_key_account AND p.active AND p.parent_id IS NULL
                               AND NOT COALESCE(p.key_account_lost, FALSE)
                               AND (p.company_id IS NULL OR p.company_id = c.company_id)
              JOIN key_account_tier t ON t.id = p.key_account_tier_id
              JOIN periods per ON per.kind = t.survey_frequency
              JOIN key_account_relationship r ON r.partner_id = p.id
              JOIN res_partner person ON person.id = r.contact_id
             WHERE c.id = ANY(%(ids)s)
               AND person.active AND COALESCE(person.email, '') != ''
               AND (NOT EXISTS (SELECT 1 FROM %(tier_rel)s ct WHERE ct.%(tier_campaign)s = c.id)
                    OR EXISTS (SELECT 1 FROM %(tier_rel)s ct WHERE ct.%(tier_campaign)s = c.id AND ct.%(tier)s = t.id))
               AND EXISTS (SELECT 1 FROM %(role_rel)s rr JOIN %(campaign_role_rel)s cr ON cr.%(campaign_role)s = rr.%(role)s
                            WHERE rr.%(relationship)s = r.id AND cr.%(role_campaign)s = c.id)
               AND NOT EXISTS (SELECT 1 FROM key_account_survey_invitation i
                                WHERE i.contact_id = r.contact_id AND i.period_start = per.first_day)
             ORDER BY r.contact_id, c.sequence, c.id, p.id
             LIMIT %(limit)s
            """,
                periods=self._period_table(today),
                ids=self.ids,
                tier_rel=SQL.identifier(tiers.relation),
                tier_campaign=SQL.identifier(tiers.column1),
                tier=SQL.identifier(tiers.column2),
                role_rel=SQL.identifier(roles.relation),
                relationship=SQL.identifier(roles.column1),
                role=SQL.identifier(roles.column2),
                campaign_role_rel=SQL.identifier(campaign_roles.relation),
                role_campaign=SQL.identifier(campaign_roles.column1),
                campaign_role=SQL.identifier(campaign_roles.column2),
                limit=limit,
            )
        )
        # a contact who left the account (another company) is not in place: not invited
        rows = self.env.cr.fetchall()
        contacts = self.env["res.partner"].sudo().browse({row[2] for row in rows})
        accounts = self.env["res.partner"].sudo().browse({row[1] for row in rows})
        families = {account.id: account._key_account_map_family() for account in accounts}
        return [row for row in rows if contacts.browse(row[2]).commercial_partner_id in families[row[1]]]

    def _invite(self, due, today):
        """Create the survey answer and the invitation of each (campaign, account, contact,
        period) of ``due`` and e-mail the contact (sudo)."""
        if not due:
            return self.env["key.account.survey.invitation"]
        campaigns = self.browse({row[0] for row in due}).sudo()
        Partner = self.env["res.partner"].sudo()
        template = self.env.ref("survey.mail_template_user_input_invite")
        vals_list = []
        for campaign_id, account_id, contact_id, first_day, last_day in due:
            campaign, account = campaigns.browse(campaign_id), Partner.browse(account_id)
            answer = campaign.survey_id.sudo()._create_answer(
                partner=Partner.browse(contact_id),
                check_attempts=False,
                deadline=fields.Datetime.to_datetime(last_day) + timedelta(days=1),
            )
            vals_list.append(
                {
                    "campaign_id": campaign_id,
                    "partner_id": account_id,
                    "contact_id": contact_id,
                    "user_input_id": answer.id,
                    "period_start": first_day,
                    "period_end": last_day,
                    "user_id": account.key_account_manager_id.id,
                    "date_sent": fields.Datetime.now(),
                }
            )
        invitations = self.env["key.account.survey.invitation"].sudo().create(vals_list)
        invitations._send(template)
        return invitations

    def _remind(self, limit=None):
        """Remind the contacts who have not answered, ``reminder_days`` after the invitation or
        the last reminder, ``max_reminders`` times at most, within their period."""
        now = fields.Datetime.now()
        Invitation = self.env["key.account.survey.invitation"].sudo()
        candidates = Invitation.search(
            [
                ("campaign_id", "in", self.filtered(lambda c: c.reminder_days > 0).ids),
                ("state", "!=", "done"),
                ("period_end", ">=", fields.Date.context_today(self)),
                ("user_input_id", "!=", False),
            ],
            order="id",
        )
        due = candidates.filtered(
            lambda i: (
                i.reminder_count < i.campaign_id.max_reminders
                and (i.date_reminded or i.date_sent) + timedelta(days=i.campaign_id.reminder_days) <= now
            )
        )[:limit]
        due._send(self.env.ref("key_account_mgmt.mail_template_survey_reminder"))
        for invitation in due:
            invitation.write({"date_reminded": now, "reminder_count": invitation.reminder_count + 1})
        return due
