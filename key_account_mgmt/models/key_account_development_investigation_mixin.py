from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ensure_one


class KeyAccountDevelopmentInvestigationMixin(models.AbstractModel):
    """The on-site investigation of the plan (实地调查, seed 003 第七条), inherited by
    key.account.development: when and what was found, the departments named to take part and
    sign off (technical, design, quality …), and the rule that a development is not won while a
    required sign-off is missing."""

    _name = "key.account.development.investigation.mixin"
    _description = "Development Plan On-site Investigation"

    investigation_date = fields.Date(string="On-site Investigation On")
    investigation_findings = fields.Text(help="What the joint visit to the customer's site found (现场考察).")
    signoff_ids = fields.One2many("key.account.development.signoff", "development_id", string="Sign-offs")
    signoff_missing = fields.Char(
        string="Sign-offs Missing",
        compute="_compute_signoff_missing",
        help="The required departments named on the plan that have not signed off.",
    )

    @api.depends("signoff_ids.state", "signoff_ids.required", "signoff_ids.department_id")
    def _compute_signoff_missing(self):
        for plan in self:
            missing = plan.signoff_ids.filtered(lambda s: s.required and s.state != "signed")
            plan.signoff_missing = ", ".join(missing.sudo().department_id.mapped("name"))

    def _check_signoff_open(self):
        for plan in self.sudo():
            if plan.state != "approved" or plan.outcome != "open":
                raise UserError(
                    self.env._(
                        "The on-site investigation belongs to an approved plan in development; %(plan)s is not.",
                        plan=plan.name,
                    )
                )

    def action_mark_won(self):
        """Won only when every required department named on the plan has signed off."""
        plan = ensure_one(self)
        missing = plan.sudo().signoff_ids.filtered(lambda s: s.required and s.state != "signed")
        if missing:
            raise UserError(
                self.env._(
                    "The development of %(partner)s cannot be won yet: %(departments)s must sign off the on-site "
                    "investigation.",
                    partner=plan.partner_id.display_name,
                    departments=", ".join(missing.department_id.mapped("name")),
                )
            )
        return super().action_mark_won()

    def action_request_signoffs(self):
        """Ask each named department's signer to decide (an activity each, in their language)."""
        plan = ensure_one(self)
        plan.check_access("write")
        plan._check_signoff_open()
        if not plan.sudo().signoff_ids:
            raise UserError(self.env._("Name the departments that sign off the investigation, with their signers."))
        plan.signoff_ids._request()
        return True
