"""The account team (大客户服务小组, seed 000 §二), the group structure (集团客户: branches and
carriers, consolidated figures) and the buying roles (seed 001 §3.3.3 五) — SPEC §1, §2 — and
that a plain salesperson still works with such an account as in standard Odoo."""

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KeyAccountCase, KeyAccountDataMixin


class TeamCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Member = cls.env["key.account.team.member"]
        cls.StateLog = cls.env["key.account.state.log"]
        cls.archive = cls._archive(cls.account, legal_representative="Zhang Wei")
        cls.account.with_user(cls.ka_manager).action_set_cooperation_state("good", "Framework contract")

    def _sees_confidential(self, user, account=None):
        """Whether ``user`` reads the archive and the state history of the account."""
        account = account or self.account
        archives = self.env["key.account.archive"].with_user(user).search([("partner_id", "=", account.id)])
        logs = self.StateLog.with_user(user).search([("partner_id", "=", account.id)])
        self.assertEqual(bool(archives), bool(logs), "archive and state history go together")
        return bool(archives)


@tagged("post_install", "-at_install")
class TestTeamMembers(TeamCase):
    def test_member_gets_the_teams_access_and_loses_it_on_removal(self):
        self.assertFalse(self._sees_confidential(self.ka_user_off))
        member = self.Member.with_user(self.ka_manager).create(
            {
                "partner_id": self.account.id,
                "user_id": self.ka_user_off.id,
                "role": "liaison",
            }
        )
        self.assertEqual(self.account.key_account_team_user_ids, self.ka_user | self.ka_user_off)
        self.assertTrue(self._sees_confidential(self.ka_user_off))
        self.archive.with_user(self.ka_user_off).write({"bank_name": "ICBC Pudong"})
        self.assertEqual(self.archive.bank_name, "ICBC Pudong")
        self.account.with_user(self.ka_user_off).action_set_cooperation_state("good", "Monthly confirmation")
        member.with_user(self.ka_manager).unlink()
        self.assertEqual(self.account.key_account_team_user_ids, self.ka_user)
        self.assertFalse(self._sees_confidential(self.ka_user_off))
        with self.assertRaises(AccessError):
            self.archive.with_user(self.ka_user_off).read(["bank_name"])

    def test_team_through_the_partner_form(self):
        self.account.with_user(self.ka_manager).write(
            {
                "key_account_team_member_ids": [
                    Command.create({"user_id": self.ka_user_off.id, "role": "coordinator"})
                ],
            }
        )
        self.assertTrue(self._sees_confidential(self.ka_user_off))
        self.account.with_user(self.ka_director).write({"key_account_team_member_ids": [Command.clear()]})
        self.assertFalse(self._sees_confidential(self.ka_user_off))
        # changing the member's user moves the access
        member = self.Member.create({"partner_id": self.account.id, "user_id": self.ka_user_off.id})
        self.assertTrue(self._sees_confidential(self.ka_user_off))
        member.with_user(self.ka_manager).write({"user_id": self.plain_user.id})
        self.assertFalse(self._sees_confidential(self.ka_user_off))
        # the account manager's change too
        self.account.with_user(self.ka_manager).write({"key_account_manager_id": self.ka_user_off.id})
        self.assertTrue(self._sees_confidential(self.ka_user_off))
        self.assertFalse(self._sees_confidential(self.ka_user))

    def test_ka_users_read_the_team_but_do_not_change_it(self):
        member = self.Member.create({"partner_id": self.account.id, "user_id": self.ka_clerk.id, "role": "trainer"})
        for user in (self.ka_user, self.ka_user_off, self.ka_clerk):
            self.assertEqual(self.account.with_user(user).key_account_team_member_ids, member, user.login)
            with self.assertRaises(AccessError, msg=user.login):
                self.Member.with_user(user).create(
                    {"partner_id": self.account.id, "user_id": user.id, "role": "developer"}
                )
            with self.assertRaises(AccessError, msg=user.login):
                member.with_user(user).write({"role": "developer"})
            with self.assertRaises(AccessError, msg=user.login):
                member.with_user(user).unlink()
            with self.assertRefused(AccessError, "Only Key Account Managers"):
                self.account.with_user(user).write(
                    {
                        "key_account_team_member_ids": [Command.create({"user_id": user.id, "role": "developer"})],
                    }
                )
        self.assertEqual(self.account.key_account_team_member_ids, member)
        self.assertEqual(member.role, "trainer")

    def test_plain_user_sees_no_team(self):
        with self.assertRaises(AccessError):
            self.Member.with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_team_member_ids"])
        with self.assertRaises(AccessError):
            self.Member.with_user(self.plain_user).create(
                {"partner_id": self.account.id, "user_id": self.plain_user.id}
            )
        self.assertFalse(self.account.key_account_team_member_ids)

    def test_members_are_internal_users_once_per_role(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "ka_portal_t",
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRefused(ValidationError, "not an internal user"):
            self.Member.with_user(self.ka_manager).create({"partner_id": self.account.id, "user_id": portal.id})
        self.Member.with_user(self.ka_manager).create(
            {"partner_id": self.account.id, "user_id": self.ka_user_off.id, "role": "developer"}
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Member.with_user(self.ka_manager).create(
                {"partner_id": self.account.id, "user_id": self.ka_user_off.id, "role": "developer"}
            )
        self.Member.with_user(self.ka_manager).create(
            {"partner_id": self.account.id, "user_id": self.ka_user_off.id, "role": "trainer"}
        )
        self.assertEqual(sorted(self.account.key_account_team_member_ids.mapped("role")), ["developer", "trainer"])
        self.assertEqual(self.account.key_account_team_user_ids, self.ka_user | self.ka_user_off)

    def test_member_in_one_team_sees_nothing_of_another(self):
        self.Member.create({"partner_id": self.other_account.id, "user_id": self.ka_user.id, "role": "developer"})
        other_archive = self._archive(self.other_account)
        self.assertTrue(self._sees_confidential(self.ka_user, self.account))
        self.assertIn(other_archive, self.env["key.account.archive"].with_user(self.ka_user).search([]))
        self.assertFalse(self._sees_confidential(self.ka_user_off, self.account))


@tagged("post_install", "-at_install")
class TestGroupStructure(TeamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Shenzhen Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.carrier = cls.env["res.partner"].create(
            {
                "name": "Hengtai Logistics",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "carrier",
            }
        )

    def test_branches_and_carriers_listed_on_the_headquarters(self):
        account = self.account.with_user(self.ka_user_off)
        self.assertEqual(account.key_account_branch_ids, self.branch)
        self.assertEqual(account.key_account_carrier_ids, self.carrier)
        self.assertEqual(account.key_account_branch_names, "Hengtai Shenzhen Branch")

    def test_structure_constraints(self):
        manager = self.env["res.partner"].with_user(self.ka_manager)
        with self.assertRefused(ValidationError, "a headquarters is not itself a branch"):
            self.account.with_user(self.ka_manager).write(
                {"key_account_headquarters_id": self.account.id, "key_account_group_relation": "branch"}
            )
        with self.assertRefused(ValidationError, "a headquarters is not itself a branch"):
            manager.create(
                {
                    "name": "Sub-branch",
                    "is_company": True,
                    "key_account_headquarters_id": self.branch.id,
                    "key_account_group_relation": "branch",
                }
            )
        with self.assertRefused(ValidationError, "it is a contact or a headquarters itself"):
            self.contact.with_user(self.ka_manager).write(
                {"key_account_headquarters_id": self.other_account.id, "key_account_group_relation": "branch"}
            )
        with self.assertRefused(ValidationError, "it is a contact or a headquarters itself"):
            self.account.with_user(self.ka_manager).write(
                {"key_account_headquarters_id": self.other_account.id, "key_account_group_relation": "branch"}
            )
        self.assertFalse(self.account.key_account_headquarters_id)
        self.assertFalse(self.contact.key_account_headquarters_id)
        self.assertEqual(self.branch.key_account_headquarters_id, self.account)

    def test_who_links_branches(self):
        # the team of the headquarters links a company as its branch
        new_branch = self.env["res.partner"].create({"name": "Hengtai Wuhan Branch", "is_company": True})
        new_branch.with_user(self.ka_user).write(
            {"key_account_headquarters_id": self.account.id, "key_account_group_relation": "branch"}
        )
        self.assertEqual(self.account.key_account_branch_ids, self.branch | new_branch)
        # nobody else below manager, and a plain user not at all
        third = self.env["res.partner"].create({"name": "Hengtai Xi'an Branch", "is_company": True})
        for user in (self.ka_user_off, self.ka_clerk):
            with self.assertRefused(AccessError, "Only the account team of the branch or of its headquarters"):
                third.with_user(user).write(
                    {"key_account_headquarters_id": self.account.id, "key_account_group_relation": "branch"}
                )
            with self.assertRefused(AccessError, "Only the account team"):
                self.branch.with_user(user).write({"key_account_headquarters_id": False})
        with self.assertRaises(AccessError):
            third.with_user(self.plain_user).write({"key_account_headquarters_id": self.account.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.plain_user).create(
                {
                    "name": "Sneaky branch",
                    "is_company": True,
                    "key_account_headquarters_id": self.account.id,
                }
            )
        self.assertFalse(third.key_account_headquarters_id)
        self.assertEqual(self.branch.key_account_headquarters_id, self.account)
        # a KA Manager moves a branch anywhere
        self.branch.with_user(self.ka_manager).write({"key_account_headquarters_id": self.other_account.id})
        self.assertEqual(self.other_account.key_account_branch_ids, self.branch)

    def test_branch_revenue_consolidated_carrier_not(self):
        today = self._post_invoice(self.account, 1000.0).invoice_date
        self._post_invoice(self.account, 100.0, move_type="out_refund")
        self._post_invoice(self.branch, 500.0)
        self._post_invoice(self.carrier, 300.0)
        branch_contact = self.env["res.partner"].create({"name": "Branch buyer", "parent_id": self.branch.id})
        self._post_invoice(branch_contact, 50.0)
        # outside the 12 months or not posted: not counted
        self._post_invoice(self.branch, 7000.0, invoice_date=today.replace(year=today.year - 2))
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.account.id,
                "invoice_line_ids": [
                    Command.create({"name": "Draft", "quantity": 1, "price_unit": 9000.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        self.assertEqual(draft.state, "draft")

        account = self.account.with_user(self.ka_user)
        self.assertEqual(account.key_account_revenue_12m, 900.0)
        self.assertEqual(account.key_account_group_revenue_12m, 1450.0)
        self.assertEqual(account.key_account_currency_id, self.company.currency_id)
        branch = self.branch.with_user(self.ka_user)
        self.assertEqual(branch.key_account_revenue_12m, 550.0)
        carrier = self.carrier.with_user(self.ka_user)
        self.assertEqual(carrier.key_account_revenue_12m, 300.0)
        # a carrier turned branch is consolidated from then on
        self.carrier.with_user(self.ka_user).write({"key_account_group_relation": "branch"})
        self.account.invalidate_recordset()
        self.assertEqual(self.account.with_user(self.ka_user).key_account_group_revenue_12m, 1750.0)

    def test_revenue_fields_hidden_from_plain_users(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_group_revenue_12m"])
        with self.assertRaises(AccessError):
            self.branch.with_user(self.plain_user).read(["key_account_headquarters_id"])


@tagged("post_install", "-at_install")
class TestBuyingRoles(TeamCase):
    def _contact(self, name, role, parent=None):
        return self.env["res.partner"].create(
            {"name": name, "parent_id": (parent or self.account).id, "buying_role": role}
        )

    def _coverage(self, partner=None):
        partner = (partner or self.account).with_user(self.ka_user)
        partner.invalidate_recordset()
        return (
            [role for role in ("economic", "technical", "user", "payer", "coach") if partner[f"buying_role_{role}"]],
            partner.buying_role_coverage,
        )

    def test_coverage_of_the_five_roles(self):
        self.assertEqual(self._coverage(), ([], 0))
        chairman = self._contact("Chairman Wu", "economic")
        self._contact("Engineer Qian", "technical")
        self._contact("Second engineer", "technical")
        self.assertEqual(self._coverage(), (["economic", "technical"], 2))
        self._contact("Site manager", "user")
        self._contact("Purchasing clerk", "payer")
        self.contact.with_user(self.ka_user).write({"buying_role": "coach"})
        self.assertEqual(self._coverage(), (["economic", "technical", "user", "payer", "coach"], 5))
        chairman.active = False
        self.assertEqual(self._coverage(), (["technical", "user", "payer", "coach"], 4))
        # other accounts' contacts do not count
        self.assertEqual(self._coverage(self.other_account), ([], 0))

    def test_buying_role_rights(self):
        # the relationship map owns the roles: a KA User off the account's team may not set them
        # (issue #21 part B; this test required the opposite before)
        with self.assertRefused(AccessError, "buying roles of its people"):
            self.contact.with_user(self.ka_user_off).write({"buying_role": "technical"})
        with self.assertRefused(AccessError, "buying roles of its people"):
            self.env["res.partner"].with_user(self.ka_user_off).create(
                {"name": "Planted coach", "parent_id": self.account.id, "buying_role": "coach"}
            )
        self.assertFalse(self.contact.buying_role)
        self.assertFalse(self.env["key.account.relationship"].search([("contact_id", "=", self.contact.id)]))
        # the team does, and the map takes it
        self.contact.with_user(self.ka_user).write({"buying_role": "technical"})
        self.assertEqual(self.contact.buying_role, "technical")
        row = self.env["key.account.relationship"].search([("contact_id", "=", self.contact.id)])
        self.assertEqual(row.role_ids.mapped("code"), ["technical"])
        with self.assertRefused(AccessError, "buying roles of its people"):
            self.contact.with_user(self.ka_user_off).write({"buying_role": False})
        self.assertEqual(row.role_ids.mapped("code"), ["technical"])
        with self.assertRaises(AccessError):
            self.contact.with_user(self.plain_user).write({"buying_role": "economic"})
        with self.assertRaises(AccessError):
            self.contact.with_user(self.plain_user).read(["buying_role"])
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["buying_role_coverage"])
        self.assertEqual(self.contact.buying_role, "technical")
        # a plain user still edits the contact's ordinary fields
        self.contact.with_user(self.plain_user).write({"function": "Purchasing director"})
        self.assertEqual(self.contact.function, "Purchasing director")


@tagged("post_install", "-at_install")
class TestStandardFlowsWithTeams(TeamCase):
    """A key account with team members, branches, an archive and a state history is still an
    ordinary partner to a plain salesperson (SPEC §1: no restrictive rule on res.partner)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Member.create({"partner_id": cls.account.id, "user_id": cls.ka_user_off.id, "role": "liaison"})
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Shenzhen Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.env["res.partner"].create({"name": "Chairman Wu", "parent_id": cls.account.id, "buying_role": "economic"})

    def _form_fields(self, user):
        view = self.env["res.partner"].with_user(user).get_views([(False, "form")])
        return view["models"]["res.partner"]["fields"]

    def test_plain_user_reads_and_writes_the_partner_form(self):
        fields_seen = self._form_fields(self.plain_user)
        self.assertIn("key_account_tier_id", fields_seen)
        self.assertNotIn("key_account_team_member_ids", fields_seen)
        self.assertNotIn("key_account_branch_ids", fields_seen)
        for partner in (self.account, self.branch, self.contact):
            data = partner.with_user(self.plain_user).web_read({name: {} for name in fields_seen})
            self.assertEqual(data[0]["name"], partner.name)
        self.account.with_user(self.plain_user).write({"phone": "+86 755 8888 0000", "street": "Shennan Road 1"})
        self.branch.with_user(self.plain_user).write({"website": "https://hengtai.example.com"})
        self.assertEqual(self.account.phone, "+86 755 8888 0000")
        self.assertEqual(self.branch.website, "https://hengtai.example.com")
        results = self.env["res.partner"].with_user(self.plain_user).name_search("Hengtai")
        self.assertEqual({r[0] for r in results} >= {self.account.id, self.branch.id}, True)

    def test_ka_users_read_every_field_of_the_form(self):
        for user in (self.ka_user, self.ka_user_off, self.ka_clerk):
            fields_seen = self._form_fields(user)
            self.assertIn("key_account_team_member_ids", fields_seen)
            data = self.account.with_user(user).web_read({name: {} for name in fields_seen})
            self.assertEqual(data[0]["key_account_branch_ids"], self.branch.ids, user.login)

    def test_plain_user_sells_to_the_branch_and_messages_the_account(self):
        product = self.env["product.product"].create({"name": "Rebar 12 mm", "list_price": 10.0, "type": "consu"})
        order = (
            self.env["sale.order"]
            .with_user(self.plain_user)
            .create(
                {
                    "partner_id": self.branch.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 5})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        message = self.account.with_user(self.plain_user).message_post(body="Price list sent", message_type="comment")
        self.assertEqual(message.author_id, self.plain_user.partner_id)

    def test_partners_are_duplicated_as_in_standard_odoo(self):
        """“Duplicate” on any partner: an ordinary company, a key account, a branch."""
        ordinary = self.env["res.partner"].create({"name": "Ordinary Hardware Shop", "is_company": True})
        for user in (self.plain_user, self.ka_user_off, self.ka_clerk):
            copy = ordinary.with_user(user).copy()
            self.assertEqual(copy.name, "Ordinary Hardware Shop (copy)", user.login)
            copy = self.account.with_user(user).copy()
            self.assertFalse(copy.sudo().is_key_account)
            self.assertFalse(copy.sudo().key_account_team_member_ids)
            self.assertFalse(copy.sudo().key_account_code)
            copy = self.branch.with_user(user).copy()
            self.assertEqual(copy.name, "Hengtai Shenzhen Branch (copy)")
