"""Access grants to another team's client archive with their expiry, and the access register
(登记手续) of who read an archive (SPEC §1 and §3, seed 003 第十九条)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_archive import ArchiveCase


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
