from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .key_account_policy import PRICE_TYPES

DEVIATION_KINDS = [
    ("missing_discount", "Discount Missing"),
    ("beyond_policy", "Beyond the Policy"),
    ("no_policy", "Discount without Policy"),
    ("expired_policy", "Expired Policy Applied"),
]
CURSOR_PARAM = "key_account_mgmt.policy_check_cursor"  # last invoice checked: "write_date|id"
POLICY_PARAM = "key_account_mgmt.policy_check_policies_since"  # start of the last check
# one check at a time (the scheduled action in any worker, or "Check Now"): both move the cursor
CHECK_LOCK = 2023_0001


class KeyAccountPolicyDeviation(models.Model):
    """How the preferential standards are applied (不定期监督检查, seed 003 第十五条): a row per
    line of a posted customer invoice of a key account whose net unit price is not what its
    price policies give on the invoice date.

    The customer's own price is what the pricelist under its policies gives (the one it had
    before its first price policy; the product's sales price without one), computed by Odoo's
    pricelist engine for the line's product, quantity, unit and invoice date. The policy in
    force is the approved one (ended since or not) whose validity holds the invoice date: a
    discount takes its percentage off that price, a coefficient multiplies it. Prices are
    compared in company currency within the company's tolerance:

    - policy in force, price above what it gives: its discount was not applied;
    - policy in force, price below it: more than the policy grants;
    - no policy in force, price below the customer's own: a discount without policy, or, when it
      is the price a policy of the account gave before it ended, an expired policy still applied.

    Rows are written by the check only (daily, and at once by a KA Manager): invoices changed
    since the last check, and every invoice of an account whose price policies changed.
    Credit notes are not checked: they repeat the invoice's price."""

    _name = "key.account.policy.deviation"
    _inherit = ["key.account.export.mixin", "key.account.search.guard.mixin"]
    _description = "Key Account Policy Deviation"
    _order = "invoice_date desc, id desc"
    _rec_name = "move_id"

    move_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", required=True, readonly=True, index=True, ondelete="cascade"
    )
    move_id = fields.Many2one(related="move_line_id.move_id", string="Invoice", store=True)
    kind = fields.Selection(DEVIATION_KINDS, string="Deviation", required=True, readonly=True)
    invoice_date = fields.Date(readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    own_price = fields.Monetary(
        string="Customer's Price",
        readonly=True,
        help="What the customer's pricelist gives before any key-account policy, in the unit of the line.",
    )
    expected_price = fields.Monetary(
        readonly=True, help="The unit price the policy in force gives (or the customer's)."
    )
    unit_price = fields.Monetary(string="Invoiced Price", readonly=True, help="Net unit price invoiced.")
    deviation_percent = fields.Float(
        string="Deviation (%)", readonly=True, digits=(16, 2), aggregator="avg", help="Invoiced against expected."
    )
    amount_gap = fields.Monetary(
        string="Gap",
        readonly=True,
        help="(Invoiced − expected price) × quantity: negative when the customer paid less than the policies give.",
    )
    policy_id = fields.Many2one(
        "key.account.policy",
        readonly=True,
        ondelete="set null",
        help="The policy in force on the invoice date, or the ended policy whose price was applied.",
    )

    _sql_constraints = [("move_line_unique", "unique(move_line_id)", "An invoice line is listed once.")]

    def _compute_display_name(self):
        # the invoice's number: the row is readable where the invoice itself may not be
        for row in self:
            row.display_name = row.move_line_id.sudo().move_id.display_name

    # ------------------------------------------------------------------ the check
    def action_check_now(self):
        """Check the invoices changed since the last check now (KA Managers)."""
        if not self.env.user.has_group("key_account_mgmt.group_ka_manager"):
            raise AccessError(self.env._("Only KA Managers run the policy check."))
        if not self._take_check_turn():
            raise UserError(self.env._("The policy check is running right now; its results will be there in a moment."))
        while self.sudo()._check_next_batch(batch_size=2000)[1]:
            pass
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _cron_check_policy_deviations(self, batch_size=2000):
        if not self._take_check_turn():  # "Check Now" is running: it checks everything
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        done, remaining = self.sudo()._check_next_batch(batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _take_check_turn(self):
        """Whether this transaction may check now: False while another one holds the turn."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CHECK_LOCK))
        return self.env.cr.fetchone()[0]

    def _check_next_batch(self, batch_size):
        """Check the next invoices by last change (then id) after the cursor, and the invoices of
        the accounts whose price policies changed since the last check; return how many invoices
        were checked and how many remain."""
        params = self.env["ir.config_parameter"].sudo()
        started = fields.Datetime.to_string(self.env.cr.now())
        since, _sep, last_id = params.get_param(CURSOR_PARAM, "").partition("|")
        since = since and datetime.fromisoformat(since)
        domain = [("move_type", "=", "out_invoice"), ("commercial_partner_id.is_key_account", "=", True)]
        if since:
            domain += ["|", ("write_date", ">", since), "&", ("write_date", "=", since), ("id", ">", int(last_id))]
        moves = self.env["account.move"].search(domain, order="write_date, id", limit=batch_size)
        self._check_lines(moves.invoice_line_ids | self._lines_of_changed_policies(params.get_param(POLICY_PARAM)))
        params.set_param(POLICY_PARAM, started)
        if not moves:
            return 0, 0
        last = moves[-1]
        # to the microsecond: the invoices of one transaction (an import) share their write date,
        # and a cursor to the second would start again before them (the same batch for ever)
        params.set_param(CURSOR_PARAM, f"{last.write_date.isoformat(' ')}|{last.id}")
        return len(moves), self.env["account.move"].search_count(domain) - len(moves)

    def _lines_of_changed_policies(self, since):
        """Invoice lines of the accounts whose price policies changed since ``since`` (approved,
        shortened, back-dated), from the earliest start of those policies."""
        if not since:
            return self.env["account.move.line"]
        policies = self.env["key.account.policy"].search(
            [("policy_type", "in", PRICE_TYPES), ("write_date", ">=", since)]
        )
        if not policies:
            return self.env["account.move.line"]
        return self.env["account.move.line"].search(
            [
                ("move_id.move_type", "=", "out_invoice"),
                ("move_id.commercial_partner_id", "in", policies.partner_id.ids),
                ("move_id.invoice_date", ">=", min(policies.mapped("date_from"))),
                ("display_type", "=", "product"),
            ]
        )

    def _check_lines(self, lines):
        """Replace the rows of these invoice lines by what they deviate now."""
        self.search([("move_line_id", "in", lines.ids)]).unlink()
        lines = lines.filtered(
            lambda line: (
                line.move_id.state == "posted"
                and line.move_id.move_type == "out_invoice"
                and line.display_type == "product"
                and line.product_id
                and line.quantity > 0
                and line.move_id.commercial_partner_id.is_key_account
            )
        )
        policies = self.env["key.account.policy"].search(
            [
                ("partner_id", "in", lines.move_id.commercial_partner_id.ids),
                ("policy_type", "in", PRICE_TYPES),
                ("state", "in", ("approved", "expired")),
            ],
            order="date_from desc, id desc",
        )
        own_prices = self._own_prices(lines)
        by_account = policies.grouped(lambda policy: (policy.partner_id, policy.company_id))
        vals_list = []
        for line in lines:
            move = line.move_id
            mine = by_account.get((move.commercial_partner_id, move.company_id), policies.browse())
            vals = self._deviation(line, own_prices[line.id], mine)
            if vals:
                vals_list.append(vals)
        self.create(vals_list)

    def _deviation(self, line, own_price, mine):
        """The row of ``line`` if it deviates (``mine``: the price policies of its account and
        company, latest start first), else None."""
        move = line.move_id
        account, company, date = move.commercial_partner_id, move.company_id, move.invoice_date
        if own_price <= 0:
            return None
        tolerance = company.key_account_deviation_tolerance / 100.0
        unit_price = line.price_unit * (1 - (line.discount or 0.0) / 100.0) * self._rate(line)
        in_force = mine.filtered(lambda p: p.date_from <= date <= p.date_to)[:1]
        expected = own_price * _factor(in_force) if in_force else own_price
        policy, kind = in_force, None
        if in_force and unit_price > expected * (1 + tolerance):
            kind = "missing_discount"
        elif in_force and unit_price < expected * (1 - tolerance):
            kind = "beyond_policy"
        elif not in_force and unit_price < own_price * (1 - tolerance):
            ended = mine.filtered(
                lambda p: p.date_to < date and abs(unit_price - own_price * _factor(p)) <= own_price * tolerance
            ).sorted(lambda p: (p.date_to, p.id), reverse=True)[:1]
            kind, policy = ("expired_policy", ended) if ended else ("no_policy", ended)
        if not kind:
            return None
        return {
            "move_line_id": line.id,
            "kind": kind,
            "invoice_date": date,
            "partner_id": account.id,
            "user_id": move.invoice_user_id.id,
            "company_id": company.id,
            "product_id": line.product_id.id,
            "quantity": line.quantity,
            "own_price": own_price,
            "expected_price": expected,
            "unit_price": unit_price,
            "deviation_percent": (unit_price / expected - 1) * 100,
            "amount_gap": (unit_price - expected) * line.quantity,
            "policy_id": policy.id,
        }

    @staticmethod
    def _rate(line):
        """Company currency per invoice currency, as the line was posted."""
        return abs(line.balance / line.amount_currency) if line.amount_currency else 1.0

    def _own_prices(self, lines):
        """{line id: the customer's price before any policy, company currency}: one pricelist
        computation per pricelist, date, unit and quantity, for all its products at once."""
        groups = {}
        for line in lines:
            move = line.move_id
            pricelist = self._own_pricelist(move.commercial_partner_id, move.company_id)
            key = (pricelist, move.company_id, move.invoice_date, line.product_uom_id, line.quantity)
            groups.setdefault(key, self.env["account.move.line"])
            groups[key] |= line
        prices = {}
        for (pricelist, company, date, uom, quantity), group in groups.items():
            products = group.product_id
            if pricelist:
                computed = pricelist.with_company(company)._compute_price_rule(
                    products, quantity, currency=company.currency_id, uom=uom, date=date
                )
                by_product = {product_id: price for product_id, (price, _rule) in computed.items()}
            else:
                by_product = {
                    product.id: product.uom_id._compute_price(
                        product.with_company(company).lst_price, uom or product.uom_id
                    )
                    for product in products
                }
            for line in group:
                prices[line.id] = by_product[line.product_id.id]
        return prices

    def _own_pricelist(self, account, company):
        """The pricelist of the customer in ``company`` without its key-account policies: the one
        its policies' pricelist is based on."""
        pricelist = account.with_company(company).property_product_pricelist
        if pricelist.key_account_partner_id:
            base = pricelist.item_ids.filtered(lambda item: not item.date_start and not item.date_end)[:1]
            return base.base_pricelist_id
        return pricelist


def _factor(policy):
    return 1 - policy.value / 100.0 if policy.policy_type == "discount" else policy.value
