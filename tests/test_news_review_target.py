"""Account news, monthly reviews and targets (SPEC §7; seed 001 §2.1; issue #7)."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_monthly_report import OCTOBER, ReportCase


@tagged("post_install", "-at_install")
class TestNewsReviewTarget(ReportCase):
    def test_news_notifies_team_and_managers(self):
        news = (
            self.env["key.account.news"]
            .with_user(self.plain_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "name": "Competitor offers 8% off",
                    "news_type": "competitor",
                    "importance": "2",
                }
            )
        )
        followers = news.sudo().message_partner_ids
        self.assertIn(self.ka_user.partner_id, followers)
        self.assertIn(self.ka_manager.partner_id, followers)
        self.assertNotIn(self.ka_user_off.partner_id, followers)
        activity = self.env["mail.activity"].search([("res_model", "=", "key.account.news"), ("res_id", "=", news.id)])
        self.assertEqual(activity.user_id, self.ka_user, "high importance: an activity for the account manager")
        normal = (
            self.env["key.account.news"]
            .with_user(self.ka_user)
            .create({"partner_id": self.account.id, "name": "Canteen reopened"})
        )
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "key.account.news"), ("res_id", "=", normal.id)])
        )

    def test_news_rights(self):
        News = self.env["key.account.news"]
        mine = News.with_user(self.plain_user).create({"partner_id": self.account.id, "name": "Heard at the fair"})
        self.assertEqual(News.with_user(self.plain_user).search([]), mine, "a salesperson sees what they reported")
        self.assertEqual(News.with_user(self.ka_user).search([]), mine | self.news)
        self.assertFalse(News.with_user(self.ka_user_off).search([]))
        self.assertEqual(len(News.with_user(self.ka_clerk).search([])), 2)
        with self.assertRaises(AccessError):
            self.news.with_user(self.plain_user).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.plain_user).unlink()
        mine.with_user(self.ka_manager).unlink()
        self.assertFalse(mine.exists())
        with self.assertRaises(ValidationError):
            News.with_user(self.plain_user).create({"partner_id": self.customer.id, "name": "Not a key account"})

    def test_review_purchases_and_state_confirmation(self):
        self.assertAlmostEqual(self.review.purchases, 90000.0, places=2)
        self.assertEqual((self.review.period_date, self.review.cooperation_state), (OCTOBER, "good"))
        logs_before = self.env["key.account.state.log"].search_count([("partner_id", "=", self.account.id)])
        self.review.with_user(self.ka_user).action_done()
        self.assertEqual(self.review.state, "done")
        last = self.env["key.account.state.log"].search([("partner_id", "=", self.account.id)], limit=1)
        self.assertEqual(
            self.env["key.account.state.log"].search_count([("partner_id", "=", self.account.id)]), logs_before + 1
        )
        self.assertEqual(last.change_type, "confirm")
        with self.assertRefused(ValidationError, "already has its review of 2026-10"):
            self.env["key.account.monthly.review"].create(
                {"partner_id": self.account.id, "period_date": date(2026, 10, 2)}
            )

    def test_review_downgrade_needs_remedy_and_rights(self):
        review = (
            self.env["key.account.monthly.review"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "period_date": date(2026, 11, 1),
                    "commentary": "Orders stopped.",
                    "cooperation_state": "maintained",
                }
            )
        )
        with self.assertRefused(ValidationError, "explanation and a remedy plan"):
            review.action_done()
        self.assertEqual(review.state, "draft")
        self.assertEqual(self.account.cooperation_state, "good")
        review.write({"state_reason": "Budget frozen", "remedy_plan": "Offer deferred payment"})
        review.action_done()
        self.assertEqual(self.account.cooperation_state, "maintained")
        empty = (
            self.env["key.account.monthly.review"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "period_date": date(2026, 12, 1),
                }
            )
        )
        with self.assertRefused(ValidationError, "commentary"):
            empty.action_done()
        with self.assertRaises(AccessError):
            review.with_user(self.ka_user_off).read(["commentary"])
        with self.assertRaises(AccessError):
            self.env["key.account.monthly.review"].with_user(self.ka_user_off).create(
                {"partner_id": self.account.id, "period_date": date(2027, 1, 1)}
            )
        with self.assertRaises(AccessError):
            self.env["key.account.monthly.review"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            review.with_user(self.ka_user).unlink()

    def test_review_reminder_once_per_month(self):
        Review = self.env["key.account.monthly.review"]
        self.env["ir.config_parameter"].set_param("key_account_mgmt.monthly_review_day", 20)
        with freeze_time("2026-11-19 08:00"):
            Review._cron_remind()
        self.assertFalse(Review.search([("period_date", "=", date(2026, 11, 1))]))
        with freeze_time("2026-11-20 08:00"):
            Review._cron_remind()
            Review._cron_remind()
        reviews = Review.search([("period_date", "=", date(2026, 11, 1))])
        self.assertEqual(reviews.partner_id, self.account | self.other_account)
        with freeze_time("2026-11-20 08:00"), self.assertRefused(ValidationError, "already has its review of 2026-11"):
            Review.create({"partner_id": self.account.id})
        activities = self.env["mail.activity"].search([("res_model", "=", Review._name), ("res_id", "in", reviews.ids)])
        self.assertEqual(len(activities), 2)
        self.assertEqual(activities.user_id, self.ka_user | self.ka_user_off)
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2026, 11, 30)})

    def test_targets(self):
        Target = self.env["key.account.target"]
        quarter = Target.create(
            {
                "user_id": self.ka_user_off.id,
                "partner_id": self.other_account.id,
                "period_kind": "quarter",
                "date_from": date(2026, 11, 17),
                "sales_target": 60000.0,
            }
        )
        self.assertEqual((quarter.date_from, quarter.date_to), (date(2026, 10, 1), date(2026, 12, 31)))
        self.assertAlmostEqual(quarter.sales_actual, 30000.0, places=2)
        self.assertAlmostEqual(quarter.sales_completion, 50.0, places=2)
        with self.assertRefused(ValidationError, "overlapping"):
            Target.create(
                {
                    "user_id": self.ka_user_off.id,
                    "partner_id": self.other_account.id,
                    "period_kind": "month",
                    "date_from": date(2026, 12, 1),
                    "sales_target": 1.0,
                }
            )
        with self.assertRefused(ValidationError, "negative"):
            quarter.write({"sales_target": -5.0})
        with self.assertRefused(ValidationError, "leave the key account empty"):
            quarter.write({"new_accounts_target": 2})
        with self.assertRefused(ValidationError, "needs a sales amount"):
            Target.create({"user_id": self.ka_user.id, "period_kind": "month", "date_from": OCTOBER})
        self.assertEqual(Target.with_user(self.ka_user).search([]).partner_id, self.account)
        self.assertEqual(Target.with_user(self.ka_user_off).search([]), quarter)
        with self.assertRaises(AccessError):
            Target.with_user(self.ka_user).create(
                {"user_id": self.ka_user.id, "period_kind": "month", "date_from": OCTOBER, "sales_target": 1.0}
            )
        with self.assertRaises(AccessError):
            quarter.with_user(self.ka_clerk).write({"sales_target": 1.0})
        quarter.with_user(self.ka_manager).write({"sales_target": 90000.0})
        self.assertAlmostEqual(quarter.sales_completion, 33.33, places=2)
