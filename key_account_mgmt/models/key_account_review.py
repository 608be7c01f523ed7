import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..report.annual_review_xlsx import write_annual_list
from ..tools import ensure_one
from .key_account_approval_mixin import APPROVAL_STATES

KA_CLERK = "key_account_mgmt.group_ka_clerk"
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountReview(models.Model):
    """Annual review (年度评定, seed 002 客户分级管理办法 6.1: 25-30 Dec): proposes for every key
    account its tier from the score and the share of annual sales (old → new, with the
    reason); specialists add preliminary ratings, the KA Manager reviews, the KA Director
    approves (always); approval applies the tiers and produces the 年度重要客户一览表 (XLSX)."""

    _name = "key.account.review"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Annual Key Account Review"
    _order = "year desc, id desc"
    _approval_material_fields = ("company_id", "year", "date", "scorecard_id", "line_ids")
    # the approval applied the tiers: what it decided cannot be approved again
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        APPROVAL_STATES, string="Status", default="draft", required=True, tracking=True, copy=False
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    date = fields.Date(
        string="Review Date",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=12, day=25),
        help="The seed holds the review every year between 25 and 30 December.",
    )
    period_date = fields.Date(
        string="Scores of",
        compute="_compute_period_date",
        store=True,
        help="The month whose score snapshots the review uses: the month of the review date.",
    )
    scorecard_id = fields.Many2one(
        "key.account.scorecard",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env["key.account.scorecard"]._for_company(self.env.company),
        domain="[('company_id', '=', company_id)]",
    )
    line_ids = fields.One2many("key.account.review.line", "review_id", string="Accounts")
    line_count = fields.Integer(string="Number of Accounts", compute="_compute_counts")
    change_count = fields.Integer(string="Tier Changes", compute="_compute_counts")
    elimination_count = fields.Integer(string="Elimination Candidates", compute="_compute_counts")
    # the list of every account and the managers' meeting notes: clerks, managers and directors
    # rendered from the approved lines when read, in the reader's language
    list_file = fields.Binary(string="Annual Key Account List", compute="_compute_list_file", groups=KA_CLERK)
    list_filename = fields.Char(string="File Name", readonly=True, copy=False, groups=KA_CLERK)
    note = fields.Html(string="Meeting Notes", help="Conclusions of the review meeting.", groups=KA_CLERK)

    _sql_constraints = [
        (
            "year_company_scorecard_uniq",
            "unique(year, company_id, scorecard_id)",
            "There is one annual review per company and year.",
        ),
    ]

    @api.depends("date")
    def _compute_period_date(self):
        for review in self:
            review.period_date = self.env["key.account.metrics"]._period(review.date)[0] if review.date else False

    @api.depends("line_ids.change", "line_ids.elimination_candidate")
    def _compute_counts(self):
        for review in self:
            review.line_count = len(review.line_ids)
            review.change_count = len(review.line_ids.filtered(lambda line: line.change in ("upgrade", "downgrade")))
            review.elimination_count = len(review.line_ids.filtered("elimination_candidate"))

    @api.depends("list_filename", "line_ids")
    @api.depends_context("lang")
    def _compute_list_file(self):
        for review in self:
            review.list_file = base64.b64encode(write_annual_list(review.sudo())) if review.list_filename else False

    @api.depends("company_id")
    def _compute_needs_director_approval(self):
        # the annual tier list is always approved by the Director (general manager)
        for review in self:
            review.needs_director_approval = True

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may prepare the annual review."))

    # ------------------------------------------------------------------ proposal
    def action_propose(self):
        """Score every key account for the review month, then propose old → new tier with
        the reasons. Replaces earlier proposals of this draft (keeps the comments of the
        accounts still there)."""
        self._check_manager()
        for review in self:
            if review.state != "draft":
                raise UserError(self.env._("Only a draft review can be proposed again."))
            scorecard = review.scorecard_id.sudo().with_company(review.company_id)
            scorecard._compute_scores(period_date=review.period_date)
            review._build_lines()
        return True

    def _build_lines(self):
        ensure_one(self)
        snapshots = (
            self.env["key.account.score"]
            .sudo()
            .search(
                [
                    ("scorecard_id", "=", self.scorecard_id.id),
                    ("period_date", "=", self.period_date),
                    ("partner_id.is_key_account", "=", True),
                ]
            )
        )
        eliminate = self._elimination_candidates(snapshots.partner_id.ids)
        kept = {line.partner_id.id: line for line in self.line_ids}
        vals_list = []
        for snapshot in snapshots:
            old = snapshot.partner_id.key_account_tier_id
            new = snapshot.suggested_tier_id or old
            vals = {
                "score_id": snapshot.id,
                "old_tier_id": old.id,
                "proposed_tier_id": new.id,
                "new_tier_id": new.id,
                "reason_facts": self._reason_facts(snapshot, new),
                "elimination_candidate": snapshot.partner_id.id in eliminate,
            }
            if snapshot.partner_id.id in kept:
                kept.pop(snapshot.partner_id.id).sudo().write(vals)
            else:
                vals_list.append(dict(vals, review_id=self.id, partner_id=snapshot.partner_id.id))
        self.env["key.account.review.line"].sudo().browse([line.id for line in kept.values()]).unlink()
        self.env["key.account.review.line"].sudo().create(vals_list)

    def _reason_facts(self, snapshot, tier):
        """Why ``tier`` is proposed, as facts the line renders in its reader's language."""
        facts = {"score": snapshot.score, "grade": snapshot.grade, "share": snapshot.sales_share}
        if tier:
            facts.update(
                tier_id=tier.id, min_share=tier.min_sales_share, min_score=tier.min_score, rule=tier.suggestion_rule
            )
        return facts

    def _elimination_candidates(self, partner_ids):
        """Accounts graded C in every snapshot of the last three years, scored for at least
        three years (seed: C类客户如三年内无法升级为B级客户，需作为年度淘汰客户对象). One statement."""
        if not partner_ids:
            return set()
        cutoff = self.period_date - relativedelta(years=3)
        self.env["key.account.score"].flush_model(["partner_id", "scorecard_id", "period_date", "grade"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id FROM key_account_score
             WHERE scorecard_id = %(scorecard)s AND partner_id = ANY(%(ids)s) AND period_date <= %(period)s
             GROUP BY partner_id
            HAVING bool_and(grade = 'c') FILTER (WHERE period_date >= %(cutoff)s) AND MIN(period_date) <= %(cutoff)s
            """,
                scorecard=self.scorecard_id.id,
                ids=list(partner_ids),
                period=self.period_date,
                cutoff=cutoff,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _check_submittable(self):
        ensure_one(self)
        self._check_manager()
        if not self.line_ids:
            raise UserError(self.env._("Propose the tiers of the accounts before submitting the review."))
        other = self.sudo().search_count(
            [("id", "!=", self.id), ("company_id", "=", self.company_id.id), ("state", "=", "submitted")]
        )
        if other:
            raise UserError(self.env._("Another annual review of this company is under approval."))

    # ------------------------------------------------------------------ approval
    def _on_approved(self):
        """Apply the new tiers (tracked on each partner) and attach the annual list."""
        for review in self:
            lines = review.line_ids.sudo().filtered(
                lambda line: line.new_tier_id and line.new_tier_id != line.partner_id.key_account_tier_id
            )
            for tier, tier_lines in lines.grouped("new_tier_id").items():
                tier_lines.partner_id.sudo().write({"key_account_tier_id": tier.id})
            review._generate_list()
            review.message_post(
                body=self.env._("Approved: %(count)s tier changes applied.", count=len(lines)),
                subtype_xmlid="mail.mt_note",
            )

    def _generate_list(self):
        """年度重要客户一览表: produced on approval, rendered when read (``list_file``)."""
        ensure_one(self)
        filename = f"annual_key_accounts_{self.year}_{self.company_id.id}.xlsx"
        self.sudo().write({"list_filename": filename})
        return filename
