"""Issue #16: no destruction of key accounts and their histories, and the trust boundary's
refusals over XML-RPC (a team field written, a key account deleted)."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase
from .test_trust_fields import TrustCase


@tagged("post_install", "-at_install")
class TestNoDestruction(TrustCase):
    def test_only_a_manager_deletes_a_key_account(self):
        for user in self.roles_below_manager().values():
            with self.assertRaises(AccessError, msg=user.login):
                self.account.with_user(user).unlink()
            with self.assertRaises(AccessError, msg=user.login):
                self.other_account.with_user(user).unlink()
        self.assertTrue(self.account.exists() and self.other_account.exists())
        fresh = self._key_account("Short-lived Key Account", self.ka_user)
        with self.assertRaises(AccessError):
            fresh.with_user(self.ka_user).unlink()
        fresh.with_user(self.ka_manager).unlink()
        self.assertFalse(fresh.exists())
        # partners that are no key accounts are deleted as in standard Odoo
        plain = self.env["res.partner"].create({"name": "Walk-in customer"})
        plain.with_user(self.plain_user).unlink()
        self.assertFalse(plain.exists())

    def test_history_is_never_deleted_with_its_account(self):
        logs = self.env["key.account.state.log"].search([("partner_id", "=", self.account.id)])
        self.assertTrue(logs)
        for user in (self.ka_manager, self.ka_director):
            with self.assertRefused(UserError, "archive the partner instead"):
                self.account.with_user(user).unlink()
        with self.assertRefused(UserError, "archive the partner instead"):
            self.account.unlink()
        self.assertTrue(self.account.exists() and self.archive.exists() and logs.exists() and self.visit.exists())
        # a former key account keeps its history too
        self.other_account.action_lose_key_account("price", "Cheaper rival")
        with self.assertRefused(UserError, "archive the partner instead"):
            self.other_account.with_user(self.ka_manager).unlink()
        # archiving is the way
        self.account.with_user(self.ka_manager).action_archive()
        self.assertFalse(self.account.active)

    def test_foreign_keys_restrict_not_cascade(self):
        self.env.cr.execute("""
            SELECT cl.relname, c.confdeltype
              FROM pg_constraint c
              JOIN pg_class cl ON cl.oid = c.conrelid
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
             WHERE c.contype = 'f' AND c.confrelid = 'res_partner'::regclass AND a.attname = 'partner_id'
               AND cl.relname IN ('key_account_archive', 'key_account_state_log', 'key_account_visit',
                                  'key_account_loss', 'key_account_policy', 'key_account_credit_log',
                                  'key_account_monthly_review', 'key_account_archive_access_log')
        """)
        rows = dict(self.env.cr.fetchall())
        self.assertEqual(len(rows), 8, rows)
        self.assertEqual(set(rows.values()), {"r"}, rows)

    def test_read_archive_is_kept(self):
        self.archive.with_user(self.ka_manager).read(["legal_representative"])
        self.assertTrue(self.env["key.account.archive.access.log"].search([("archive_id", "=", self.archive.id)]))
        with self.assertRefused(UserError, "register of these reads is kept"):
            self.archive.with_user(self.ka_manager).unlink()
        self.assertTrue(self.archive.exists())


@tagged("post_install", "-at_install")
class TestTrustFieldsXmlRpc(KeyAccountXmlRpcCase):
    """The refusals arrive over XML-RPC as access (4) or user (2) faults, never as a server error (1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,base.group_partner_manager,key_account_mgmt.group_ka_user"
        cls.intruder = new_test_user(cls.env, "rpc_intruder", groups=groups)
        cls.owner = new_test_user(cls.env, "rpc_owner", groups=groups)
        cls.manager = new_test_user(cls.env, "rpc_trust_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "RPC Guarded Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.owner.id,
            }
        )
        cls.archive = cls.env["key.account.archive"].create(
            {"partner_id": cls.account.id, "legal_representative": "Wang"}
        )

    def test_team_field_and_deletion_over_xmlrpc(self):
        fault = self._fault(
            self.intruder,
            "res.partner",
            "write",
            [self.account.id],
            {"key_account_team_user_ids": [(4, self.intruder.id)]},
        )
        self.assertEqual(fault.faultCode, 4, fault.faultString)
        fault = self._fault(self.intruder, "key.account.archive", "read", [self.archive.id], ["legal_representative"])
        self.assertEqual(fault.faultCode, 4, fault.faultString)
        fault = self._fault(self.intruder, "res.partner", "unlink", [self.account.id])
        self.assertEqual(fault.faultCode, 4, fault.faultString)
        fault = self._fault(self.manager, "res.partner", "unlink", [self.account.id])
        self.assertEqual(fault.faultCode, 2, fault.faultString)
        self.assertIn("archive the partner instead", fault.faultString)
        review_vals = {"partner_id": self.account.id, "commentary": "ok", "cooperation_state": "good", "state": "done"}
        fault = self._fault(self.owner, "key.account.monthly.review", "create", review_vals)
        self.assertIn(fault.faultCode, (2, 4), fault.faultString)
        self.assertNotIn(self.intruder, self.account.key_account_team_user_ids)
        self.assertTrue(self.account.exists())
        date = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        fault = self._fault(
            self.owner,
            "key.account.visit",
            "create",
            {
                "partner_id": self.account.id,
                "purpose": "x",
                "date_planned": date,
                "approved_date": date,
            },
        )
        self.assertEqual(fault.faultCode, 4, fault.faultString)
