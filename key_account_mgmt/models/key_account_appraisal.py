import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..report.appraisal_payroll_xlsx import write_payroll_list
from ..tools import ensure_one, in_lang_of, label, to_date
from .key_account_approval_mixin import APPROVAL_STATES
from .res_company import APPRAISAL_WEIGHT_KPIS

KA_MANAGER = "key_account_mgmt.group_ka_manager"
# the KPIs of the appraisal (seed 001 §1.2.1, §2.1) in the order of the forms and the export
APPRAISAL_KPIS = APPRAISAL_WEIGHT_KPIS


def kpi_scores(values):
    """{kpi: score 0–100} of the KPIs measured in ``values`` ({kpi: value}; None when the
    quarter gives no base for it): completion rates count up to 100; the churn rate
    (流失率) takes its points off 100; spending within the budget scores 100, each point
    over it one less; the state changes score the share of upgrades among upgrades and
    downgrades."""
    scores = {}
    for kpi, value in values.items():
        if value is None:
            continue
        if kpi == "churn":
            scores[kpi] = max(0.0, 100.0 - value)
        elif kpi == "cost":
            scores[kpi] = 100.0 if value <= 100.0 else max(0.0, 200.0 - value)
        else:
            scores[kpi] = max(0.0, min(value, 100.0))
    return scores


def weighted_score(scores, weights):
    """The weighted average of ``scores`` over the weights of the KPIs measured (the weights
    of the others are spread over these); 0 when nothing is measured."""
    total_weight = sum(weights.get(kpi, 0) for kpi in scores)
    if not total_weight:
        return 0.0
    return sum(score * weights.get(kpi, 0) for kpi, score in scores.items()) / total_weight


class KeyAccountAppraisal(models.Model):
    """Quarterly appraisal of a specialist (季度考核, seed 001 §1.2.1): a weighted score of the
    quarter's KPIs — 销售计划完成率, 大客户流失率 (accounts lost in the quarter over those
    managed at its start), 新开发率, 档案完整率, 回访率, 意见反馈及时率, 费用控制, and the
    cooperation state upgrades and downgrades (seed 002) — with the company's weights and
    warning threshold (Settings); below the threshold, a verbal warning (口头警告). Drafts are
    made by a quarterly scheduled action; the KA Manager comments and submits, the KA
    Director approves; approved, it is history (nothing changes, nothing is deleted) and
    goes to payroll (XLSX). A specialist sees their own appraisals only."""

    _name = "key.account.appraisal"
    _inherit = [
        "key.account.approval.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Quarterly Appraisal"
    _order = "date_from desc, user_id"
    _approval_material_fields = ("user_id", "company_id", "date_from", "manager_comment")
    # approved, the appraisal is history and goes to payroll
    _approval_reroute = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        APPROVAL_STATES, string="Status", default="draft", required=True, tracking=True, copy=False, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Specialist", required=True, index=True, domain="[('share', '=', False)]"
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date_from = fields.Date(string="Quarter", required=True, index=True, help="Moved to the first day of its quarter.")
    date_to = fields.Date(string="Quarter End", compute="_compute_date_to", store=True)
    manager_id = fields.Many2one(
        "res.users", string="KA Manager", readonly=True, help="Who commented and submitted it."
    )
    manager_comment = fields.Text(string="Manager's Comment")
    computed_date = fields.Datetime(string="Figures Of", readonly=True)
    # the quarter's figures (written by the computation)
    sales_target = fields.Monetary(currency_field="currency_id", readonly=True)
    sales_actual = fields.Monetary(string="Actual Sales", currency_field="currency_id", readonly=True)
    sales_completion = fields.Float(string="Sales Plan Completion (%)", readonly=True, digits=(16, 2))
    accounts_start = fields.Integer(string="Accounts at Start", readonly=True)
    accounts_lost = fields.Integer(readonly=True)
    churn_rate = fields.Float(
        string="Churn Rate (%)",
        readonly=True,
        digits=(16, 2),
        help="Of the key accounts managed at the start of the quarter, the share lost in the quarter.",
    )
    new_accounts_target = fields.Float(string="New Key Accounts Planned", readonly=True, digits=(16, 2))
    new_accounts_actual = fields.Integer(string="New Key Accounts", readonly=True)
    development_rate = fields.Float(string="Development Rate (%)", readonly=True, digits=(16, 2))
    archive_completeness = fields.Float(string="Archive Completeness (%)", readonly=True, digits=(16, 2))
    visit_rate = fields.Float(string="Visit Rate (%)", readonly=True, digits=(16, 2))
    feedback_on_time = fields.Float(string="Feedback on Time (%)", readonly=True, digits=(16, 2))
    cost_ratio = fields.Float(string="Cost to Budget (%)", readonly=True, digits=(16, 2))
    upgrades = fields.Integer(string="State Upgrades", readonly=True)
    downgrades = fields.Integer(string="State Downgrades", readonly=True)
    weights_used = fields.Json(readonly=True, help="The weights of the KPIs measured, as they were computed.")
    score = fields.Float(readonly=True, digits=(5, 2), aggregator="avg")
    threshold = fields.Float(string="Warning Threshold", readonly=True, digits=(5, 2))
    verbal_warning = fields.Boolean(
        compute="_compute_verbal_warning", store=True, help="The score is below the company's warning threshold."
    )
    score_details = fields.Text(compute="_compute_score_details")

    _sql_constraints = [
        (
            "appraisal_unique",
            "UNIQUE(user_id, company_id, date_from)",
            "A specialist has one appraisal per company and quarter.",
        )
    ]

    @api.depends("date_from")
    def _compute_date_to(self):
        for appraisal in self:
            appraisal.date_to = appraisal.date_from and appraisal.date_from + relativedelta(months=3, days=-1)

    @api.depends("score", "threshold", "computed_date")
    def _compute_verbal_warning(self):
        for appraisal in self:
            appraisal.verbal_warning = bool(appraisal.computed_date) and appraisal.score < appraisal.threshold

    @api.depends("company_id")
    def _compute_needs_director_approval(self):
        # the appraisal feeds pay: the Director approves it after the KA Manager (seed 001 §1.2.1)
        for appraisal in self:
            appraisal.needs_director_approval = True

    @api.depends("weights_used", "score")
    @api.depends_context("lang")
    def _compute_score_details(self):
        names = self._kpi_labels()
        for appraisal in self:
            weights = appraisal.weights_used or {}
            scores = kpi_scores(appraisal._kpi_values()) if weights else {}
            appraisal.score_details = "\n".join(
                f"{names[kpi]}: {scores[kpi]:.2f} × {weights[kpi]}" for kpi in APPRAISAL_KPIS if kpi in weights
            )

    @api.depends("name", "user_id", "date_from")
    def _compute_display_name(self):
        for appraisal in self:
            quarter = appraisal._quarter_label()
            appraisal.display_name = " · ".join(p for p in (appraisal.name, appraisal.user_id.name, quarter) if p)

    def _quarter_label(self):
        self.ensure_one()
        if not self.date_from:
            return ""
        return f"{self.date_from.year} Q{(self.date_from.month - 1) // 3 + 1}"

    def _kpi_labels(self):
        fields_ = self._fields
        names = {
            "sales": "sales_completion",
            "churn": "churn_rate",
            "development": "development_rate",
            "archive": "archive_completeness",
            "visit": "visit_rate",
            "feedback": "feedback_on_time",
            "cost": "cost_ratio",
        }
        labels = {kpi: fields_[name]._description_string(self.env) for kpi, name in names.items()}
        labels["state"] = self.env._("State Upgrades and Downgrades")
        return labels

    def _kpi_values(self):
        """{kpi: value} of the KPIs measured (weights_used names them)."""
        self.ensure_one()
        changes = self.upgrades + self.downgrades
        values = {
            "sales": self.sales_completion,
            "churn": self.churn_rate,
            "development": self.development_rate,
            "archive": self.archive_completeness,
            "visit": self.visit_rate,
            "feedback": self.feedback_on_time,
            "cost": self.cost_ratio,
            "state": 100.0 * self.upgrades / changes if changes else None,
        }
        return {kpi: value for kpi, value in values.items() if kpi in (self.weights_used or {})}

    # ------------------------------------------------------------------ create, protection
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_values(vals)  # before reading them (base runs last)
            if isinstance(vals, dict) and vals.get("date_from"):
                day = to_date(self.env, vals["date_from"], label(self.env, self._name, "date_from"))
                vals["date_from"] = self.env["key.account.metrics"]._period(day, "quarter")[0]
        return super().create(vals_list)

    def write(self, vals):
        if not isinstance(vals, dict):
            return super().write(vals)
        self._check_key_account_values(vals)
        approved = self.filtered(lambda appraisal: appraisal.state == "approved")
        if approved and not self.env.su:
            # history: not even what the approval did not decide on changes
            raise ValidationError(
                self.env._(
                    "%(record)s has been approved: its %(fields)s cannot change anymore.",
                    record=approved[0].display_name,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env) for name in vals if name in self._fields
                    ),
                )
            )
        if vals.get("date_from"):
            day = to_date(self.env, vals["date_from"], label(self.env, self._name, "date_from"))
            vals = dict(vals, date_from=self.env["key.account.metrics"]._period(day, "quarter")[0])
        return super().write(vals)

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager appraises the specialists."))

    # ------------------------------------------------------------------ figures
    def action_compute(self):
        """Compute (again) the quarter's figures and score of these drafts."""
        self._check_manager()
        if any(appraisal.state != "draft" for appraisal in self):
            raise UserError(self.env._("Only a draft appraisal is computed again."))
        self.check_access("write")
        self.sudo()._compute_figures()
        return True

    def _compute_figures(self):
        """One grouped read of the KPI view and one set of facts per company and quarter."""
        today = fields.Date.context_today(self)
        for (company, date_from), appraisals in self.grouped(lambda a: (a.company_id, a.date_from)).items():
            date_to = date_from + relativedelta(months=3, days=-1)
            kpi = self.env["key.account.kpi"].with_company(company).with_context(allowed_company_ids=company.ids)
            ratios = kpi._kpi_ratios(
                [
                    ("company_id", "=", company.id),
                    ("user_id", "in", appraisals.user_id.ids),
                    ("month", ">=", date_from),
                    ("month", "<=", date_to),
                ]
            )
            metrics = self.env["key.account.metrics"].with_context(allowed_company_ids=company.ids)
            facts = metrics._appraisal_facts(company, appraisals.user_id.ids, date_from, date_to, today)
            weights = company._key_account_appraisal_weights()
            for appraisal in appraisals:
                appraisal.write(
                    appraisal._figures_vals(ratios.get(appraisal.user_id, {}), facts[appraisal.user_id.id], weights)
                )

    def _figures_vals(self, figures, facts, weights):
        self.ensure_one()
        start, lost = facts["accounts_start"], facts["accounts_lost"]
        changes = facts["upgrades"] + facts["downgrades"]
        values = {
            "sales": figures.get("sales_completion"),
            "churn": 100.0 * lost / start if start else None,
            "development": figures.get("development_completion"),
            "archive": facts["archive_completeness"],
            "visit": figures.get("visit_rate"),
            "feedback": figures.get("feedback_on_time"),
            "cost": figures.get("cost_ratio"),
            "state": 100.0 * facts["upgrades"] / changes if changes else None,
        }
        scores = kpi_scores(values)
        measured = {kpi: weights[kpi] for kpi in APPRAISAL_KPIS if kpi in scores}
        return {
            "sales_target": figures.get("sales_target") or 0.0,
            "sales_actual": figures.get("sales_actual") or 0.0,
            "sales_completion": values["sales"] or 0.0,
            "accounts_start": start,
            "accounts_lost": lost,
            "churn_rate": values["churn"] or 0.0,
            "new_accounts_target": figures.get("new_accounts_target") or 0.0,
            "new_accounts_actual": figures.get("new_accounts_actual") or 0,
            "development_rate": values["development"] or 0.0,
            "archive_completeness": values["archive"] or 0.0,
            "visit_rate": values["visit"] or 0.0,
            "feedback_on_time": values["feedback"] or 0.0,
            "cost_ratio": values["cost"] or 0.0,
            "upgrades": facts["upgrades"],
            "downgrades": facts["downgrades"],
            "weights_used": measured,
            "score": weighted_score(scores, measured),
            "threshold": self.company_id.key_account_appraisal_threshold,
            "computed_date": fields.Datetime.now(),
        }

    # ------------------------------------------------------------------ approval
    def _check_submittable(self):
        appraisal = ensure_one(self)
        appraisal._check_manager()
        if not appraisal.computed_date:
            raise ValidationError(self.env._("Compute the figures of %(name)s first.", name=appraisal.name))
        if not (appraisal.manager_comment or "").strip():
            raise ValidationError(
                self.env._("Write your comment on %(name)s before submitting it.", name=appraisal.name)
            )
        appraisal.sudo().manager_id = self.env.user

    def _on_approved(self):
        """Below the threshold: the KA Manager who submitted it gives the verbal warning (an
        activity in their language)."""
        for appraisal in self.filtered("verbal_warning"):
            manager = appraisal.manager_id or self.env.user
            local = in_lang_of(appraisal.sudo(), manager)
            local.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=local.env._(
                    "Verbal warning (口头警告) to %(user)s: score %(score).2f below %(threshold).2f",
                    user=appraisal.user_id.name,
                    score=appraisal.score,
                    threshold=appraisal.threshold,
                ),
                user_id=manager.id,
            )

    # ------------------------------------------------------------------ payroll
    def action_export_payroll(self):
        """The approved appraisals selected, as an XLSX for payroll (KA Managers)."""
        self._check_manager()
        appraisals = self.filtered(lambda appraisal: appraisal.state == "approved")
        if not appraisals:
            raise UserError(self.env._("Select approved appraisals to export for payroll."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Appraisals for Payroll.xlsx"),
                "datas": base64.b64encode(write_payroll_list(appraisals)),
                "res_model": self._name,
                "res_id": appraisals[:1].id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # ------------------------------------------------------------------ scheduled drafts
    @api.model
    def _cron_create_drafts(self, batch_size=50):
        """Drafts for the quarter that ended, for every specialist who managed key accounts in
        it (at its start or end), per company; one batch per call."""
        today = fields.Date.context_today(self)
        date_from = self.env["key.account.metrics"]._period(today - relativedelta(months=3), "quarter")[0]
        missing = self._missing_drafts(date_from)
        batch = missing[:batch_size]
        if batch:
            self.sudo().create(
                [
                    {"user_id": user_id, "company_id": company_id, "date_from": date_from}
                    for company_id, user_id in batch
                ]
            )._compute_figures()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(missing) - len(batch))
        return True

    @api.model
    def _missing_drafts(self, date_from):
        date_to = date_from + relativedelta(months=3, days=-1)
        roster = self.env["key.account.roster"]
        existing = set(
            self.with_context(active_test=False)
            .search([("date_from", "=", date_from)])
            .mapped(lambda appraisal: (appraisal.company_id.id, appraisal.user_id.id))
        )
        missing = []
        for company in self.env["res.company"].search([], order="id"):
            managers = {
                manager_id
                for day in (date_from - relativedelta(days=1), date_to)
                for _partner_id, manager_id in roster._accounts_at(day, company.id)
                if manager_id
            }
            # shared accounts (no company) count in every company: the specialist's companies only
            users = self.env["res.users"].browse(sorted(managers)).filtered(lambda u, c=company: c in u.company_ids)
            missing += [(company.id, user.id) for user in users if (company.id, user.id) not in existing]
        return missing
