from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class KeyAccountDevelopmentProgress(models.Model):
    """A periodic progress report (定期汇报, seed 001 §3.2.1) on an approved development plan:
    the period it covers, the progress made, the contacts made, the next steps, the problems
    and the support the team needs. Filed by the project team while the plan is in development,
    read by the KA Managers on the plan; confidential like the plan (a line of it). Filing one
    moves the plan's next due date and closes its reminder (key.account.development.progress.mixin)."""

    _name = "key.account.development.progress"
    _inherit = ["key.account.confidential.mixin"]
    _description = "Development Progress Report"
    _order = "date desc, id desc"
    _confidential_parents = ("development_id",)
    _rec_names_search = ["development_id", "progress"]

    development_id = fields.Many2one("key.account.development", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Reported By", readonly=True, default=lambda self: self.env.user, ondelete="restrict"
    )
    date = fields.Date(string="Report Date", readonly=True, required=True, default=fields.Date.context_today)
    period_from = fields.Date(required=True, default=lambda self: self._default_period_from())
    period_to = fields.Date(required=True, default=fields.Date.context_today)
    progress = fields.Text(required=True, help="What was achieved in the period, against the plan.")
    contacts = fields.Text(string="Contacts Made", help="Whom the team met or talked to, and about what.")
    next_steps = fields.Text()
    problems = fields.Text()
    support_needed = fields.Text(help="What the team needs from the KA Manager or other departments.")

    @api.depends("development_id.name", "period_from", "period_to")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "%(plan)s: %(start)s to %(end)s",
                plan=report.development_id.sudo().name or "",
                start=report.period_from or "",
                end=report.period_to or "",
            )

    @api.constrains("period_from", "period_to")
    def _check_period(self):
        for report in self:
            if report.period_from and report.period_to and report.period_from > report.period_to:
                raise ValidationError(self.env._("The period of a progress report ends after it starts."))

    @api.model
    def _default_period_from(self):
        """The first day of the report's period: the last report's day, else the approval's."""
        plan_id = self.env.context.get("default_development_id")
        plan = self.env["key.account.development"].browse(plan_id if isinstance(plan_id, int) else [])
        return plan.sudo()._progress_period_start() if plan.sudo().exists() else False

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["key.account.development"].browse(
            [vals["development_id"] for vals in vals_list if isinstance(vals.get("development_id"), int)]
        )
        for vals in vals_list:
            if not vals.get("period_from") and isinstance(vals.get("development_id"), int):
                vals["period_from"] = plans.browse(vals["development_id"]).sudo()._progress_period_start()
        if not self.env.su:
            plans._check_progress_open()
        reports = super().create(vals_list)
        reports.development_id._progress_filed(reports)
        return reports

    def write(self, vals):
        if not self.env.su:
            self.development_id._check_progress_open()
            if not self.env.user.has_group("key_account_mgmt.group_ka_manager") and any(
                report.sudo().user_id != self.env.user for report in self
            ):
                raise AccessError(self.env._("Only its author or a Key Account Manager changes a progress report."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.development_id._check_progress_open()
        return super().unlink()
