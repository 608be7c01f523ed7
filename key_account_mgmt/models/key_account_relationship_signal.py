from odoo import api, fields, models

from ..tools import in_lang_of

SIGNAL_RULES = [
    ("no_economic_buyer", "No Economic Buyer Known"),
    ("no_coach", "No Coach or Champion Known"),
    ("opponent_deciding", "Opponent in a Deciding Role"),
    ("decider_not_met", "Decider Not Met"),
    ("champion_left", "Champion Leaving"),
]


class KeyAccountRelationshipSignal(models.Model):
    """A relationship risk of a key account (seed 001 §3.3.3 二.5: 重点接触决策人及教练买家; seed
    000 四.4: 人员变动 passed on at once), raised by the relationship watch
    (key.account.relationship.watch): no economic buyer or no coach or champion known, an
    opponent in a deciding role, a decider not met within the tier's visit frequency, a
    champion who leaves. One open row per account and risk, with one activity for the account
    manager; resolved (archived, the activity marked done) when the risk is gone. Written by
    the watch only; the account team reads it and does the activity."""

    _name = "key.account.relationship.signal"
    _inherit = ["key.account.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Relationship Risk"
    _order = "date_raised desc, id desc"
    _rec_name = "rule"
    # the team reads the risk and does its activity on a row it may only read
    _mail_post_access = "read"

    rule = fields.Selection(SIGNAL_RULES, string="Risk", required=True, readonly=True, index=True)
    contact_ids = fields.Many2many(
        "res.partner",
        "key_account_relationship_signal_contact_rel",
        "signal_id",
        "contact_id",
        string="People",
        readonly=True,
    )
    facts = fields.Json(
        string="Findings", readonly=True, help="Technical: what the watch found, rendered in the reader's language."
    )
    date_raised = fields.Datetime(string="Raised On", required=True, readonly=True, default=fields.Datetime.now)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    active = fields.Boolean(string="Still Open", default=True, readonly=True)
    description = fields.Text(string="What the Watch Found", compute="_compute_description")
    account_manager_id = fields.Many2one(related="partner_id.key_account_manager_id", string="Account Manager")

    def init(self):
        # one open risk per account and rule: the watch and a change of a contact cannot both raise it
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS key_account_relationship_signal_open_uniq
               ON key_account_relationship_signal (partner_id, rule) WHERE active"""
        )

    @api.depends("rule", "contact_ids", "facts")
    @api.depends_context("lang")
    def _compute_description(self):
        for signal in self:
            signal.description = signal._text()

    def _text(self):
        """What was found, in the language of the environment."""
        facts = self.facts or {}
        people = self.sudo().with_context(active_test=False).contact_ids
        reasons = dict(self.env["key.account.relationship"]._fields["left_reason"]._description_selection(self.env))
        names = ", ".join(people.mapped("name"))
        if self.rule == "no_economic_buyer":
            return self.env._("Nobody on the map is known as the economic buyer, who approves the money.")
        if self.rule == "no_coach":
            return self.env._("Nobody on the map is known as a coach or a champion to guide us inside the customer.")
        if self.rule == "opponent_deciding":
            return self.env._("Opposed to us and deciding: %(people)s.", people=names)
        if self.rule == "decider_not_met":
            return self.env._(
                "Deciders not met for more than %(days)s days (the tier's visit frequency): %(people)s.",
                days=facts.get("days", 0),
                people=names,
            )
        if self.rule == "champion_left":
            left = facts.get("reasons", {})
            parts = []
            for person in people:
                reason = reasons.get(left.get(str(person.id)))
                parts.append(
                    self.env._("%(person)s (%(reason)s)", person=person.name, reason=reason) if reason else person.name
                )
            return self.env._("Champion leaving: %(people)s.", people=", ".join(parts))
        return ""

    # ------------------------------------------------------------------ raised and resolved by the watch
    def _schedule_activity(self):
        """One activity per new risk for the account manager (a KA Manager of the company when
        the account has none), in their language (sudo)."""
        for signal in self.sudo():
            account = signal.partner_id
            user = account.key_account_manager_id or account._key_account_managers()[:1]
            if not user:
                continue
            local = in_lang_of(signal, user)
            local.activity_schedule(
                "key_account_mgmt.mail_activity_type_relationship_risk",
                summary=local._summary(),
                note=local._text(),
                user_id=user.id,
            )

    def _summary(self):
        """The risk and its account, in the language of the environment."""
        label = dict(self._fields["rule"]._description_selection(self.env))[self.rule]
        return self.env._("%(risk)s: %(account)s", risk=label, account=self.sudo().partner_id.display_name)

    def _resolve(self):
        """The risk is gone: the row closes, its activity is marked done (sudo)."""
        if not self:
            return
        signals = self.sudo()
        # done before the row closes: archiving a record deletes its open activities
        for activity in signals.activity_ids:
            activity = in_lang_of(activity, activity.user_id)
            activity.action_feedback(
                feedback=activity.env._("Resolved: the relationship map no longer shows this risk.")
            )
        signals.write({"active": False, "date_resolved": fields.Datetime.now()})
