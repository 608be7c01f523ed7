from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_amount

from ..tools import ensure_one, format_number
from .key_account_service_plan import SERVICE_KINDS

KA_USER = "key_account_mgmt.group_ka_user"


class KeyAccountServiceMixin(models.AbstractModel):
    """The service plan of a key account's tier and what it received of it this year (服务规范
    执行情况), read on demand from key.account.metrics (``_service_compliance``), and its
    cooperation evaluations (合作评估)."""

    _name = "key.account.service.mixin"
    _description = "Key Account Service Compliance"

    key_account_service_plan_id = fields.Many2one(
        "key.account.service.plan", string="Service Plan", compute="_compute_key_account_service", groups=KA_USER
    )
    key_account_service_compliance = fields.Float(
        string="Service Compliance (%)",
        digits=(5, 2),
        compute="_compute_key_account_service",
        groups=KA_USER,
        help="This year to date: the average of done / owed over the lines of the service plan owed (each at most "
        "100%; the gift budget is a ceiling, not counted).",
    )
    key_account_service_summary = fields.Html(
        string="Service This Year", compute="_compute_key_account_service", sanitize=False, groups=KA_USER
    )
    key_account_evaluation_count = fields.Integer(
        string="Cooperation Evaluations", compute="_compute_key_account_evaluation_count", groups=KA_USER
    )

    def _service_kind_labels(self):
        return {
            "onsite_visit": self.env._("On-site visits"),
            "business_review": self.env._("Business reviews (cooperation evaluations)"),
            "training": self.env._("Trainings"),
            "survey": self.env._("Satisfaction surveys"),
            "service_hours": self.env._("Service hours"),
            "gift": self.env._("Gifts (budget used)"),
        }

    @api.depends_context("tz", "lang")
    @api.depends("is_key_account", "key_account_tier_id", "key_account_manager_id")
    def _compute_key_account_service(self):
        today = fields.Date.context_today(self)
        accounts = self.filtered("is_key_account")
        figures = self.env["key.account.metrics"]._service_compliance(
            accounts.ids, today.replace(month=1, day=1), today
        )
        plans = self.env["key.account.service.plan"].sudo()
        for partner in self:
            entry = figures.get(partner.id)
            partner.key_account_service_plan_id = plans.browse(entry["plan_id"]) if entry else False
            partner.key_account_service_compliance = (entry["rate"] or 0.0) if entry else 0.0
            partner.key_account_service_summary = partner._service_summary_html(entry) if entry else False

    def _service_summary_html(self, entry):
        """The lines of the plan as a small table: owed this year to date, done, rate."""
        labels = self._service_kind_labels()
        currency = (self.company_id or self.env.company).currency_id
        rows = []
        for kind in SERVICE_KINDS:
            owed, done, rate = entry["lines"][kind]
            if kind == "gift":
                owed_text, done_text = format_amount(self.env, owed, currency), format_amount(self.env, done, currency)
            else:
                owed_text, done_text = format_number(self.env, owed, 1), format_number(self.env, done, 1)
            rate_text = f"{format_number(self.env, rate, 0)}%" if rate is not None else "–"
            rows.append(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
                )
                % (labels[kind], owed_text, done_text, rate_text)
            )
        head = Markup(
            "<tr><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th></tr>"
        ) % (
            self.env._("Service"),
            self.env._("Owed to Date"),
            self.env._("Done"),
            self.env._("Rate"),
        )
        return Markup(
            "<table class='table table-sm o_key_account_service'><thead>%s</thead><tbody>%s</tbody></table>"
        ) % (
            head,
            Markup("").join(rows),
        )

    def _compute_key_account_evaluation_count(self):
        counts = dict(
            self.env["key.account.evaluation"]
            .sudo()
            ._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.key_account_evaluation_count = counts.get(partner, 0)

    def action_open_evaluations(self):
        ensure_one(self)
        self._key_account_check_access(
            "read", self.env._("You may not see the cooperation evaluations of %(partners)s.")
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_evaluation_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
