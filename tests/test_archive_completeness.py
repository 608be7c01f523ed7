"""The client archive's completeness, computed from the required items (SPEC §3, seed 003
第十七条)."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_archive import ArchiveCase


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
