from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import ensure_one


class KeyAccountScoreSheet(models.TransientModel):
    """Scoring sheet (评分表) of a manual criterion for the people of the group named on it:
    every key account of the scorecard with its current points, entered in one list."""

    _name = "key.account.score.sheet"
    _description = "Scoring Sheet"

    criterion_id = fields.Many2one(
        "key.account.scorecard.criterion",
        required=True,
        # evaluated in the browser: only what it knows (a computed field would reach it empty)
        domain="[('kind', '=', 'manual'), ('group_id.users', 'in', uid), ('company_id', 'in', allowed_company_ids)]",
    )
    description = fields.Text(related="criterion_id.description", string="How to Score")
    line_ids = fields.One2many("key.account.score.sheet.line", "sheet_id", string="Accounts")

    @api.onchange("criterion_id")
    def _onchange_criterion_id(self):
        if not self.criterion_id:
            self.line_ids = [Command.clear()]
            return
        scorecard = self.criterion_id.sudo().scorecard_id
        partner_ids = [row[0] for row in self.env["key.account.score.engine"]._population(scorecard)]
        ratings = {
            rating.partner_id.id: rating
            for rating in self.env["key.account.manual.score"]
            .sudo()
            .search([("criterion_id", "=", self.criterion_id.id), ("partner_id", "in", partner_ids)])
        }
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "partner_id": pid,
                    "points": ratings[pid].points if pid in ratings else 0.0,
                    "scored": pid in ratings,
                    "comment": ratings[pid].comment if pid in ratings else False,
                }
            )
            for pid in partner_ids
        ]

    def action_save(self):
        """Write the entered points: one rating per account (create or update in batches)."""
        ensure_one(self)
        if not self.criterion_id:
            raise UserError(self.env._("Choose the criterion to score."))
        ratings = self.env["key.account.manual.score"]
        existing = {
            rating.partner_id.id: rating
            for rating in ratings.sudo().search(
                [("criterion_id", "=", self.criterion_id.id), ("partner_id", "in", self.line_ids.partner_id.ids)]
            )
        }
        to_create = []
        for line in self.line_ids.filtered(lambda line: line.scored or line.points):
            if line.partner_id.id in existing:
                rating = existing[line.partner_id.id]
                if (rating.points, rating.comment or False) != (line.points, line.comment or False):
                    # as the user: the group check and the 0-5 check apply
                    ratings.browse(rating.id).write({"points": line.points, "comment": line.comment})
            else:
                to_create.append(
                    {
                        "partner_id": line.partner_id.id,
                        "criterion_id": self.criterion_id.id,
                        "points": line.points,
                        "comment": line.comment,
                    }
                )
        ratings.create(to_create)
        return {"type": "ir.actions.act_window_close"}


class KeyAccountScoreSheetLine(models.TransientModel):
    _name = "key.account.score.sheet.line"
    _description = "Scoring Sheet Line"

    sheet_id = fields.Many2one("key.account.score.sheet", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Key Account", required=True, readonly=True)
    points = fields.Float(digits=(3, 2), help="0 (no) to 5 (yes, fully).")
    scored = fields.Boolean(help="Tick to record 0 points.")
    comment = fields.Char()
