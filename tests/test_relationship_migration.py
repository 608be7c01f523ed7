"""migrations/18.0.1.9.0/post-relationship_map.py (issue #21): the people with a buying role, as
18.0.1.8.0 left them (a role on the contact, no map), come onto the map of their key account."""

from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

LEGACY = {"key_account_buying_role_sync": True}  # writes the contact's role alone, as 18.0.1.8.0 did


@tagged("post_install", "-at_install")
class TestRelationshipMapMigration(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def _migration(cls):
        import importlib.util
        from pathlib import Path

        import odoo.addons.key_account_mgmt as module

        path = Path(module.__file__).parent / "migrations" / "18.0.1.9.0" / "post-relationship_map.py"
        spec = importlib.util.spec_from_file_location("kam_post_relationship_map", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        return migration

    def test_people_with_a_buying_role_come_onto_the_map(self):
        Partner = self.env["res.partner"].with_context(**LEGACY)
        branch = Partner.create(
            {
                "name": "Hengtai Jiangsu Branch",
                "is_company": True,
                "key_account_headquarters_id": self.account.id,
                "key_account_group_relation": "branch",
            }
        )
        chairman = Partner.create({"name": "Zhou Jianguo", "parent_id": self.account.id, "buying_role": "economic"})
        buyer = Partner.create({"name": "Liang Bin", "parent_id": branch.id, "buying_role": "payer"})
        retired = Partner.create({"name": "Old Coach", "parent_id": self.account.id, "buying_role": "coach"})
        retired.action_archive()
        walk_in = Partner.create({"name": "Walk-in Builder", "is_company": True})
        outsider = Partner.create({"name": "Li Ming", "parent_id": walk_in.id, "buying_role": "user"})
        Relationship = self.env["key.account.relationship"]
        self.assertFalse(Relationship.search([("partner_id", "=", self.account.id)]), "18.0.1.8.0 had no map")
        self.assertEqual(self.account.buying_role_coverage, 0)

        self._migration().migrate(self.env.cr, "18.0.1.8.0")
        rows = Relationship.search([("partner_id", "=", self.account.id)])
        self.assertEqual(
            {(row.contact_id, row.role_ids.code) for row in rows},
            {(chairman, "economic"), (buyer, "payer"), (retired, "coach")},
        )
        self.assertEqual(set(rows.user_id), {self.ka_user}, "the account manager keeps the entries")
        self.assertFalse(Relationship.search([("contact_id", "=", outsider.id)]), "no key account, no map")
        self.assertEqual((chairman.buying_role, buyer.buying_role, outsider.buying_role), ("economic", "payer", "user"))
        self.account.invalidate_recordset()
        self.assertEqual(self.account.buying_role_coverage, 2, "economic and payer; the coach is archived")
        # idempotent
        self._migration().migrate(self.env.cr, "18.0.1.8.0")
        self.assertEqual(Relationship.search([("partner_id", "=", self.account.id)]), rows)
