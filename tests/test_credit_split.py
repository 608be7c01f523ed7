"""The credit split (业绩分配, issue #24, seed 002): hand-made invoices under each rule — the
default (the account manager), the first deal after a handover to another region 60/40 and its
refund, a multi-region group 50/50 between the company and the region (a branch and the
headquarters), deals of a kind 70/30 between the team and the account manager, a KA Manager's
override — attributed exactly as computed by hand, line by line, in the KPI pivot by specialist
and by team, and adding up to the company's revenue."""

from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


class CreditSplitDataMixin(KeyAccountDataMixin):
    """March 2026's invoices under each rule (see the module), for the tests of the split."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["crm.team"]
        cls.north = Team.create({"name": "North Region", "company_id": cls.company.id})
        cls.east = Team.create({"name": "East Region", "company_id": cls.company.id})
        cls.engineering = Team.create({"name": "Engineering Department", "company_id": cls.company.id})
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": cls.north.id, "user_id": cls.ka_user.id},
                {"crm_team_id": cls.east.id, "user_id": cls.ka_user_off.id},
            ]
        )
        cls.account.key_account_region_id = cls.north
        cls.other_account.key_account_region_id = cls.east
        Rule = cls.env["key.account.credit.split.rule"]
        Rule.search([("company_id", "=", cls.company.id)]).active = False
        cls.works = cls.env["product.category"].create({"name": "Engineering Works"})
        cls.installation = cls.env["product.product"].create(
            {"name": "Pump station installation", "type": "service", "categ_id": cls.works.id}
        )
        cls.rules = Rule.create(
            [
                {"name": "Handover", "sequence": 10, "kind": "handover", "share": 60},
                {"name": "Multi-region", "sequence": 20, "kind": "multi_region", "share": 50},
                {
                    "name": "Engineering",
                    "sequence": 30,
                    "kind": "deal_kind",
                    "share": 70,
                    "team_id": cls.engineering.id,
                    "categ_ids": [Command.set(cls.works.ids)],
                },
            ]
        )
        # (1) the default: Hengtai's manager
        cls.default_invoice = cls._post_invoice(cls.account, 1000.0, date(2026, 3, 5))
        # (2) Jiahe handed over from the North (ka_user) to the East (ka_user_off): its first deal 60/40
        cls.jiahe = cls._key_account("Jiahe Water", manager=cls.ka_user_off, key_account_region_id=cls.east.id)
        cls.env["key.account.handover.log"].create(
            {
                "partner_id": cls.jiahe.id,
                "date": "2026-03-10 02:00:00",
                "from_user_id": cls.ka_user.id,
                "to_user_id": cls.ka_user_off.id,
            }
        )
        cls.first_deal = cls._post_invoice(cls.jiahe, 2000.0, date(2026, 3, 12))
        cls.second_deal = cls._post_invoice(cls.jiahe, 500.0, date(2026, 3, 20))
        cls.refund = cls._post_invoice(
            cls.jiahe, 300.0, date(2026, 3, 25), move_type="out_refund", reversed_entry_id=cls.first_deal.id
        )
        # (3) a multi-region group: headquarters in the North, a branch (no key account) in the East
        cls.group = cls._key_account("Lianhe Group", manager=cls.ka_user, key_account_region_id=cls.north.id)
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Lianhe Group Shanghai Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.group.id,
                "key_account_group_relation": "branch",
                "key_account_region_id": cls.east.id,
            }
        )
        cls.branch_invoice = cls._post_invoice(cls.branch, 4000.0, date(2026, 3, 8))
        cls.group_invoice = cls._post_invoice(cls.group, 1000.0, date(2026, 3, 9))
        # (4) engineering: a whole invoice, and one of whose lines only one is engineering
        cls.works_invoice = cls._post_lines(cls.other_account, [(cls.installation, 3000.0)], date(2026, 3, 14))
        cls.mixed_invoice = cls._post_lines(
            cls.other_account, [(cls.installation, 1000.0), (None, 500.0)], date(2026, 3, 16)
        )
        # (5) an override of one Hengtai invoice by the KA Manager
        cls.override_invoice = cls._post_invoice(cls.account, 1000.0, date(2026, 3, 15))
        cls.override = (
            cls.env["key.account.credit.override"]
            .with_user(cls.ka_manager)
            .create(
                {
                    "partner_id": cls.account.id,
                    "move_id": cls.override_invoice.id,
                    "user_id": cls.ka_user_off.id,
                    "user_share": 30.0,
                    "team_id": cls.north.id,
                    "team_share": 50.0,
                    "reason": "Joint tender won with the East Region",
                }
            )
        )

    @classmethod
    def _post_lines(cls, partner, lines, invoice_date):
        cls._ensure_chart_of_accounts()
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": product.name if product else "Steel beam H300",
                            "product_id": product.id if product else False,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for product, amount in lines
                ],
            }
        )
        move.action_post()
        return move

    def _by_move(self):
        """{move: sorted [(user, team, share, amount)]} of March's attribution."""
        result = {}
        for row in self.env["key.account.metrics"]._attribution(*MARCH):
            move = self.env["account.move"].browse(row["move_id"])
            result.setdefault(move, []).append(
                (
                    self.env["res.users"].browse(row["user_id"]),
                    self.env["crm.team"].browse(row["team_id"]),
                    float(row["share"]),
                    round(float(row["amount"]), 2),
                )
            )
        return {move: sorted(rows, key=lambda r: (r[0].id or 0, r[1].id or 0, r[3])) for move, rows in result.items()}

    def assertCredited(self, move, expected):
        nobody, no_team = self.env["res.users"], self.env["crm.team"]
        expected = [(user or nobody, team or no_team, share, amount) for user, team, share, amount in expected]
        self.assertEqual(
            self._by_move()[move], sorted(expected, key=lambda r: (r[0].id or 0, r[1].id or 0, r[3])), move.name
        )


@tagged("post_install", "-at_install")
class TestCreditSplit(CreditSplitDataMixin, KeyAccountCase):
    def test_each_rule_as_computed_by_hand(self):
        self.assertCredited(self.default_invoice, [(self.ka_user, self.north, 100.0, 1000.0)])
        # 移交方 60%, 接取区域方 40%; the next deal is the new manager's; the refund of the first deal follows it
        self.assertCredited(
            self.first_deal, [(self.ka_user, self.north, 60.0, 1200.0), (self.ka_user_off, self.east, 40.0, 800.0)]
        )
        self.assertCredited(self.second_deal, [(self.ka_user_off, self.east, 100.0, 500.0)])
        self.assertCredited(
            self.refund, [(self.ka_user, self.north, 60.0, -180.0), (self.ka_user_off, self.east, 40.0, -120.0)]
        )
        # company 50% (no person, no team), the region of the customer invoiced 50%
        self.assertCredited(self.branch_invoice, [(None, None, 50.0, 2000.0), (None, self.east, 50.0, 2000.0)])
        self.assertCredited(self.group_invoice, [(None, None, 50.0, 500.0), (None, self.north, 50.0, 500.0)])
        # 工程部 70%, 业务代表 30%, line by line
        self.assertCredited(
            self.works_invoice, [(self.ka_user_off, self.east, 30.0, 900.0), (None, self.engineering, 70.0, 2100.0)]
        )
        self.assertCredited(
            self.mixed_invoice,
            [
                (self.ka_user_off, self.east, 30.0, 300.0),
                (self.ka_user_off, self.east, 100.0, 500.0),
                (None, self.engineering, 70.0, 700.0),
            ],
        )
        # the override comes first: the person (in their own team), the team, the company the rest
        self.assertCredited(
            self.override_invoice,
            [(None, None, 20.0, 200.0), (self.ka_user_off, self.east, 30.0, 300.0), (None, self.north, 50.0, 500.0)],
        )

    def test_kpi_by_specialist_and_team_adds_up_to_the_company(self):
        kpi = self.env["key.account.kpi"].with_user(self.ka_manager)
        domain = [("company_id", "=", self.company.id), ("month", "=", MARCH[0])]
        groups = {
            (user, team): amount
            for user, team, amount in kpi._read_group(domain, ["user_id", "team_id"], ["sales_actual:sum"])
            if amount
        }
        nobody, no_team = self.env["res.users"], self.env["crm.team"]
        self.assertEqual(
            groups,
            {
                (self.ka_user, self.north): 1000.0 + 1200.0 - 180.0,
                (self.ka_user_off, self.east): 800.0 + 500.0 - 120.0 + 900.0 + 300.0 + 500.0 + 300.0,
                (nobody, self.east): 2000.0,
                (nobody, self.north): 500.0 + 500.0,
                (nobody, self.engineering): 2100.0 + 700.0,
                (nobody, no_team): 2000.0 + 500.0 + 200.0,
            },
        )
        revenue = self.env["key.account.metrics"]._revenue_total(*MARCH)
        self.assertEqual(revenue, 13700.0)
        self.assertAlmostEqual(sum(groups.values()), revenue, places=2)
        by_team = dict(kpi._read_group(domain, ["team_id"], ["sales_actual:sum"]))
        self.assertEqual(by_team[self.north], 2020.0 + 1000.0)
        self.assertEqual(by_team[self.east], 3180.0 + 2000.0)
        # the specialists' own ratios leave the teams' and the company's credit out
        ratios = kpi._kpi_ratios(domain)
        self.assertEqual(set(ratios), {self.ka_user, self.ka_user_off})
        self.assertEqual(ratios[self.ka_user]["sales_actual"], 2020.0)

    def test_a_specialist_sees_their_own_credit_only(self):
        kpi = self.env["key.account.kpi"].with_user(self.ka_user)
        rows = kpi.search([("month", "=", MARCH[0])])
        self.assertEqual(rows.user_id, self.ka_user)
        self.assertEqual(sum(rows.mapped("sales_actual")), 2020.0)

    def test_target_reads_the_credit(self):
        target = self.env["key.account.target"].create(
            {"user_id": self.ka_user.id, "period_kind": "month", "date_from": MARCH[0], "sales_target": 4040.0}
        )
        self.assertEqual(target.sales_actual, 2020.0)
        self.assertEqual(target.sales_completion, 50.0)

    def test_an_account_period_override_and_rule_order(self):
        # an override of the account and period applies to every invoice of it but one overridden alone
        self.env["key.account.credit.override"].with_user(self.ka_director).create(
            {
                "partner_id": self.account.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "team_id": self.north.id,
                "team_share": 100.0,
                "reason": "Managed by the region while the specialist is on leave",
            }
        )
        self.assertCredited(self.default_invoice, [(None, self.north, 100.0, 1000.0)])
        self.assertCredited(
            self.override_invoice,
            [(None, None, 20.0, 200.0), (self.ka_user_off, self.east, 30.0, 300.0), (None, self.north, 50.0, 500.0)],
        )
        # the engineering rule before the multi-region one: the group's engineering lines go 70/30
        self.rules[2].sequence = 15
        works = self._post_lines(self.group, [(self.installation, 100.0)], date(2026, 3, 18))
        self.assertCredited(works, [(self.ka_user, self.north, 30.0, 30.0), (None, self.engineering, 70.0, 70.0)])
        self.rules[2].sequence = 30
        self.assertCredited(works, [(None, None, 50.0, 50.0), (None, self.north, 50.0, 50.0)])

    def test_override_needs_a_manager_and_a_reason(self):
        vals = {
            "partner_id": self.account.id,
            "move_id": self.default_invoice.id,
            "user_id": self.ka_user.id,
            "user_share": 100.0,
            "reason": "Mine",
        }
        Override = self.env["key.account.credit.override"]
        for role, user in self.roles_below_manager().items():
            with self.subTest(role=role), self.assertRaises(AccessError):
                Override.with_user(user).create(vals)
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.override.with_user(user).write({"user_share": 80.0})
        for reason in ("", "   "):
            with self.assertRefused(ValidationError, "Say why"):
                Override.with_user(self.ka_manager).create({**vals, "reason": reason})
        with self.assertRefused(ValidationError, "adding up to 100"):
            Override.with_user(self.ka_manager).create({**vals, "team_id": self.north.id, "team_share": 10.0})
        with self.assertRefused(ValidationError, "not one of the key account"):
            Override.with_user(self.ka_manager).create({**vals, "move_id": self.works_invoice.id})
        # another company's manager does not see it
        with self.assertRaises(AccessError):
            self.override.with_user(self.ka_manager_b).read(["reason"])
        # logged: every change tracked on the override
        self.override.with_user(self.ka_manager).with_context(tracking_disable=False).write({"user_share": 40.0})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.override.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "user_share"
        )
        self.assertEqual((tracked.old_value_float, tracked.new_value_float), (30.0, 40.0))
        self.assertEqual(self.override.sudo().create_uid, self.ka_manager)

    def test_rules_are_configured_by_managers(self):
        vals = {"name": "Another", "kind": "multi_region", "share": 50}
        for role, user in self.roles_below_manager().items():
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["key.account.credit.split.rule"].with_user(user).create(vals)
        self.assertEqual(self.rules.with_user(self.ka_user).mapped("share"), [60.0, 50.0, 70.0])
        self.env["key.account.credit.split.rule"].with_user(self.ka_manager).create(vals)
        with self.assertRefused(ValidationError, "credited team"):
            self.env["key.account.credit.split.rule"].with_user(self.ka_manager).create(
                {"name": "Engineering", "kind": "deal_kind", "share": 70}
            )
        with self.assertRefused(ValidationError, "from 0 to 100"):
            self.rules[0].share = 120

    def test_a_specialists_rows_split_only_the_lines_that_can_credit_them(self):
        """Rows kept to some specialists (a filter on them, or a KA User's record rule) put only
        the invoice lines that can credit them through the split (issue #25): for every
        specialist and month, the same figures as the split of every line — the default, the
        handover, the multi-region group and its branch, the deal kind, the override of an
        invoice (ka_user_off on Hengtai) and of an account's period naming a person who neither
        manages it nor handed it over (ka_user on Huaxin's March), a branch's invoice (Hengtai's in Jinan).
        """
        self.env["key.account.credit.override"].with_user(self.ka_director).create(
            {
                "partner_id": self.other_account.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "user_id": self.ka_user.id,
                "user_share": 100.0,
                "reason": "Won while the East specialist was on leave",
            }
        )
        huaxin = self._post_invoice(self.other_account, 400.0, date(2026, 3, 20))
        # a branch of Hengtai in its region: credited to Hengtai's manager
        jinan = self.env["res.partner"].create(
            {
                "name": "Hengtai Jinan Branch",
                "is_company": True,
                "key_account_headquarters_id": self.account.id,
                "key_account_group_relation": "branch",
                "key_account_region_id": self.north.id,
            }
        )
        branch_invoice = self._post_invoice(jinan, 250.0, date(2026, 3, 22))
        Kpi = self.env["key.account.kpi"]
        mine = [("company_id", "=", self.company.id)]
        everyone = Kpi._read_group(mine, ["user_id", "month:month"], ["sales_actual:sum"])
        specialists = [(user, month, amount) for user, month, amount in everyone if user]
        self.assertGreaterEqual(len(specialists), 2)
        for user, month, amount in specialists:
            queries = []
            with contextmanager(self._patchExecute)(queries):  # Odoo's own query capture (assertQueries)
                [(kept,)] = Kpi._read_group(
                    [*mine, ("user_id", "=", user.id), ("month", "=", month)], [], ["sales_actual:sum"]
                )
            self.assertTrue(any("key_account_handover_log" in query and "credited" in query for query in queries))
            self.assertAlmostEqual(kept, amount, places=2, msg=f"{user.name} in {month}")
        self.assertCredited(huaxin, [(self.ka_user, self.north, 100.0, 400.0)])
        self.assertCredited(branch_invoice, [(self.ka_user, self.north, 100.0, 250.0)])
        full = {user: amount for user, month, amount in specialists if month == MARCH[0]}
        own = Kpi.with_user(self.ka_user).search([("month", "=", MARCH[0])])
        self.assertEqual(own.user_id, self.ka_user)
        self.assertEqual(sum(own.mapped("sales_actual")), full[self.ka_user])
        pair = (self.ka_user | self.ka_user_off).ids
        both = dict(
            Kpi._read_group(
                [*mine, ("user_id", "in", pair), ("month", "=", MARCH[0])], ["user_id"], ["sales_actual:sum"]
            )
        )
        self.assertEqual(both, {self.ka_user: full[self.ka_user], self.ka_user_off: full[self.ka_user_off]})
