"""Client archive (客户档案, SPEC §1 and §3, seeds 001 §3.3.4 and 003 第十七、十九条): who reads and
edits it and its key people and documents, and export. Access grants and the access register
(登记手续): test_archive_grant.py; completeness: test_archive_completeness.py."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KeyAccountCase, KeyAccountDataMixin


class ArchiveCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Archive = cls.env["key.account.archive"]
        cls.Grant = cls.env["key.account.archive.grant"]
        cls.Register = cls.env["key.account.archive.access.log"]
        cls.archive = cls._archive(cls.account, legal_representative="Zhang Wei", credit_rating="a")
        cls.person = cls.env["key.account.archive.person"].create(
            {
                "archive_id": cls.archive.id,
                "name": "Zhang Wei",
                "position": "Chairman",
                "interests": "Go, calligraphy",
            }
        )
        cls.document = cls.env["key.account.archive.document"].create(
            {
                "archive_id": cls.archive.id,
                "name": "Supply agreement 2026",
                "document_type": "supply_agreement",
            }
        )
        cls.other_archive = cls._archive(cls.other_account, legal_representative="Li Na")
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Company B Customer",
                "is_company": True,
                "company_id": cls.company_b.id,
                "is_key_account": True,
                "key_account_manager_id": cls.ka_manager_b.id,
            }
        )
        cls.archive_b = cls._archive(cls.partner_b, legal_representative="Wang Fang")
        cls.today = fields.Date.today()

    def _request(self, user=None, archive=None, days=7, reason="Joint offer with the Shanghai team", date_expiry=None):
        return self.Grant.with_user(user or self.ka_user_off).create(
            {
                "archive_id": (archive or self.archive).id,
                "reason": reason,
                "date_expiry": date_expiry or self.today + timedelta(days=days),
            }
        )

    def _granted(self, user=None, days=7, date_expiry=None):
        grant = self._request(user, days=days, date_expiry=date_expiry)
        grant.with_user(self.ka_manager).action_grant()
        return grant

    def _can_read(self, user, archive=None):
        archive = archive or self.archive
        found = bool(self.Archive.with_user(user).search([("id", "=", archive.id)]))
        try:
            archive.with_user(user).read(["legal_representative"])
            readable = True
        except AccessError:
            readable = False
        self.assertEqual(found, readable, "search and read must agree")
        return readable

    def _register(self, user=None, archive=None):
        domain = [("archive_id", "=", (archive or self.archive).id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.Register.search(domain, order="date, id")


@tagged("post_install", "-at_install")
class TestArchiveRights(ArchiveCase):
    def test_plain_user_has_no_access(self):
        for model in (
            "key.account.archive",
            "key.account.archive.person",
            "key.account.archive.document",
            "key.account.archive.grant",
            "key.account.archive.access.log",
            "key.account.archive.requirement",
        ):
            Model = self.env[model].with_user(self.plain_user)
            with self.assertRaises(AccessError, msg=model):
                Model.search([])
        with self.assertRaises(AccessError):
            self.archive.with_user(self.plain_user).read(["legal_representative"])
        with self.assertRaises(AccessError):
            self.Archive.with_user(self.plain_user).create({"partner_id": self._key_account("Plain's pick").id})
        with self.assertRaises(AccessError):
            self.archive.with_user(self.plain_user).write({"legal_representative": "Nobody"})
        with self.assertRaises(AccessError):
            self.archive.with_user(self.plain_user).unlink()
        with self.assertRaises(AccessError):
            self.person.with_user(self.plain_user).read(["birthday"])
        self.assertEqual(self.archive.legal_representative, "Zhang Wei")

    def test_team_ka_user_reads_and_edits_own_archive(self):
        archive = self.archive.with_user(self.ka_user)
        self.assertTrue(self._can_read(self.ka_user))
        self.assertEqual(archive.person_ids.interests, "Go, calligraphy")
        self.assertEqual(archive.document_ids, self.document)
        archive.write(
            {"bank_account": "6222 0000 1111", "person_ids": [(0, 0, {"name": "Sun Li", "position": "Buyer"})]}
        )
        self.assertEqual(self.archive.bank_account, "6222 0000 1111")
        self.assertEqual(len(self.archive.person_ids), 2)
        self.person.with_user(self.ka_user).write({"birthday": "1970-05-01"})
        self.document.with_user(self.ka_user).unlink()
        self.assertFalse(self.document.exists())
        with self.assertRaises(AccessError):
            archive.unlink()
        self.assertTrue(self.archive.exists())
        # a new key account of their own gets its archive from them
        new_account = self._key_account("Baosheng Cement", manager=self.ka_user)
        created = self.Archive.with_user(self.ka_user).create({"partner_id": new_account.id, "main_business": "Cement"})
        self.assertRegex(created.name, r"^ARC\d{5}$")
        self.assertEqual(created.archivist_id, self.ka_user)
        self.assertEqual(created.company_id, self.company)

    def test_ka_user_off_the_team_is_denied(self):
        self.assertFalse(self._can_read(self.ka_user_off))
        self.assertFalse(self._can_read(self.ka_user, self.other_archive))
        user = self.ka_user_off
        with self.assertRaises(AccessError):
            self.archive.with_user(user).write({"legal_representative": "Forged"})
        with self.assertRaises(AccessError):
            self.person.with_user(user).read(["interests"])
        with self.assertRaises(AccessError):
            self.document.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["key.account.archive.person"].with_user(user).create(
                {"archive_id": self.archive.id, "name": "Spy"}
            )
        with self.assertRaises(AccessError):
            self.Archive.with_user(self.ka_user).create({"partner_id": self._key_account("Not mine").id})
        self.assertEqual(self.archive.legal_representative, "Zhang Wei")
        self.assertEqual(self.archive.person_ids, self.person)
        self.assertFalse(self._register(user))

    def test_clerk_keeps_all_archives_but_deletes_none(self):
        self.assertTrue(self._can_read(self.ka_clerk))
        self.assertTrue(self._can_read(self.ka_clerk, self.other_archive))
        self.other_archive.with_user(self.ka_clerk).write({"founding_date": "1998-03-01", "ownership": "private"})
        self.assertEqual(self.other_archive.ownership, "private")
        self.env["key.account.archive.document"].with_user(self.ka_clerk).create(
            {
                "archive_id": self.other_archive.id,
                "name": "Quality agreement",
                "document_type": "quality_agreement",
            }
        )
        created = self.Archive.with_user(self.ka_clerk).create({"partner_id": self._key_account("Kunlun Glass").id})
        self.assertTrue(created.exists())
        with self.assertRaises(AccessError):
            self.other_archive.with_user(self.ka_clerk).unlink()
        self.assertTrue(self.other_archive.exists())

    def test_manager_and_director_do_everything(self):
        for user in (self.ka_manager, self.ka_director):
            self.assertTrue(self._can_read(user))
            archive = self.Archive.with_user(user).create(
                {"partner_id": self._key_account(f"Account of {user.login}").id}
            )
            archive.write({"credit_limit": 500000.0})
            self.assertEqual(archive.credit_limit, 500000.0)
            archive.unlink()
            self.assertFalse(archive.exists())

    def test_one_archive_per_account(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Archive.with_user(self.ka_manager).create({"partner_id": self.account.id})
        self.assertEqual(self.Archive.search_count([("partner_id", "=", self.account.id)]), 1)

    def test_other_company_archives_invisible(self):
        for user in (self.ka_manager, self.ka_director, self.ka_clerk):
            self.assertFalse(self._can_read(user, self.archive_b), user.login)
            with self.assertRaises(AccessError):
                self.archive_b.with_user(user).write({"legal_representative": "Forged"})
            self.assertFalse(
                self.env["key.account.archive.person"].with_user(user).search([("archive_id", "=", self.archive_b.id)])
            )
        self.assertTrue(self._can_read(self.ka_manager_b, self.archive_b))
        self.assertFalse(self._can_read(self.ka_manager_b))
        self.assertEqual(self.archive_b.company_id, self.company_b)
        self.assertEqual(self.archive_b.legal_representative, "Wang Fang")

    def test_open_archive_button(self):
        action = self.account.with_user(self.ka_user).action_open_key_account_archive()
        self.assertEqual((action["res_model"], action["res_id"]), ("key.account.archive", self.archive.id))
        action = self.account.with_user(self.ka_user_off).action_open_key_account_archive()
        self.assertEqual(action["res_model"], "key.account.archive.grant")
        self.assertEqual(action["context"]["default_archive_id"], self.archive.id)
        new_account = self._key_account("Tianyu Paper", manager=self.ka_user)
        action = new_account.with_user(self.ka_user).action_open_key_account_archive()
        self.assertEqual(action["context"]["default_partner_id"], new_account.id)
        self.assertNotIn("res_id", action)


@tagged("post_install", "-at_install")
class TestArchiveRightsMatrix(ArchiveCase):
    """Create, read, write, unlink per group on the archive's key people and documents, and on
    the access grants (SPEC §1)."""

    def _allowed(self, operation):
        """Run ``operation`` and undo it: True when done, False when refused with an AccessError."""
        try:
            with self.cr.savepoint() as savepoint:
                operation()
                self.env.flush_all()
                savepoint.close(rollback=True)
        except AccessError:
            return False
        return True

    def _crud(self, user, model, vals, record):
        """Which of create, read, write, unlink ``user`` may do, as "crwu" with "-" for a refusal."""
        field = "name" if "name" in record._fields else "decision_note"
        done = {
            "c": self._allowed(lambda: self.env[model].with_user(user).create(vals)),
            "r": self._allowed(lambda: record.with_user(user).read([field])),
            "w": self._allowed(lambda: record.with_user(user).write({field: "changed"})),
            "u": self._allowed(lambda: record.with_user(user).unlink()),
        }
        self.assertTrue(record.exists())
        return "".join(op if allowed else "-" for op, allowed in done.items())

    def test_key_people_and_documents(self):
        expected = {
            self.plain_user: "----",
            self.ka_user: "crwu",
            self.ka_user_off: "----",
            self.ka_clerk: "crwu",
            self.ka_manager: "crwu",
            self.ka_director: "crwu",
            self.ka_manager_b: "----",
        }
        for user, rights in expected.items():
            self.assertEqual(
                self._crud(
                    user, "key.account.archive.person", {"archive_id": self.archive.id, "name": "New"}, self.person
                ),
                rights,
                f"person {user.login}",
            )
            self.assertEqual(
                self._crud(
                    user, "key.account.archive.document", {"archive_id": self.archive.id, "name": "New"}, self.document
                ),
                rights,
                f"document {user.login}",
            )
        self.assertEqual((self.person.name, self.document.name), ("Zhang Wei", "Supply agreement 2026"))

    def test_grants(self):
        expected = {
            # KA users and clerks request for themselves and read their own requests only
            self.plain_user: "----",
            self.ka_user: "c---",
            self.ka_user_off: "cr--",
            self.ka_clerk: "c---",
            self.ka_manager: "crwu",
            self.ka_director: "crwu",
            self.ka_manager_b: "----",
        }
        grant = self._request(user=self.ka_user_off)
        vals = {"archive_id": self.other_archive.id, "reason": "Tender", "date_expiry": self.today + timedelta(days=1)}
        for user, rights in expected.items():
            self.assertEqual(self._crud(user, "key.account.archive.grant", vals, grant), rights, user.login)
        self.assertEqual((grant.state, grant.decision_note), ("requested", False))

    def test_manager_grants_on_behalf(self):
        grant = self.Grant.with_user(self.ka_manager).create(
            {
                "archive_id": self.archive.id,
                "user_id": self.ka_user_off.id,
                "reason": "Audit",
                "date_expiry": self.today + timedelta(days=1),
                "state": "granted",
            }
        )
        self.assertFalse(grant.activity_ids)
        self.assertTrue(self._can_read(self.ka_user_off))


@tagged("post_install", "-at_install")
class TestArchiveExport(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's own export right, so that what refuses below is the key-account rule
        export = cls.env.ref("base.group_allow_export")
        for user in (cls.ka_user, cls.ka_user_off, cls.ka_clerk, cls.ka_manager, cls.ka_director):
            user.groups_id = [(4, export.id)]

    def test_export_reserved_to_managers(self):
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Only Key Account Managers may export"):
                self.archive.with_user(user).export_data(["legal_representative", "person_ids/interests"])
            with self.assertRefused(AccessError, "Only Key Account Managers may export"):
                self.person.with_user(user).export_data(["name", "interests"])
        grant = self._granted()
        with self.assertRefused(AccessError, "Only Key Account Managers may export"):
            self.archive.with_user(self.ka_user_off).export_data(["legal_representative"])
        with self.assertRefused(AccessError, "Only Key Account Managers may export"):
            grant.with_user(self.ka_user_off).export_data(["reason"])
        for user in (self.ka_manager, self.ka_director):
            data = self.archive.with_user(user).export_data(["legal_representative", "credit_rating"])["datas"]
            self.assertEqual(data, [["Zhang Wei", "A"]])
        self.assertEqual(
            self.person.with_user(self.ka_manager).export_data(["interests"])["datas"], [["Go, calligraphy"]]
        )
