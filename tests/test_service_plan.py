"""Service plans per tier (服务规范, issue #20): what each tier is owed, the compliance of an
account (done / owed, line by line, and overall) computed by hand for each of the default
tiers, on the key account and in the KPI 客户服务规范执行情况 per specialist; the satisfaction
alert marks are the company's settings; survey invitations leave from the account manager."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase
from .survey_common import SurveyDataMixin
from .test_visit import VisitCase

Q1 = (date(2026, 1, 1), date(2026, 3, 31))  # three months of 2026


@tagged("post_install", "-at_install")
class TestServicePlan(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal_account = cls._key_account(
            "Jinan Heavy Industry", cls.ka_user, key_account_tier_id=cls.tier_normal.id
        )
        cls.metrics = cls.env["key.account.metrics"]

    def _satisfied(self, partner, start, end, responses=2):
        return self.env["key.account.satisfaction"].create(
            {
                "partner_id": partner.id,
                "period_start": start,
                "period_end": end,
                "score": 80.0,
                "response_count": responses,
            }
        )

    def _evaluation(self, partner, start, end, state="accepted"):
        return self.env["key.account.evaluation"].create(
            {
                "partner_id": partner.id,
                "user_id": partner.key_account_manager_id.id,
                "period_start": start,
                "period_end": end,
                "went_well": "On time",
                "problems": "None",
                "rating": "4",
                "state": state,
            }
        )

    def _work(self):
        """Strategic Hengtai, Q1 2026: on-site visits on 10 January (3 h, gifts 2 × 800) and
        20 February (2.5 h), a phone call on 5 March (1 h), an on-site reception on 12 March (4 h;
        the company does not count receptions as visits), a survey period with answers, the
        evaluation of the first half year accepted (and a draft of the second: not counted), an
        on-site visit on 2 April (outside). Normal Jinan: one on-site visit of 1 h."""
        gifts = [Command.create({"name": "Calendar", "quantity": 2, "unit_value": 800.0})]
        self._reported(report={"date_done": datetime(2026, 1, 10, 2, 0)}, duration=3.0, gift_line_ids=gifts)
        self._reported(report={"date_done": datetime(2026, 2, 20, 2, 0)}, duration=2.5)
        self._reported(report={"date_done": datetime(2026, 3, 5, 2, 0)}, duration=1.0, method="phone")
        self._reported(model="key.account.reception", report={"date_done": datetime(2026, 3, 12, 2, 0)}, duration=4.0)
        self._reported(report={"date_done": datetime(2026, 4, 2, 2, 0)}, duration=2.0)
        self._satisfied(self.account, date(2026, 1, 1), date(2026, 3, 31))
        self._satisfied(self.account, date(2025, 10, 1), date(2025, 12, 31))
        self._evaluation(self.account, date(2026, 1, 1), date(2026, 6, 30))
        self._evaluation(self.account, date(2026, 7, 1), date(2026, 12, 31), state="draft")
        self._reported(
            partner=self.normal_account,
            contact_ids=[(6, 0, [])],
            report={"date_done": datetime(2026, 2, 2, 2, 0)},
            duration=1.0,
        )

    def test_default_plans_of_the_tiers(self):
        """Seed 002: 24 / 18 / 12 service hours a month; evaluations half-yearly or yearly."""
        plans = self.env["key.account.service.plan"].search([("company_id", "=", self.company.id)])
        got = {
            plan.tier_id: (plan.onsite_visits, plan.business_reviews, plan.trainings, plan.surveys, plan.service_hours)
            for plan in plans
        }
        self.assertEqual(got[self.tier_strategic], (12, 2, 4, 4, 24.0))
        self.assertEqual(got[self.tier_key], (6, 2, 2, 2, 18.0))
        self.assertEqual(got[self.tier_normal], (4, 1, 1, 1, 12.0))

    def test_compliance_per_tier_by_hand(self):
        self._work()
        figures = self.metrics._service_compliance((self.account | self.other_account | self.normal_account).ids, *Q1)
        # strategic, 3 of 12 months: owed 3 visits, 0.5 review, 1 training, 1 survey, 72 h, 5,000 of gifts
        lines = figures[self.account.id]["lines"]
        self.assertEqual(
            {kind: (owed, done) for kind, (owed, done, _rate) in lines.items()},
            {
                "onsite_visit": (3.0, 2.0),
                "business_review": (0.5, 1.0),
                "training": (1.0, 0.0),
                "survey": (1.0, 1.0),
                "service_hours": (72.0, 10.5),
                "gift": (5000.0, 1600.0),
            },
        )
        self.assertAlmostEqual(lines["onsite_visit"][2], 200 / 3)
        self.assertAlmostEqual(lines["business_review"][2], 200.0, msg="a line's own rate is not capped")
        self.assertAlmostEqual(lines["gift"][2], 32.0)
        # overall: (2/3 + 1 (capped) + 0 + 1 + 10.5/72) / 5 — the gift budget is no duty
        self.assertAlmostEqual(figures[self.account.id]["rate"], 100 * (2 / 3 + 1 + 0 + 1 + 10.5 / 72) / 5)
        self.assertAlmostEqual(figures[self.account.id]["rate"], 56.25)
        # key, nothing done: 1.5 visits, 0.5 review, 0.5 training, 0.5 survey, 54 h owed
        other = figures[self.other_account.id]
        self.assertEqual(other["lines"]["onsite_visit"][:2], (1.5, 0.0))
        self.assertEqual(other["lines"]["service_hours"][:2], (54.0, 0.0))
        self.assertEqual(other["rate"], 0.0)
        # normal: 1 visit of 1 owed, 1 h of 36
        normal = figures[self.normal_account.id]
        self.assertEqual(normal["lines"]["onsite_visit"][:2], (1.0, 1.0))
        self.assertEqual(normal["lines"]["business_review"][:2], (0.25, 0.0))
        self.assertAlmostEqual(normal["rate"], 100 * (1 + 1 / 36) / 5)
        # receptions count as on-site visits where the company says so
        self.company.key_account_reception_counts_as_visit = True
        figures = self.metrics._service_compliance(self.account.ids, *Q1)
        self.assertEqual(figures[self.account.id]["lines"]["onsite_visit"][:2], (3.0, 3.0))
        self.assertEqual(self.metrics._service_done_trainings(self.account.ids, *Q1), {}, "the care activities' hook")

    def test_no_plan_no_compliance(self):
        self.env.ref("key_account_mgmt.service_plan_key").active = False
        figures = self.metrics._service_compliance((self.account | self.other_account).ids, *Q1)
        self.assertNotIn(self.other_account.id, figures)
        self.assertIn(self.account.id, figures)

    @freeze_time("2026-03-31 10:00:00")
    def test_on_the_account_and_in_the_kpis(self):
        self._work()
        account = self.account.with_user(self.ka_user)
        self.assertAlmostEqual(account.key_account_service_compliance, 56.25, places=2)
        self.assertEqual(account.key_account_service_plan_id, self.env.ref("key_account_mgmt.service_plan_strategic"))
        self.assertIn("10.5", account.key_account_service_summary)
        # the KPI per specialist: the average of the accounts they manage (Hengtai and Jinan)
        ratios = self.env["key.account.kpi"].with_user(self.ka_manager)._kpi_ratios([("user_id", "=", self.ka_user.id)])
        figures = ratios[self.ka_user]
        self.assertEqual(figures["service_accounts"], 2)
        self.assertAlmostEqual(figures["service_compliance"], (56.25 + 100 * (1 + 1 / 36) / 5) / 2, places=4)
        theirs = (
            self.env["key.account.kpi"].with_user(self.ka_manager)._kpi_ratios([("user_id", "=", self.ka_user_off.id)])
        )
        self.assertEqual(theirs[self.ka_user_off]["service_compliance"], 0.0)
        # a figure like the score: KA Users read it, a plain salesperson does not
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_service_compliance"])

    def test_plan_rights_and_bad_values(self):
        plan = self.env.ref("key_account_mgmt.service_plan_normal")
        self.assertEqual(plan.with_user(self.ka_user).service_hours, 12.0, "every KA User reads the plans")
        with self.assertRaises(AccessError):
            plan.with_user(self.ka_user).write({"service_hours": 8.0})
        plan.with_user(self.ka_manager).write({"service_hours": 8.0})
        with self.assertRaises(ValidationError):
            plan.with_user(self.ka_manager).write({"onsite_visits": -1})
        self.assertFalse(
            self.env["key.account.service.plan"].with_user(self.ka_manager_b).search([("id", "=", plan.id)]),
            "another company's plans are not seen",
        )


@tagged("post_install", "-at_install")
class TestSatisfactionSettings(SurveyDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._survey_setup()

    def _satisfaction(self, partner, score, previous=None):
        return self.env["key.account.satisfaction"].create(
            {
                "partner_id": partner.id,
                "period_start": date(2026, 4, 1),
                "period_end": date(2026, 6, 30),
                "score": score,
                "response_count": 1,
                "has_previous": previous is not None,
                "previous_score": previous or 0.0,
                "score_change": score - previous if previous is not None else 0.0,
            }
        )

    def test_thresholds_from_the_company(self):
        self.assertEqual(
            (self.company.key_account_satisfaction_low_score, self.company.key_account_satisfaction_drop), (60.0, 10.0)
        )
        self.company.key_account_satisfaction_low_score = 80.0
        low = self._satisfaction(self.account, 75.0)
        low._alert()
        self.assertEqual(low.alert, "low")
        self.assertIn("below 80", low.activity_ids.note)
        self.company.write({"key_account_satisfaction_low_score": 70.0, "key_account_satisfaction_drop": 5.0})
        drop = self._satisfaction(self.other_account, 75.0, previous=81.0)
        drop._alert()
        self.assertEqual(drop.alert, "drop", "6 points down, the company's mark is 5")
        with self.assertRaises(ValidationError):
            self.company.key_account_satisfaction_low_score = 120.0
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.key_account_satisfaction_drop, 5.0)

    def test_a_new_company_starts_from_the_former_parameter(self):
        self.env["ir.config_parameter"].sudo().set_param("key_account_mgmt.satisfaction_low_score", "55")
        company = self.env["res.company"].create({"name": "KA Third Company"})
        self.assertEqual(company.key_account_satisfaction_low_score, 55.0)

    def test_invitations_leave_from_the_account_manager(self):
        self.assertTrue(self.ka_user.email)
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        invitation = self._invitation(self.buyer_a)
        mail = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", invitation.user_input_id.id)]
        )
        self.assertEqual(mail.author_id, self.ka_user.partner_id)
        self.assertEqual(mail.email_from, self.ka_user.email_formatted)
        self.assertEqual(mail.reply_to, self.ka_user.email_formatted)
        self.assertEqual(fields.Date.to_date(invitation.period_start).year, fields.Date.today().year)
