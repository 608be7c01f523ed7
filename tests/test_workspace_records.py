"""Issue #18: what the screens of the workspace read and write — the scoring sheet's criteria
for scorers, the Pricelists feature, visit names, number formats, people's names. The screens
themselves are toured in test_workspace_screens.py."""

import importlib.util
from pathlib import Path

from lxml import etree

from odoo import fields
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

import odoo.addons.key_account_mgmt as addon

from .common import KeyAccountCase

PURPOSE = "Present the fire pump sets for Metro Line 9 and agree on a site survey."


def owner_model(env, model, node):
    """The model a <field> or <list> node of an arch of ``model`` belongs to: ``model``, or the
    comodel of the x2many fields it sits in."""
    for ancestor in reversed(list(node.iterancestors("field"))):
        model = env[model]._fields[ancestor.get("name")].comodel_name
    return model


# ---------------------------------------------------------------------------------- scoring sheet
@tagged("post_install", "-at_install")
class TestScoreSheet(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scorer = new_test_user(
            cls.env,
            "ws_scorer",
            groups="base.group_user,key_account_mgmt.group_ka_scorer_service,"
            "key_account_mgmt.group_ka_scorer_sales,key_account_mgmt.group_ka_scorer_marketing",
            name="Every Scorer",
        )
        cls.service_scorer = new_test_user(
            cls.env, "ws_service_scorer", groups="base.group_user,key_account_mgmt.group_ka_scorer_service"
        )
        cls.Sheet = cls.env["key.account.score.sheet"]

    def _offered(self, user):
        """The criteria the sheet's criterion field offers ``user``: its domain evaluated with
        what the browser knows (no field of the sheet), then the name search the browser runs."""
        domain = self.Sheet.fields_get(["criterion_id"])["criterion_id"]["domain"]
        domain = safe_eval(domain, {"uid": user.id, "allowed_company_ids": user.company_ids.ids})
        Criterion = self.env["key.account.scorecard.criterion"].with_user(user)
        return Criterion.browse([cid for cid, _name in Criterion.name_search("", domain, limit=None)])

    def test_a_scorer_is_offered_the_criteria_of_his_groups(self):
        manual = self.env["key.account.scorecard.criterion"].search([("kind", "=", "manual")])
        self.assertEqual(len(manual.group_id), 3)
        self.assertEqual(self._offered(self.scorer), manual.with_user(self.scorer))
        self.assertEqual(
            self._offered(self.service_scorer).mapped("group_id"),
            self.env.ref("key_account_mgmt.group_ka_scorer_service"),
        )
        self.assertFalse(self._offered(self.ka_manager))
        self.assertFalse(self._offered(self.ka_user))

    @staticmethod
    def _accounts(sheet):
        accounts = []
        for index in range(len(sheet.line_ids)):
            with sheet.line_ids.edit(index) as line:
                accounts.append(line.partner_id)
        return accounts

    def test_a_scorer_rates_on_the_sheet(self):
        criterion = self.env.ref("key_account_mgmt.criterion_willingness")
        with Form(self.Sheet.with_user(self.scorer)) as sheet:
            sheet.criterion_id = criterion
            accounts = self._accounts(sheet)
            self.assertIn(self.account, accounts)
            with sheet.line_ids.edit(accounts.index(self.account)) as line:
                line.points = 4.5
                line.comment = "Seeks a long-term partnership"
        sheet.record.action_save()
        rating = self.env["key.account.manual.score"].search(
            [("partner_id", "=", self.account.id), ("criterion_id", "=", criterion.id)]
        )
        self.assertEqual(
            (rating.points, rating.comment, rating.user_id), (4.5, "Seeks a long-term partnership", self.scorer)
        )
        # the sheet opened again shows the rating
        with Form(self.Sheet.with_user(self.scorer)) as sheet:
            sheet.criterion_id = criterion
            with sheet.line_ids.edit(self._accounts(sheet).index(self.account)) as line:
                self.assertEqual((line.points, line.scored, line.comment), (4.5, True, "Seeks a long-term partnership"))


# ---------------------------------------------------------------------------------- pricelists
@tagged("post_install", "-at_install")
class TestPricelistFeature(KeyAccountCase):
    FEATURE = "product.group_product_pricelist"

    def _feature_off(self):
        self.env.ref("base.group_user")._remove_group(self.env.ref(self.FEATURE))
        self.assertFalse(self.plain_user.has_group(self.FEATURE))
        self.assertFalse(self.env["res.config.settings"].create({}).group_product_pricelist)

    def _approved_discount(self):
        policy = (
            self.env["key.account.policy"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "policy_type": "discount",
                    "value": 5.0,
                    "date_from": fields.Date.today(),
                    "date_to": fields.Date.add(fields.Date.today(), months=6),
                    "reason": "Annual framework agreement",
                }
            )
        )
        policy.action_submit()
        policy.with_user(self.ka_manager).validate_tier()
        self.assertEqual(policy.state, "approved")
        return policy

    def test_the_first_key_account_pricelist_turns_the_feature_on(self):
        self._feature_off()
        policy = self._approved_discount()
        self.assertEqual(policy.pricelist_id.key_account_partner_id, self.account)
        # Settings open without "every active pricelist will be archived"
        self.assertTrue(self.env["res.config.settings"].create({}).group_product_pricelist)
        self.assertTrue(self.plain_user.has_group(self.FEATURE))
        # the other customers keep a pricelist of their own, not this account's
        customer = self.env["res.partner"].create({"name": "Walk-in Customer", "is_company": True})
        self.assertTrue(customer.property_product_pricelist)
        self.assertNotEqual(customer.property_product_pricelist, policy.pricelist_id)

    def test_the_upgrade_turns_the_feature_on_where_the_addon_made_pricelists(self):
        path = Path(addon.__file__).parent / "migrations" / "18.0.1.8.0" / "post-pricelist_feature.py"
        spec = importlib.util.spec_from_file_location("kam_post_pricelist_feature", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)

        self._feature_off()
        self.env["product.pricelist"].search([("key_account_partner_id", "!=", False)]).unlink()
        migration.migrate(self.env.cr, "18.0.1.7.0")
        self.assertFalse(self.plain_user.has_group(self.FEATURE), "no key-account pricelist: nothing to do")

        self._approved_discount()
        self._feature_off()
        migration.migrate(self.env.cr, "18.0.1.7.0")
        self.assertTrue(self.plain_user.has_group(self.FEATURE))
        self.assertTrue(self.env["res.config.settings"].create({}).group_product_pricelist)


# ---------------------------------------------------------------------------------- visit calendar
@tagged("post_install", "-at_install")
class TestVisitNames(KeyAccountCase):
    def test_a_visit_is_named_by_account_and_purpose(self):
        visit = (
            self.env["key.account.visit"]
            .with_user(self.ka_user)
            .create({"partner_id": self.account.id, "date_planned": fields.Datetime.now(), "purpose": PURPOSE})
        )
        self.assertEqual(visit.display_name, "Hengtai Construction Group · Present the fire pump sets for Metro Lin…")
        visit.purpose = "Site survey\nwith the depot manager"
        self.assertEqual(visit.display_name, "Hengtai Construction Group · Site survey")
        visit.purpose = False
        self.assertEqual(visit.display_name, f"Hengtai Construction Group · {visit.name}")


# ---------------------------------------------------------------------------------- number formats
@tagged("post_install", "-at_install")
class TestNumberFormats(KeyAccountCase):
    def _views(self):
        ids = self.env["ir.model.data"].search([("module", "=", "key_account_mgmt"), ("model", "=", "ir.ui.view")])
        return self.env["ir.ui.view"].browse(ids.mapped("res_id")).filtered(lambda v: v.type in ("form", "list"))

    def test_years_show_without_thousands_separator(self):
        """Every integer year of our views (2026, not 2,026), in the arch the browser gets."""
        checked = 0
        for view in self._views():
            model = self.env[view.model]
            arch = etree.fromstring(model.get_views([(view.id, view.type)])["views"][view.type]["arch"])
            for node in arch.iter("field"):
                field = model._fields.get(node.get("name"))
                if field and field.type == "integer" and "year" in field.name:
                    options = safe_eval(node.get("options") or "{}")
                    self.assertIs(options.get("enable_formatting"), False, f"{view.xml_id}: {field.name}")
                    checked += 1
        self.assertGreaterEqual(checked, 2, "the annual review's list and form")

    def test_policy_values_show_the_decimals_they_have(self):
        Policy = self.env["key.account.policy"]
        values = [("credit_terms", 120.0, "120"), ("discount", 12.5, "12.5%"), ("coefficient", 0.925, "0.925")]
        for policy_type, value, shown in values:
            policy = Policy.new({"partner_id": self.account.id, "policy_type": policy_type, "value": value})
            self.assertEqual(policy.value_display, shown)
        self.tier_strategic.policy_max_credit_days = 90
        policy = Policy.new({"partner_id": self.account.id, "policy_type": "credit_terms", "value": 120})
        self.assertEqual(policy.standard_range, "Up to 90 days")
        # the lists of policies show the formatted value, not the float
        lists = [
            node
            for model, arch in [
                ("key.account.policy", self._arch("key.account.policy", "list")),
                ("res.partner", self._arch("res.partner", "form", "base.view_partner_form")),
            ]
            for node in arch.iter("list")
            if owner_model(self.env, model, node) == "key.account.policy"
        ]
        self.assertEqual(len(lists), 2)
        for node in lists:
            names = [field.get("name") for field in node.iterchildren("field")]
            self.assertIn("value_display", names)
            self.assertNotIn("value", names)

    def _arch(self, model, view_type, xmlid=None):
        view_id = self.env.ref(xmlid).id if xmlid else False
        return etree.fromstring(self.env[model].get_views([(view_id, view_type)])["views"][view_type]["arch"])


# ---------------------------------------------------------------------------------- people's names
@tagged("post_install", "-at_install")
class TestPersonNames(KeyAccountCase):
    def test_a_contact_is_named_as_a_person_where_people_are_listed(self):
        self.assertEqual(self.contact.display_name, "Hengtai Construction Group, Sun Li")
        person = self.contact.with_context(key_account_person_name=True)
        self.assertEqual(person.display_name, "Sun Li")
        self.assertEqual(self.account.with_context(key_account_person_name=True).display_name, self.account.name)
        # the fields that list people ask for it: what the browser reads through them
        visit = (
            self.env["key.account.visit"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "date_planned": fields.Datetime.now(),
                    "contact_ids": [(6, 0, self.contact.ids)],
                }
            )
        )
        for model, field in [
            ("key.account.visit", "contact_ids"),
            ("key.account.reception", "contact_ids"),
            ("key.account.reception.visitor", "contact_id"),
            ("key.account.archive.person", "contact_id"),
            ("res.partner", "key_account_main_contact_id"),
        ]:
            contexts = self._field_contexts(model, field)
            self.assertTrue(contexts, f"{model}.{field} is in a view")
            for context in contexts:
                self.assertTrue(context.get("key_account_person_name"), f"{model}.{field}")
        [read] = visit.web_read(
            {"contact_ids": {"fields": {"display_name": {}}, "context": {"key_account_person_name": 1}}}
        )
        self.assertEqual([row["display_name"] for row in read["contact_ids"]], ["Sun Li"])

    def _field_contexts(self, model, field):
        """The contexts of ``field`` of ``model`` in the addon's form and list views (and the lists
        inside them), as the browser gets them."""
        contexts = []
        data = self.env["ir.model.data"].search([("module", "=", "key_account_mgmt"), ("model", "=", "ir.ui.view")])
        views = self.env["ir.ui.view"].browse(data.mapped("res_id"))
        for view in views.filtered(lambda v: v.type in ("form", "list") and v.mode == "primary"):
            arch = etree.fromstring(self.env[view.model].get_views([(view.id, view.type)])["views"][view.type]["arch"])
            for node in arch.iter("field"):
                if node.get("name") == field and owner_model(self.env, view.model, node) == model:
                    contexts.append(safe_eval(node.get("context") or "{}", {}))
        return contexts
