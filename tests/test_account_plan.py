"""The account plan (大客户经营计划, issue #21 part B): the whitespace against hand-computed invoice
lines (a refund, another category, a branch), progress from the plan's activities and the layered
approval. The rights of each role: test_account_plan_rights.py; over XML-RPC:
test_account_plan_xmlrpc.py."""

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KeyAccountCase, KeyAccountDataMixin


class PlanCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["key.account.plan"]
        cls.company.key_account_nomination_director_amount = 1000000.0
        Category = cls.env["product.category"]
        cls.valves = Category.create({"name": "Plan Valves"})
        cls.pumps = Category.create({"name": "Plan Pumps"})
        cls.instruments = Category.create({"name": "Plan Instruments"})
        cls.services = Category.create({"name": "Plan Services"})
        Product = cls.env["product.product"]
        cls.valve = Product.create({"name": "Ball valve DN50", "categ_id": cls.valves.id})
        cls.pump = Product.create({"name": "Centrifugal pump", "categ_id": cls.pumps.id})
        cls.service = Product.create({"name": "Commissioning", "categ_id": cls.services.id})
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Anhui Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )

    @classmethod
    def _plan(cls, user=None, partner=None, **vals):
        values = {
            "partner_id": (partner or cls.account).id,
            "year": 2030,
            "customer_goals": "Two new plants in Anhui; tender for the pump station",
            "objective_ids": [Command.create({"name": "Win the valve framework", "measure": "Revenue of valves"})],
            **vals,
        }
        return cls.Plan.with_user(user or cls.ka_user).create(values)

    @classmethod
    def _invoice(cls, partner, lines, days_ago, move_type="out_invoice", post=True):
        """A customer invoice (or refund) of ``lines`` [(product or None, amount)] untaxed."""
        cls._ensure_chart_of_accounts()
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": fields.Date.subtract(fields.Date.today(), days=days_ago),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": product.name if product else "Freight",
                            "product_id": product.id if product else False,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for product, amount in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move


@tagged("post_install", "-at_install")
class TestWhitespace(PlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # last 12 months: valves 1,200 + 300 (branch) - 200 (refund) = 1,300; pumps 500
        cls._invoice(cls.account, [(cls.valve, 1200.0), (cls.pump, 500.0), (None, 80.0)], days_ago=30)
        cls._invoice(cls.branch, [(cls.valve, 300.0)], days_ago=60)
        cls._invoice(cls.account, [(cls.valve, 200.0)], days_ago=10, move_type="out_refund")
        # the 12 months before: pumps 800, and a branch's refund of services -50
        cls._invoice(cls.account, [(cls.pump, 800.0)], days_ago=450)
        cls._invoice(cls.branch, [(cls.service, 50.0)], days_ago=500, move_type="out_refund")
        # not counted: older than 24 months, a draft, another customer
        cls._invoice(cls.account, [(cls.valve, 5000.0)], days_ago=800)
        cls._invoice(cls.account, [(cls.valve, 7000.0)], days_ago=5, post=False)
        cls._invoice(cls.other_account, [(cls.valve, 9999.0)], days_ago=5)

    def _lines(self, plan):
        plan.invalidate_recordset()
        return {
            line.categ_id: (
                line.potential_amount,
                line.purchased_last_12,
                line.purchased_previous_12,
                line.whitespace_amount,
                line.not_bought,
            )
            for line in plan.potential_ids
        }

    def test_whitespace_against_the_invoice_lines(self):
        plan = self._plan(
            potential_ids=[
                Command.create({"categ_id": self.valves.id, "potential_amount": 5000.0}),
                Command.create({"categ_id": self.pumps.id, "potential_amount": 500.0}),
                Command.create({"categ_id": self.instruments.id, "potential_amount": 2000.0}),
            ]
        )
        self.assertEqual(
            self._lines(plan),
            {
                self.valves: (5000.0, 1300.0, 0.0, 3700.0, False),
                self.pumps: (500.0, 500.0, 800.0, 0.0, False),
                self.instruments: (2000.0, 0.0, 0.0, 2000.0, True),
            },
        )
        self.assertEqual(
            (plan.potential_amount, plan.purchased_last_12, plan.whitespace_amount), (7500.0, 1800.0, 5700.0)
        )
        # the team reads the same figures as the superuser
        self.assertEqual(plan.with_user(self.ka_user).whitespace_amount, 5700.0)
        # the categories bought in the last 24 months come in without potential
        plan.with_user(self.ka_user).action_add_purchased_categories()
        self.assertEqual(self._lines(plan)[self.services], (0.0, 0.0, -50.0, 0.0, True))
        self.assertEqual(len(plan.potential_ids), 4)

    def test_metrics_one_statement_per_batch(self):
        Metrics = self.env["key.account.metrics"]
        last, previous = self.env["key.account.plan.potential"]._whitespace_periods()
        group = Metrics._purchases_by_category([self.account.id, self.branch.id], [last, previous])
        self.assertEqual(group[self.account.id][self.valves.id], [1300.0, 0.0])
        self.assertEqual(group[self.branch.id], {self.valves.id: [300.0, 0.0], self.services.id: [0.0, -50.0]})
        own = Metrics._purchases_by_category([self.account.id], [last, previous], consolidate=False)
        self.assertEqual(own[self.account.id], {self.valves.id: [1000.0, 0.0], self.pumps.id: [500.0, 800.0]})
        self.assertEqual(Metrics._purchases_by_category([], [last]), {})

    def test_the_key_account_form_reaches_the_whitespace(self):
        plan = self._plan(potential_ids=[Command.create({"categ_id": self.valves.id, "potential_amount": 5000.0})])
        account = self.account.with_user(self.ka_user)
        self.assertEqual(account.key_account_plan_id, plan)
        action = account.action_open_key_account_whitespace()
        self.assertEqual(action["res_model"], "key.account.plan.potential")
        lines = self.env["key.account.plan.potential"].with_user(self.ka_user).search(action["domain"])
        self.assertEqual(lines.mapped("whitespace_amount"), [3700.0])
        self.assertEqual(account.action_open_key_account_plan()["res_id"], plan.id)


@tagged("post_install", "-at_install")
class TestPlanProgress(PlanCase):
    def _schedule(self, plan, objective=None, user=None):
        return (
            self.env["mail.activity"]
            .with_user(user or self.ka_user)
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("key.account.plan"),
                    "res_id": plan.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": "Plant visit",
                    "user_id": self.ka_user.id,
                    "key_account_objective_id": objective.id if objective else False,
                }
            )
        )

    def _progress(self, record):
        record.invalidate_recordset()
        return record.activity_done_count, record.activity_planned_count, round(record.progress, 1)

    def test_progress_from_activities_done(self):
        plan = self._plan(objective_ids=[Command.create({"name": "Valves"}), Command.create({"name": "Pumps"})])
        valves, pumps = plan.objective_ids
        first, second, third = (self._schedule(plan, valves) for _i in range(3))
        pump_action = self._schedule(plan, pumps)
        self._schedule(plan)  # an action of the plan outside the objectives
        self.assertEqual(self._progress(valves), (0, 3, 0.0))
        self.assertEqual(self._progress(plan), (0, 5, 0.0))

        first.with_user(self.ka_user).action_feedback(feedback="Met the plant manager")
        second.with_user(self.ka_user).action_done()
        self.assertEqual(self._progress(valves), (2, 3, 66.7))
        self.assertEqual(self._progress(pumps), (0, 1, 0.0))
        self.assertEqual(self._progress(plan), (2, 5, 40.0))
        # a done action stays, archived, with its objective and its day; the chatter says it
        done = self.env["mail.activity"].with_context(active_test=False).browse(first.id)
        self.assertTrue(done.exists())
        self.assertFalse(done.active)
        self.assertEqual((done.key_account_objective_id, done.date_done), (valves, fields.Date.today()))
        self.assertNotIn(done, plan.activity_ids)
        self.assertIn(third, plan.activity_ids)
        done_messages = plan.message_ids.filtered(lambda m: m.mail_activity_type_id)
        self.assertEqual(len(done_messages), 2)
        self.assertTrue(any("Met the plant manager" in message.body for message in done_messages))
        # a cancelled action is no longer planned
        pump_action.with_user(self.ka_user).unlink()
        self.assertEqual(self._progress(pumps), (0, 0, 0.0))
        self.assertEqual(self._progress(plan), (2, 4, 50.0))
        self.assertEqual(self.account.with_user(self.ka_user).key_account_plan_progress, 50.0)
        # other records' activities are deleted when done, as in Odoo
        other = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.account.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": self.ka_user.id,
            }
        )
        other.action_done()
        self.assertFalse(other.with_context(active_test=False).exists())

    def test_an_action_serves_an_objective_of_its_plan(self):
        plan = self._plan()
        other_plan = self._plan(partner=self.other_account, user=self.ka_user_off)
        with self.assertRefused(ValidationError, "objective of the account plan it is planned on"):
            self._schedule(plan, other_plan.objective_ids)
        action = self.env["key.account.plan.objective"].browse(plan.objective_ids.id).action_schedule_activity()
        self.assertEqual(action["context"]["default_key_account_objective_id"], plan.objective_ids.id)
        # nobody plans actions on another team's plan
        with self.assertRaises(AccessError):
            self._schedule(other_plan, user=self.ka_user)
        with self.assertRaises(AccessError):
            plan.objective_ids.with_user(self.ka_user_off).action_schedule_activity()

    def test_deleting_a_draft_plan_takes_its_actions(self):
        plan = self._plan()
        action = self._schedule(plan, plan.objective_ids)
        action.action_done()
        self._schedule(plan)
        plan.with_user(self.ka_user).unlink()
        self.assertFalse(
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("res_model", "=", "key.account.plan"), ("res_id", "=", plan.id)])
        )


@tagged("post_install", "-at_install")
class TestPlanApproval(PlanCase):
    def _reviewers(self, plan):
        plan.invalidate_recordset()
        return plan.sudo().review_ids.sorted("sequence").reviewer_group_id.mapped(lambda g: g.get_external_id()[g.id])

    def test_the_ka_manager_approves(self):
        plan = self._plan(potential_ids=[Command.create({"categ_id": self.valves.id, "potential_amount": 5000.0})])
        self.assertFalse(plan.needs_director_approval)
        plan.with_user(self.ka_user).action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(self._reviewers(plan), ["key_account_mgmt.group_ka_manager"])
        # the requester and the off-team user do not decide
        for user in (self.ka_user, self.ka_user_off, self.ka_clerk):
            try:
                plan.with_user(user).validate_tier()
            except (AccessError, UserError):
                pass
            plan.invalidate_recordset()
            self.assertEqual(plan.state, "submitted", user.login)
        plan.with_user(self.ka_manager).validate_tier()
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "approved")
        self.assertTrue(plan.approved_date)
        plan.with_user(self.ka_user).action_close()
        self.assertEqual(plan.state, "closed")
        with self.assertRefused(ValidationError, "cannot change anymore"):
            plan.with_user(self.ka_manager).write({"threats": "New entrant"})

    def test_a_large_potential_goes_to_the_director(self):
        plan = self._plan(potential_ids=[Command.create({"categ_id": self.valves.id, "potential_amount": 1500000.0})])
        self.assertTrue(plan.needs_director_approval)
        plan.with_user(self.ka_user).action_submit()
        self.assertEqual(
            self._reviewers(plan), ["key_account_mgmt.group_ka_manager", "key_account_mgmt.group_ka_director"]
        )
        plan.with_user(self.ka_manager).validate_tier()
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.ka_director).validate_tier()
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "approved")

    def test_material_fields_locked_under_review(self):
        plan = self._plan(
            potential_ids=[Command.create({"categ_id": self.valves.id, "potential_amount": 5000.0})],
            competitor_ids=[Command.create({"competitor": "Jinlong Valves", "share": 35.0})],
        )
        plan.with_user(self.ka_user).action_submit()
        for vals in ({"customer_goals": "Other goals"}, {"strengths": "Service"}, {"year": 2031}):
            with self.assertRefused(ValidationError, "under approval"):
                plan.with_user(self.ka_user).write(vals)
        with self.assertRefused(ValidationError, "under approval"):
            plan.potential_ids.with_user(self.ka_user).write({"potential_amount": 9000.0})
        with self.assertRefused(ValidationError, "under approval"):
            plan.competitor_ids.with_user(self.ka_user).write({"share": 10.0})
        with self.assertRefused(ValidationError, "under approval"):
            self.env["key.account.plan.objective"].with_user(self.ka_user).create({"plan_id": plan.id, "name": "More"})
        # the responsible is not what the manager approves
        plan.with_user(self.ka_user).write({"user_id": self.ka_clerk.id})
        plan.with_user(self.ka_manager).validate_tier()
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "approved")
        # a changed objective after the approval goes back to the KA Manager
        plan.objective_ids.with_user(self.ka_user).write({"target_value": 2000000.0})
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "submitted")

    def test_submission_needs_goals_and_objectives(self):
        plan = self._plan(customer_goals=False)
        with self.assertRefused(ValidationError, "customer's goals"):
            plan.with_user(self.ka_user).action_submit()
        plan.customer_goals = "Growth"
        plan.objective_ids.unlink()
        with self.assertRefused(ValidationError, "at least one objective"):
            plan.with_user(self.ka_user).action_submit()
        plan.objective_ids = [Command.create({"name": "Pumps"})]
        plan.potential_ids = [
            Command.create({"categ_id": self.valves.id}),
            Command.create({"categ_id": self.valves.id}),
        ]
        with self.assertRefused(ValidationError, "potential once"):
            plan.with_user(self.ka_user).action_submit()
        with self.assertRefused(ValidationError, "status changes only with the buttons"):
            plan.with_user(self.ka_user).write({"state": "approved"})

    def test_one_plan_per_account_and_year(self):
        self._plan()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._plan()
        self.assertEqual(self._plan(year=2031).year, 2031)
        # a copy of another year's plan is this year's, with the objectives, and a draft
        earlier = self.Plan.search([("partner_id", "=", self.account.id), ("year", "=", 2031)])
        copy = earlier.with_user(self.ka_user).copy()
        self.assertEqual(
            (copy.year, copy.state, copy.objective_ids.mapped("name")),
            (fields.Date.today().year, "draft", ["Win the valve framework"]),
        )
        with self.assertRefused(ValidationError, "between 2000 and 2100"):
            self._plan(year=31)
