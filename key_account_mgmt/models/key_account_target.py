from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import label, to_date

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
# the dimensions of a target: two targets overlap when they have the same ones and periods overlap
DIMENSIONS = ("user_id", "team_id", "partner_id", "product_category_id")
# what a target set's approval decides on (later: change requests, key.account.target.change)
TARGET_VALUE_FIELDS = (*DIMENSIONS, "company_id", "period_kind", "date_from", "sales_target", "new_accounts_target")


class KeyAccountTarget(models.Model):
    """Sales plan (销售计划, seed 001 §2.2 第3–6条) for a month, quarter or year along optional
    dimensions: a specialist (per key account or as a whole), a sales team or region
    (crm.team), a key account, a product category; it also carries the development plan
    (开发计划): how many new key accounts a specialist is to bring in. The KPIs spread the
    specialists' targets evenly over the months of their period.

    Targets are grouped in a target set (key.account.target.plan) approved by the KA Manager;
    once approved a target changes only through a change request (key.account.target.change)
    the KA Manager approves, whose rows are the target's history (第6条)."""

    _name = "key.account.target"
    _inherit = [
        "key.account.approval.line.mixin",
        "key.account.export.mixin",
        "key.account.search.guard.mixin",
    ]
    _description = "Key Account Target"
    _order = "date_from desc, user_id, partner_id"
    _approval_parent_fields = ("plan_id",)
    _approval_material_fields = TARGET_VALUE_FIELDS

    plan_id = fields.Many2one(
        "key.account.target.plan",
        string="Target Set",
        index="btree_not_null",
        ondelete="restrict",
        help="Once its set is approved, the target changes only through a change request the KA Manager approves.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Specialist",
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="Leave empty for a target of a sales team, a key account or a product category.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index="btree_not_null",
        ondelete="restrict",
        help="A target of a sales team or region: the invoices of the team.",
    )
    product_category_id = fields.Many2one(
        "product.category",
        index="btree_not_null",
        ondelete="restrict",
        help="Only the invoice lines of products of this category (and its subcategories) count.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        index=True,
        ondelete="cascade",
        domain="[('is_key_account', '=', True)]",
        help="Leave empty for the specialist's plan over all their accounts.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    period_kind = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")], string="Period", required=True, default="year"
    )
    date_from = fields.Date(
        string="Period Start", required=True, index=True, help="Moved to the first day of its month, quarter or year."
    )
    date_to = fields.Date(string="Period End", compute="_compute_date_to", store=True)
    sales_target = fields.Monetary(currency_field="currency_id", help="Untaxed invoiced sales planned.")
    sales_actual = fields.Monetary(
        string="Actual Sales",
        currency_field="currency_id",
        compute="_compute_actuals",
        help="Invoiced in the period, net of refunds: to the account (a headquarters with its branches), or for the "
        "specialist's plan what the credit split (业绩分配) credits them with, each invoice line once in total.",
    )
    sales_completion = fields.Float(string="Sales Completion (%)", compute="_compute_actuals")
    new_accounts_target = fields.Integer(string="New Key Accounts Planned", help="The development plan (开发计划).")
    new_accounts_actual = fields.Integer(
        string="New Key Accounts",
        compute="_compute_actuals",
        help="Nominations approved in the period for this specialist.",
    )
    plan_state = fields.Selection(related="plan_id.state", string="Set Status")
    change_ids = fields.One2many("key.account.target.change", "target_id", string="Changes")

    @api.depends("date_from", "period_kind")
    def _compute_date_to(self):
        for target in self:
            if target.date_from and target.period_kind in PERIOD_MONTHS:
                target.date_to = self.env["key.account.metrics"]._period(target.date_from, target.period_kind)[1]
            else:
                target.date_to = False

    @api.depends(*DIMENSIONS, "date_from", "date_to", "sales_target")
    def _compute_actuals(self):
        """Sales: the group figure of the key account (key.account.metrics), or for the
        specialist, what the credit split credits them with in the period
        (``key.account.metrics._credited_revenue``)."""
        metrics = self.env["key.account.metrics"]
        periods = self.grouped(lambda t: (t.date_from, t.date_to, t.company_id))
        for (date_from, date_to, company), targets in periods.items():
            if not date_from:
                targets.update({"sales_actual": 0.0, "sales_completion": 0.0, "new_accounts_actual": 0})
                continue
            metrics = metrics.with_context(allowed_company_ids=company.ids) if company else metrics
            credited = metrics._credited_revenue(date_from, date_to, targets.user_id.ids)
            revenue = metrics._revenue(targets.partner_id.ids, date_from, date_to, consolidate=True)
            nominations = self._approved_nominations(targets.user_id.ids, date_from, date_to)
            by_dimension = targets.filtered(lambda t: t.team_id or t.product_category_id)
            dimension_sales = metrics._target_sales(by_dimension) if by_dimension else {}
            for target in targets:
                if target in by_dimension:
                    actual = dimension_sales.get(target.id, 0.0)
                elif target.partner_id:
                    actual = revenue.get(target.partner_id.id, 0.0)
                else:
                    actual = credited.get(target.user_id.id, 0.0)
                target.sales_actual = actual
                target.sales_completion = 100.0 * actual / target.sales_target if target.sales_target else 0.0
                target.new_accounts_actual = (
                    nominations.get(target.user_id.id, 0) if target._is_specialist_wide() else 0
                )

    def _is_specialist_wide(self):
        return bool(self.user_id) and not (self.partner_id or self.team_id or self.product_category_id)

    def _approved_nominations(self, user_ids, date_from, date_to):
        """{user_id: nominations approved in the period} where the user is the proposed account
        manager, or the applicant when none was proposed."""
        self.env["key.account.application"].flush_model(["state", "approved_date", "proposed_manager_id", "user_id"])
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(proposed_manager_id, user_id), COUNT(*) FROM key_account_application "
                "WHERE state = 'approved' AND approved_date >= %(start)s AND approved_date < %(end)s "
                "AND COALESCE(proposed_manager_id, user_id) = ANY(%(users)s) GROUP BY 1",
                start=fields.Datetime.to_datetime(date_from),
                end=fields.Datetime.to_datetime(fields.Date.add(date_to, days=1)),
                users=list(user_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_key_account_values(vals)  # before reading them (base runs last)
            self._normalise_period(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_key_account_values(vals)
        if "date_from" in vals or "period_kind" in vals:
            for target in self:
                target_vals = dict(vals)
                target_vals.setdefault("date_from", target.date_from)
                target_vals.setdefault("period_kind", target.period_kind)
                self._normalise_period(target_vals)
                super(KeyAccountTarget, target).write(target_vals)
            return True
        return super().write(vals)

    @api.model
    def _normalise_period(self, vals):
        if not vals.get("date_from"):
            return
        day = to_date(self.env, vals["date_from"], label(self.env, self._name, "date_from"))
        kind = vals.get("period_kind") or "year"
        vals["date_from"] = self.env["key.account.metrics"]._period(day, kind)[0]

    @api.constrains("user_id", "sales_target", "new_accounts_target", *DIMENSIONS)
    def _check_amounts(self):
        for target in self:
            if not any(target[name] for name in DIMENSIONS):
                raise ValidationError(
                    self.env._(
                        "A target is for a specialist, a sales team, a key account or a product category: choose one."
                    )
                )
            if target.user_id and (target.team_id or target.product_category_id):
                raise ValidationError(
                    self.env._(
                        "A specialist's target counts in their KPIs: set targets by sales team or product category "
                        "without a specialist."
                    )
                )
            if target.sales_target < 0 or target.new_accounts_target < 0:
                raise ValidationError(self.env._("Targets cannot be negative."))
            if target.new_accounts_target and not target._is_specialist_wide():
                raise ValidationError(
                    self.env._(
                        "New key accounts are planned per specialist: leave the key account empty (and the team and category)."
                    )
                )
            if not target.sales_target and not target.new_accounts_target:
                raise ValidationError(self.env._("A target needs a sales amount or a number of new key accounts."))

    @api.constrains(*DIMENSIONS, "company_id", "date_from", "date_to")
    def _check_overlap(self):
        """Targets with the same dimensions (specialist, team, account, category) must not
        overlap: the KPIs add them up; different dimensions are different plans."""
        self.flush_model([*DIMENSIONS, "company_id", "date_from", "date_to"])
        self.env.cr.execute(
            SQL(
                """
            SELECT a.id FROM key_account_target a JOIN key_account_target b
              ON a.id != b.id AND a.company_id = b.company_id
             AND a.user_id IS NOT DISTINCT FROM b.user_id AND a.team_id IS NOT DISTINCT FROM b.team_id
             AND a.partner_id IS NOT DISTINCT FROM b.partner_id
             AND a.product_category_id IS NOT DISTINCT FROM b.product_category_id
             AND a.date_from <= b.date_to AND b.date_from <= a.date_to
             WHERE a.id = ANY(%s) LIMIT 1
            """,
                self.ids,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            target = self.browse(row[0])
            raise ValidationError(
                self.env._(
                    "%(user)s already has a target for %(account)s overlapping %(start)s – %(end)s.",
                    user=target._dimension_label(),
                    account=target.partner_id.display_name or self.env._("all accounts"),
                    start=target.date_from,
                    end=target.date_to,
                )
            )

    def _dimension_label(self):
        """Who or what the target is for: the specialist, team and category it names."""
        self.ensure_one()
        names = (
            self.user_id.mapped("display_name")
            + self.team_id.mapped("display_name")
            + self.product_category_id.mapped("display_name")
        )
        return " / ".join(names)

    @api.depends("user_id", "team_id", "partner_id", "product_category_id", "date_from", "period_kind")
    def _compute_display_name(self):
        for target in self:
            parts = [target._dimension_label(), target.partner_id.display_name, target.date_from]
            target.display_name = " · ".join(str(part) for part in parts if part)
