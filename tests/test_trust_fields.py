"""Issue #16, the write side of the trust boundary: the one helper deciding who may see or change
an account's confidential data; fields feeding record rules, approvals and histories written only
by their actions (create and write, context defaults). No destruction of key accounts and their
histories, and the refusals over RPC: test_trust_destruction.py."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

GUARDED = "change only through the actions that own them"
REFUSED = UserError  # AccessError and ValidationError derive from it (never a server error)


class TrustCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls._archive(cls.account, legal_representative="Zhang Wei")
        cls.person = cls.env["key.account.archive.person"].create({"archive_id": cls.archive.id, "name": "Zhang Wei"})
        cls.other_archive = cls._archive(cls.other_account, legal_representative="Li Na")
        cls.visit = cls.env["key.account.visit"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.ka_user.id,
                "purpose": "Yearly talks",
                "date_planned": fields.Datetime.now() + timedelta(days=3),
            }
        )
        cls.other_visit = cls.env["key.account.visit"].create(
            {
                "partner_id": cls.other_account.id,
                "user_id": cls.ka_user_off.id,
                "purpose": "Kick-off",
                "date_planned": fields.Datetime.now() + timedelta(days=3),
            }
        )
        cls.expense = cls.env["key.account.visit.expense"].create(
            {"visit_id": cls.visit.id, "name": "Train", "amount": 120}
        )
        cls.account.action_set_cooperation_state("good", "Contract won")

    def _as(self, user, record):
        return record.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)


@tagged("post_install", "-at_install")
class TestOneHelper(TrustCase):
    """res.partner._key_account_filtered_access / _key_account_has_access / _key_account_check_access"""

    def test_each_role_reads_and_changes_what_spec_1_says(self):
        account_a = self._key_account("Company A Account", self.ka_user, company_id=self.company.id)
        account_b = self._key_account("Company B Account", company_id=self.company_b.id)
        accounts = self.account | self.other_account | account_a | account_b
        expected = {  # user: (read, write)
            self.plain_user: (set(), set()),
            self.ka_user: ({self.account, account_a}, {self.account, account_a}),
            self.ka_user_off: ({self.other_account}, {self.other_account}),
            self.ka_clerk: ({self.account, self.other_account, account_a}, set()),
            self.ka_manager: (
                {self.account, self.other_account, account_a},
                {self.account, self.other_account, account_a},
            ),
            self.ka_director: (
                {self.account, self.other_account, account_a},
                {self.account, self.other_account, account_a},
            ),
            self.ka_manager_b: (
                {self.account, self.other_account, account_b},
                {self.account, self.other_account, account_b},
            ),
        }
        for user, (read, write) in expected.items():
            as_user = accounts.with_user(user)
            self.assertEqual(
                set(as_user._key_account_filtered_access("read")), {p.with_user(user) for p in read}, user.login
            )
            self.assertEqual(
                set(as_user._key_account_filtered_access("write")), {p.with_user(user) for p in write}, user.login
            )
        self.assertEqual(accounts.sudo()._key_account_filtered_access("write"), accounts.sudo())

    def test_check_names_the_refused_accounts(self):
        self.assertTrue(self.account.with_user(self.ka_user)._key_account_has_access("write"))
        self.assertFalse((self.account | self.other_account).with_user(self.ka_user)._key_account_has_access("read"))
        with self.assertRefused(AccessError, "Only the account team of Huaxin Trading"):
            (self.account | self.other_account).with_user(self.ka_user)._key_account_check_access("write")
        with self.assertRefused(AccessError, "may set the cooperation state of Huaxin Trading"):
            self.other_account.with_user(self.ka_user).action_set_cooperation_state("good", "Fine")
        self.account.with_user(self.ka_user)._key_account_check_access("write")
        self.assertIsNone(self.account.with_user(self.ka_clerk)._key_account_check_access("read"))


@tagged("post_install", "-at_install")
class TestProtectedFields(TrustCase):
    def _guarded_models(self):
        registry = self.env.registry
        return sorted(
            name
            for name in registry.descendants(["key.account.write.guard"], "_inherit")
            if not registry[name]._abstract and registry[name]._auto
        )

    def _value_for(self, record, name):
        """A value different from the current one, of the field's type."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "not in", current.ids)], limit=1)
            return other.id
        if field.type in ("one2many", "many2many"):
            other = self.env[field.comodel_name].sudo().search([("id", "not in", current.ids)], limit=1)
            return [(6, 0, other.ids)]
        if field.type == "boolean":
            return not current
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != current)
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "date":
            return fields.Date.today() - timedelta(days=400)
        if field.type == "datetime":
            return fields.Datetime.now() - timedelta(days=400)
        if field.type == "binary":
            return base64.b64encode(b"forged")
        return "forged"

    def test_introspection_finds_the_fields_feeding_rules(self):
        self.assertIn("key.account.visit", self._guarded_models())
        self.assertIn("key.account.application", self._guarded_models())
        person = self.env["key.account.archive.person"]
        self.assertTrue({"partner_id", "company_id"} <= person._key_account_protected_fields())
        self.assertTrue({"partner_id", "archive_id"} <= person._key_account_rule_fields())
        visit = self.env["key.account.visit"]
        self.assertTrue(
            {"state", "submitted_date", "approved_date", "needs_director_approval", "calendar_event_id"}
            <= visit._key_account_protected_fields()
        )
        self.assertIn("state", self.env["key.account.monthly.review"]._key_account_protected_fields())
        partner_fields = self.env["res.partner"]._key_account_protected_fields()
        self.assertTrue(
            {
                "key_account_team_user_ids",
                "key_account_next_visit_date",
                "key_account_code",
                "key_account_last_visit_date",
                "cooperation_state",
            }
            <= partner_fields
        )

    def test_no_role_writes_a_protected_field_of_any_model(self):
        """Every guarded model × every protected field × every role below manager (and the
        manager too: these are the actions' own fields), on a real record where one exists."""
        checked = 0
        for model in self._guarded_models():
            record = self.env[model].sudo().search([], limit=1)
            if not record:
                continue
            for name in sorted(record._key_account_protected_fields()):
                if record._fields[name].type == "many2one" and not self._value_for(record, name):
                    continue
                value = self._value_for(record, name)
                before = record.sudo()[name]
                for user in (*self.roles_below_manager().values(), self.ka_manager):
                    with self.assertRaises(REFUSED, msg=f"{user.login} wrote {model}.{name}"):
                        record.with_user(user).write({name: value})
                    record.invalidate_recordset()
                    self.assertEqual(record.sudo()[name], before, f"{model}.{name}")
                    checked += 1
        self.assertGreater(checked, 60)

    def test_no_role_below_manager_moves_a_record_by_its_rule_fields(self):
        """Every guarded model × every field its record rules read (account, parent, owner) ×
        every role below manager: a record of the team's account cannot be pointed to another
        team's account, record or user."""
        self.env["key.account.news"].create(
            {"partner_id": self.account.id, "name": "New plant", "user_id": self.ka_user.id}
        )
        checked = set()
        for model in self._guarded_models():
            Model = self.env[model].sudo()
            if "partner_id" not in Model._fields:
                continue
            record = Model.search([("partner_id", "=", self.account.id)], limit=1)
            if not record:
                continue
            for name in sorted(Model._key_account_rule_fields() - Model._key_account_protected_fields()):
                field = Model._fields[name]
                if field.type != "many2one":
                    continue
                if field.comodel_name == "res.partner":
                    value = self.other_account.id
                elif field.comodel_name == "res.users":
                    value = self.ka_user_off.id
                elif "partner_id" in self.env[field.comodel_name]._fields:
                    value = (
                        self.env[field.comodel_name]
                        .sudo()
                        .search([("partner_id", "=", self.other_account.id)], limit=1)
                        .id
                    )
                else:
                    continue
                if not value or value == record[name].id:
                    continue
                before = record[name]
                for role, user in self.roles_below_manager().items():
                    with self.assertRaises(REFUSED, msg=f"{role} moved {model}.{name}"):
                        record.with_user(user).write({name: value})
                    record.invalidate_recordset()
                    self.assertEqual(record[name], before, f"{role} {model}.{name}")
                checked.add(f"{model}.{name}")
        self.assertTrue(
            {
                "key.account.visit.partner_id",
                "key.account.archive.partner_id",
                "key.account.archive.person.archive_id",
                "key.account.visit.expense.visit_id",
                "key.account.news.partner_id",
            }
            <= checked,
            checked,
        )

    def test_no_role_creates_a_record_with_a_protected_value(self):
        checked = 0
        for record in (self.person, self.visit, self.expense):
            vals = record.sudo().copy_data()[0]
            for name in sorted(record._key_account_protected_fields()):
                value = self._value_for(record, name)
                if not value:
                    continue
                for user in (self.ka_user, self.ka_clerk, self.ka_manager):
                    with self.assertRaises(REFUSED, msg=f"{user.login} created {record._name}.{name}"):
                        record.with_user(user).create({**vals, name: value})
                    checked += 1
        self.assertGreater(checked, 20)

    def test_partner_protected_fields(self):
        for user in (*self.roles_below_manager().values(), self.ka_manager):
            for name, value in (
                ("key_account_team_user_ids", [(4, user.id)]),
                ("key_account_next_visit_date", "2000-01-01"),
                ("key_account_code", "KA-FORGED"),
                ("key_account_last_visit_date", fields.Date.today()),
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} {name}"):
                    self.account.with_user(user).write({name: value})
        self.assertEqual(self.account.key_account_team_user_ids, self.ka_user)
        self.assertNotEqual(self.account.key_account_code, "KA-FORGED")

    def test_exploit_team_field_written_to_read_another_archive(self):
        """Known exploit: a KA User wrote the stored team of another team's key account, joined
        it and read its archive."""
        intruder = self.ka_user_off
        with self.assertRefused(AccessError, GUARDED):
            self.account.with_user(intruder).write({"key_account_team_user_ids": [(4, intruder.id)]})
        with self.assertRefused(AccessError, "Only Key Account Managers may change"):
            self.account.with_user(intruder).write({"key_account_team_member_ids": [(0, 0, {"user_id": intruder.id})]})
        self.assertNotIn(intruder, self.account.key_account_team_user_ids)
        self.assertFalse(self.env["key.account.archive"].with_user(intruder).search([("id", "=", self.archive.id)]))
        with self.assertRaises(AccessError):
            self.archive.with_user(intruder).read(["legal_representative"])

    def test_partner_created_with_a_team_by_a_ka_user(self):
        Partner = self.env["res.partner"].with_user(self.ka_user_off)
        for vals in (
            {"key_account_manager_id": self.ka_user_off.id},
            {"key_account_team_user_ids": [(6, 0, self.ka_user_off.ids)]},
            {"is_key_account": True},
            {"key_account_next_visit_date": "2030-01-01"},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                Partner.create({"name": "Sneaky Co.", "is_company": True, **vals})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Sneaky Co.")]))
        # context defaults the user may not set are ignored
        sneaky = Partner.with_context(
            default_key_account_manager_id=self.ka_user_off.id,
            default_is_key_account=True,
            default_key_account_team_user_ids=self.ka_user_off.ids,
            default_key_account_code="KA-FORGED",
        ).create({"name": "Sneaky Co.", "is_company": True})
        self.assertFalse(sneaky.is_key_account or sneaky.key_account_manager_id or sneaky.key_account_team_user_ids)
        self.assertFalse(sneaky.key_account_code)
        with self.assertRefused(AccessError, "change the group structure"):
            Partner.with_context(default_key_account_headquarters_id=self.account.id).create(
                {"name": "Sneaky Branch", "is_company": True, "key_account_group_relation": "branch"}
            )
        # a plain new partner is still created as in standard Odoo
        self.assertTrue(Partner.create({"name": "Honest Co.", "is_company": True, "is_key_account": False}))

    def test_line_moved_or_added_into_another_teams_record(self):
        person = self.person.with_user(self.ka_user)
        with self.assertRefused(AccessError, "cannot go to a key account, record or person"):
            person.write({"archive_id": self.other_archive.id})
        self.assertEqual(self.person.archive_id, self.archive)
        with self.assertRaises(AccessError):
            self.env["key.account.archive.person"].with_user(self.ka_user).create(
                {"archive_id": self.other_archive.id, "name": "Planted"}
            )
        with self.assertRaises(AccessError):
            person.write({"partner_id": self.other_account.id})
        expense = self.expense.with_user(self.ka_user)
        with self.assertRefused(AccessError, "cannot go to a key account, record or person"):
            expense.write({"visit_id": self.other_visit.id})
        with self.assertRaises(AccessError):
            self.env["key.account.visit.expense"].with_user(self.ka_user).create(
                {"visit_id": self.other_visit.id, "name": "Dinner", "amount": 50}
            )
        self.assertEqual(self.expense.visit_id, self.visit)
        self.assertEqual(self.other_visit.expense_line_ids, self.env["key.account.visit.expense"])
        # a top-level record is not moved to another team's account either
        with self.assertRefused(AccessError, "cannot go to a key account, record or person"):
            self.visit.with_user(self.ka_user).write({"partner_id": self.other_account.id})
        self.assertEqual(self.visit.partner_id, self.account)
        # within the own team it still works
        second = (
            self.env["key.account.archive.person"]
            .with_user(self.ka_user)
            .create({"archive_id": self.archive.id, "name": "Sun Li"})
        )
        self.assertEqual(second.partner_id, self.account)

    def test_headquarters_link_needs_both_teams(self):
        with self.assertRefused(AccessError, "change the group structure"):
            self.other_account.with_user(self.ka_user).write(
                {"key_account_headquarters_id": self.account.id, "key_account_group_relation": "branch"}
            )
        with self.assertRefused(AccessError, "change the group structure"):
            self.account.with_user(self.ka_user).write({"key_account_branch_ids": [(4, self.other_account.id)]})
        self.assertFalse(self.other_account.key_account_headquarters_id)
        self.other_account.with_user(self.ka_manager).write(
            {"key_account_headquarters_id": self.account.id, "key_account_group_relation": "branch"}
        )
        self.assertEqual(self.account.key_account_branch_ids, self.other_account)

    def test_approval_dates_and_state_only_by_the_buttons(self):
        visit = self.visit.with_user(self.ka_user)
        for vals in (
            {"submitted_date": fields.Datetime.now()},
            {"approved_date": fields.Datetime.now()},
            {"needs_director_approval": True},
        ):
            with self.assertRaises(REFUSED, msg=str(vals)):
                visit.write(vals)
        Visit = self.env["key.account.visit"].with_user(self.ka_user)
        plan = {
            "partner_id": self.account.id,
            "purpose": "Plan",
            "date_planned": fields.Datetime.now() + timedelta(days=2),
        }
        with self.assertRefused(AccessError, GUARDED):
            Visit.create({**plan, "approved_date": fields.Datetime.now()})
        created = Visit.with_context(default_state="approved", default_approved_date=fields.Datetime.now()).create(plan)
        self.assertEqual((created.state, created.approved_date), ("draft", False))
        self.assertFalse(self.visit.submitted_date)

    def test_monthly_review_done_only_by_its_action(self):
        Review = self.env["key.account.monthly.review"].with_user(self.ka_user)
        vals = {"partner_id": self.account.id, "commentary": "Good month", "cooperation_state": "good"}
        with self.assertRefused(AccessError, GUARDED):
            Review.create({**vals, "state": "done"})
        review = Review.with_context(default_state="done").create(vals)
        self.assertEqual(review.state, "draft")
        with self.assertRefused(AccessError, GUARDED):
            review.write({"state": "done"})
        with self.assertRefused(AccessError, GUARDED):
            review.write({"done_date": fields.Datetime.now()})
        logs = self.env["key.account.state.log"].search_count([("partner_id", "=", self.account.id)])
        review.action_done()
        self.assertEqual(review.state, "done")
        self.assertEqual(
            self.env["key.account.state.log"].search_count([("partner_id", "=", self.account.id)]), logs + 1
        )
        # off the team: not even through the action
        other = self.env["key.account.monthly.review"].create(
            {"partner_id": self.other_account.id, "commentary": "x", "cooperation_state": "good"}
        )
        with self.assertRaises(AccessError):
            other.with_user(self.ka_user).action_done()
        self.assertEqual(other.state, "draft")

    def test_complaint_key_account_follows_its_contact(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.ka_user)
        with self.assertRaises(AccessError):
            Ticket.create({"name": "Late delivery", "description": "x", "key_account_id": self.other_account.id})
        ticket = Ticket.with_context(default_key_account_id=self.other_account.id).create(
            {"name": "Late delivery", "description": "x", "partner_id": self.contact.id}
        )
        self.assertEqual(ticket.key_account_id, self.account)
        with self.assertRaises(AccessError):
            ticket.write({"key_account_id": False})
        self.assertEqual(ticket.key_account_id, self.account)
