"""Rights on the account plan per role (issue #21 part B): an off-team KA User sees no plan,
no influence and no attitude, by any read and cannot make or take one; the team, clerks, KA
Managers and Directors read it; a plain salesperson and another company's manager see nothing."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_account_plan import PlanCase


@tagged("post_install", "-at_install")
class TestPlanRights(PlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._plan(
            potential_ids=[Command.create({"categ_id": cls.valves.id, "potential_amount": 5000.0})],
            competitor_ids=[Command.create({"competitor": "Jinlong Valves", "share": 35.0})],
            strengths="Delivery in 48 hours",
        )
        cls.person = cls.env["res.partner"].create({"name": "Zhou Gang", "parent_id": cls.account.id})
        cls.row = cls.env["key.account.relationship"].create(
            {"partner_id": cls.account.id, "contact_id": cls.person.id, "influence": "high", "attitude": "champion"}
        )
        cls.lines = {
            "key.account.plan": cls.plan,
            "key.account.plan.objective": cls.plan.objective_ids,
            "key.account.plan.potential": cls.plan.potential_ids,
            "key.account.plan.competitor": cls.plan.competitor_ids,
            "key.account.relationship": cls.row,
        }

    def test_off_team_user_sees_no_plan_influence_or_attitude(self):
        for model, record in self.lines.items():
            Model = self.env[model].with_user(self.ka_user_off)
            self.assertFalse(Model.search([("partner_id", "=", self.account.id)]), model)
            with self.assertRaises(AccessError, msg=model):
                record.with_user(self.ka_user_off).read(["display_name"])
            with self.assertRaises(AccessError, msg=model):
                record.with_user(self.ka_user_off).write({})
        account = self.account.with_user(self.ka_user_off)
        self.assertFalse(account.key_account_plan_id)
        self.assertFalse(account.key_account_relationship_ids)
        self.assertFalse(self.env["key.account.plan"].with_user(self.ka_user_off).search([("strengths", "!=", False)]))
        # nor makes one for the account, nor takes it over
        with self.assertRaises(AccessError):
            self._plan(user=self.ka_user_off, year=2032)
        own = self._plan(user=self.ka_user_off, partner=self.other_account)
        with self.assertRaises(AccessError):
            own.with_user(self.ka_user_off).write({"partner_id": self.account.id})
        with self.assertRaises(AccessError):
            self.env["key.account.plan.objective"].with_user(self.ka_user_off).create(
                {"plan_id": self.plan.id, "name": "Planted"}
            )

    def test_team_and_managers_read_and_write(self):
        for user in (self.ka_user, self.ka_manager, self.ka_director, self.ka_clerk):
            plan = self.plan.with_user(user)
            self.assertEqual(plan.strengths, "Delivery in 48 hours", user.login)
            self.assertEqual(plan.potential_ids.whitespace_amount, 5000.0, user.login)
            self.assertEqual(self.row.with_user(user).attitude, "champion", user.login)
        self.plan.with_user(self.ka_manager).write({"threats": "Jinlong cuts prices"})
        self.plan.competitor_ids.with_user(self.ka_user).write({"share": 30.0})
        self.assertEqual(self.plan.competitor_ids.share, 30.0)

    def test_plain_user_and_other_company_see_nothing(self):
        for model in self.lines:
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.plain_user).search([])
            self.assertFalse(self.env[model].with_user(self.ka_manager_b).search([]), model)
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_plan_id"])

    def test_competitor_share_is_a_percentage(self):
        with self.assertRefused(ValidationError, "percentage between 0 and 100"):
            self.plan.competitor_ids.with_user(self.ka_user).write({"share": 120.0})
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.plan.potential_ids.with_user(self.ka_user).write({"potential_amount": -1.0})
