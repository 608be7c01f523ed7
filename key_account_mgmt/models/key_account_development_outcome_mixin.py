from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one

OUTCOMES = [("open", "In Development"), ("won", "Won"), ("failed", "Failed")]
# the classification (seed 001 §3.2.2 一) and the category it gives the nomination on success
CLASSIFICATION_CATEGORIES = {
    "class_important": "key_account_mgmt.category_government",
    "class_high_value": "key_account_mgmt.category_high_value",
    "class_group": "key_account_mgmt.category_group",
}


class KeyAccountDevelopmentOutcomeMixin(models.AbstractModel):
    """How a development plan ends (seed 001 §3.2.1: 建立档案 … 结束; §3.3.3 六): won — the
    nomination (开发申请, seed 003 第八条) is prefilled from the plan and goes its own approval —
    or failed, with a reason from the configurable categories and its analysis (拜访暂时没有成功
    的原因进行分析和总结, 并进行归类保存), kept and reported by reason."""

    _name = "key.account.development.outcome.mixin"
    _description = "Development Plan Outcome"

    outcome = fields.Selection(OUTCOMES, default="open", required=True, readonly=True, tracking=True, copy=False)
    date_closed = fields.Date(string="Closed On", readonly=True, copy=False)
    nomination_id = fields.Many2one("key.account.application", readonly=True, copy=False)
    failure_reason_id = fields.Many2one(
        "key.account.development.reason", string="Reason of Failure", ondelete="restrict", copy=False
    )
    failure_analysis = fields.Text(string="Analysis of the Failure", copy=False)

    def _check_in_development(self):
        ensure_one(self)
        if self.state != "approved" or self.outcome != "open":
            raise UserError(self.env._("Only an approved plan in development can be closed as won or failed."))

    def action_mark_won(self):
        """Success: the nomination of the customer, prefilled from the plan, opened."""
        self._check_in_development()
        self.check_access("write")
        nomination = self.env["key.account.application"].create(self._nomination_values())
        self.sudo().write(
            {"outcome": "won", "date_closed": fields.Date.context_today(self), "nomination_id": nomination.id}
        )
        self.message_post(
            body=self.env._("Development won: nomination %(name)s prepared.", name=nomination.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": nomination._name,
            "res_id": nomination.id,
            "views": [(False, "form")],
        }

    def action_mark_failed(self):
        """Failure: kept with its reason and analysis."""
        self._check_in_development()
        self.check_access("write")
        if not self.failure_reason_id or not (self.failure_analysis or "").strip():
            raise ValidationError(
                self.env._("Give the reason of the failure and its analysis before closing the plan.")
            )
        self.sudo().write({"outcome": "failed", "date_closed": fields.Date.context_today(self)})
        self.message_post(
            body=self.env._("Development failed: %(reason)s.", reason=self.failure_reason_id.display_name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_open_nomination(self):
        ensure_one(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "key.account.application",
            "res_id": self.nomination_id.id,
            "views": [(False, "form")],
        }

    def _nomination_values(self):
        plan = self.sudo()
        categories = self.env["key.account.category"].browse(
            [self.env.ref(xmlid).id for field, xmlid in CLASSIFICATION_CATEGORIES.items() if plan[field]]
        )
        candidate = plan.candidate_id
        return {
            "partner_id": plan.partner_id.id,
            "company_id": plan.company_id.id,
            "expected_annual_sales": plan.forecast_sales,
            "development_cost": plan.development_cost,
            "proposed_manager_id": plan.user_id.id,
            "proposed_tier_id": candidate.tier_id.id if candidate.meets_rule else False,
            "category_ids": [(6, 0, categories.ids)],
            "reasons": self._nomination_reasons(),
            "investigation_general": self._nomination_investigation(),
        }

    def _nomination_reasons(self):
        plan = self.sudo()
        classes = [
            plan._fields[name]._description_string(self.env)
            for name in ("class_important", "class_high_value", "class_group", "class_strategic")
            if plan[name]
        ]
        lines = [
            self.env._("Development plan %(name)s, approved.", name=plan.name),
            self.env._("Classification: %(classes)s.", classes=", ".join(classes) or "-"),
            self.env._(
                "Forecast: sales %(sales)s, profit %(profit)s, development cost %(cost)s, risk %(risk)s%%, "
                "expected value %(value)s.",
                sales=plan.currency_id.format(plan.forecast_sales),
                profit=plan.currency_id.format(plan.forecast_profit),
                cost=plan.currency_id.format(plan.development_cost),
                risk=plan.risk_factor,
                value=plan.currency_id.format(plan.expected_value),
            ),
        ]
        for advantage in plan.advantage_ids.filtered("established"):
            lines.append(f"- {advantage.display_name}: {advantage.note or ''}".rstrip(": "))
        return "\n".join(lines)

    def _nomination_investigation(self):
        plan = self.sudo()
        names = (
            "needs",
            "equipment",
            "organisation",
            "decision_process",
            "business_plans",
            "purchase_factors",
            "trade_history",
        )
        parts = [
            Markup("<p><strong>%s</strong><br/>%s</p>")
            % (plan._fields[name]._description_string(self.env), escape(plan[name]))
            for name in names
            if plan[name]
        ]
        for name in ("price_sensitivity", "quality_sensitivity"):
            if plan[name]:
                value = dict(plan._fields[name]._description_selection(self.env))[plan[name]]
                parts.append(
                    Markup("<p><strong>%s</strong>: %s</p>") % (plan._fields[name]._description_string(self.env), value)
                )
        if plan.purchase_budget:
            parts.append(
                Markup("<p><strong>%s</strong>: %s</p>")
                % (
                    plan._fields["purchase_budget"]._description_string(self.env),
                    plan.currency_id.format(plan.purchase_budget),
                )
            )
        return Markup("").join(parts)
