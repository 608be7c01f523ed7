"""The relationship map of a key account (issue #21, part A; seed 001 §3.3.3 二.5 六类人, §3.2.2 二;
seed 000 二.2): its people and those of its branches, whom they report to, their buying roles,
influence, attitude, relationship and owner, their last contact from visits, receptions,
meetings and messages; the contact's buying role mirrored both ways; the coverage of the
roles read from the map; the map as the form draws it; and the rights of each role on it.
``RelationshipCase`` is the fixture of test_relationship_signals.py too."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KeyAccountCase, KeyAccountDataMixin

ROLES = ("economic", "technical", "user", "payer", "coach", "procurement")


class RelationshipCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Relationship = cls.env["key.account.relationship"]
        cls.Signal = cls.env["key.account.relationship.signal"]
        cls.role = {code: cls.env.ref(f"key_account_mgmt.buying_role_{code}") for code in ROLES}
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Jiangsu Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.chairman = cls._person("Zhou Jianguo", "Chairman")
        cls.engineer = cls._person("Qian Hao", "Chief Engineer")
        cls.branch_buyer = cls._person("Liang Bin", "Branch Purchasing Manager", cls.branch)

    @classmethod
    def _person(cls, name, function, company=None, **vals):
        return cls.env["res.partner"].create(
            {"name": name, "function": function, "parent_id": (company or cls.account).id, **vals}
        )

    @classmethod
    def _entry(cls, contact, roles=(), account=None, user=None, **vals):
        """The map's entry of ``contact`` (created as ``user``, the superuser by default)."""
        Relationship = cls.Relationship.with_user(user) if user else cls.Relationship
        return Relationship.create(
            {
                "partner_id": (account or cls.account).id,
                "contact_id": contact.id,
                "role_ids": [Command.set([cls.role[code].id for code in roles])],
                **vals,
            }
        )

    def _row(self, contact, account=None):
        return self.Relationship.search(
            [("contact_id", "=", contact.id), ("partner_id", "=", (account or self.account).id)]
        )

    def _roles(self, row):
        return set(row.role_ids.mapped("code"))

    def _reported_visit(self, contacts, when, model="key.account.visit", **vals):
        """A visit (or reception) reported on ``when``, as its actions leave it (superuser)."""
        return self.env[model].create(
            {
                "partner_id": self.account.id,
                "purpose": "Framework agreement",
                "date_planned": when,
                "date_done": when,
                "state": "done",
                "contact_ids": [Command.set(contacts.ids)],
                "talking_points": "Framework agreement 2027",
                "customer_needs": "Shorter lead times",
                "outcome": "success",
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestBuyingRolesFromTheMap(RelationshipCase):
    def test_contact_buying_role_puts_the_person_on_the_map(self):
        self.chairman.with_user(self.ka_user).write({"buying_role": "economic"})
        row = self._row(self.chairman)
        self.assertEqual(self._roles(row), {"economic"})
        self.assertEqual(row.user_id, self.ka_user, "the account manager owns the entry the buying role made")
        # a person of a branch goes on the group's map
        self.branch_buyer.with_user(self.ka_user).write({"buying_role": "payer"})
        self.assertEqual(self._roles(self._row(self.branch_buyer)), {"payer"})
        self.assertEqual(self._row(self.branch_buyer, self.branch), self.Relationship)
        # the role replaces the one before, other roles of the map stay
        row.role_ids |= self.role["procurement"]
        self.chairman.write({"buying_role": "technical"})
        self.assertEqual(self._roles(row), {"technical", "procurement"})
        self.chairman.write({"buying_role": False})
        self.assertEqual(self._roles(row), {"procurement"})
        self.assertEqual(self.chairman.buying_role, "procurement", "the first role left on the map")
        # no map for a company that is no key account: the role stays on the contact
        walk_in = self.env["res.partner"].create({"name": "Walk-in Builder", "is_company": True})
        clerk = self._person("Li Ming", "Clerk", walk_in, buying_role="user")
        self.assertEqual(clerk.buying_role, "user")
        self.assertFalse(self.Relationship.search([("contact_id", "=", clerk.id)]))
        # … until it becomes one
        walk_in.write({"is_key_account": True, "key_account_manager_id": self.ka_user.id})
        self.assertEqual(self._roles(self._row(clerk, walk_in)), {"user"})

    def test_map_roles_are_the_contacts_buying_role(self):
        row = self._entry(self.engineer, ["coach", "technical"], user=self.ka_user)
        self.assertEqual(self.engineer.buying_role, "technical", "the first role in the order of seed 001")
        row.with_user(self.ka_user).write({"role_ids": [Command.unlink(self.role["technical"].id)]})
        self.assertEqual(self.engineer.buying_role, "coach")
        row.with_user(self.ka_user).write({"role_ids": [Command.set([self.role["procurement"].id])]})
        self.assertEqual(self.engineer.buying_role, "procurement")
        row.with_user(self.ka_user).unlink()
        self.assertFalse(self.engineer.buying_role, "off the map, no role")

    def test_coverage_counts_the_people_in_place_on_the_map(self):
        account = self.account.with_user(self.ka_user_off)  # every KA User reads the coverage, as before
        self._entry(self.chairman, ["economic", "coach"])
        self._entry(self.branch_buyer, ["payer", "procurement"])
        account.invalidate_recordset()
        self.assertEqual(account.buying_role_coverage, 3, "economic, coach and payer of the branch")
        self.assertTrue(account.buying_role_economic and account.buying_role_coach and account.buying_role_payer)
        self.assertTrue(account.buying_role_procurement)
        self.assertFalse(account.buying_role_technical or account.buying_role_user)
        # gone: archived, or moved out of the group
        self.chairman.action_archive()
        other_company = self.env["res.partner"].create({"name": "Rival Steel", "is_company": True})
        self.branch_buyer.parent_id = other_company
        account.invalidate_recordset()
        self.assertEqual(account.buying_role_coverage, 0)
        self.assertFalse(account.buying_role_procurement)


@tagged("post_install", "-at_install")
class TestMapEntries(RelationshipCase):
    def test_only_people_of_the_account_and_its_branches(self):
        rival = self.env["res.partner"].create({"name": "Rival Steel", "is_company": True})
        stranger = self._person("Wu Di", "Buyer", rival)
        for contact in (stranger, self.branch, self.account):
            with self.assertRaises(ValidationError, msg=contact.name):
                self._entry(contact, user=self.ka_user)
        walk_in = self.env["res.partner"].create({"name": "Walk-in Builder", "is_company": True})
        with self.assertRaises(ValidationError):
            self._entry(self._person("Li Ming", "Clerk", walk_in), account=walk_in)
        self._entry(self.branch_buyer, user=self.ka_user)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._entry(self.branch_buyer)

    def test_reports_to_within_the_map_without_cycles(self):
        chairman = self._entry(self.chairman, ["economic"], user=self.ka_user)
        engineer = self._entry(self.engineer, ["technical"], user=self.ka_user, parent_id=chairman.id)
        buyer = self._entry(self.branch_buyer, ["payer"], user=self.ka_user, parent_id=engineer.id)
        self.assertEqual(chairman.child_ids, engineer)
        with self.assertRaises(ValidationError):
            chairman.with_user(self.ka_user).parent_id = buyer
        other_contact = self._person("Huang Min", "General Manager", self.other_account)
        other = self._entry(other_contact, account=self.other_account)
        with self.assertRaises(UserError):
            buyer.with_user(self.ka_user).parent_id = other
        with self.assertRaises(ValidationError):
            buyer.parent_id = other
        self.assertEqual(buyer.parent_id, engineer)

    def test_the_title_on_the_map_is_the_actions(self):
        row = self._entry(self.engineer, ["technical"], user=self.ka_user, attitude="champion")
        self.assertEqual(row.known_function, "Chief Engineer")
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaises(AccessError):
                row.with_user(user).write({"known_function": "Chairman"})
        self.engineer.function = "Deputy General Manager"
        self.assertEqual((row.known_function, row.left_reason), ("Chief Engineer", "title"))
        row.with_user(self.ka_user).action_title_checked()
        self.assertEqual((row.known_function, row.left_reason), ("Deputy General Manager", False))
        with self.assertRaises(AccessError):
            row.with_user(self.ka_user_off).action_title_checked()

    def test_last_contact_from_visits_receptions_meetings_and_messages(self):
        now = fields.Datetime.now()
        row = self._entry(self.chairman, ["economic"])
        self.assertEqual((row.last_contact_date, row.last_met_date, row.last_contact_kind), (False, False, False))
        self._reported_visit(self.chairman, now - timedelta(days=40))
        row.invalidate_recordset()
        self.assertEqual(row.last_met_date, (now - timedelta(days=40)).date())
        self.assertEqual(row.last_contact_kind, "visit")
        # a plan not reported yet is no contact
        self.env["key.account.visit"].create(
            {"partner_id": self.account.id, "purpose": "Plan", "date_planned": now, "contact_ids": self.chairman.ids}
        )
        reception = self._reported_visit(
            self.env["res.partner"], now - timedelta(days=30), model="key.account.reception"
        )
        self.env["key.account.reception.visitor"].create({"reception_id": reception.id, "contact_id": self.chairman.id})
        row.invalidate_recordset()
        self.assertEqual((row.last_met_date, row.last_contact_kind), ((now - timedelta(days=30)).date(), "reception"))
        # a meeting that has begun counts, one to come does not
        for days in (-20, 5):
            self.env["calendar.event"].create(
                {
                    "name": "Dinner",
                    "start": now + timedelta(days=days),
                    "stop": now + timedelta(days=days, hours=2),
                    "partner_ids": [Command.set(self.chairman.ids)],
                }
            )
        row.invalidate_recordset()
        self.assertEqual((row.last_met_date, row.last_contact_kind), ((now - timedelta(days=20)).date(), "meeting"))
        # a message: a contact, not a meeting
        self.account.message_post(
            body="Offer attached",
            partner_ids=self.chairman.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        row.invalidate_recordset()
        self.assertEqual(row.last_contact_date, fields.Date.context_today(row))
        self.assertEqual((row.last_met_date, row.last_contact_kind), ((now - timedelta(days=20)).date(), "message"))
        summary = self.env["key.account.activity.metrics"]._last_contact_summary([self.engineer.id])
        self.assertEqual(summary, {})

    def test_personnel_news_names_the_people(self):
        row = self._entry(self.branch_buyer, ["payer"])
        news = (
            self.env["key.account.news"]
            .with_user(self.plain_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "name": "Liang Bin moves to the Anhui branch",
                    "news_type": "personnel",
                    "contact_ids": [Command.set(self.branch_buyer.ids)],
                }
            )
        )
        self.assertEqual(news.account_family_ids, self.account | self.branch)
        row.invalidate_recordset()
        self.assertEqual(row.with_user(self.ka_user).news_ids, news)


@tagged("post_install", "-at_install")
class TestMapRights(RelationshipCase):
    """Confidential like the archive: the account team, the clerks, managers and directors of its
    company; never someone off the team, of another company, or a plain salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chairman_row = cls._entry(
            cls.chairman, ["economic"], influence="high", attitude="opponent", note="Prefers Jinlong"
        )
        cls.engineer_row = cls._entry(cls.engineer, ["technical"], parent_id=cls.chairman_row.id, attitude="champion")

    def test_each_role_reads_and_writes_what_the_archive_allows(self):
        for user, reads, writes in (
            (self.ka_user, True, True),
            (self.ka_clerk, True, True),
            (self.ka_manager, True, True),
            (self.ka_director, True, True),
            (self.ka_user_off, False, False),
        ):
            rows = self.Relationship.with_user(user).search([("partner_id", "=", self.account.id)])
            self.assertEqual(bool(rows), reads, user.login)
            if not reads:
                with self.assertRaises(AccessError, msg=user.login):
                    self.chairman_row.with_user(user).read(["influence"])
                with self.assertRaises(AccessError, msg=user.login):
                    self.chairman_row.with_user(user).write({"attitude": "supporter"})
                with self.assertRaises(AccessError, msg=user.login):
                    self._entry(self._person(f"New {user.login}", "Buyer"), user=user)
            elif writes:
                self.chairman_row.with_user(user).write({"strength": "good"})
        with self.assertRaises(AccessError):
            self.Relationship.with_user(self.plain_user).search([])
        # another company's manager reads none of this company's map
        self.assertFalse(self.Relationship.with_user(self.ka_manager_b).search([("partner_id", "=", self.account.id)]))
        self.assertEqual(self.chairman_row.attitude, "opponent")

    def test_off_team_user_sees_names_not_influence_attitude_or_notes(self):
        account = self.account.with_user(self.ka_user_off)
        data = account.key_account_relationship_map
        self.assertFalse(data["readable"] or data["editable"])
        self.assertEqual({p["name"] for p in data["people"]}, {"Sun Li", "Zhou Jianguo", "Qian Hao", "Liang Bin"})
        for person in data["people"]:
            self.assertFalse(
                person["relationship_id"] or person["influence"] or person["attitude"] or person["parent_key"]
            )
        self.assertNotIn("Prefers Jinlong", str(data))
        self.assertFalse(data["signals"])
        # the team sees the map
        data = self.account.with_user(self.ka_user).key_account_relationship_map
        self.assertTrue(data["readable"] and data["editable"])
        chairman = next(p for p in data["people"] if p["contact_id"] == self.chairman.id)
        engineer = next(p for p in data["people"] if p["contact_id"] == self.engineer.id)
        self.assertEqual((chairman["influence"], chairman["attitude"]), ("high", "opponent"))
        self.assertEqual(engineer["parent_key"], chairman["key"])
        self.assertTrue(chairman["decider"])
        branch = next(p for p in data["people"] if p["contact_id"] == self.branch_buyer.id)
        self.assertEqual((branch["relationship_id"], branch["company"]), (False, "Hengtai Jiangsu Branch"))
        covered = {role["id"] for role in data["roles"] if role["covered"]}
        self.assertEqual(covered, {self.role["economic"].id, self.role["technical"].id})
        # a clerk reads and edits it like the archive; a plain salesperson not at all
        self.assertTrue(self.account.with_user(self.ka_clerk).key_account_relationship_map["editable"])
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_relationship_map"])

    def test_a_row_does_not_move_to_another_account(self):
        other_person = self._person("Huang Min", "General Manager", self.other_account)
        with self.assertRaises(UserError):
            self.chairman_row.with_user(self.ka_user).write({"partner_id": self.other_account.id})
        with self.assertRaises(UserError):
            self._entry(other_person, account=self.other_account, user=self.ka_user)
        self.assertEqual(self.chairman_row.partner_id, self.account)

    def test_deleting_a_person_on_a_map_is_refused(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.chairman.with_user(self.plain_user).unlink()
        self.assertTrue(self.chairman.exists())
        self.chairman.with_user(self.plain_user).action_archive()
        self.assertFalse(self.chairman.active)

    def test_search_by_a_confidential_field_only_for_who_reads_it(self):
        found = self.Relationship.with_user(self.ka_user).search([("attitude", "=", "opponent")])
        self.assertEqual(found, self.chairman_row)
        self.assertFalse(self.Relationship.with_user(self.ka_user_off).search([("attitude", "=", "opponent")]))
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.ka_user_off)
            .search([("key_account_relationship_ids.attitude", "=", "opponent")])
        )
