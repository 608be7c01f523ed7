from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, escape_psql

from ..tools import ensure_one

SHEET_SIZE = 100  # lines on one sheet: the filters narrow the population down to them


class KeyAccountScoreSheet(models.TransientModel):
    """Scoring sheet (评分表) of a manual criterion for the people of the group named on it:
    the key accounts of the scorecard that match the filters, at most ``SHEET_SIZE``, those
    not scored yet first, each with its current points, entered in one list."""

    _name = "key.account.score.sheet"
    _description = "Scoring Sheet"

    criterion_id = fields.Many2one(
        "key.account.scorecard.criterion",
        required=True,
        # evaluated in the browser: only what it knows (a computed field would reach it empty)
        domain="[('kind', '=', 'manual'), ('group_id.users', 'in', uid), ('company_id', 'in', allowed_company_ids)]",
    )
    description = fields.Text(related="criterion_id.description", string="How to Score")
    tier_id = fields.Many2one(
        "key.account.tier",
        domain="['|', ('company_id', '=', False), ('company_id', 'in', allowed_company_ids)]",
    )
    specialist_id = fields.Many2one(
        "res.users", domain="[('share', '=', False)]", help="The account manager of the account (客户经理)."
    )
    account_name = fields.Char(help="Accounts whose name contains this text.")
    unscored_only = fields.Boolean(
        string="Not Scored Yet Only", help="Only the accounts without a rating of this criterion."
    )
    more_count = fields.Integer(
        string="More Matching Accounts", readonly=True, help="Accounts that match the filters but are not on the sheet."
    )
    more_message = fields.Char(string="More Accounts Notice", compute="_compute_more_message")
    line_ids = fields.One2many("key.account.score.sheet.line", "sheet_id", string="Accounts")

    @api.depends("more_count")
    def _compute_more_message(self):
        for sheet in self:
            sheet.more_message = (
                self.env._(
                    "%(count)s more accounts match: narrow the filters, or save and open the sheet again with "
                    "Not Scored Yet Only.",
                    count=sheet.more_count,
                )
                if sheet.more_count
                else False
            )

    @api.onchange("criterion_id", "tier_id", "specialist_id", "account_name", "unscored_only")
    def _onchange_criterion_id(self):
        rows = self._fetch_accounts() if self.criterion_id else []
        self.more_count = rows[0][4] - len(rows) if rows else 0
        self.line_ids = [Command.clear()] + [
            Command.create({"partner_id": partner_id, "scored": scored, "points": points or 0.0, "comment": comment})
            for partner_id, scored, points, comment, _total in rows
        ]

    def _fetch_accounts(self):
        """[(partner_id, scored, points, comment, total)] of the first ``SHEET_SIZE`` accounts of
        the scorecard's population (``key.account.score.engine._population_condition``) that match the
        filters, not scored yet first, then by name; ``total`` counts all that match. One
        statement, whatever the size of the population."""
        criterion = self.criterion_id.sudo()
        self.env["res.partner"].flush_model(
            [
                "name",
                "is_key_account",
                "active",
                "parent_id",
                "company_id",
                "key_account_tier_id",
                "key_account_manager_id",
            ]
        )
        self.env["key.account.manual.score"].flush_model(["partner_id", "criterion_id", "points", "comment"])
        conditions = [self.env["key.account.score.engine"]._population_condition(criterion.scorecard_id, "p")]
        if self.tier_id:
            conditions.append(SQL("p.key_account_tier_id = %s", self.tier_id.id))
        if self.specialist_id:
            conditions.append(SQL("p.key_account_manager_id = %s", self.specialist_id.id))
        if name := (self.account_name or "").strip():
            unaccent = self.env.registry.unaccent
            conditions.append(
                SQL("%s ILIKE %s", unaccent(SQL("p.name")), unaccent(SQL("%s", f"%{escape_psql(name)}%")))
            )
        if self.unscored_only:
            conditions.append(SQL("r.id IS NULL"))
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, r.id IS NOT NULL, r.points, r.comment, COUNT(*) OVER ()
                  FROM res_partner p
             LEFT JOIN key_account_manual_score r ON r.partner_id = p.id AND r.criterion_id = %s
                 WHERE %s
              ORDER BY r.id IS NOT NULL, p.name, p.id
                 LIMIT %s
                """,
                criterion.id,
                SQL(" AND ").join(conditions),
                SHEET_SIZE,
            )
        )
        return self.env.cr.fetchall()

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
