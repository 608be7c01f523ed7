from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import clean_text, ensure_one, in_lang_of

SIGNOFF_STATES = [("pending", "To Sign"), ("signed", "Signed Off"), ("refused", "Refused")]
SIGNOFF_ACTIVITY = "key_account_mgmt.mail_activity_type_development_signoff"


class KeyAccountDevelopmentSignoff(models.Model):
    """The sign-off of one department on the on-site investigation of a development plan
    (实地调查, seed 003 第七条): the department, its signer (a user named by the plan's
    coordinator or a KA Manager), and the signer's decision — signed off or refused, with a
    comment. The decision, its comment and date are written by the signer's own actions only;
    the signer reads their sign-off and the investigation it is about, not the rest of the
    plan (``key_account_development_signoff_rule_signer``)."""

    _name = "key.account.development.signoff"
    _inherit = ["key.account.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Investigation Sign-off"
    _order = "development_id, sequence, id"
    _confidential_parents = ("development_id",)

    development_id = fields.Many2one("key.account.development", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(compute="_compute_partner_from_parent", store=True, precompute=True, readonly=True)
    sequence = fields.Integer(default=10)
    department_id = fields.Many2one("key.account.development.department", required=True, ondelete="restrict")
    signer_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('share', '=', False)]",
        help="Who signs off for the department.",
    )
    required = fields.Boolean(related="department_id.required", store=True, string="Sign-off Required")
    state = fields.Selection(SIGNOFF_STATES, string="Decision", default="pending", required=True, readonly=True)
    comment = fields.Text(string="Signer's Comment", readonly=True)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    investigation_date = fields.Date(related="development_id.investigation_date")
    investigation_findings = fields.Text(related="development_id.investigation_findings")

    @api.depends("department_id.name", "development_id.name")
    def _compute_display_name(self):
        for signoff in self:
            signoff.display_name = f"{signoff.development_id.sudo().name or ''} · {signoff.department_id.name or ''}"

    @api.constrains("signer_id")
    def _check_signer(self):
        for signoff in self:
            if not signoff.signer_id.has_group("key_account_mgmt.group_ka_user"):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot sign off: a signer needs the Key Account User right (they see their "
                        "sign-offs only).",
                        user=signoff.signer_id.name,
                    )
                )

    # ------------------------------------------------------------------ naming the signers
    def _check_naming_rights(self, plans):
        if self.env.su or self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            return
        if any(plan.sudo().user_id != self.env.user for plan in plans):
            raise AccessError(
                self.env._(
                    "Only the coordinator of the plan or a Key Account Manager names the departments to sign off."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["key.account.development"].browse(
            [vals["development_id"] for vals in vals_list if isinstance(vals.get("development_id"), int)]
        )
        self._check_naming_rights(plans)
        if not self.env.su:
            plans._check_signoff_open()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_naming_rights(self.development_id)
            self.development_id._check_signoff_open()
            if self.filtered(lambda s: s.state != "pending") and {"department_id", "signer_id", "development_id"} & set(
                vals
            ):
                raise UserError(self.env._("A sign-off already given or refused keeps its department and signer."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if self.env.su:
            return
        self._check_naming_rights(self.development_id)
        self.development_id._check_signoff_open()
        if self.filtered(lambda s: s.state != "pending"):
            raise UserError(self.env._("A sign-off already given or refused is kept."))

    # ------------------------------------------------------------------ the signer's decision
    def action_sign(self, comment=None):
        """The signer signs off for their department."""
        return ensure_one(self)._decide("signed", clean_text(self.env, comment, self._label("comment")))

    def action_refuse(self, comment=None):
        """The signer refuses, saying why."""
        comment = clean_text(self.env, comment, self._label("comment"))
        if not comment:
            raise ValidationError(self.env._("Say why the department refuses: the comment goes to the project team."))
        return ensure_one(self)._decide("refused", comment)

    def _label(self, name):
        return self._fields[name]._description_string(self.env)

    def _decide(self, state, comment):
        signoff = self.sudo()
        if signoff.signer_id != self.env.user:
            raise AccessError(
                self.env._(
                    "Only %(signer)s signs off for %(department)s.",
                    signer=signoff.signer_id.name,
                    department=signoff.department_id.name,
                )
            )
        signoff.development_id._check_signoff_open()
        if signoff.state == "signed":
            raise UserError(self.env._("%(department)s has signed off already.", department=signoff.department_id.name))
        signoff.write({"state": state, "comment": comment or False, "date_decided": fields.Datetime.now()})
        for activity in signoff.activity_ids:
            in_lang_of(activity, activity.user_id).action_feedback(feedback=comment)
        values = {"department": signoff.department_id.name, "user": self.env.user.name, "comment": comment or "-"}
        body = (
            self.env._("%(department)s signed off the investigation (%(user)s): %(comment)s", **values)
            if state == "signed"
            else self.env._("%(department)s refused the investigation (%(user)s): %(comment)s", **values)
        )
        signoff.development_id.message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _request(self):
        """An activity for each signer still to decide, in their language, once."""
        for signoff in self.sudo().filtered(lambda s: s.state == "pending" and not s.activity_ids):
            local = in_lang_of(signoff, signoff.signer_id)
            local.activity_schedule(
                SIGNOFF_ACTIVITY,
                summary=local.env._(
                    "Sign off the on-site investigation of %(partner)s for %(department)s",
                    partner=signoff.partner_id.display_name,
                    department=signoff.department_id.name,
                ),
                user_id=signoff.signer_id.id,
            )

    def action_open_decision(self):
        """The signer's dialog: sign off or refuse, with a comment."""
        signoff = ensure_one(self)
        if signoff.sudo().signer_id != self.env.user:
            raise AccessError(self.env._("Only the signer of a sign-off decides it."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign-off"),
            "res_model": "key.account.development.signoff.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_signoff_id": signoff.id},
        }
