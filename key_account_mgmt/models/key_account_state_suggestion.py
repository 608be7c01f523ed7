from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import clean_text, ensure_one, in_lang_of, label
from .key_account_cooperation_mixin import COOPERATION_STATES

# the rules of the state watch (key.account.state.watch) and the state each one suggests
SUGGESTION_RULES = [
    ("no_invoice", "No Invoice in Three Years"),
    ("complaint_surge", "Surge of Valid Complaints"),
    ("score_drop", "Score Drop"),
    ("contract_running", "Running Agreement or Won Tender"),
    ("contract_expired", "Agreement Expired Without Renewal"),
]
RULE_STATE = {
    "no_invoice": "no_cooperation",
    "complaint_surge": "problem",
    "score_drop": "problem",
    "contract_running": "good",
    "contract_expired": "problem",
}


class KeyAccountStateSuggestion(models.Model):
    """A cooperation state suggested by the data (seed 002 合作状态: 合作良好 = 有中标协议,
    没有合作 = 三年内没有合作, 问题客户), raised by the state watch (key.account.state.watch):
    one row per account and rule while the data shows it, with one activity for the account
    manager. Never a change by itself: the account manager accepts it through the cooperation
    state action (the state wizard or the monthly review, with their rules) or dismisses it
    with a reason. Append-only: written by the watch and these actions only, and kept."""

    _name = "key.account.state.suggestion"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Cooperation State Suggestion"
    _order = "date_raised desc, id desc"
    _rec_name = "rule"
    # the team reads the suggestion and does its activity on a row it may only read
    _mail_post_access = "read"

    rule = fields.Selection(SUGGESTION_RULES, string="Data Rule", required=True, readonly=True, index=True)
    suggested_state = fields.Selection(COOPERATION_STATES, required=True, readonly=True)
    facts = fields.Json(
        string="Findings", readonly=True, help="Technical: what the watch found, rendered in the reader's language."
    )
    date_raised = fields.Datetime(string="Raised On", required=True, readonly=True, default=fields.Datetime.now)
    date_resolved = fields.Datetime(string="Cleared On", readonly=True, copy=False)
    active = fields.Boolean(
        string="Data Still Shows It",
        default=True,
        readonly=True,
        help="Cleared by the watch when the data no longer shows it; a new occurrence is a new suggestion.",
    )
    decision = fields.Selection(
        [("pending", "Awaiting Decision"), ("accepted", "Adopted"), ("dismissed", "Dismissed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    decision_user_id = fields.Many2one("res.users", string="Decision by", readonly=True)
    decision_date = fields.Datetime(string="Decision On", readonly=True)
    dismiss_reason = fields.Text(string="Why Dismissed", readonly=True)
    state_log_id = fields.Many2one(
        "key.account.state.log", string="State Change", readonly=True, help="The change that accepted the suggestion."
    )
    is_open = fields.Boolean(string="To Decide Now", compute="_compute_is_open")
    description = fields.Text(string="What the Data Shows", compute="_compute_description")
    account_manager_id = fields.Many2one(related="partner_id.key_account_manager_id", string="Account Manager")

    def init(self):
        # one suggestion per account and rule while the data shows it: raised once
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS key_account_state_suggestion_open_uniq
               ON key_account_state_suggestion (partner_id, rule) WHERE active"""
        )

    @api.depends("decision", "active")
    def _compute_is_open(self):
        for suggestion in self:
            suggestion.is_open = suggestion.active and suggestion.decision == "pending"

    @api.depends("rule", "facts")
    @api.depends_context("lang")
    def _compute_description(self):
        for suggestion in self:
            suggestion.description = suggestion._text()

    def _text(self):
        """What the data shows, in the language of the environment."""
        facts = self.facts or {}
        if self.rule == "no_invoice":
            if facts.get("last"):
                return self.env._(
                    "No posted customer invoice of the account or its branches in the last %(months)s months (the last one: %(date)s).",
                    months=facts.get("months", 36),
                    date=facts["last"],
                )
            return self.env._(
                "No posted customer invoice of the account or its branches in %(months)s months.",
                months=facts.get("months", 36),
            )
        if self.rule == "complaint_surge":
            return self.env._(
                "%(count)s valid complaints in the last %(days)s days (the company's threshold: %(threshold)s).",
                count=facts.get("count", 0),
                days=facts.get("days", 0),
                threshold=facts.get("threshold", 0),
            )
        if self.rule == "score_drop":
            return self.env._(
                "The score fell from %(before)s to %(after)s in %(month)s (the company's threshold: %(points)s points).",
                before=facts.get("before", 0),
                after=facts.get("after", 0),
                month=facts.get("month", ""),
                points=facts.get("points", 0),
            )
        if self.rule in ("contract_running", "contract_expired") and "key.account.agreement" in self.env:
            agreements = self.env["key.account.agreement"].sudo().browse(facts.get("agreement_ids", [])).exists()
            names = ", ".join(agreements.mapped("display_name"))
            if self.rule == "contract_running":
                return self.env._("Running agreements or won tenders: %(names)s.", names=names)
            return self.env._("Agreements expired without renewal: %(names)s.", names=names)
        return ""

    def _summary(self):
        """The suggestion and its account, in the language of the environment."""
        states = dict(self._fields["suggested_state"]._description_selection(self.env))
        return self.env._(
            "Suggested state %(state)s: %(account)s",
            state=states[self.suggested_state],
            account=self.sudo().partner_id.display_name,
        )

    # ------------------------------------------------------------------ raised and cleared by the watch
    def _schedule_activity(self):
        """One activity per new suggestion for the account manager (a KA Manager of the company
        when the account has none), in their language (sudo)."""
        for suggestion in self.sudo():
            account = suggestion.partner_id
            user = account.key_account_manager_id or account._key_account_managers()[:1]
            if not user:
                continue
            local = in_lang_of(suggestion, user)
            local.activity_schedule(
                "key_account_mgmt.mail_activity_type_state_suggestion",
                summary=local._summary(),
                note=local._text(),
                user_id=user.id,
            )

    def _close_activities(self, feedback):
        """Mark the open activities of these suggestions done, ``feedback(activity)`` the text
        in the assignee's language (sudo)."""
        for activity in self.sudo().activity_ids:
            activity = in_lang_of(activity, activity.user_id)
            activity.action_feedback(feedback=feedback(activity))

    def _resolve(self):
        """The data no longer shows it: the row is cleared, its activity marked done (sudo)."""
        if not self:
            return
        # done before the row closes: archiving a record deletes its open activities
        self._close_activities(lambda activity: activity.env._("Cleared: the data no longer shows this."))
        self.sudo().write({"active": False, "date_resolved": fields.Datetime.now()})

    # ------------------------------------------------------------------ the account manager's decision
    def _check_decidable(self):
        for suggestion in self:
            if suggestion.decision != "pending":
                raise UserError(self.env._("This suggestion was already accepted or dismissed."))
        self.partner_id._key_account_check_access(
            "write",
            self.env._("Only the account team or a Key Account Manager may decide on the suggestions of %(partners)s."),
        )

    def action_accept(self):
        """Accept: the cooperation state wizard opens prefilled with the suggested state and
        what the data shows; the change goes through the state action and its rules (an
        explanation and a remedy plan for a downgrade). From a monthly review
        (``key_account_review_id`` in the context), the review takes the suggested state and
        filing it makes the change."""
        ensure_one(self)
        self._check_decidable()
        review_id = self.env.context.get("key_account_review_id")
        if review_id:
            review = self.env["key.account.monthly.review"].browse(review_id if isinstance(review_id, int) else 0)
            if not review.exists() or review.partner_id != self.partner_id or review.state != "draft":
                raise UserError(self.env._("Open the monthly review still to write of this account."))
            review.write({"cooperation_state": self.suggested_state, "state_reason": self._text()})
            return True
        action = self.partner_id.action_open_cooperation_state_wizard()
        action["context"].update(default_state=self.suggested_state, default_reason=self._text())
        return action

    def action_dismiss(self, reason):
        """Dismiss with a reason, kept on the row (public RPC API)."""
        reason = clean_text(self.env, reason, label(self.env, self._name, "dismiss_reason"))
        if not reason:
            raise ValidationError(self.env._("Say why you dismiss the suggestion."))
        self._check_decidable()
        self._close_activities(lambda activity: activity.env._("Dismissed: %(reason)s", reason=reason))
        self.sudo().write(
            {
                "decision": "dismissed",
                "dismiss_reason": reason,
                "decision_user_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        return True

    def action_open_dismiss_wizard(self):
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dismiss Suggestion"),
            "res_model": "key.account.state.suggestion.dismiss",
            "view_mode": "form",
            "target": "new",
            "context": {"default_suggestion_id": self.id},
        }

    @api.model
    def _accept_for(self, logs):
        """After these state log rows changed or confirmed accounts' states: the open
        suggestions of the states they set are accepted by them (sudo)."""
        by_account = {log.partner_id.id: log for log in logs}
        pending = self.sudo().search([("partner_id", "in", list(by_account)), ("decision", "=", "pending")])
        for suggestion in pending:
            log = by_account[suggestion.partner_id.id]
            if log.state_to != suggestion.suggested_state:
                continue
            suggestion._close_activities(lambda activity: activity.env._("Accepted: the cooperation state was set."))
            suggestion.write(
                {
                    "decision": "accepted",
                    "state_log_id": log.id,
                    "decision_user_id": log.user_id.id,
                    "decision_date": log.date,
                }
            )
