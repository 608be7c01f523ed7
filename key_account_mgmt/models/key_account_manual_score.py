from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class KeyAccountManualScore(models.Model):
    """The current rating (0-5 points) of a manual criterion for a key account, given by a
    member of the group named on the criterion through the scoring sheet. The engine reads it
    when it scores; the snapshots keep the history."""

    _name = "key.account.manual.score"
    _inherit = ["key.account.confidential.mixin", "mail.thread"]
    _description = "Manual Criterion Rating"
    _confidential_parents = ("criterion_id",)
    # the criterion is configuration: its scorers read it
    _confidential_parent_access = "read"
    _order = "partner_id, criterion_id"

    criterion_id = fields.Many2one(
        "key.account.scorecard.criterion",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('kind', '=', 'manual')]",
    )
    dimension_id = fields.Many2one(related="criterion_id.dimension_id", string="Dimension")
    points = fields.Float(digits=(3, 2), required=True, tracking=True, help="0 (no) to 5 (yes, fully).")
    comment = fields.Text(tracking=True)
    user_id = fields.Many2one("res.users", string="Scored by", readonly=True, default=lambda self: self.env.user)
    date = fields.Datetime(string="Scored on", readonly=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("partner_criterion_uniq", "unique(partner_id, criterion_id)", "An account has one rating per criterion."),
    ]

    @api.constrains("points")
    def _check_points(self):
        for rating in self:
            if not 0 <= rating.points <= 5:
                raise ValidationError(
                    self.env._(
                        "Points must lie between 0 and 5 (%(criterion)s of %(partner)s: %(points)s).",
                        criterion=rating.criterion_id.name,
                        partner=rating.partner_id.display_name,
                        points=rating.points,
                    )
                )

    @api.constrains("criterion_id")
    def _check_manual(self):
        for rating in self:
            if rating.criterion_id.kind != "manual":
                raise ValidationError(
                    self.env._(
                        "%(criterion)s is computed from data: it cannot be scored by hand.",
                        criterion=rating.criterion_id.name,
                    )
                )

    def _check_scorer(self, criteria):
        if self.env.su:
            return
        for criterion in criteria:
            if criterion.group_id and criterion.group_id not in self.env.user.groups_id:
                raise AccessError(
                    self.env._(
                        "Only members of %(group)s may score %(criterion)s.",
                        group=criterion.group_id.full_name,
                        criterion=criterion.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_values(vals)  # before reading them (base runs last)
        criteria = self.env["key.account.scorecard.criterion"].browse(
            {v.get("criterion_id") for v in vals_list} - {None, False}
        )
        self._check_scorer(criteria.sudo())
        return super().create(vals_list)

    def write(self, vals):
        self._check_key_account_values(vals)
        criteria = self.criterion_id
        if vals.get("criterion_id"):
            criteria |= criteria.browse(vals["criterion_id"])
        self._check_scorer(criteria.sudo())
        result = super().write(vals)
        if "points" in vals or "comment" in vals:
            # who scored and when: written by the rating itself (key.account.write.guard)
            self.sudo().write({"user_id": self.env.uid, "date": fields.Datetime.now()})
        return result
