"""Developing key accounts (issue #19, part A): candidates found in the data against
hand-computed figures, proposals by hand, development plans with their layered approval, the
project team on the customer's account team, success (the nomination prefilled) and failure
(reasons reported), rights per role and bad input."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountCase, KeyAccountDataMixin, KeyAccountXmlRpcCase

STANDARDS = {
    "standard_operation": True,
    "standard_cooperation": True,
    "standard_confidentiality": True,
    "standard_cost": True,
}


class DevelopmentCase(KeyAccountDataMixin, KeyAccountCase):
    """The company's 12 months to the end of last month: 1,000,000 of sales.

    customer                        sales in w0                       share   rule
    Hengtai (key account)           903,500                           -       not a candidate
    Dongfang Machinery              60,000 (40,000 the year before)   6 %     strategic (≥ 5 %), growth 50 %
    Xinda Mining (head)             10,000 − 5,000 refund
      + its Shanxi branch           + 15,000 = 20,000                 2 %     key (≥ 1 %)
    Borderline Tools                9,000                             0.9 %   close: key misses 0.1 point
    Below Hardware                  7,000                             0.7 %   under the 20 % margin (0.8 %)
    Corner Shop                     500                               0.05 %  no
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = fields.Date.start_of(fields.Date.today() - relativedelta(months=1), "month")
        cls.day = cls.period + relativedelta(days=3)
        cls.year_before = cls.day - relativedelta(years=1)

        def company(name, **vals):
            return cls.env["res.partner"].create({"name": name, "is_company": True, **vals})

        cls.dongfang = company("Dongfang Machinery")
        cls.xinda = company("Xinda Mining")
        cls.branch = company(
            "Xinda Mining Shanxi Branch", key_account_headquarters_id=cls.xinda.id, key_account_group_relation="branch"
        )
        cls.borderline = company("Borderline Tools")
        cls.below = company("Below Hardware")
        cls.shop = company("Corner Shop")
        cls._post_invoice(cls.account, 903500.0, cls.day)
        cls._post_invoice(cls.dongfang, 60000.0, cls.day)
        cls._post_invoice(cls.dongfang, 40000.0, cls.year_before)
        cls._post_invoice(cls.xinda, 10000.0, cls.day)
        cls._post_invoice(cls.xinda, 5000.0, cls.day, move_type="out_refund")
        cls._post_invoice(cls.branch, 15000.0, cls.day)
        cls._post_invoice(cls.borderline, 9000.0, cls.day)
        cls._post_invoice(cls.below, 7000.0, cls.day)
        cls._post_invoice(cls.shop, 500.0, cls.day)
        cls.company.key_account_development_director_amount = 1000000.0
        cls.Candidate = cls.env["key.account.candidate"]

    def _found(self):
        return self.Candidate.search(
            [("company_id", "=", self.company.id), ("period_date", "=", self.period), ("source", "=", "data")],
            order="rank",
        )

    def _plan(self, user, partner, **vals):
        return (
            self.env["key.account.development"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "class_group": True,
                    "forecast_sales": 800000.0,
                    "forecast_profit": 120000.0,
                    "cost_personnel": 20000.0,
                    "cost_travel": 8000.0,
                    "cost_management": 2000.0,
                    "risk_factor": 40.0,
                    "method_visit": True,
                    **vals,
                }
            )
        )

    def _approved_plan(self, user, partner, **vals):
        plan = self._plan(user, partner, **STANDARDS, **vals)
        plan.action_submit()
        plan.with_user(self.ka_manager).validate_tier()
        if plan.needs_director_approval:
            plan.with_user(self.ka_director).validate_tier()
        self.assertEqual(plan.state, "approved")
        return plan


@tagged("post_install", "-at_install")
class TestCandidates(DevelopmentCase):
    def test_ranking_against_hand_computed_figures(self):
        count = self.Candidate.with_user(self.ka_manager).find_candidates()
        found = self._found()
        self.assertEqual(count, 3)
        self.assertEqual(found.partner_id, self.dongfang | self.xinda | self.borderline)
        rows = {
            c.partner_id: (c.rank, c.revenue, round(c.sales_share, 4), c.tier_id, c.meets_rule, round(c.share_gap, 4))
            for c in found
        }
        self.assertEqual(rows[self.dongfang], (1, 60000.0, 6.0, self.tier_strategic, True, 0.0))
        # the branch counts for its head, the refund is negative: 10,000 - 5,000 + 15,000
        self.assertEqual(rows[self.xinda], (2, 20000.0, 2.0, self.tier_key, True, 0.0))
        self.assertEqual(rows[self.borderline], (3, 9000.0, 0.9, self.tier_key, False, 0.1))
        dongfang = found.filtered(lambda c: c.partner_id == self.dongfang)
        self.assertEqual((dongfang.previous_revenue, dongfang.growth), (40000.0, 50.0))
        self.assertEqual((dongfang.company_revenue, dongfang.invoice_count), (1000000.0, 1))
        self.assertNotIn(self.branch, found.partner_id, "a branch is in its group's figures")
        self.assertNotIn(self.account, found.partner_id, "key accounts are no candidates")

    def test_rerun_replaces_without_duplicates(self):
        self.Candidate.with_user(self.ka_manager).find_candidates()
        first = self._found()
        # Below Hardware buys 2,000 more: 9,000 of 1,002,000 (0.898 %) is close to the key tier now
        self._post_invoice(self.below, 2000.0, self.day)
        self.Candidate.with_user(self.ka_manager).find_candidates()
        second = self._found()
        self.assertEqual(len(second), 4)
        self.assertEqual(second.filtered(lambda c: c.partner_id != self.below), first, "rows kept, updated")
        self.assertEqual(len(second.partner_id), 4)
        self.assertEqual(second.mapped("rank"), [1, 2, 3, 4])
        self.assertEqual(round(second.filtered(lambda c: c.partner_id == self.dongfang).company_revenue), 1002000)
        # a plan started directly is found by the next run: the candidate is shown in development
        plan = self._plan(self.ka_user, self.xinda)
        self.Candidate.with_user(self.ka_manager).find_candidates()
        self.assertEqual(self._found().filtered(lambda c: c.partner_id == self.xinda).development_id, plan)

    def test_cron_one_company_per_call_then_done(self):
        self.env["res.company"].search([]).write({"key_account_candidate_period": self.period})
        self.company.key_account_candidate_period = False
        self.Candidate._cron_find_candidates()
        self.assertEqual(self.company.key_account_candidate_period, self.period)
        self.assertEqual(len(self._found()), 3)
        self.Candidate._cron_find_candidates()  # nothing left to do: nothing duplicated
        self.assertEqual(len(self._found()), 3)

    def test_proposed_by_a_branch_salesperson(self):
        proposal = self.Candidate.with_user(self.plain_user).create(
            {"partner_id": self.shop.id, "note": "Opens three new shops next year"}
        )
        self.assertEqual((proposal.source, proposal.user_id), ("manual", self.plain_user))
        self.assertEqual((proposal.revenue, proposal.tier_id, proposal.meets_rule), (500.0, self.tier_key, False))
        self.Candidate.with_user(self.ka_manager).find_candidates()
        self.assertEqual(self.Candidate.with_user(self.plain_user).search([]), proposal, "only their own")
        self.assertIn(proposal, self.Candidate.with_user(self.ka_clerk).search([]))
        # a key account with its team is not theirs to propose
        with self.assertRefused(AccessError, "account team"):
            self.Candidate.with_user(self.plain_user).create({"partner_id": self.account.id})
        with self.assertRefused(AccessError, "change only through the actions"):
            proposal.with_user(self.plain_user).write({"revenue": 9999999.0})

    def test_only_a_manager_finds_and_starts(self):
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            with self.assertRefused(AccessError, "Key Account Manager"):
                self.Candidate.with_user(user).find_candidates()
        self.Candidate.with_user(self.ka_manager).find_candidates()
        candidate = self._found()[0]
        with self.assertRefused(AccessError, "Key Account Manager"):
            candidate.with_user(self.ka_clerk).action_start_development()
        action = candidate.with_user(self.ka_manager).action_start_development()
        plan = self.env["key.account.development"].browse(action["res_id"])
        self.assertEqual((plan.partner_id, plan.candidate_id, plan.forecast_sales), (self.dongfang, candidate, 60000.0))
        self.assertEqual(candidate.development_id, plan)
        self.assertIn(self.ka_manager, self.dongfang.key_account_team_user_ids)
        again = candidate.with_user(self.ka_manager).action_start_development()
        self.assertEqual(again["res_id"], plan.id, "one open plan per customer")

    def test_bad_input(self):
        manager = self.Candidate.with_user(self.ka_manager)
        with self.assertRefused(ValidationError, "is not a date"):
            manager.find_candidates("last month")
        with self.assertRefused(UserError, "one of your companies"):
            manager.find_candidates(company_id=self.company_b.id)
        with self.assertRefused(UserError, "Choose the customer"):
            self.Candidate.with_user(self.plain_user).create({"note": "No customer"})
        with self.assertRefused(ValidationError, "margin of candidates"):
            self.company.key_account_candidate_margin = 120
        self.assertEqual(self.company.key_account_candidate_margin, 20.0)


@tagged("post_install", "-at_install")
class TestDevelopmentPlan(DevelopmentCase):
    def test_forecast_and_manager_approval_below_threshold(self):
        plan = self._plan(self.ka_user, self.dongfang, **STANDARDS)
        # 120,000 × 60 % − 30,000 = 42,000
        self.assertEqual((plan.development_cost, plan.expected_value, plan.worth_developing), (30000.0, 42000.0, True))
        self.assertEqual(len(plan.advantage_ids), 6)
        self.assertFalse(plan.needs_director_approval)
        plan.with_user(self.ka_user).action_submit()
        self.assertEqual(len(plan.sudo().review_ids), 1)
        with self.assertRefused(ValidationError, "under approval"):
            plan.with_user(self.ka_user).write({"forecast_sales": 900000.0})
        plan.with_user(self.ka_manager).validate_tier()
        self.assertEqual(plan.state, "approved")

    def test_director_above_threshold(self):
        plan = self._plan(self.ka_user, self.dongfang, **STANDARDS, forecast_sales=1500000.0)
        self.assertTrue(plan.needs_director_approval)
        plan.with_user(self.ka_user).action_submit()
        self.assertEqual(len(plan.sudo().review_ids), 2)
        plan.with_user(self.ka_manager).validate_tier()
        self.assertEqual(plan.state, "submitted", "the director decides after the manager")
        plan.with_user(self.ka_director).validate_tier()
        self.assertEqual(plan.state, "approved")

    def test_submission_checks_leave_the_draft_unchanged(self):
        plan = self._plan(self.ka_user, self.dongfang, standard_operation=True)
        with self.assertRefused(ValidationError, "selection standards"):
            plan.with_user(self.ka_user).action_submit()
        plan.write(dict.fromkeys(STANDARDS, True))
        plan.write({"risk_factor": 90.0})  # 12,000 − 30,000 < 0
        with self.assertRefused(ValidationError, "not worth developing"):
            plan.with_user(self.ka_user).action_submit()
        self.assertEqual((plan.state, plan.sudo().review_ids.ids), ("draft", []))
        for vals, message in (
            ({"risk_factor": 150.0}, "risk factor"),
            ({"cost_travel": -1.0}, "cannot be negative"),
            ({"state": "approved"}, "status changes only"),
        ):
            with self.assertRefused(ValidationError, message):
                plan.with_user(self.ka_user).write(vals)
        self.assertEqual((plan.risk_factor, plan.cost_travel, plan.state), (90.0, 8000.0, "draft"))

    def test_success_prefills_the_nomination(self):
        plan = self._approved_plan(self.ka_user, self.dongfang, class_strategic=True, needs="Downtime of old crushers")
        plan.advantage_ids.filtered(lambda a: a.kind == "cost").write({"established": True, "note": "Lower energy"})
        action = plan.with_user(self.ka_user).action_mark_won()
        nomination = self.env["key.account.application"].browse(action["res_id"])
        self.assertEqual(plan.outcome, "won")
        self.assertEqual(plan.nomination_id, nomination)
        self.assertEqual(
            (nomination.partner_id, nomination.expected_annual_sales, nomination.development_cost, nomination.state),
            (self.dongfang, 800000.0, 30000.0, "draft"),
        )
        self.assertEqual(nomination.proposed_manager_id, self.ka_user)
        self.assertEqual(nomination.category_ids, self.env.ref("key_account_mgmt.category_group"))
        self.assertIn(plan.name, nomination.reasons)
        self.assertIn("Lower energy", nomination.reasons)
        self.assertIn("Downtime of old crushers", nomination.investigation_general)
        # the nomination goes its own way; the plan is closed
        nomination.with_user(self.ka_user).action_submit()
        nomination.with_user(self.ka_manager).validate_tier()
        self.assertTrue(self.dongfang.is_key_account)
        self.assertIn(self.ka_user, self.dongfang.key_account_team_user_ids, "the project team became the account team")
        with self.assertRefused(ValidationError, "is closed"):
            plan.with_user(self.ka_manager).write({"forecast_sales": 1.0})

    def test_failure_reason_reported(self):
        plan = self._approved_plan(self.ka_user, self.dongfang)
        with self.assertRefused(ValidationError, "reason of the failure"):
            plan.with_user(self.ka_user).action_mark_failed()
        self.assertEqual(plan.outcome, "open")
        reason = self.env.ref("key_account_mgmt.development_reason_competitor")
        plan.with_user(self.ka_user).write({"failure_reason_id": reason.id, "failure_analysis": "Sany signed 3 years"})
        plan.with_user(self.ka_user).action_mark_failed()
        self.assertEqual(plan.outcome, "failed")
        with self.assertRefused(UserError, "Only an approved plan in development"):
            plan.with_user(self.ka_user).action_mark_won()
        groups = (
            self.env["key.account.development"]
            .with_user(self.ka_manager)
            .read_group([("outcome", "=", "failed")], ["failure_reason_id"], ["failure_reason_id"])
        )
        self.assertEqual([(g["failure_reason_id"][0], g["failure_reason_id_count"]) for g in groups], [(reason.id, 1)])
        # a new plan for the customer may start again
        self._plan(self.ka_user, self.dongfang)


@tagged("post_install", "-at_install")
class TestDevelopmentRights(DevelopmentCase):
    def test_the_team_sees_its_plans_only(self):
        plan = self._plan(self.ka_user, self.dongfang)
        self.assertEqual(self.dongfang.key_account_team_user_ids, self.ka_user, "the coordinator joined the team")
        Plan = self.env["key.account.development"]
        for user, sees in (
            (self.ka_user, True),
            (self.ka_user_off, False),
            (self.ka_clerk, True),
            (self.ka_manager, True),
            (self.ka_director, True),
            (self.ka_manager_b, False),
        ):
            self.assertEqual(bool(Plan.with_user(user).search([("id", "=", plan.id)])), sees, user.login)
        with self.assertRaises(AccessError):
            Plan.with_user(self.plain_user).search([])
        # another specialist cannot start a second plan, nor take this customer over
        with self.assertRefused(AccessError, "account team"):
            self._plan(self.ka_user_off, self.dongfang)
        with self.assertRefused(UserError, "already being developed"):
            self._plan(self.ka_manager, self.dongfang)
        with self.assertRefused(AccessError, "coordinator"):
            plan.with_user(self.ka_user).write({"user_id": self.ka_user_off.id})

    def test_project_team_joins_and_leaves(self):
        plan = self._plan(self.ka_user, self.dongfang)
        Plan = self.env["key.account.development"].with_user(self.ka_user_off)
        with self.assertRefused(AccessError, "coordinator of the plan"):
            self.env["key.account.development.member"].with_user(self.ka_clerk).create(
                {"development_id": plan.id, "user_id": self.ka_clerk.id, "role": "liaison"}
            )
        plan.with_user(self.ka_user).write(
            {"member_ids": [(0, 0, {"user_id": self.ka_user_off.id, "role": "upgrade", "note": "Mine visit"})]}
        )
        self.assertIn(self.ka_user_off, self.dongfang.key_account_team_user_ids)
        self.assertEqual(Plan.search([("id", "=", plan.id)]), plan)
        plan.member_ids.with_user(self.ka_user).unlink()
        self.assertNotIn(self.ka_user_off, self.dongfang.key_account_team_user_ids)
        self.assertFalse(Plan.search([("id", "=", plan.id)]))
        # a manager hands the plan over: the coordinator follows
        plan.with_user(self.ka_manager).write({"user_id": self.ka_user_off.id})
        self.assertEqual(self.dongfang.key_account_team_user_ids, self.ka_user_off)


@tagged("post_install", "-at_install")
class TestDevelopmentVisits(DevelopmentCase):
    def _visit(self, model="key.account.visit"):
        return (
            self.env[model]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.dongfang.id,
                    "purpose": "Present our duplex pumps to the equipment department",
                    "date_planned": fields.Datetime.now() + relativedelta(days=5),
                    "duration": 2.0,
                    "method": "onsite",
                    "budget": 3000.0,
                }
            )
        )

    def test_visit_of_a_candidate_only_under_an_approved_plan(self):
        plan = self._plan(self.ka_user, self.dongfang, **STANDARDS)
        Visit = self.env["key.account.visit"].with_user(self.ka_user)
        partners = self.env["res.partner"].with_user(self.ka_user).search(Visit._partner_id_domain())
        self.assertNotIn(self.dongfang, partners)
        for model in ("key.account.visit", "key.account.reception"):
            visit = self._visit(model)
            with self.assertRefused(UserError, "is not a key account, nor under an approved development plan"):
                visit.action_submit()
            self.assertEqual(visit.state, "draft")
            visit.unlink()
        plan.action_submit()
        with self.assertRefused(UserError, "approved development plan"):
            self._visit().action_submit()
        plan.with_user(self.ka_manager).validate_tier()
        partners = self.env["res.partner"].with_user(self.ka_user).search(Visit._partner_id_domain())
        self.assertIn(self.dongfang, partners)
        visit = self._visit()
        self.assertEqual(visit.development_id, plan)
        visit.action_submit()
        visit.with_user(self.ka_manager).validate_tier()
        self.assertEqual(visit.state, "approved")
        # the project team sees it, another specialist does not
        self.assertFalse(Visit.with_user(self.ka_user_off).search([("id", "=", visit.id)]))
        report = {
            "date_done": fields.Datetime.now(),
            "talking_points": "Pump failures in shaft 3",
            "customer_needs": "Pumps lasting a year in acidic water",
            "outcome": "not_yet",
            "outcome_reason": "The chief engineer wants a trial in one mine first",
        }
        visit.write(report)
        with self.assertRefused(ValidationError, "Reason Category"):
            visit.action_done()
        self.assertEqual(visit.state, "approved")
        reason = self.env.ref("key_account_mgmt.development_reason_quality")
        visit.write({"outcome_reason_id": reason.id})
        visit.action_done()
        self.assertEqual(visit.state, "done")
        # no report, no reimbursement holds as for any visit: the flow is the visit's own
        groups = (
            self.env["key.account.visit"]
            .with_user(self.ka_manager)
            .read_group([("development_id", "!=", False)], ["outcome_reason_id"], ["outcome_reason_id"])
        )
        self.assertEqual([g["outcome_reason_id"][0] for g in groups], [reason.id])


@tagged("post_install", "-at_install")
class TestDevelopmentXmlRpc(KeyAccountDataMixin, KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman,key_account_mgmt.group_ka_user"
        cls.ka_user = new_test_user(cls.env, "rpc_dev_specialist", groups=groups)
        cls.ka_user_off = new_test_user(cls.env, "rpc_dev_other", groups=groups)
        cls.ka_manager = new_test_user(cls.env, "rpc_dev_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {"name": "RPC Development Account", "is_company": True, "is_key_account": True}
        )

    def test_candidates_and_plan_over_xmlrpc(self):
        day = fields.Date.start_of(fields.Date.today() - relativedelta(months=1), "month")
        customer = self.env["res.partner"].create({"name": "Remote Steel", "is_company": True})
        self._post_invoice(customer, 5000.0, day)
        self._post_invoice(self.account, 45000.0, day)
        self.assertEqual(self._call(self.ka_manager, "key.account.candidate", "find_candidates"), 1)
        rows = self._call(
            self.ka_manager, "key.account.candidate", "search_read", [], fields=["partner_id", "sales_share", "rank"]
        )
        self.assertEqual([(r["partner_id"][0], r["sales_share"], r["rank"]) for r in rows], [(customer.id, 10.0, 1)])
        self.assertIn("Key Account Manager", self._refused(4, self.ka_user, "key.account.candidate", "find_candidates"))
        plan_id = self._call(
            self.ka_user,
            "key.account.development",
            "create",
            {"partner_id": customer.id, "forecast_sales": 50000.0, "forecast_profit": 9000.0, "method_visit": True},
        )
        text = self._refused(2, self.ka_user, "key.account.development", "action_submit", [plan_id])
        self.assertIn("selection standards", text)
        self._refused(4, self.ka_user_off, "key.account.development", "read", [plan_id], ["name"])
        self.assertEqual(
            self._call(self.ka_user, "key.account.development", "read", [plan_id], ["state"])[0]["state"], "draft"
        )
