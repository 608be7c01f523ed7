from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one

APPROVAL_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]


class KeyAccountApprovalMixin(models.AbstractModel):
    """Layered approval (分层管理、逐级审核) shared by nominations, visits, receptions, policies
    and the annual review, on OCA ``base_tier_validation``: submitting requests the reviews of
    the tier definitions that apply (KA Manager; KA Director when ``needs_director_approval``),
    approved one level after the other; the last approval moves the record to ``approved`` and
    calls ``_on_approved``; a rejection moves it to ``rejected``.

    A model using it defines ``state`` (with at least the states of APPROVAL_STATES) and a
    ``name`` numbered by the sequence coded after the model, and computes
    ``needs_director_approval`` from its own threshold."""

    _name = "key.account.approval.mixin"
    _inherit = ["tier.validation"]
    _description = "Key Account Layered Approval"

    _state_field = "state"
    _state_from = ["draft", "submitted"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False

    needs_director_approval = fields.Boolean(
        string="Director Approval",
        compute="_compute_needs_director_approval",
        store=True,
        help="Above the configured threshold the KA Director approves after the KA Manager.",
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)

    def _compute_needs_director_approval(self):
        raise NotImplementedError

    @api.model
    def _approval_model_names(self):
        """The models using this approval (for tier definitions and the review guard)."""
        return sorted(self.env.registry["key.account.approval.mixin"]._inherit_children)

    def action_submit(self):
        for record in self:
            if record.state != "draft":
                raise UserError(self.env._("Only a draft can be submitted for approval."))
            record._check_submittable()
            record._write_state({"state": "submitted", "submitted_date": fields.Datetime.now()})
            if record.need_validation:
                record.request_validation()
                # need_validation is computed without dependencies: drop the cached answer
                record.invalidate_recordset(["need_validation"])
            else:
                # no approval rule applies (an administrator switched them off)
                record._approve()
        return True

    def _check_submittable(self):
        """Hook: raise a UserError/ValidationError when the record is incomplete."""

    def unlink(self):
        """Submitted, approved or rejected records are the history of a decision: only drafts
        and cancelled ones are deleted."""
        if any(record.state not in ("draft", "cancelled") for record in self):
            raise UserError(self._unlink_refused_message())
        return super().unlink()

    def _unlink_refused_message(self):
        return self.env._("Only draft or cancelled %(records)s can be deleted.", records=self._description)

    def action_cancel(self):
        if any(record.state == "approved" for record in self):
            raise UserError(self.env._("An approved record cannot be cancelled."))
        self._write_state({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        if any(record.state not in ("rejected", "cancelled") for record in self):
            raise UserError(self.env._("Only rejected or cancelled records go back to draft."))
        self._write_state({"state": "draft"})
        return True

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "draft") != "draft" for vals in vals_list):
            self._raise_state_not_writable()
        if not self.env.su and any("needs_director_approval" in vals for vals in vals_list):
            self._raise_routing_not_writable()
        for vals in vals_list:
            # the reference comes from the sequence coded after the model (data/ir_sequence_data.xml)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.su:
            self._raise_state_not_writable()
        if "needs_director_approval" in vals and not self.env.su:
            self._raise_routing_not_writable()
        return super().write(vals)

    def _raise_routing_not_writable(self):
        # a stored compute is writable over RPC: the level of approval must come from the rules
        raise ValidationError(self.env._("Whether the Director approves follows from the rules; it cannot be set by hand."))

    def _raise_state_not_writable(self):
        raise ValidationError(
            self.env._("The status changes only with the buttons of the form, which keep the approval and the history.")
        )

    def _write_state(self, vals):
        """Write the status from one of the actions, which did their checks: the user must be
        allowed to write the record; the write itself runs as superuser (keeping the user as
        author), so a status cannot be written any other way."""
        self.check_access("write")
        return self.sudo().write(vals)

    # base_tier_validation's buttons work on one record and return None, which XML-RPC cannot
    # send back
    def validate_tier(self):
        ensure_one(self)
        return super().validate_tier() or True

    def reject_tier(self):
        ensure_one(self)
        return super().reject_tier() or True

    def _validate_tier(self, tiers=False):
        result = super()._validate_tier(tiers)
        if self.state == "submitted" and self.validation_status == "validated" and not self.env.context.get("key_account_approving"):
            self._approve()
        return result

    def _rejected_tier(self, tiers=False):
        result = super()._rejected_tier(tiers)
        if self.state == "submitted" and self.validation_status == "rejected":
            self.sudo().write({"state": "rejected"})
        return result

    def _approve(self):
        self.invalidate_recordset(["need_validation"])
        self.sudo().with_context(key_account_approving=True).write({"state": "approved", "approved_date": fields.Datetime.now()})
        self._on_approved()

    def _on_approved(self):
        """Hook: what the approval brings about."""

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + ["state", "submitted_date", "approved_date"]
