from odoo import api, fields, models
from odoo.tools import float_round

from ..tools import ensure_one, format_number, in_lang_of
from .key_account_cooperation_mixin import COOPERATION_RANK, COOPERATION_STATES


class KeyAccountSatisfaction(models.Model):
    """The satisfaction of a key account in a survey period (大客户满意程度, seed 001 §2.1; 满意度
    分析, seed 003 第十八条(2)): 0-100 from its contacts' answers, with the breakdown per question
    and the change against the period before. Figures only, computed from the answers in SQL
    (``key.account.metrics._satisfaction_figures``) each time one is completed; a low score or
    a drop gives the account manager an activity proposing a review of the cooperation state
    (a proposal: the state changes only through its own action). Confidential like the account."""

    _name = "key.account.satisfaction"
    _inherit = ["key.account.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Key Account Satisfaction"
    _order = "period_start desc, partner_id"
    _rec_name = "partner_id"

    period_start = fields.Date(string="Period From", required=True, readonly=True, index=True)
    period_end = fields.Date(string="Period To", required=True, readonly=True)
    score = fields.Float(digits=(5, 2), readonly=True, aggregator="avg", help="Points earned / best points × 100.")
    points = fields.Float(digits=(16, 2), readonly=True)
    max_points = fields.Float(string="Best Points", digits=(16, 2), readonly=True)
    response_count = fields.Integer(string="Answers", readonly=True)
    invited_count = fields.Integer(string="Invited", compute="_compute_invited_count")
    date_last_response = fields.Datetime(string="Last Answer", readonly=True)
    previous_score = fields.Float(digits=(5, 2), readonly=True, help="The score of the period before, if any.")
    score_change = fields.Float(digits=(5, 2), readonly=True)
    has_previous = fields.Boolean(readonly=True)
    user_id = fields.Many2one("res.users", string="Account Manager", readonly=True, index=True)
    line_ids = fields.One2many("key.account.satisfaction.line", "satisfaction_id", string="Per Question")
    invitation_ids = fields.One2many("key.account.survey.invitation", compute="_compute_invitation_ids")
    alert = fields.Selection(
        [("low", "Low Score"), ("drop", "Worsening")], readonly=True, help="Why the account manager was alerted."
    )
    proposed_state = fields.Selection(
        COOPERATION_STATES,
        string="Proposed Cooperation State",
        readonly=True,
        help="What the score suggests; the account manager decides.",
    )
    cooperation_state = fields.Selection(related="partner_id.cooperation_state", string="Cooperation State")

    _sql_constraints = [
        ("period_uniq", "unique(partner_id, period_start)", "An account has one satisfaction per survey period."),
    ]

    def _compute_invited_count(self):
        counts = {
            (partner, start): count
            for partner, start, count in self.env["key.account.survey.invitation"]._read_group(
                [("partner_id", "in", self.partner_id.ids)], ["partner_id", "period_start:day"], ["__count"]
            )
        }
        for satisfaction in self:
            satisfaction.invited_count = counts.get((satisfaction.partner_id, satisfaction.period_start), 0)

    def _compute_invitation_ids(self):
        for satisfaction in self:
            satisfaction.invitation_ids = self.env["key.account.survey.invitation"].search(
                [("partner_id", "=", satisfaction.partner_id.id), ("period_start", "=", satisfaction.period_start)]
            )

    # ------------------------------------------------------------------ computation
    @api.model
    def _refresh(self, keys):
        """Recompute the satisfaction of the accounts and periods ``keys`` {(partner_id,
        period_start): period_end} from their answers (one statement), write it (sudo: the
        answers of the public page) and alert on a low score or a drop."""
        if not keys:
            return self.browse()
        figures = self.env["key.account.metrics"]._satisfaction_figures(list(keys))
        Satisfaction = self.sudo().with_context(mail_create_nolog=True, tracking_disable=True)
        existing = {
            (record.partner_id.id, record.period_start): record
            for record in Satisfaction.search(
                [("partner_id", "in", list({partner for partner, _start in keys}))], order="period_start"
            )
        }
        touched = Satisfaction.browse()
        for (partner_id, start), end in sorted(keys.items(), key=lambda item: item[0][1]):
            figure = figures.get((partner_id, start))
            if not figure:
                continue
            before = [r for (p, s), r in existing.items() if p == partner_id and s < start]
            previous = max(before, key=lambda r: r.period_start) if before else None
            partner = self.env["res.partner"].sudo().browse(partner_id)
            vals = {
                "period_end": end,
                "score": float_round(figure["score"], 2),
                "points": figure["points"],
                "max_points": figure["max_points"],
                "response_count": figure["responses"],
                "date_last_response": figure["last"],
                "user_id": partner.key_account_manager_id.id,
                "has_previous": bool(previous),
                "previous_score": previous.score if previous else 0.0,
                "score_change": float_round(figure["score"] - previous.score, 2) if previous else 0.0,
                "line_ids": [fields.Command.clear()]
                + [
                    fields.Command.create(
                        {"question_id": question_id, "score": float_round(score, 2), "answers": count}
                    )
                    for question_id, (score, count) in figure["questions"].items()
                ],
            }
            record = existing.get((partner_id, start))
            if record:
                record.write(vals)
            else:
                record = Satisfaction.create({"partner_id": partner_id, "period_start": start, **vals})
                existing[(partner_id, start)] = record
            touched |= record
        touched._alert()
        return touched

    def _alert(self):
        """Once per account and period: a score below the low mark or a drop of at least the
        drop mark against the period before gives the account manager (else the KA Managers)
        an activity proposing to review the cooperation state. The marks are the settings of the
        account's company (res.company)."""
        for record in self.sudo().filtered(lambda r: not r.alert):
            company = record.company_id
            if record.score < company.key_account_satisfaction_low_score:
                alert = "low"
            elif record.has_previous and -record.score_change >= company.key_account_satisfaction_drop:
                alert = "drop"
            else:
                continue
            state = record.partner_id.cooperation_state
            proposed = "problem" if not state or COOPERATION_RANK[state] < COOPERATION_RANK["problem"] else False
            record.write({"alert": alert, "proposed_state": proposed})
            users = record.partner_id.key_account_manager_id or record.partner_id._key_account_managers()
            for user in users:
                local = in_lang_of(record, user)
                local.activity_schedule(
                    "key_account_mgmt.mail_activity_type_satisfaction_review",
                    summary=local._alert_summary(),
                    note=local._alert_text(),
                    user_id=user.id,
                )

    def _alert_summary(self):
        return self.env._("Satisfaction %(score)s: review the cooperation state", score=f"{self.score:.2f}")

    def _alert_text(self):
        states = dict(self._fields["proposed_state"]._description_selection(self.env))
        if self.alert == "low":
            why = self.env._(
                "The satisfaction of %(account)s for %(start)s - %(end)s is %(score)s, below %(low)s.",
                account=self.partner_id.name,
                start=self.period_start,
                end=self.period_end,
                score=f"{self.score:.2f}",
                low=format_number(self.env, self.sudo().company_id.key_account_satisfaction_low_score, 2),
            )
        else:
            why = self.env._(
                "The satisfaction of %(account)s for %(start)s - %(end)s fell from %(before)s to %(score)s.",
                account=self.partner_id.name,
                start=self.period_start,
                end=self.period_end,
                before=f"{self.previous_score:.2f}",
                score=f"{self.score:.2f}",
            )
        if self.proposed_state:
            return why + " " + self.env._("Proposed cooperation state: %(state)s.", state=states[self.proposed_state])
        return why + " " + self.env._("Review the cooperation state and its remedy plan.")

    # ------------------------------------------------------------------ actions
    def action_review_cooperation_state(self):
        """Open the cooperation state wizard of the account with the proposed state: the team
        decides, with the explanation and remedy plan a downgrade needs."""
        ensure_one(self)
        self.check_access("read")
        action = self.partner_id.action_open_cooperation_state_wizard()
        if self.proposed_state:
            action["context"] = {
                **action["context"],
                "default_state": self.proposed_state,
                "default_reason": self._alert_text(),
            }
        return action
