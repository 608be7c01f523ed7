from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from ..tools import ensure_one

# what a reviewer may write on an open review of theirs; the decision itself goes through the
# Approve / Reject buttons of the record (key.account.approval.mixin), written by the system
REVIEWER_FIELDS = {"comment"}


class TierReview(models.Model):
    """base_tier_validation lets any internal user create, write, delete and read reviews. On
    key-account approvals (every model of key.account.approval.mixin) reviews are created and
    decided by the approval's own actions only (as the system, for the user), never deleted by
    hand, and read only by those who may read the record reviewed
    (security/tier_review_security.xml)."""

    _inherit = "tier.review"

    # fields whose labels base_tier_validation leaves untranslated: defined here too, their
    # labels are translated with this addon (the queue's custom filters and groupings list them)
    name = fields.Char(string="Approval Step")
    display_status = fields.Char()
    todo_by = fields.Char()
    reviewed_formated_date = fields.Char()
    last_reminder_date = fields.Datetime()
    approve_sequence_bypass = fields.Boolean()
    reviewer_field_id = fields.Many2one(string="Reviewer field")

    key_account_readable = fields.Boolean(
        string="Record Readable",
        compute="_compute_key_account_readable",
        search="_search_key_account_readable",
        help="The reviewed record is not a key-account record, or the current user may read it.",
    )

    # the reviews' queue (views/tier_review_views.xml): what is reviewed, in the reader's language
    res_model_id = fields.Many2one(
        "ir.model",
        string="Record Type",
        compute="_compute_res_model_id",
        store=True,
        ondelete="set null",
    )
    res_name = fields.Char(string="Record", compute="_compute_res_record")
    res_partner_id = fields.Many2one("res.partner", string="Customer", compute="_compute_res_record")

    @api.model
    def _key_account_models(self):
        return self.env["key.account.approval.mixin"]._approval_model_names()

    def _compute_key_account_readable(self):
        models_ = self._key_account_models()
        env = self.env(su=False)
        for review in self:
            if review.model not in models_:
                review.key_account_readable = True
                continue
            record = env[review.model].browse(review.res_id).exists()
            review.key_account_readable = bool(
                env["ir.model.access"].check(review.model, "read", raise_exception=False)
                and record._filtered_access("read")
            )

    @api.model
    def _search_key_account_readable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on reviews."))
        # record rules are evaluated as superuser: read the records as the user
        env = self.env(su=False)
        models_ = self._key_account_models()
        domains = [[("model", "not in", list(models_))], [("model", "=", False)]]
        for name in models_:
            if env["ir.model.access"].check(name, "read", raise_exception=False):
                readable = env[name].with_context(active_test=False)._search([])
                domains.append([("model", "=", name), ("res_id", "in", readable)])
        domain = expression.OR(domains)
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("model")
    def _compute_res_model_id(self):
        for review in self:
            review.res_model_id = review.model and self.env["ir.model"]._get_id(review.model)

    @api.depends_context("uid")
    @api.depends("model", "res_id")
    def _compute_res_record(self):
        for review in self:
            record = review._res_record()
            review.res_name = record.display_name if record else False
            review.res_partner_id = record.partner_id if record and "partner_id" in record._fields else False

    def _res_record(self):
        """The record reviewed as the current user may read it: empty when they may not."""
        ensure_one(self)
        if self.model not in self.env:
            return None
        return self.env(su=False)[self.model].browse(self.res_id).exists()._filtered_access("read")

    def action_open_document(self):
        """The queue's lines open the record they review."""
        record = self._res_record()
        if not record:
            raise AccessError(self.env._("You may not open the record of this review."))
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("model") in self._key_account_models() for vals in vals_list):
            raise AccessError(
                self.env._("A key-account review is created only by submitting its record, waiting for its reviewer.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_key_account_write(vals)
        return super().write(vals)

    def _check_key_account_write(self, vals):
        models_ = self._key_account_models()
        if vals.get("model") in models_:
            raise AccessError(
                self.env._("A key-account review is created only by submitting its record, waiting for its reviewer.")
            )
        for review in self.sudo().filtered(lambda r: r.model in models_):
            if self.env.user not in review.reviewer_ids:
                raise AccessError(self.env._("Only its reviewers may change a key-account review."))
            # reviewers are whole groups, across companies: the reviewer must reach the record
            self.env[review.model].browse(review.res_id).check_access("write")
            if vals.keys() - REVIEWER_FIELDS or review.status not in ("waiting", "pending"):
                raise AccessError(
                    self.env._(
                        "A key-account review is decided with the Validate and Reject buttons of its record; "
                        "its reviewers may only comment on it while it is open."
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_key_account(self):
        if not self.env.su and self.sudo().filtered(lambda r: r.model in self._key_account_models()):
            raise AccessError(
                self.env._(
                    "The reviews of a key-account approval are the history of the decision: they are never deleted by hand."
                )
            )
