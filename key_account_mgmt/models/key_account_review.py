import base64
import io

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

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
    list_file = fields.Binary(
        string="Annual Key Account List",
        attachment=True,
        readonly=True,
        copy=False,
        groups=KA_CLERK,
    )
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
                "reason": self._reason(snapshot, new),
                "elimination_candidate": snapshot.partner_id.id in eliminate,
            }
            if snapshot.partner_id.id in kept:
                kept.pop(snapshot.partner_id.id).sudo().write(vals)
            else:
                vals_list.append(dict(vals, review_id=self.id, partner_id=snapshot.partner_id.id))
        self.env["key.account.review.line"].sudo().browse([line.id for line in kept.values()]).unlink()
        self.env["key.account.review.line"].sudo().create(vals_list)

    def _reason(self, snapshot, tier):
        grade = dict(snapshot._fields["grade"]._description_selection(self.env)).get(snapshot.grade, "")
        score, share = "%.2f" % snapshot.score, "%.2f" % snapshot.sales_share
        reason = self.env._(
            "Score %(score)s (grade %(grade)s), %(share)s%% of the company's annual sales.",
            score=score,
            grade=grade,
            share=share,
        )
        if tier:
            rule = dict(tier._fields["suggestion_rule"]._description_selection(self.env))[tier.suggestion_rule]
            min_share, min_score = "%.2f" % tier.min_sales_share, "%.2f" % tier.min_score
            reason += " " + self.env._(
                "Tier %(tier)s: minimum share %(share)s%%, minimum score %(score)s (%(rule)s).",
                tier=tier.name,
                share=min_share,
                score=min_score,
                rule=rule,
            )
        return reason

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
        """年度重要客户一览表: one row per account, sorted by new tier and score."""
        import xlsxwriter

        ensure_one(self)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Annual Key Account List")[:31])
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        number = workbook.add_format({"num_format": "0.00"})
        sheet.write(
            0,
            0,
            self.env._(
                "Annual Key Account List %(year)s (年度重要客户一览表) - %(company)s",
                year=self.year,
                company=self.company_id.name,
            ),
            title,
        )
        headers = [
            self.env._("No."),
            self.env._("Key Account Code"),
            self.env._("Customer"),
            self.env._("Account Manager"),
            self.env._("Score"),
            self.env._("Grade"),
            self.env._("Share of Annual Sales (%)"),
            self.env._("Old Tier"),
            self.env._("New Tier"),
            self.env._("Change"),
            self.env._("Reason"),
            self.env._("Preliminary Rating"),
            self.env._("Specialist Comment"),
            self.env._("Manager Comment"),
            self.env._("Elimination Candidate"),
        ]
        for col, header in enumerate(headers):
            sheet.write(2, col, header, bold)
        lines = self.line_ids.sudo().sorted(
            lambda line: (line.new_tier_id.sequence, -line.score, line.partner_id.name or "")
        )
        changes = dict(self.env["key.account.review.line"]._fields["change"]._description_selection(self.env))
        grades = dict(self.env["key.account.review.line"]._fields["grade"]._description_selection(self.env))
        yes = self.env._("Yes")
        for row, line in enumerate(lines, start=3):
            partner = line.partner_id
            values = [
                row - 2,
                partner.key_account_code or "",
                partner.name or "",
                partner.key_account_manager_id.name or "",
                line.score,
                grades.get(line.grade, ""),
                line.sales_share,
                line.old_tier_id.name or "",
                line.new_tier_id.name or "",
                changes.get(line.change, ""),
                line.reason or "",
                grades.get(line.preliminary_grade, ""),
                line.specialist_comment or "",
                line.manager_comment or "",
                yes if line.elimination_candidate else "",
            ]
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(row, col, value, number)
                else:
                    sheet.write(row, col, value)
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 3, 18)
        sheet.set_column(10, 13, 40)
        sheet.freeze_panes(3, 0)
        workbook.close()
        filename = f"annual_key_accounts_{self.year}_{self.company_id.id}.xlsx"
        self.sudo().write({"list_file": base64.b64encode(output.getvalue()), "list_filename": filename})
        return filename
