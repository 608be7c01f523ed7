from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ensure_one, model_label

APPROVAL_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# states in which the material fields are free: nothing has been decided on them
OPEN_STATES = ("draft", "rejected", "cancelled")
# fields of the approval itself, written only by its actions (and the system)
# kept by the approval (its dates are read-only stored fields: key.account.write.guard keeps them)
APPROVAL_FIELDS = ("validation_status", "review_ids")
# what the record is about: it never changes once submitted, even to be approved again
ACCOUNT_FIELDS = ("partner_id", "company_id")


class KeyAccountApprovalMixin(models.AbstractModel):
    """Layered approval (分层管理、逐级审核) shared by nominations, visits, receptions, policies
    and the annual review, on OCA ``base_tier_validation``: submitting requests the reviews of
    the tier definitions that apply (KA Manager; KA Director when ``needs_director_approval``),
    approved one level after the other; the record is approved when every definition that
    applies has an approved review, which calls ``_on_approved``; a rejection moves it to
    ``rejected``. Reviews are created, decided and removed by these actions only (see
    ``tier.review``); the forms and messages show them as key.account.approval.display.mixin
    says, the reviewers find them in their queue (views/tier_review_views.xml).

    A model using it defines ``state`` (with at least the states of APPROVAL_STATES) and a
    ``name`` numbered by the sequence coded after the model, computes
    ``needs_director_approval`` from its own threshold and lists in
    ``_approval_material_fields`` what the reviewers decided on (amounts, account, dates,
    terms, lines): under review they are locked; changed on an approved record they send it
    back for approval (``_approval_reroute``) or are refused."""

    _name = "key.account.approval.mixin"
    _inherit = ["key.account.approval.display.mixin", "key.account.write.guard"]
    _description = "Key Account Layered Approval"

    _state_field = "state"
    _state_from = ["draft", "submitted"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    # the status changes only with the buttons (key.account.write.guard; also as a context default)
    _key_account_action_fields = ("state",)

    # what the reviewers decide on; one2many fields are guarded by their lines
    # (key.account.approval.line.mixin)
    _approval_material_fields = ()
    # changing an approved record's material fields submits it again (else: refused)
    _approval_reroute = True

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
        """The concrete models using this approval, directly or through another mixin (the
        visit mixin): for tier definitions, the review guard and the tests."""
        registry = self.env.registry
        heirs = registry.descendants(["key.account.approval.mixin"], "_inherit")
        return sorted(name for name in heirs if not registry[name]._abstract)

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        for record in self:
            if record.state != "draft":
                raise UserError(self.env._("Only a draft can be submitted for approval."))
            record._check_submittable()
            record._write_state({"state": "submitted", "submitted_date": fields.Datetime.now()})
            record._request_approval()
        return True

    def _request_approval(self):
        """Fresh reviews for every tier definition that applies (as the system: nobody else
        creates reviews); approved at once when none applies (an administrator switched the
        rules off)."""
        self.ensure_one()
        self.sudo().review_ids.unlink()
        self.invalidate_recordset(["need_validation", "review_ids"])
        reviews = self.sudo().request_validation()
        # need_validation is computed without dependencies: drop the cached answer
        self.invalidate_recordset(["need_validation"])
        if not reviews:
            self._approve()

    def request_validation(self):
        """The form's "Request Validation" button submits the draft: reviews are requested by
        the submission only."""
        if self.env.su:
            return super().request_validation()
        if any(record.state != "draft" for record in self):
            raise UserError(self.env._("The reviews are requested when a draft is submitted for approval."))
        return self.action_submit()

    def restart_validation(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The reviews of %(records)s restart only when it goes back to draft, or when what was approved changes.",
                    records=model_label(self),
                )
            )
        return super().restart_validation()

    def _check_submittable(self):
        """Hook: raise a UserError/ValidationError when the record is incomplete."""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        """Submitted, approved or rejected records are the history of a decision: only drafts
        and cancelled ones are deleted."""
        if any(record.state not in ("draft", "cancelled") for record in self):
            raise UserError(self._unlink_refused_message())

    def unlink(self):
        """The reviews go with the record, deleted by the system: base_tier_validation's unlink
        deletes them as the user, whom tier.review refuses (``_unlink_except_key_account``)."""
        self.check_access("unlink")
        self.sudo().review_ids.unlink()
        self.invalidate_recordset(["review_ids"])
        return super().unlink()

    def _unlink_refused_message(self):
        return self.env._("Only draft or cancelled %(records)s can be deleted.", records=model_label(self))

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

    # ------------------------------------------------------------------ protection
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_approval_fields(vals, creating=True)
        for vals in vals_list:
            # the reference comes from the sequence coded after the model (data/ir_sequence_data.xml)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals_list)

    def write(self, vals):
        rerouted, changed = self.browse(), []
        self._check_key_account_values(vals)  # before the material changes are compared (models/base.py)
        if not self.env.su:
            self._check_approval_fields(vals)
            rerouted, changed = self._check_material_change(vals)
        result = super().write(vals)
        if rerouted:
            rerouted._reroute_approval(changed)
        return result

    def _check_approval_fields(self, vals, creating=False):
        if "state" in vals and (not creating or vals["state"] != "draft"):
            self._raise_state_not_writable()
        if "needs_director_approval" in vals:
            self._raise_routing_not_writable()
        # (an empty list of reviews, as a client may send for a new record, sets nothing)
        if any(vals[name] or name != "review_ids" for name in vals.keys() & set(APPROVAL_FIELDS)):
            raise ValidationError(
                self.env._(
                    "The approval dates and reviews are kept by the approval itself; they cannot be set by hand."
                )
            )

    def _raise_routing_not_writable(self):
        # a stored compute is writable over RPC: the level of approval must come from the rules
        raise ValidationError(
            self.env._("Whether the Director approves follows from the rules; it cannot be set by hand.")
        )

    def _raise_state_not_writable(self):
        raise ValidationError(
            self.env._("The status changes only with the buttons of the form, which keep the approval and the history.")
        )

    def _material_changes(self, vals):
        """The material fields ``vals`` really changes on this record (one2many fields are
        left to their lines)."""
        self.ensure_one()
        changed = []
        for name in vals.keys() & set(self._approval_material_fields):
            field = self._fields[name]
            if field.type == "one2many":
                continue
            new = field.convert_to_record(field.convert_to_cache(vals[name], self), self)
            if new != self[name]:
                changed.append(name)
        return changed

    def _approval_change_allowed(self, vals):
        """Hook: a change of material fields the model allows whatever the state."""
        return False

    def _check_material_change(self, vals):
        """Refuse changing what the reviewers decide on while they decide, and after the
        approval where it cannot be approved again; return the approved records to submit
        again, and the labels of the fields changed."""
        if not vals.keys() & set(self._approval_material_fields) or self._approval_change_allowed(vals):
            return self.browse(), []
        rerouted, labels = self.browse(), set()
        for record in self:
            changed = record._material_changes(vals)
            if not changed:
                continue
            names = [record._fields[name]._description_string(self.env) for name in sorted(changed)]
            labels.update(names)
            if record._approval_locked(", ".join(names), account=bool(set(changed) & set(ACCOUNT_FIELDS))):
                rerouted |= record
        return rerouted, sorted(labels)

    def _approval_locked(self, what, account=False):
        """Raise when ``what`` (field labels) may not change on this record now; return True
        when the record must be submitted again for it."""
        self.ensure_one()
        if self.state in OPEN_STATES:
            return False
        if self.state == "submitted":
            raise ValidationError(
                self.env._(
                    "%(record)s is under approval: its %(fields)s cannot change until the reviewers have decided.",
                    record=self.display_name,
                    fields=what,
                )
            )
        if self.state == "approved" and self._approval_reroute and not account:
            return True
        raise ValidationError(
            self.env._(
                "%(record)s has been approved: its %(fields)s cannot change anymore.",
                record=self.display_name,
                fields=what,
            )
        )

    def _approval_lines_changed(self, what):
        """Lines (``what``: their description) of these records were created, changed or
        deleted: same rules as for the records' own material fields."""
        self.invalidate_recordset()
        rerouted = self.filtered(lambda record: record._approval_locked(what))
        if rerouted:
            rerouted._reroute_approval([what])

    def _reroute_approval(self, labels):
        """What was approved changed: the approval is withdrawn and requested again."""
        for record in self:
            record._on_approval_withdrawn()
            record._write_state({"state": "submitted", "submitted_date": fields.Datetime.now(), "approved_date": False})
            record.sudo().message_post(
                body=self.env._(
                    "Changed after its approval (%(fields)s): submitted again for approval.", fields=", ".join(labels)
                ),
                subtype_xmlid="mail.mt_note",
            )
            record._request_approval()

    def _on_approval_withdrawn(self):
        """Hook: undo what the approval brought about, before it is requested again."""

    def _write_state(self, vals):
        """Write the status from one of the actions, which did their checks: the user must be
        allowed to write the record; the write itself runs as superuser (keeping the user as
        author), so a status cannot be written any other way."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------ decisions
    # base_tier_validation's buttons work on one record and return None, which XML-RPC cannot
    # send back
    def validate_tier(self):
        ensure_one(self)
        return super().validate_tier() or True

    def reject_tier(self):
        ensure_one(self)
        return super().reject_tier() or True

    def _reviews_to_decide(self, tiers):
        """The open reviews of this record the current user decides now, in sequence (also
        when a wizard hands over other reviews)."""
        self.ensure_one()
        sequences = self._get_sequences_to_approve(self.env.user)
        mine = self.review_ids.filtered(
            lambda r: r.status in ("waiting", "pending") and r.sequence in sequences and self.env.user in r.reviewer_ids
        )
        return mine & tiers if tiers else mine

    def _validate_tier(self, tiers=False):
        """Reviews are written by the system, for the reviewer, after the checks: the user's
        own open reviews only; then the approval is settled."""
        reviews = self._reviews_to_decide(tiers)
        result = None
        if reviews:
            self.check_access("write")
            result = super(KeyAccountApprovalMixin, self.sudo())._validate_tier(reviews.sudo())
        if self.state == "submitted":
            self._settle_approval()
        return result

    def _rejected_tier(self, tiers=False):
        reviews = self._reviews_to_decide(tiers)
        if not reviews:
            return
        self.check_access("write")
        super(KeyAccountApprovalMixin, self.sudo())._rejected_tier(reviews.sudo())
        if self.state == "submitted" and any(r.status == "rejected" for r in self.sudo().review_ids):
            self.sudo().write({"state": "rejected"})

    @api.model
    def _update_counter(self, review_counter):
        # recomputing can_review moves the next review to "pending": the system's write
        return super(KeyAccountApprovalMixin, self.sudo())._update_counter(review_counter)

    def _approval_definitions(self):
        """The tier definitions that apply to this record now."""
        self.ensure_one()
        record = self.sudo()
        definitions = (
            self.env["tier.definition"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("company_id", "in", [False] + record._get_company().ids),
                ]
            )
        )
        return definitions.filtered(lambda definition: record.evaluate_tier(definition))

    def _settle_approval(self):
        """Approve when every tier definition that applies has an approved review — never on
        the mere absence of an open review: a level whose review went missing is requested
        again."""
        self.ensure_one()
        reviews = self.sudo().review_ids
        if any(review.status != "approved" for review in reviews):
            return
        missing = self._approval_definitions() - reviews.definition_id
        if missing:
            sequence = max(reviews.mapped("sequence"), default=0)
            vals_list = []
            for definition in missing.sorted("sequence", reverse=True):
                sequence += 1
                vals_list.append(self._prepare_tier_review_vals(definition, sequence))
            self.env["tier.review"].sudo().create(vals_list)
            self._update_counter({"review_created": True})
            return
        self._approve()

    def _approve(self):
        self.invalidate_recordset(["need_validation"])
        self.sudo().write({"state": "approved", "approved_date": fields.Datetime.now()})
        self._on_approved()

    def _on_approved(self):
        """Hook: what the approval brings about."""

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + ["state", "submitted_date", "approved_date"]
