from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .key_account_scorecard import GRADES

SPECIALIST_FIELDS = {"preliminary_grade", "specialist_comment"}
MANAGER_FIELDS = {"new_tier_id", "manager_comment"}


class KeyAccountReviewLine(models.Model):
    """One key account in the annual review: its score, old and proposed tier with the reason,
    the specialist's preliminary rating and the KA Manager's decision."""

    _name = "key.account.review.line"
    _inherit = ["key.account.confidential.mixin", "key.account.approval.line.mixin"]
    _description = "Annual Review Line"
    _confidential_parents = ("review_id",)
    _approval_parent_fields = ("review_id",)
    _approval_material_fields = ("review_id", "partner_id", "score_id", "new_tier_id")
    _order = "review_id, old_tier_sequence, score desc, id"

    review_id = fields.Many2one("key.account.review", required=True, index=True, ondelete="cascade")
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    score_id = fields.Many2one("key.account.score", string="Score Snapshot", ondelete="set null")
    score = fields.Float(related="score_id.score", string="Score")
    grade = fields.Selection(related="score_id.grade", string="Grade")
    sales_share = fields.Float(related="score_id.sales_share", string="Share of Annual Sales (%)")
    manager_id = fields.Many2one(related="partner_id.key_account_manager_id", string="Account Manager")
    old_tier_id = fields.Many2one("key.account.tier", readonly=True, ondelete="restrict")
    old_tier_sequence = fields.Integer(related="old_tier_id.sequence", store=True, string="Old Tier Order")
    proposed_tier_id = fields.Many2one("key.account.tier", readonly=True, ondelete="restrict")
    new_tier_id = fields.Many2one(
        "key.account.tier",
        ondelete="restrict",
        help="The KA Manager's decision; the proposal by default. Applied on approval.",
    )
    change = fields.Selection(
        [("upgrade", "Upgrade"), ("same", "Unchanged"), ("downgrade", "Downgrade")],
        compute="_compute_change",
        store=True,
    )
    # why the tier is proposed: stored as facts, rendered in the reader's language
    reason_facts = fields.Json(
        readonly=True, help="Technical: the score, grade, share and thresholds the proposal followed."
    )
    reason = fields.Text(compute="_compute_reason")
    preliminary_grade = fields.Selection(
        GRADES, string="Preliminary Rating", help="The specialist's preliminary rating (初步评级)."
    )
    specialist_comment = fields.Text()
    manager_comment = fields.Text()
    elimination_candidate = fields.Boolean(
        readonly=True,
        help="Graded C in every score of the last three years (seed: 三年内无法升级为B级, 作为年度淘汰客户对象).",
    )

    @api.depends("old_tier_id.sequence", "new_tier_id.sequence")
    def _compute_change(self):
        for line in self:
            if not line.old_tier_id or not line.new_tier_id:
                line.change = "upgrade" if line.new_tier_id else "same"
            elif line.new_tier_id.sequence < line.old_tier_id.sequence:
                line.change = "upgrade"
            elif line.new_tier_id.sequence > line.old_tier_id.sequence:
                line.change = "downgrade"
            else:
                line.change = "same"

    @api.depends("reason_facts")
    @api.depends_context("lang")
    def _compute_reason(self):
        for line in self:
            line.reason = line._render_reason(line.reason_facts or {}) or False

    def _render_reason(self, facts):
        """The reason of a proposal from its facts, in the language of the environment; a text
        stored before 18.0.1.8.0 as it was written."""
        if "text" in facts or "score" not in facts:
            return facts.get("text", "")
        grades = dict(self._fields["grade"]._description_selection(self.env))
        reason = self.env._(
            "Score %(score)s (grade %(grade)s), %(share)s%% of the company's annual sales.",
            score="%.2f" % facts["score"],
            grade=grades.get(facts["grade"], ""),
            share="%.2f" % facts["share"],
        )
        if facts.get("tier_id"):
            tier = self.env["key.account.tier"].browse(facts["tier_id"]).exists()
            rules = dict(tier._fields["suggestion_rule"]._description_selection(self.env))
            reason += " " + self.env._(
                "Tier %(tier)s: minimum share %(share)s%%, minimum score %(score)s (%(rule)s).",
                tier=tier.name or "",
                share="%.2f" % facts["min_share"],
                score="%.2f" % facts["min_score"],
                rule=rules.get(facts["rule"], ""),
            )
        return reason

    def write(self, vals):
        if not self.env.su:
            if any(line.review_id.state != "draft" for line in self):
                raise UserError(self.env._("The review has been submitted: its lines can no longer be changed."))
            if not self.env.user.has_group("key_account_mgmt.group_ka_manager"):
                if vals.keys() - SPECIALIST_FIELDS:
                    raise AccessError(
                        self.env._(
                            "Specialists add their preliminary rating and comment; the rest belongs to the KA Manager."
                        )
                    )
                self.partner_id._key_account_check_access(
                    "write", self.env._("Only the account team may rate %(partners)s.")
                )
        return super().write(vals)
