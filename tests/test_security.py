"""Rights of every group on the configuration models and the key-account partner fields
(SPEC §1): each one allowed and denied."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestGroups(KeyAccountCase):
    def test_group_chain(self):
        """Each group implies the one before: director > manager > clerk > user."""
        self.assertTrue(self.ka_director.has_group("key_account_mgmt.group_ka_manager"))
        self.assertTrue(self.ka_manager.has_group("key_account_mgmt.group_ka_clerk"))
        self.assertTrue(self.ka_clerk.has_group("key_account_mgmt.group_ka_user"))
        self.assertFalse(self.ka_manager.has_group("key_account_mgmt.group_ka_director"))
        self.assertFalse(self.ka_clerk.has_group("key_account_mgmt.group_ka_manager"))
        self.assertFalse(self.ka_user.has_group("key_account_mgmt.group_ka_clerk"))
        self.assertFalse(self.plain_user.has_group("key_account_mgmt.group_ka_user"))

    def test_menu_visibility(self):
        root = self.env.ref("key_account_mgmt.key_account_menu_root")
        config = self.env.ref("key_account_mgmt.key_account_menu_config")
        for user, sees_root, sees_config in [
            (self.plain_user, False, False),
            (self.ka_user, True, False),
            (self.ka_clerk, True, False),
            (self.ka_manager, True, True),
            (self.ka_director, True, True),
        ]:
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual(root.id in visible, sees_root, user.login)
            self.assertEqual(config.id in visible, sees_config, user.login)


@tagged("post_install", "-at_install")
class TestTierRights(KeyAccountCase):
    def test_everyone_internal_reads_tiers(self):
        for role, user in {**self.roles_below_manager(), **self.roles_manager_and_up()}.items():
            tiers = self.env["key.account.tier"].with_user(user).search([])
            self.assertIn(self.tier_strategic, tiers, role)
            self.assertEqual(tiers.with_user(user).mapped("name")[:1], ["Strategic"], role)

    def test_below_manager_cannot_change_tiers(self):
        for role, user in self.roles_below_manager().items():
            Tier = self.env["key.account.tier"].with_user(user)
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    Tier.create({"name": f"Tier of {role}"})
                with self.assertRaises(AccessError):
                    self.tier_normal.with_user(user).write({"visit_frequency_days": 10})
                with self.assertRaises(AccessError):
                    self.tier_normal.with_user(user).unlink()
        self.assertEqual(self.tier_normal.visit_frequency_days, 90)

    def test_manager_and_director_manage_tiers(self):
        for role, user in self.roles_manager_and_up().items():
            tier = (
                self.env["key.account.tier"]
                .with_user(user)
                .create(
                    {
                        "name": f"Platinum {role}",
                        "min_sales_share": 10,
                        "sla_reply_hours": 0.25,
                        "sla_respond_hours": 0.5,
                        "sla_resolve_hours": 1,
                        "visit_frequency_days": 14,
                    }
                )
            )
            tier.write({"visit_frequency_days": 21})
            self.assertEqual(tier.visit_frequency_days, 21)
            tier.unlink()
            self.assertFalse(tier.exists())

    def test_other_company_tier_invisible(self):
        tier_b = self.env["key.account.tier"].create({"name": "Company B only", "company_id": self.company_b.id})
        self.assertNotIn(tier_b, self.env["key.account.tier"].with_user(self.ka_manager).search([]))
        self.assertIn(tier_b, self.env["key.account.tier"].with_user(self.ka_manager_b).search([]))
        with self.assertRaises(AccessError):
            tier_b.with_user(self.ka_manager).read(["name"])

    def test_tier_in_use_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "still given to"):
            self.tier_strategic.with_user(self.ka_manager).unlink()
        self.assertTrue(self.tier_strategic.exists())


@tagged("post_install", "-at_install")
class TestTierValidation(KeyAccountCase):
    def _tier(self, **vals):
        return self.env["key.account.tier"].with_user(self.ka_manager).create({"name": "Bad tier", **vals})

    def test_share_out_of_range(self):
        with self.assertRefused(ValidationError, "between 0 and 100"):
            self._tier(min_sales_share=120)
        with self.assertRefused(ValidationError, "between 0 and 100"):
            self._tier(min_score=-1)

    def test_sla_order_and_sign(self):
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._tier(sla_reply_hours=-1)
        with self.assertRefused(ValidationError, "replying cannot take longer"):
            self._tier(sla_reply_hours=5, sla_respond_hours=1, sla_resolve_hours=2)

    def test_visit_frequency_positive(self):
        with self.assertRefused(ValidationError, "positive number of days"):
            self._tier(visit_frequency_days=0)
        self.assertFalse(self.env["key.account.tier"].search([("name", "=", "Bad tier")]))

    def test_default_tiers_follow_the_seeds(self):
        self.assertEqual(
            [
                (t.min_sales_share, t.sla_reply_hours, t.sla_respond_hours, t.sla_resolve_hours)
                for t in (self.tier_strategic, self.tier_key, self.tier_normal)
            ],
            [(5, 0.5, 1, 2), (1, 1, 4, 8), (0, 24, 48, 72)],
        )


@tagged("post_install", "-at_install")
class TestCategoryRights(KeyAccountCase):
    def test_plain_user_reads_categories_to_nominate(self):
        """Nominations name categories (SPEC §2): every internal user reads them, none changes
        them; a partner's categories stay hidden from plain users (field groups)."""
        Category = self.env["key.account.category"].with_user(self.plain_user)
        self.assertGreaterEqual(Category.search_count([]), 10)
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_category_ids"])

    def test_ka_user_and_clerk_read_only(self):
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            Category = self.env["key.account.category"].with_user(user)
            self.assertGreaterEqual(Category.search_count([]), 10)
            with self.assertRaises(AccessError):
                Category.create({"name": "Mine"})
            with self.assertRaises(AccessError):
                self.category_retail.with_user(user).write({"name": "Renamed"})
            with self.assertRaises(AccessError):
                self.category_retail.with_user(user).unlink()
        self.assertEqual(self.category_retail.name, "Retail")

    def test_manager_and_director_manage_categories(self):
        for role, user in self.roles_manager_and_up().items():
            category = self.env["key.account.category"].with_user(user).create({"name": f"Export {role}"})
            category.write({"color": 5})
            category.unlink()
            self.assertFalse(category.exists())


@tagged("post_install", "-at_install")
class TestPartnerFieldRights(KeyAccountCase):
    def test_plain_user_sees_key_account_and_tier_only(self):
        account = self.account.with_user(self.plain_user)
        self.assertTrue(account.is_key_account)
        self.assertEqual(account.key_account_tier_id.name, "Strategic")
        for field in ("key_account_manager_id", "key_account_category_ids"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                account.read([field])
        fields = self.env["res.partner"].with_user(self.plain_user).fields_get()
        self.assertIn("key_account_tier_id", fields)
        self.assertNotIn("key_account_manager_id", fields)

    def test_plain_user_cannot_make_key_accounts(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.plain_user).create({"name": "Sneaky", "is_key_account": True})
        partner = (
            self.env["res.partner"].with_user(self.plain_user).create({"name": "Ordinary", "is_key_account": False})
        )
        with self.assertRaises(AccessError):
            partner.write({"is_key_account": True})
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).write({"key_account_tier_id": self.tier_normal.id})
        self.assertFalse(partner.is_key_account)
        self.assertEqual(self.account.key_account_tier_id, self.tier_strategic)

    def test_ka_user_reads_team_fields(self):
        for user in (self.ka_user, self.ka_user_off, self.ka_clerk):
            account = self.account.with_user(user)
            self.assertEqual(account.key_account_manager_id, self.ka_user)
            self.assertEqual(account.key_account_category_ids, self.category_trading)

    def test_ka_user_edits_categories_of_own_account_only(self):
        self.account.with_user(self.ka_user).write({"key_account_category_ids": [(4, self.category_retail.id)]})
        self.assertEqual(self.account.key_account_category_ids, self.category_trading | self.category_retail)
        with self.assertRefused(AccessError, "account team"):
            self.other_account.with_user(self.ka_user).write(
                {"key_account_category_ids": [(4, self.category_retail.id)]}
            )
        with self.assertRaises(AccessError):
            self.account.with_user(self.ka_clerk).write({"key_account_category_ids": [(5, 0, 0)]})
        self.assertFalse(self.other_account.key_account_category_ids)

    def test_ka_user_and_clerk_cannot_change_tier_manager_or_status(self):
        for user in (self.ka_user, self.ka_clerk):
            account = self.account.with_user(user)
            for vals in (
                {"key_account_tier_id": self.tier_normal.id},
                {"key_account_manager_id": user.id},
                {"is_key_account": False},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRefused(AccessError, "Only Key Account Managers"),
                ):
                    account.write(vals)
        self.assertEqual(self.account.key_account_tier_id, self.tier_strategic)
        self.assertEqual(self.account.key_account_manager_id, self.ka_user)

    def test_ka_user_still_edits_ordinary_partner_fields(self):
        self.account.with_user(self.ka_user_off).write({"phone": "+86 21 1234 5678"})
        self.assertEqual(self.account.phone, "+86 21 1234 5678")

    def test_manager_and_director_manage_key_accounts(self):
        for role, user in self.roles_manager_and_up().items():
            partner = (
                self.env["res.partner"]
                .with_user(user)
                .create(
                    {
                        "name": f"New KA by {role}",
                        "is_company": True,
                        "is_key_account": True,
                        "key_account_tier_id": self.tier_key.id,
                        "key_account_manager_id": self.ka_user_off.id,
                    }
                )
            )
            partner.write(
                {
                    "key_account_tier_id": self.tier_strategic.id,
                    "key_account_manager_id": self.ka_user.id,
                    "key_account_category_ids": [(6, 0, self.category_retail.ids)],
                }
            )
            self.assertEqual(partner.key_account_tier_id, self.tier_strategic)
            self.assertEqual(partner.key_account_manager_id, self.ka_user)
            partner.write({"is_key_account": False})
            self.assertFalse(partner.is_key_account)

    def test_contact_cannot_be_key_account(self):
        with self.assertRefused(ValidationError, "only the company itself"):
            self.contact.with_user(self.ka_manager).write({"is_key_account": True})
        self.assertFalse(self.contact.is_key_account)

    def test_tier_counts_its_key_accounts(self):
        self.assertEqual(
            self.tier_strategic.partner_count,
            self.env["res.partner"].search_count(
                [("is_key_account", "=", True), ("key_account_tier_id", "=", self.tier_strategic.id)]
            ),
        )
        before = self.tier_key.partner_count
        self.account.key_account_tier_id = self.tier_key
        self.tier_key.invalidate_recordset(["partner_count"])
        self.assertEqual(self.tier_key.partner_count, before + 1)
