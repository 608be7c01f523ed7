"""Cooperation state suggestions from data (issue #23): each rule of the state watch with its
data — no invoice of the group in 36 months, a surge of valid complaints, a score drop — raised
once (one row, one activity for the account manager however many runs) and cleared when the
data changes; never a change by itself: accepted through the state wizard or the monthly review
with their rules, or dismissed with a reason that is kept; the daily scheduled action in
batches, in a number of queries that does not grow with the accounts."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

ACTIVITY_TYPE = "key_account_mgmt.mail_activity_type_state_suggestion"


class StateSuggestionCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Watch = cls.env["key.account.state.watch"]
        cls.Suggestion = cls.env["key.account.state.suggestion"]
        cls.today = fields.Date.context_today(cls.Watch)
        cls.company.write(
            {
                "key_account_suggestion_complaints": 2,
                "key_account_suggestion_complaint_days": 30,
                "key_account_suggestion_score_drop": 10.0,
            }
        )
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Construction Wuhan Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        # the account has bought lately: only the rules under test raise
        cls._post_invoice(cls.account, 1000.0, cls.today - timedelta(days=20))
        cls.other_account.sudo().write({"cooperation_state": "maintained"})
        cls.account.sudo().write({"cooperation_state": "good"})

    def _watch(self, accounts=None):
        self.Watch._watch(accounts or self.account)

    def _open(self, rule, account=None):
        return self.Suggestion.search([("partner_id", "=", (account or self.account).id), ("rule", "=", rule)])

    def _activities(self, suggestions):
        return self.env["mail.activity"].search(
            [("res_model", "=", "key.account.state.suggestion"), ("res_id", "in", suggestions.ids)]
        )

    def assertRaisedOnce(self, rule, account=None):
        """One suggestion of ``rule`` still to decide with one activity for the account manager,
        after two runs."""
        account = account or self.account
        for _run in range(2):
            self._watch(account)
        suggestion = self._open(rule, account)
        self.assertEqual(len(suggestion), 1, rule)
        self.assertEqual(suggestion.decision, "pending")
        activity = self._activities(suggestion)
        self.assertEqual(len(activity), 1, rule)
        self.assertEqual(activity.activity_type_id, self.env.ref(ACTIVITY_TYPE))
        self.assertEqual(activity.user_id, account.key_account_manager_id)
        return suggestion, activity

    def assertCleared(self, suggestion, activity=None):
        self._watch(suggestion.partner_id)
        self.assertFalse(suggestion.active)
        self.assertTrue(suggestion.date_resolved)
        if activity is not None:
            self.assertFalse(activity.exists())
        self.assertFalse(self._open(suggestion.rule, suggestion.partner_id))

    def _valid_complaint(self, received, account=None):
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": "Steel delivered with rust",
                    "description": "<p>Two trucks of H-beams arrived rusty.</p>",
                    "partner_id": (account or self.account).id,
                    "date_received": received,
                    "request_type": "complaint",
                    "complaint_validity": "valid",
                    "root_cause": "Stored outside in the rain",
                }
            )
        )

    def _snapshot(self, account, months_ago, score):
        period = (self.today - relativedelta(months=months_ago)).replace(day=1)
        return (
            self.env["key.account.score"]
            .sudo()
            .create(
                {
                    "partner_id": account.id,
                    "scorecard_id": self.env.ref("key_account_mgmt.scorecard_default").id,
                    "period_date": period,
                    "date_computed": fields.Datetime.now(),
                    "score": score,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestStateSuggestionRules(StateSuggestionCase):
    # ------------------------------------------------------------------ each rule
    def test_no_invoice_of_the_group_in_36_months(self):
        self._watch(self.other_account)
        suggestion, activity = self.assertRaisedOnce("no_invoice", self.other_account)
        self.assertEqual(suggestion.suggested_state, "no_cooperation")
        self.assertIn("36 months", suggestion.description)
        self.assertFalse(self._open("no_invoice"), "the account invoiced 20 days ago")
        # an invoice of 37 months ago is no cooperation in the last three years
        self._post_invoice(self.other_account, 500.0, self.today - relativedelta(months=37))
        self._watch(self.other_account)
        self.assertTrue(suggestion.active)
        self.assertTrue(suggestion.facts["last"])
        self.assertEqual(len(self._activities(suggestion)), 1, "the same suggestion, the same activity")
        # a branch's invoice counts for its headquarters (the consolidation rule of the metrics)
        branch = self.env["res.partner"].create(
            {
                "name": "Huaxin Trading Xi'an",
                "is_company": True,
                "key_account_headquarters_id": self.other_account.id,
                "key_account_group_relation": "branch",
            }
        )
        self._post_invoice(branch, 300.0, self.today - timedelta(days=400))
        self.assertCleared(suggestion, activity)
        self.assertIn("Cleared", suggestion.message_ids[:1].body)

    def test_refunds_are_no_cooperation(self):
        self._post_invoice(self.other_account, 200.0, self.today - timedelta(days=5), move_type="out_refund")
        self._watch(self.other_account)
        self.assertTrue(self._open("no_invoice", self.other_account))

    def test_surge_of_valid_complaints(self):
        now = fields.Datetime.now()
        first = self._valid_complaint(now - timedelta(days=3))
        self._valid_complaint(now - timedelta(days=1)).complaint_validity = "invalid"
        self._watch()
        self.assertFalse(self._open("complaint_surge"), "one valid complaint: below the company's two")
        second = self._valid_complaint(now - timedelta(days=10))
        suggestion, activity = self.assertRaisedOnce("complaint_surge")
        self.assertEqual(suggestion.suggested_state, "problem")
        self.assertEqual(suggestion.facts, {"count": 2, "days": 30, "threshold": 2})
        self.assertIn("2 valid complaints in the last 30 days", suggestion.description)
        # a third one updates the facts of the same suggestion
        self._valid_complaint(now - timedelta(days=2))
        self._watch()
        self.assertEqual(suggestion.facts["count"], 3)
        self.assertEqual(len(self._activities(suggestion)), 1)
        # out of the window: cleared
        (first | second).sudo().write({"date_received": now - timedelta(days=40)})
        self.assertCleared(suggestion, activity)
        # the company's setting decides: 0 is never
        self.company.key_account_suggestion_complaints = 1
        self._watch()
        self.assertTrue(self._open("complaint_surge"))
        self.company.key_account_suggestion_complaints = 0
        self._watch()
        self.assertFalse(self._open("complaint_surge"))

    def test_score_drop_between_the_last_two_snapshots(self):
        self._snapshot(self.account, 4, 90.0)
        self._snapshot(self.account, 3, 82.0)
        self._watch()
        self.assertFalse(self._open("score_drop"), "8 points: below the company's 10")
        self._snapshot(self.account, 2, 70.0)
        suggestion, activity = self.assertRaisedOnce("score_drop")
        self.assertEqual(suggestion.suggested_state, "problem")
        self.assertEqual((suggestion.facts["before"], suggestion.facts["after"]), (82.0, 70.0))
        self.assertIn("from 82.0 to 70.0", suggestion.description)
        # the current month's snapshot ("Compute Now") is provisional: its month runs
        self._snapshot(self.account, 0, 75.0)
        self._watch()
        self.assertTrue(suggestion.active)
        self._snapshot(self.account, 1, 75.0)
        self.assertCleared(suggestion, activity)

    # ------------------------------------------------------------------ when nothing is suggested
    def test_no_suggestion_of_the_state_the_account_has_or_to_a_refused_account(self):
        self.other_account.sudo().cooperation_state = "no_cooperation"
        self._watch(self.other_account)
        self.assertFalse(self._open("no_invoice", self.other_account), "already the state the data tells")
        self.other_account.sudo().cooperation_state = "refused"
        self._watch(self.other_account)
        self.assertFalse(self._open("no_invoice", self.other_account), "a blacklist is a decision")
        # a suggestion still to decide is cleared once the account is in its state
        self.other_account.sudo().cooperation_state = "maintained"
        suggestion, activity = self.assertRaisedOnce("no_invoice", self.other_account)
        self.other_account.sudo().cooperation_state = "no_cooperation"
        self.assertCleared(suggestion, activity)

    def test_a_lost_account_has_no_suggestion(self):
        self._watch(self.other_account)
        suggestion = self._open("no_invoice", self.other_account)
        self.assertTrue(suggestion)
        self.other_account.action_lose_key_account("price", "Cheaper rival")
        self.Watch._cron_state_watch()
        self.assertFalse(suggestion.active)

    def test_activity_in_the_account_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.ka_user_off.lang = "zh_CN"
        self.Watch.with_context(lang="en_US")._watch(self.other_account)
        suggestion = self._open("no_invoice", self.other_account)
        chinese = suggestion.with_context(lang="zh_CN")
        activity = self._activities(suggestion)
        self.assertEqual(activity.summary, chinese._summary())
        self.assertIn(self.other_account.name, activity.summary)

    # ------------------------------------------------------------------ the scheduled action
    def test_cron_checks_every_account_once_per_pass_in_batches(self):
        accounts = self.account | self.other_account
        for index in range(3):
            accounts |= self._key_account(f"Idle Account {index}", manager=self.ka_user)
        params = self.env["ir.config_parameter"].sudo()
        self.Watch._cron_state_watch(batch_size=2)
        self.assertEqual(int(params.get_param("key_account_mgmt.state_watch_cursor")), accounts.sorted("id")[1].id)
        self.Watch._cron_state_watch(batch_size=2)
        self.Watch._cron_state_watch(batch_size=2)
        self.assertEqual(params.get_param("key_account_mgmt.state_watch_cursor"), "0", "the pass is complete")
        self.assertEqual(self.Suggestion.search_count([("partner_id", "in", accounts.ids)]), 4, "all but the buyer")
        self.Watch._cron_state_watch(batch_size=10)
        self.assertEqual(self.Suggestion.search_count([("partner_id", "in", accounts.ids)]), 4, "a new pass: once")

    def test_queries_per_batch_do_not_grow_with_the_accounts(self):
        def queries(accounts):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Watch._watch(accounts)
            return self.env.cr.sql_log_count - before

        now = fields.Datetime.now()
        few, many = self.account, self.account
        for index in range(8):
            account = self._key_account(f"Query Account {index}", manager=self.ka_user)
            self._valid_complaint(now - timedelta(days=1), account)
            self._snapshot(account, 2, 80.0)
            self._snapshot(account, 1, 60.0)
            many |= account
            if index < 2:
                few |= account
        self.Watch._watch(many)  # raise what there is to raise first: then nothing changes
        steady_few, steady_many = queries(few), queries(many)
        self.assertEqual(steady_few, steady_many, f"{len(few)} accounts: {steady_few}, {len(many)}: {steady_many}")
        self.assertLessEqual(steady_many, 20)


@tagged("post_install", "-at_install")
class TestStateSuggestionDecision(StateSuggestionCase):
    def _no_invoice(self):
        self._watch(self.other_account)
        return self._open("no_invoice", self.other_account)

    def test_accept_goes_through_the_state_wizard_and_its_rules(self):
        suggestion = self._no_invoice()
        activity = self._activities(suggestion)
        action = suggestion.with_user(self.ka_user_off).action_accept()
        self.assertEqual(action["res_model"], "key.account.state.wizard")
        self.assertEqual(self.other_account.cooperation_state, "maintained", "never a change by itself")
        wizard = (
            self.env["key.account.state.wizard"].with_user(self.ka_user_off).with_context(action["context"]).create({})
        )
        self.assertEqual(wizard.state, "no_cooperation")
        self.assertEqual(wizard.reason, suggestion._text())
        self.assertTrue(wizard.is_downgrade)
        with self.assertRefused(ValidationError, "remedy plan"):
            wizard.action_apply()
        self.assertEqual(suggestion.decision, "pending")
        wizard.remedy_plan = "Visit the new purchasing director in March"
        wizard.action_apply()
        self.assertEqual(self.other_account.cooperation_state, "no_cooperation")
        log = self.env["key.account.state.log"].search([("partner_id", "=", self.other_account.id)], limit=1)
        self.assertEqual((log.change_type, log.escalated), ("downgrade", True), "the state action's rules")
        self.assertEqual(suggestion.decision, "accepted")
        self.assertEqual(suggestion.state_log_id, log)
        self.assertEqual(suggestion.decision_user_id, self.ka_user_off)
        self.assertFalse(activity.exists())
        # accepted, the data still shows it: not raised again
        self._watch(self.other_account)
        self.assertEqual(self._open("no_invoice", self.other_account), suggestion)

    def test_accept_in_the_monthly_review(self):
        suggestion = self._no_invoice()
        review = self.env["key.account.monthly.review"].create(
            {"partner_id": self.other_account.id, "user_id": self.ka_user_off.id}
        )
        self.assertEqual(review.with_user(self.ka_user_off).state_suggestion_ids, suggestion)
        self.assertEqual(review.cooperation_state, "maintained")
        suggestion.with_user(self.ka_user_off).with_context(key_account_review_id=review.id).action_accept()
        self.assertEqual(review.cooperation_state, "no_cooperation")
        self.assertEqual(self.other_account.cooperation_state, "maintained", "filing the review makes the change")
        review.with_user(self.ka_user_off).write({"commentary": "No orders since 2022"})
        with self.assertRefused(ValidationError, "remedy plan"):
            review.with_user(self.ka_user_off).action_done()
        review.with_user(self.ka_user_off).write({"remedy_plan": "Development plan with the new buyer"})
        review.with_user(self.ka_user_off).action_done()
        self.assertEqual(self.other_account.cooperation_state, "no_cooperation")
        self.assertEqual(suggestion.decision, "accepted")
        self.assertFalse(review.state_suggestion_ids)
        # another account's review does not take the suggestion
        other_review = self.env["key.account.monthly.review"].create({"partner_id": self.account.id})
        with self.assertRefused(UserError, "already accepted"):
            suggestion.with_context(key_account_review_id=other_review.id).action_accept()

    def test_dismiss_needs_a_reason_and_is_kept(self):
        suggestion = self._no_invoice()
        activity = self._activities(suggestion)
        user = self.ka_user_off
        for reason in ("", "   ", None):
            with self.assertRefused(ValidationError, "Say why"):
                suggestion.with_user(user).action_dismiss(reason)
        wizard = (
            self.env["key.account.state.suggestion.dismiss"]
            .with_user(user)
            .create({"suggestion_id": suggestion.id, "reason": "Orders go through their trading company"})
        )
        wizard.action_confirm()
        self.assertEqual(suggestion.decision, "dismissed")
        self.assertEqual(suggestion.dismiss_reason, "Orders go through their trading company")
        self.assertEqual(suggestion.decision_user_id, user)
        self.assertFalse(activity.exists())
        self.assertIn("Orders go through", suggestion.message_ids[:1].body)
        self.assertFalse(self.other_account.with_user(user).key_account_state_suggestion_ids)
        # kept: not changed, not deleted, not decided again
        with self.assertRaises(AccessError):
            suggestion.with_user(self.ka_manager).write({"dismiss_reason": "Changed"})
        with self.assertRaises(AccessError):
            suggestion.with_user(self.ka_manager).unlink()
        with self.assertRefused(UserError, "already accepted or dismissed"):
            suggestion.with_user(user).action_dismiss("Again")
        # not raised again while the data shows it; a new occurrence is a new suggestion
        self._watch(self.other_account)
        self.assertEqual(self._open("no_invoice", self.other_account), suggestion)
        self._post_invoice(self.other_account, 100.0, self.today)
        self._watch(self.other_account)
        self.assertFalse(suggestion.active)
        self.assertTrue(suggestion.exists())

    def test_rights_per_role(self):
        suggestion = self._no_invoice()
        # the team, clerks, managers and directors read it; another team and a salesperson do not
        for user in (self.ka_user_off, self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(self.Suggestion.with_user(user).search([("id", "=", suggestion.id)]), suggestion)
        self.assertFalse(self.Suggestion.with_user(self.ka_user).search([("id", "=", suggestion.id)]))
        self.assertFalse(self.Suggestion.with_user(self.ka_manager_b).search([("id", "=", suggestion.id)]))
        with self.assertRaises(AccessError):
            self.Suggestion.with_user(self.plain_user).search([])
        # deciding is the team's and the managers': another team and a clerk off the team are refused
        for user in (self.ka_user, self.ka_clerk, self.plain_user):
            with self.assertRaises(AccessError, msg=user.login):
                suggestion.with_user(user).action_dismiss("Not ours")
            with self.assertRaises(AccessError, msg=user.login):
                suggestion.with_user(user).action_accept()
        # nobody writes the fields of the actions
        for user in (self.ka_user_off, self.ka_manager):
            with self.assertRaises(AccessError, msg=user.login):
                suggestion.with_user(user).write({"decision": "accepted"})
        with self.assertRaises(AccessError):
            self.Suggestion.with_user(self.ka_manager).create(
                {"partner_id": self.account.id, "rule": "score_drop", "suggested_state": "problem"}
            )
        suggestion.with_user(self.ka_manager).action_dismiss("Decided at the sales meeting")
        self.assertEqual(suggestion.decision_user_id, self.ka_manager)
