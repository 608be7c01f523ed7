"""Client archive (客户档案, SPEC §1 and §3, seeds 001 §3.3.4 and 003 第十七、十九条): who reads and
edits it, access grants with their expiry, the access register (登记手续), export, and the
completeness computed from the required items."""

from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
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
class TestArchiveGrant(ArchiveCase):
    def test_grant_ends_at_midnight_of_the_requester(self):
        """A grant valid until D closes at midnight after D where the requester works: for a
        user in Shanghai that is 16:00 UTC on D, not 00:00 UTC on D+1 (eight hours later)."""
        self.ka_user_off.tz = "Asia/Shanghai"
        grant = self._request()
        grant.with_user(self.ka_manager).date_expiry = fields.Date.to_date("2031-03-10")
        self.assertEqual(grant.valid_until, fields.Datetime.to_datetime("2031-03-10 16:00:00"))
        self.ka_user_off.tz = "Europe/London"
        self.assertEqual(grant.valid_until, fields.Datetime.to_datetime("2031-03-11 00:00:00"))

    def test_request_grant_read(self):
        self.assertFalse(self._can_read(self.ka_user_off))
        grant = self._request()
        self.assertEqual(
            (grant.state, grant.user_id, grant.partner_id, grant.company_id),
            ("requested", self.ka_user_off, self.account, self.company),
        )
        self.assertEqual(grant.activity_ids.user_id, self.ka_manager)
        self.assertFalse(self._can_read(self.ka_user_off))
        grant.with_user(self.ka_manager).action_grant()
        self.assertEqual((grant.state, grant.decided_by_id), ("granted", self.ka_manager))
        self.assertTrue(grant.decided_date)
        self.assertFalse(grant.activity_ids)
        self.assertTrue(self._can_read(self.ka_user_off))
        archive = self.archive.with_user(self.ka_user_off)
        self.assertEqual(
            archive.person_ids.with_user(self.ka_user_off).read(["interests"])[0]["interests"], "Go, calligraphy"
        )
        self.assertEqual(
            archive.document_ids.with_user(self.ka_user_off).read(["name"])[0]["name"], "Supply agreement 2026"
        )
        # read only: the grant does not let them change the archive
        with self.assertRaises(AccessError):
            archive.write({"legal_representative": "Forged"})
        with self.assertRaises(AccessError):
            self.person.with_user(self.ka_user_off).write({"interests": "Forged"})
        self.assertEqual(self.archive.legal_representative, "Zhang Wei")
        # the grant opens this archive only
        third = self._archive(self._key_account("Third Account Ltd"), legal_representative="Zhou Min")
        self.assertFalse(self._can_read(self.ka_user_off, third))

    def test_request_only_for_oneself(self):
        for user in (self.ka_user_off, self.ka_clerk):
            with self.assertRefused(AccessError, "only request archive access for yourself"):
                self.Grant.with_user(user).create(
                    {
                        "archive_id": self.archive.id,
                        "reason": "For a colleague",
                        "user_id": self.ka_user.id,
                        "date_expiry": self.today + timedelta(days=3),
                    }
                )
            with self.assertRefused(AccessError, "only request archive access for yourself"):
                self.Grant.with_user(user).create(
                    {
                        "archive_id": self.archive.id,
                        "reason": "Self-service",
                        "state": "granted",
                        "date_expiry": self.today + timedelta(days=3),
                    }
                )
        with self.assertRaises(AccessError):
            self.Grant.with_user(self.plain_user).create({"archive_id": self.archive.id, "reason": "Curious"})
        self.assertFalse(self.Grant.search([("archive_id", "=", self.archive.id)]))

    def test_reason_required_and_expiry_not_in_the_past(self):
        for reason in ("", "   "):
            with self.assertRefused(ValidationError, "Say why"):
                self._request(reason=reason)
        with self.assertRefused(ValidationError, "cannot expire in the past"):
            self._request(days=-1)
        self.assertFalse(self.Grant.search([("archive_id", "=", self.archive.id)]))

    def test_non_managers_cannot_decide(self):
        grant = self._request()
        for user in (self.ka_user_off, self.ka_user, self.ka_clerk, self.plain_user):
            for action in ("action_grant", "action_refuse"):
                with self.assertRaises(AccessError, msg=f"{user.login} {action}"):
                    getattr(grant.with_user(user), action)()
            with self.assertRaises(AccessError, msg=user.login):
                grant.with_user(user).write({"state": "granted"})
        self.assertEqual(grant.state, "requested")
        self.assertFalse(grant.decided_by_id)
        self.assertFalse(self._can_read(self.ka_user_off))

    def test_requester_sees_own_requests_only(self):
        own = self._request()
        other = self._request(user=self.ka_clerk)
        self.assertEqual(self.Grant.with_user(self.ka_user_off).search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.ka_user_off).read(["reason"])
        self.assertEqual(
            self.Grant.with_user(self.ka_manager).search([("archive_id", "=", self.archive.id)]), own | other
        )
        self.assertFalse(self.Grant.with_user(self.ka_manager_b).search([("archive_id", "=", self.archive.id)]))

    def test_refuse_and_revoke(self):
        grant = self._request()
        grant.with_user(self.ka_manager).action_refuse()
        self.assertEqual(grant.state, "refused")
        self.assertFalse(self._can_read(self.ka_user_off))
        with self.assertRefused(UserError, "already decided"):
            grant.with_user(self.ka_manager).action_grant()
        self.assertEqual(grant.state, "refused")

        grant = self._granted()
        self.assertTrue(self._can_read(self.ka_user_off))
        with self.assertRaises(AccessError):
            grant.with_user(self.ka_clerk).action_revoke()
        grant.with_user(self.ka_director).action_revoke()
        self.assertEqual((grant.state, grant.decided_by_id), ("revoked", self.ka_director))
        self.assertFalse(self._can_read(self.ka_user_off))

    def test_expiry(self):
        """Valid until date_expiry inclusive; the day after, the user is denied. The grant is
        requested and granted three days ago (freezegun), valid until yesterday."""
        yesterday = self.today - timedelta(days=1)
        with freeze_time(self.today - timedelta(days=3)):
            expired = self._granted(date_expiry=yesterday)
        self.assertEqual((expired.state, expired.date_expiry), ("granted", yesterday))
        self.assertFalse(self._can_read(self.ka_user_off))
        self.assertFalse(self.archive.person_ids.with_user(self.ka_user_off).search([("id", "=", self.person.id)]))
        # a grant valid until today opens the archive today (the last day counts)
        last_day = self._granted(date_expiry=self.today)
        self.assertTrue(self._can_read(self.ka_user_off))
        # the cron closes the passed grant only, and a second run changes nothing
        self.Grant._cron_expire_grants()
        (expired | last_day).invalidate_recordset()
        self.assertEqual((expired.state, last_day.state), ("expired", "granted"))
        write_date = expired.write_date
        self.Grant._cron_expire_grants()
        (expired | last_day).invalidate_recordset()
        self.assertEqual((expired.state, expired.write_date, last_day.state), ("expired", write_date, "granted"))
        last_day.with_user(self.ka_manager).action_revoke()
        self.assertFalse(self._can_read(self.ka_user_off))
        with self.assertRefused(UserError, "already decided"):
            expired.with_user(self.ka_manager).action_revoke()

    def test_expiry_cron_touches_only_passed_grants(self):
        past = self._granted(days=1)
        current = self._granted(days=10)
        requested = self._request(user=self.ka_clerk, days=1)
        with freeze_time(self.today + timedelta(days=2)):
            cron = self.env.ref("key_account_mgmt.ir_cron_expire_archive_grants")
            cron.method_direct_trigger()
            (past | current | requested).invalidate_recordset()
            self.assertEqual((past.state, current.state, requested.state), ("expired", "granted", "requested"))
            self.assertTrue(self._can_read(self.ka_user_off))  # under the current grant
            write_date = past.write_date
            cron.method_direct_trigger()
            past.invalidate_recordset()
            self.assertEqual((past.state, past.write_date), ("expired", write_date))


@tagged("post_install", "-at_install")
class TestAccessRegister(ArchiveCase):
    def test_one_row_per_reader_archive_and_day(self):
        grant = self._granted(days=5)
        for _read in range(3):
            self.archive.with_user(self.ka_user_off).read(["legal_representative", "person_ids"])
        self.archive.with_user(self.ka_user_off).web_read({"credit_rating": {}})
        row = self._register(self.ka_user_off)
        self.assertEqual(len(row), 1)
        self.assertEqual(
            (row.grant_id, row.partner_id, row.company_id, row.date), (grant, self.account, self.company, self.today)
        )
        self.assertTrue(row.first_read)
        self.assertEqual(grant.sudo().access_log_ids, row)
        with freeze_time(self.today + timedelta(days=1)):
            self.archive.with_user(self.ka_user_off).read(["legal_representative"])
            self.archive.with_user(self.ka_user_off).read(["credit_rating"])
        rows = self._register(self.ka_user_off)
        self.assertEqual(rows.mapped("date"), [self.today, self.today + timedelta(days=1)])
        self.assertEqual(rows.grant_id, grant)

    def test_team_members_are_not_registered(self):
        self.archive.with_user(self.ka_user).read(["legal_representative"])
        self.env["key.account.team.member"].create(
            {"partner_id": self.account.id, "user_id": self.ka_user_off.id, "role": "liaison"}
        )
        self.archive.with_user(self.ka_user_off).read(["legal_representative"])
        self.assertFalse(self._register())

    def test_clerks_and_managers_off_the_team_are_registered(self):
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.archive.with_user(user).read(["legal_representative"])
            row = self._register(user)
            self.assertEqual(len(row), 1, user.login)
            self.assertFalse(row.grant_id)

    def test_denied_or_title_only_reads_are_not_registered(self):
        with self.assertRaises(AccessError):
            self.archive.with_user(self.ka_user_off).read(["legal_representative"])
        self.archive.with_user(self.ka_manager).read(["display_name"])
        self.Archive.with_user(self.ka_manager).search([("partner_id", "=", self.account.id)])
        self.assertFalse(self._register())

    def test_register_is_append_only(self):
        self.archive.with_user(self.ka_manager).read(["legal_representative"])
        row = self._register(self.ka_manager)
        Register = self.Register.with_user(self.ka_manager)
        self.assertEqual(Register.search([("archive_id", "=", self.archive.id)]), row)
        for user in (self.ka_manager, self.ka_director):
            with self.assertRaises(AccessError, msg=user.login):
                row.with_user(user).write({"user_id": self.ka_user.id})
            with self.assertRaises(AccessError, msg=user.login):
                row.with_user(user).unlink()
            with self.assertRaises(AccessError, msg=user.login):
                self.Register.with_user(user).create(
                    {
                        "archive_id": self.archive.id,
                        "partner_id": self.account.id,
                        "user_id": self.ka_user.id,
                        "date": self.today - timedelta(days=1),
                        "first_read": fields.Datetime.now(),
                    }
                )
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRaises(AccessError, msg=user.login):
                self.Register.with_user(user).search([])
        self.assertEqual(row.user_id, self.ka_manager)
        self.assertEqual(len(self._register()), 1)
        admin = self.env.ref("base.user_admin")
        row.with_user(admin).write({"date": self.today - timedelta(days=1)})
        self.assertEqual(row.date, self.today - timedelta(days=1))
        row.with_user(admin).unlink()
        self.assertFalse(row.exists())

    def test_other_company_register_invisible(self):
        self.partner_b.key_account_manager_id = False  # company B's manager reads off the team
        self.archive_b.with_user(self.ka_manager_b).read(["legal_representative"])
        self.archive.with_user(self.ka_manager).read(["legal_representative"])
        self.assertFalse(self.Register.with_user(self.ka_manager).search([("archive_id", "=", self.archive_b.id)]))
        self.assertEqual(self.Register.with_user(self.ka_manager_b).search([]).archive_id, self.archive_b)


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


@tagged("post_install", "-at_install")
class TestArchiveCompleteness(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Requirement = cls.env["key.account.archive.requirement"]
        cls.requirements = cls.Requirement.search([])

    def test_completeness_from_the_default_items(self):
        self.assertEqual(len(self.requirements), 10)
        archive = self._archive(self._key_account("Empty Archive Ltd"))
        self.assertEqual(archive.completeness, 0.0)
        self.assertIn("Legal representative", archive.missing_items)
        archive.with_user(self.ka_clerk).write({"legal_representative": "Chen Jie", "ownership": "state_owned"})
        self.assertEqual(archive.completeness, 20.0)
        self.assertNotIn("Legal representative", archive.missing_items)
        self.env["key.account.archive.document"].with_user(self.ka_clerk).create(
            {
                "archive_id": archive.id,
                "name": "Quality agreement",
                "document_type": "quality_agreement",
            }
        )
        self.assertEqual(archive.completeness, 30.0)
        self.env["key.account.archive.person"].with_user(self.ka_clerk).create(
            {"archive_id": archive.id, "name": "Chen Jie"}
        )
        self.assertEqual(archive.completeness, 40.0)
        # self.archive: legal representative, credit rating and the supply agreement
        self.assertEqual(self.archive.completeness, 40.0)

    def test_changing_the_items_recomputes(self):
        self.assertEqual(self.archive.completeness, 40.0)
        keep = self.requirements.filtered(lambda r: r.field_name in ("legal_representative", "founding_date"))
        (self.requirements - keep).with_user(self.ka_manager).write({"active": False})
        self.assertEqual(self.archive.completeness, 50.0)
        self.assertEqual(self.archive.missing_items, "Founding date")
        self.Requirement.with_user(self.ka_manager).create(
            {
                "name": "Certification form",
                "kind": "document",
                "document_type": "certification",
            }
        )
        self.assertAlmostEqual(self.archive.completeness, 100.0 / 3, places=2)
        keep.filtered(lambda r: r.field_name == "founding_date").with_user(self.ka_director).unlink()
        self.assertEqual(self.archive.completeness, 50.0)
        self.assertEqual(self.archive.missing_items, "Certification form")

    def test_items_managed_by_managers_only(self):
        requirement = self.requirements[0]
        for user in (self.ka_user, self.ka_clerk):
            self.assertEqual(self.Requirement.with_user(user).search([]), self.requirements)
            with self.assertRaises(AccessError, msg=user.login):
                requirement.with_user(user).write({"active": False})
            with self.assertRaises(AccessError, msg=user.login):
                self.Requirement.with_user(user).create(
                    {"name": "Tax ID", "kind": "document", "document_type": "other"}
                )
            with self.assertRaises(AccessError, msg=user.login):
                requirement.with_user(user).unlink()
        self.assertTrue(requirement.active)
        self.assertEqual(self.archive.completeness, 40.0)

    def test_item_needs_a_target(self):
        with self.assertRefused(ValidationError, "Choose a document type"):
            self.Requirement.with_user(self.ka_manager).create({"name": "Anything", "kind": "document"})
        with self.assertRefused(ValidationError, "Choose an archive field"):
            self.Requirement.with_user(self.ka_manager).create({"name": "Anything", "kind": "field"})
        with self.assertRefused(ValidationError, "Choose an archive field"):  # not one of the archive items
            self.Requirement.with_user(self.ka_manager).create({"name": "Number", "field_name": "name"})
        self.assertEqual(self.Requirement.search([]), self.requirements)

    def test_manager_adds_a_field_item(self):
        """Configuration belongs to KA Managers (group comment, SPEC §3 "configurable list")."""
        requirement = self.Requirement.with_user(self.ka_manager).create({"name": "Bank", "field_name": "bank_name"})
        self.assertEqual(requirement.field_name, "bank_name")
        self.assertIn(("bank_name", "Bank"), self.Requirement.with_user(self.ka_manager)._selection_field_name())
        self.assertAlmostEqual(self.archive.completeness, 400.0 / 11, places=2)

    def test_transactions_from_posted_invoices(self):
        self._post_invoice(self.account, 1000.0)
        self._post_invoice(self.account, 200.0, move_type="out_refund")
        self._post_invoice(self.other_account, 999.0)
        archive = self.archive.with_user(self.ka_user)
        self.assertEqual(archive.revenue_12m, 800.0)
        self.assertEqual(archive.revenue_this_year, 800.0)
        self.assertEqual(archive.invoice_count, 1)
        self.assertEqual(archive.last_invoice_date, self.today)
