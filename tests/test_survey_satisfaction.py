"""Satisfaction surveys (issue #20): one invitation per contact and period, the score from the
answers computed by hand, its breakdown, the alerts, the KPI, the scoring source, the monthly
report column and the key account header; rights per role; bad input refused."""

from datetime import date

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KeyAccountCase
from .survey_common import SurveyDataMixin

# Wang Gang: 4 + 3 + 4 + 2 + 1 + 3 = 17 of 24 points; Li Na: 3 x 6 = 18 of 24
WANG = (4, 3, 4, 2, 1, 3)
LI = (3, 3, 3, 3, 3, 3)
ACCOUNT_SCORE = round(100 * 35 / 48, 2)  # 72.92
PER_QUESTION = {"product": 87.5, "delivery": 75.0, "service": 87.5, "support": 62.5, "price": 50.0, "overall": 75.0}


@tagged("post_install", "-at_install")
class TestSurveyCampaign(SurveyDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._survey_setup()

    def test_one_invitation_per_contact_and_period(self):
        """The scheduled action run twice invites each chosen contact once, in the period of
        its account's tier; the coach (role not chosen) and the buyer without e-mail are not."""
        Invitation = self.env["key.account.survey.invitation"]
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        first = Invitation.search([])
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        self.assertEqual(Invitation.search([]), first, "a second run invites nobody again")
        self.assertEqual(first.contact_id, self.buyer_a | self.buyer_b | self.buyer_other)
        mine = first.filtered(lambda i: i.partner_id == self.account)
        self.assertEqual(set(mine.mapped("period_start")), {self._quarter()[0]}, "strategic: quarterly")
        theirs = first.filtered(lambda i: i.partner_id == self.other_account)
        half = self.env["key.account.metrics"]._period(fields.Date.today(), "half")
        self.assertEqual((theirs.period_start, theirs.period_end), half, "key: half-yearly")
        for invitation in first:
            self.assertEqual(invitation.user_input_id.partner_id, invitation.contact_id)
            self.assertEqual(invitation.user_input_id.survey_id, self.survey)
            self.assertEqual(invitation.state, "new")
        mails = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "in", first.user_input_id.ids)]
        )
        self.assertEqual(len(mails), 3, "one e-mail per invitation")
        self.assertIn(first[0].user_input_id.access_token, "".join(mails.mapped("body_html")))
        # a campaign sent by hand afterwards finds nobody left to invite
        self.campaign.with_user(self.ka_manager).action_send_now()
        self.assertEqual(Invitation.search([]), first)

    def test_second_worker_leaves_the_sending(self):
        """While another worker sends (it holds the lock), the scheduled action invites nobody."""
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT pg_advisory_lock(20200001)")
            self.assertFalse(self.env["key.account.survey.campaign"]._cron_send_surveys())
            self.assertFalse(self.env["key.account.survey.invitation"].search([]))
        finally:
            other.execute("SELECT pg_advisory_unlock(20200001)")
            other.close()
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        self.assertEqual(len(self.env["key.account.survey.invitation"].search([])), 3)

    def test_unique_index(self):
        """The database itself refuses a second invitation of a contact for a period."""
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        start, end = self._quarter()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            self._invite_for(self.account, self.buyer_a, start, end)
            self.env.flush_all()

    def test_reminders(self):
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        invitation = self._invitation(self.buyer_a)
        invitation.date_sent = fields.Datetime.subtract(fields.Datetime.now(), days=8)
        self._answer(self._invitation(self.buyer_b), LI)
        self._invitation(self.buyer_b).date_sent = invitation.date_sent
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        self.assertEqual(invitation.reminder_count, 1)
        self.assertEqual(self._invitation(self.buyer_b).reminder_count, 0, "answered: no reminder")
        self.env["key.account.survey.campaign"]._cron_send_surveys()
        self.assertEqual(invitation.reminder_count, 1, "the next one after another 7 days")


@tagged("post_install", "-at_install")
class TestSatisfactionScore(SurveyDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._survey_setup()
        cls.env["key.account.survey.campaign"]._cron_send_surveys()

    def _satisfaction(self, account=None):
        return self.env["key.account.satisfaction"].search(
            [("partner_id", "=", (account or self.account).id)], order="period_start desc", limit=1
        )

    def test_answers_give_the_hand_computed_score(self):
        self._answer(self._invitation(self.buyer_a), WANG, improvement="Faster delivery to the Wuhan site")
        satisfaction = self._satisfaction()
        self.assertAlmostEqual(satisfaction.score, round(100 * 17 / 24, 2))
        self.assertEqual(satisfaction.response_count, 1)
        self._answer(self._invitation(self.buyer_b), LI)
        self.assertEqual(len(self.env["key.account.satisfaction"].search([("partner_id", "=", self.account.id)])), 1)
        self.assertAlmostEqual(satisfaction.score, ACCOUNT_SCORE)
        self.assertEqual((satisfaction.points, satisfaction.max_points, satisfaction.response_count), (35, 48, 2))
        self.assertEqual((satisfaction.period_start, satisfaction.period_end), self._quarter())
        breakdown = {line.question_id: line.score for line in satisfaction.line_ids}
        self.assertEqual(breakdown, {self.questions[code]: score for code, score in PER_QUESTION.items()})
        self.assertEqual(set(satisfaction.line_ids.mapped("answers")), {2})
        invitation = self._invitation(self.buyer_a)
        self.assertEqual(invitation.state, "done")
        self.assertAlmostEqual(invitation.score, round(100 * 17 / 24, 2))
        self.assertEqual(invitation.improvement, "Faster delivery to the Wuhan site")
        # the other account has no answer: no satisfaction, nothing on its header
        self.assertFalse(self._satisfaction(self.other_account))
        header = self.account.with_user(self.ka_user)
        self.assertAlmostEqual(header.key_account_satisfaction, ACCOUNT_SCORE)
        self.assertEqual(header.key_account_satisfaction_period, self._quarter()[0])
        self.assertFalse(header.key_account_satisfaction_alert, "72.92 is above the low mark of 60")
        self.assertFalse(satisfaction.activity_ids)

    def test_kpi_scoring_source_and_monthly_report(self):
        self._answer(self._invitation(self.buyer_a), WANG)
        self._answer(self._invitation(self.buyer_b), LI)
        self._answer(self._invitation(self.buyer_other), (1, 1, 1, 1, 1, 1))  # 6 / 24 = 25
        month = fields.Date.today().replace(day=1)
        figures = self.env["key.account.kpi"]._kpi_ratios([("month", "=", month), ("company_id", "=", self.company.id)])
        self.assertAlmostEqual(figures[self.ka_user]["satisfaction"], ACCOUNT_SCORE)
        self.assertEqual(figures[self.ka_user]["satisfaction_accounts"], 1)
        self.assertAlmostEqual(figures[self.ka_user_off]["satisfaction"], 25.0)
        row = self.env["key.account.kpi"].with_user(self.ka_user).search([("month", "=", month)])
        self.assertAlmostEqual(row.satisfaction_score, ACCOUNT_SCORE)
        run = {
            "windows": [(fields.Date.subtract(month, months=11), fields.Date.end_of(month, "month"))],
            "company_id": self.company.id,
            "partner_ids": [self.account.id, self.other_account.id, self.spare().id],
        }
        raw = self.env["key.account.score.source"]._score_source("satisfaction", run)
        self.assertEqual(raw, {self.account.id: ACCOUNT_SCORE, self.other_account.id: 25.0, self.spare().id: None})
        report = self.env["key.account.report"].generate(month)
        rows = {line.partner_id: line.satisfaction for line in report.line_ids}
        self.assertAlmostEqual(rows[self.account], ACCOUNT_SCORE)
        self.assertAlmostEqual(rows[self.other_account], 25.0)

    def test_rescoring_reads_the_satisfaction(self):
        """A satisfaction criterion on the scorecard: after rescoring, the account's score line
        holds the satisfaction and the points of its thresholds (72.92: 3 points from 60)."""
        scorecard = self.env["key.account.scorecard"]._for_company(self.env.company)
        dimension = self.env.ref("key_account_mgmt.dimension_cooperation")
        criterion = self.env["key.account.scorecard.criterion"].create(
            {
                "dimension_id": dimension.id,
                "name": "Customer satisfaction",
                "kind": "computed",
                "source": "satisfaction",
                "scale": "thresholds",
                "threshold_1": 20,
                "threshold_2": 40,
                "threshold_3": 60,
                "threshold_4": 75,
                "threshold_5": 90,
            }
        )
        self._answer(self._invitation(self.buyer_a), WANG)
        self._answer(self._invitation(self.buyer_b), LI)
        month = fields.Date.today().replace(day=1)
        scorecard._compute_scores(period_date=month)
        self.env.invalidate_all()
        line = self.env["key.account.score.line"].search(
            [("partner_id", "=", self.account.id), ("criterion_id", "=", criterion.id), ("period_date", "=", month)]
        )
        shared_by = len(dimension.criterion_ids.filtered("active"))
        self.assertAlmostEqual(line.raw_value, ACCOUNT_SCORE)
        self.assertEqual(line.points, 3)
        self.assertAlmostEqual(line.contribution, dimension.weight / shared_by * 3 / 5, places=2)
        other = self.env["key.account.score.line"].search(
            [
                ("partner_id", "=", self.other_account.id),
                ("criterion_id", "=", criterion.id),
                ("period_date", "=", month),
            ]
        )
        self.assertEqual((other.points, other.note), (0, "no_value"), "no answer, no value")

    def spare(self):
        if not hasattr(self, "_spare"):
            self._spare = self._key_account("Not Surveyed Ltd", manager=self.ka_user)
        return self._spare

    def test_low_score_proposes_a_review(self):
        """25 < 60: the account manager gets an activity proposing 'Problem customer'; the
        cooperation state itself does not change."""
        self.account.action_set_cooperation_state("good", "Contract signed")
        self._answer(self._invitation(self.buyer_a), (1, 1, 1, 1, 1, 1))
        satisfaction = self._satisfaction()
        self.assertEqual(
            (satisfaction.score, satisfaction.alert, satisfaction.proposed_state), (25.0, "low", "problem")
        )
        activity = satisfaction.activity_ids
        self.assertEqual(activity.user_id, self.ka_user)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("key_account_mgmt.mail_activity_type_satisfaction_review")
        )
        self.assertIn("below 60", activity.note)
        self.assertEqual(self.account.cooperation_state, "good", "a proposal, never a silent change")
        self._answer(self._invitation(self.buyer_b), (1, 1, 1, 1, 1, 1))
        self.assertEqual(len(satisfaction.activity_ids), 1, "one alert per account and period")
        action = satisfaction.with_user(self.ka_user).action_review_cooperation_state()
        self.assertEqual(action["res_model"], "key.account.state.wizard")
        self.assertEqual(action["context"]["default_state"], "problem")
        self.assertTrue(self.account.with_user(self.ka_user).key_account_satisfaction_alert)

    def test_worsening_trend_alerts(self):
        """A drop of 10 points or more against the period before alerts even above 60."""
        start, _end = self._quarter()
        before = fields.Date.subtract(start, months=3)
        earlier = self._invite_for(self.account, self.buyer_a, before, fields.Date.subtract(start, days=1))
        self._answer(earlier, (4, 4, 4, 4, 4, 4))
        self.assertFalse(self._satisfaction().alert)
        self._answer(self._invitation(self.buyer_a).filtered(lambda i: i.period_start == start), (3, 3, 3, 3, 3, 3))
        satisfaction = self._satisfaction()
        self.assertEqual(satisfaction.period_start, start)
        self.assertEqual((satisfaction.previous_score, satisfaction.score, satisfaction.score_change), (100, 75, -25))
        self.assertEqual(satisfaction.alert, "drop")
        self.assertIn("fell from 100.00 to 75.00", satisfaction.activity_ids.note)

    def test_test_entries_and_unanswered_count_nothing(self):
        invitation = self._invitation(self.buyer_a)
        invitation.user_input_id.with_user(self.public).sudo()._save_lines(
            self.questions["product"].sudo(),
            str(self.env.ref("key_account_mgmt.survey_satisfaction_q_product_very").id),
        )
        self.env["key.account.satisfaction"]._refresh(
            {(self.account.id, invitation.period_start): invitation.period_end}
        )
        self.assertFalse(self._satisfaction(), "an answer in progress does not count")


@tagged("post_install", "-at_install")
class TestSatisfactionRights(SurveyDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._survey_setup()
        cls.env["key.account.survey.campaign"]._cron_send_surveys()

    def setUp(self):
        super().setUp()
        self._answer(self._invitation(self.buyer_a), WANG, improvement="Price list in RMB")
        self._answer(self._invitation(self.buyer_other), LI)
        Satisfaction = self.env["key.account.satisfaction"]
        self.mine = Satisfaction.search([("partner_id", "=", self.account.id)])
        self.theirs = Satisfaction.search([("partner_id", "=", self.other_account.id)])

    def test_read_per_role(self):
        for model in ("key.account.satisfaction", "key.account.satisfaction.line", "key.account.survey.invitation"):
            records = self.env[model].search([("partner_id", "in", (self.account | self.other_account).ids)])
            for user, sees in (
                (self.ka_user, self.account),
                (self.ka_user_off, self.other_account),
                (self.ka_clerk, self.account | self.other_account),
                (self.ka_manager, self.account | self.other_account),
                (self.ka_director, self.account | self.other_account),
                (self.ka_manager_b, self.env["res.partner"]),
            ):
                found = self.env[model].with_user(user).search([("id", "in", records.ids)])
                self.assertEqual(found.partner_id, sees, f"{model} {user.login}")
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.plain_user).search([])
        invitation = self._invitation(self.buyer_a).with_user(self.ka_user)
        self.assertEqual(invitation.improvement, "Price list in RMB", "the team reads what to improve")
        with self.assertRaises(AccessError):
            self._invitation(self.buyer_a).with_user(self.ka_user_off).read(["improvement"])
        self.assertEqual(self.mine.with_user(self.ka_user).line_ids[:1].question, "Product quality")
        # every KA User sees the score on the header, like the account's score
        self.assertAlmostEqual(self.account.with_user(self.ka_user_off).key_account_satisfaction, 70.83)
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_satisfaction"])
        with self.assertRaises(AccessError):
            self.account.with_user(self.ka_user_off).action_open_satisfaction()
        action = self.account.with_user(self.ka_user).action_open_satisfaction()
        self.assertEqual(action["domain"], [("partner_id", "=", self.account.id)])

    def test_nobody_but_the_answers_changes_figures(self):
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            with self.assertRaises(AccessError):
                self.mine.with_user(user).write({"score": 100})
            with self.assertRaises(AccessError):
                self._invitation(self.buyer_a).with_user(user).write({"contact_id": self.buyer_b.id})
            with self.assertRaises(AccessError):
                self.env["key.account.survey.invitation"].with_user(user).create(
                    {"partner_id": self.account.id, "contact_id": self.coach.id, "period_start": date(2026, 1, 1)}
                )
            with self.assertRaises(AccessError):
                self.mine.with_user(user).unlink()
        self.assertAlmostEqual(self.mine.score, 70.83)

    def test_campaign_rights(self):
        Campaign = self.env["key.account.survey.campaign"]
        vals = {"name": "Spring", "survey_id": self.survey.id, "role_ids": [(6, 0, self.role_economic.ids)]}
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            with self.assertRaises(AccessError):
                Campaign.with_user(user).create(vals)
            with self.assertRaises(AccessError):
                self.campaign.with_user(user).write({"reminder_days": 1})
        self.assertEqual(self.campaign.with_user(self.ka_user).name, "Satisfaction 2026")
        with self.assertRaises(UserError):
            self.campaign.with_user(self.ka_user).action_send_now()
        for user in (self.ka_manager, self.ka_director):
            campaign = Campaign.with_user(user).create(vals)
            campaign.write({"reminder_days": 3})
            campaign.unlink()
        self.assertFalse(Campaign.with_user(self.ka_manager_b).search([("id", "=", self.campaign.id)]))

    def test_bad_input(self):
        Campaign = self.env["key.account.survey.campaign"].with_user(self.ka_manager)
        vals = {"name": "Bad", "survey_id": self.survey.id, "role_ids": [(6, 0, self.role_economic.ids)]}
        with self.assertRefused(ValidationError, "cannot be a negative number"):
            Campaign.create({**vals, "reminder_days": -1})
        unscored = self.env["survey.survey"].create(
            {
                "title": "Open questions only",
                "question_and_page_ids": [(0, 0, {"title": "Anything to add?", "question_type": "text_box"})],
            }
        )
        with self.assertRefused(ValidationError, "has no scored question"):
            Campaign.create({**vals, "survey_id": unscored.id})
        with self.assertRefused(UserError, "exactly one"):
            (self.mine | self.theirs).action_review_cooperation_state()
        with self.assertRefused(UserError, "A period is a month, a quarter or a year"):
            self.env["key.account.metrics"]._period(date(2026, 5, 1), "week")
        self.assertEqual(
            self.env["key.account.metrics"]._period(date(2026, 5, 1), "half"), (date(2026, 1, 1), date(2026, 6, 30))
        )
        self.assertEqual(
            self.env["key.account.metrics"]._period(date(2026, 7, 1), "half"), (date(2026, 7, 1), date(2026, 12, 31))
        )
