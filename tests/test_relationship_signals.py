"""Relationship risks (issue #21, part A): each rule of the relationship watch raised once — one
open risk and one activity for the account manager however many runs — and resolved (the risk
closed, its activity marked done) when the map no longer shows it; a champion leaving found at
once from the contact's change; the daily scheduled action in batches, in a number of queries
that does not grow with the accounts; the dashboard's tile."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_relationship_map import RelationshipCase

ACTIVITY_TYPE = "key_account_mgmt.mail_activity_type_relationship_risk"


@tagged("post_install", "-at_install")
class TestRelationshipSignals(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Watch = cls.env["key.account.relationship.watch"]
        cls.tier_strategic.visit_frequency_days = 30

    def _watch(self, accounts=None):
        self.Watch._watch(accounts or self.account)

    def _open(self, rule, account=None):
        return self.Signal.search([("partner_id", "=", (account or self.account).id), ("rule", "=", rule)])

    def _activities(self, signals):
        return self.env["mail.activity"].search(
            [("res_model", "=", "key.account.relationship.signal"), ("res_id", "in", signals.ids)]
        )

    def assertRaisedOnce(self, rule, contacts=None, account=None):
        """One open risk of ``rule`` with one activity for the account manager, after two runs."""
        for _run in range(2):
            self._watch(account)
        signal = self._open(rule, account)
        self.assertEqual(len(signal), 1, rule)
        activity = self._activities(signal)
        self.assertEqual(len(activity), 1, rule)
        self.assertEqual(activity.activity_type_id, self.env.ref(ACTIVITY_TYPE))
        self.assertEqual(activity.user_id, (account or self.account).key_account_manager_id)
        if contacts is not None:
            self.assertEqual(signal.with_context(active_test=False).contact_ids, contacts, rule)
        return signal, activity

    def assertResolved(self, signal, activity):
        """The risk closed on the next run, its activity done (gone, a message left)."""
        self._watch(signal.partner_id)
        self.assertFalse(signal.active)
        self.assertTrue(signal.date_resolved)
        self.assertFalse(activity.exists())
        self.assertIn("Resolved", signal.message_ids[:1].body)
        self.assertFalse(self._open(signal.rule, signal.partner_id))

    # ------------------------------------------------------------------ each rule
    def test_no_economic_buyer(self):
        signal, activity = self.assertRaisedOnce("no_economic_buyer")
        self.assertIn("economic buyer", signal.description)
        # a buying role set on the contact is enough: it goes to the map
        self.chairman.write({"buying_role": "economic"})
        self.assertResolved(signal, activity)
        # raised again (a new risk, a new activity) when the economic buyer leaves
        self.chairman.action_archive()
        again, _activity = self.assertRaisedOnce("no_economic_buyer")
        self.assertNotEqual(again, signal)

    def test_no_coach_or_champion(self):
        signal, activity = self.assertRaisedOnce("no_coach")
        row = self._entry(self.engineer, ["technical"])
        self._watch()
        self.assertTrue(signal.active, "a technical buyer is no coach")
        row.attitude = "champion"
        self.assertFalse(signal.active, "the team's edit resolves the risk at once")
        self.assertResolved(signal, activity)

    def test_opponent_in_a_deciding_role(self):
        engineer = self._entry(self.engineer, ["technical"], attitude="opponent")
        # high influence without a deciding role decides too
        buyer = self._entry(self.branch_buyer, ["payer"], attitude="opponent", influence="medium")
        self.assertFalse(self._open("opponent_deciding"), "new risks wait for the watch")
        signal, activity = self.assertRaisedOnce("opponent_deciding", self.engineer)
        self.assertIn("Qian Hao", signal.description)
        buyer.influence = "high"
        self._watch()
        self.assertEqual(signal.contact_ids, self.engineer | self.branch_buyer)
        self.assertEqual(len(self._activities(signal)), 1, "the same risk, the same activity")
        (engineer | buyer).attitude = "neutral"
        self.assertResolved(signal, activity)

    def test_decider_not_met_within_the_tiers_frequency(self):
        now = fields.Datetime.now()
        row = self._entry(self.chairman, ["economic"])
        self._watch()
        self.assertFalse(self._open("decider_not_met"), "new on the map: not due yet")
        # on the map for 40 days, never met: due (the tier says every 30 days)
        self.env.cr.execute(
            "UPDATE key_account_relationship SET create_date = %s WHERE id = %s", [now - timedelta(days=40), row.id]
        )
        row.invalidate_recordset(["create_date"])
        self._reported_visit(self.chairman, now - timedelta(days=35))
        signal, activity = self.assertRaisedOnce("decider_not_met", self.chairman)
        self.assertIn("30 days", signal.description)
        self._reported_visit(self.chairman, now - timedelta(days=2))
        self.assertResolved(signal, activity)
        # the tier's frequency decides: a 90-day tier is not due after 35 days
        self.env.cr.execute(
            "UPDATE key_account_visit SET date_done = %s WHERE partner_id = %s",
            [now - timedelta(days=35), self.account.id],
        )
        self.env["key.account.visit"].invalidate_model(["date_done"])
        self.account.key_account_tier_id = self.tier_normal
        self._watch()
        self.assertFalse(self._open("decider_not_met"))

    def test_champion_leaving_is_found_from_the_contacts_change(self):
        """Archived, moved to another company, another title: each raises the risk at once (no
        run of the watch), once; put right, it is resolved."""
        rival = self.env["res.partner"].create({"name": "Rival Steel", "is_company": True})
        row = self._entry(self.engineer, ["technical"], attitude="champion", user=self.ka_user)
        self.assertFalse(self._open("champion_left"))
        for change, undo, reason in (
            ({"active": False}, {"active": True}, "archived"),
            ({"parent_id": rival.id}, {"parent_id": self.account.id}, "moved"),
            ({"function": "Retired"}, None, "title"),
        ):
            with self.subTest(reason=reason):
                self.engineer.with_user(self.plain_user).write(change)  # anybody edits contacts
                signal = self._open("champion_left")
                self.assertEqual((len(signal), signal.with_context(active_test=False).contact_ids), (1, self.engineer))
                self.assertEqual(signal.facts["reasons"], {str(self.engineer.id): reason})
                activity = self._activities(signal)
                self.assertEqual(len(activity), 1)
                self._watch()
                self.assertEqual(self._open("champion_left"), signal, "once, not per run")
                if undo:
                    self.engineer.write(undo)
                else:
                    row.with_user(self.ka_user).action_title_checked()
                self.assertFalse(signal.active)
                self.assertFalse(activity.exists())
        # moving within the group (to a branch) is no leaving
        self.engineer.parent_id = self.branch
        self.assertFalse(self._open("champion_left"))
        # a champion who is no longer one is no risk either
        self.engineer.active = False
        self.assertTrue(self._open("champion_left"))
        row.attitude = "neutral"
        self._watch()
        self.assertFalse(self._open("champion_left"))

    def test_activity_in_the_account_managers_language(self):
        """Summary and note are written in the assignee's language (tools.in_lang_of), not in the
        language of whoever ran the watch."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.ka_user.lang = "zh_CN"
        self.Watch.with_context(lang="en_US")._watch(self.account)
        signal = self._open("no_coach")
        chinese = signal.with_context(lang="zh_CN")
        activity = self._activities(signal)
        self.assertEqual(activity.summary, chinese._summary())
        self.assertIn(chinese._text(), activity.note)
        self.assertIn(self.account.name, activity.summary)

    # ------------------------------------------------------------------ once, not per run
    def test_an_activity_done_by_hand_is_not_raised_again(self):
        signal, activity = self.assertRaisedOnce("no_coach")
        activity.with_user(self.ka_user).action_feedback(feedback="Asked Sun Li who could guide us")
        self._watch()
        self.assertTrue(signal.active, "the risk stays open while the map shows it")
        self.assertFalse(self._activities(signal), "no second activity for the same risk")

    def test_a_lost_account_has_no_risk(self):
        self._watch()
        self.assertTrue(self._open("no_coach"))
        self.account.action_lose_key_account("price", "Cheaper rival")
        self.Watch._cron_relationship_watch()
        self.assertFalse(self.Signal.search([("partner_id", "=", self.account.id)]))
        self.assertTrue(self.Signal.with_context(active_test=False).search([("partner_id", "=", self.account.id)]))

    def test_risks_are_confidential(self):
        self._watch()
        self.assertTrue(self.Signal.with_user(self.ka_user).search([("partner_id", "=", self.account.id)]))
        self.assertTrue(self.Signal.with_user(self.ka_clerk).search([("partner_id", "=", self.account.id)]))
        self.assertFalse(self.Signal.with_user(self.ka_user_off).search([("partner_id", "=", self.account.id)]))
        signal = self._open("no_coach")
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaises(AccessError, msg=user.login):
                signal.with_user(user).write({"active": False})
        self.assertEqual(self.account.with_user(self.ka_user).key_account_relationship_risk_count, 2)
        self.assertEqual(self.account.with_user(self.ka_user_off).key_account_relationship_risk_count, 0)

    # ------------------------------------------------------------------ the scheduled action
    def test_cron_checks_every_account_once_per_pass_in_batches(self):
        accounts = self.account | self.other_account
        for index in range(3):
            accounts |= self._key_account(f"Watch Account {index}", manager=self.ka_user)
        params = self.env["ir.config_parameter"].sudo()
        self.Watch._cron_relationship_watch(batch_size=2)
        self.assertEqual(
            int(params.get_param("key_account_mgmt.relationship_watch_cursor")), accounts.sorted("id")[1].id
        )
        self.assertEqual(self.Signal.search_count([("partner_id", "in", accounts.ids)]), 4, "2 accounts × 2 risks")
        self.Watch._cron_relationship_watch(batch_size=2)
        self.Watch._cron_relationship_watch(batch_size=2)
        self.assertEqual(params.get_param("key_account_mgmt.relationship_watch_cursor"), "0", "the pass is complete")
        self.assertEqual(self.Signal.search_count([("partner_id", "in", accounts.ids)]), 10)
        self.Watch._cron_relationship_watch(batch_size=10)
        self.assertEqual(self.Signal.search_count([("partner_id", "in", accounts.ids)]), 10, "a new pass: once")

    def test_queries_per_batch_do_not_grow_with_the_accounts(self):
        def queries(accounts):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Watch._watch(accounts)
            return self.env.cr.sql_log_count - before

        few, many = self.account, self.account
        for index in range(8):
            account = self._key_account(f"Query Account {index}", manager=self.ka_user)
            person = self._person(f"Buyer {index}", "Buyer", account)
            self._entry(person, ["economic", "coach"], account=account, influence="high", attitude="supporter")
            many |= account
            if index < 2:
                few |= account
        self._entry(self.chairman, ["economic", "coach"], influence="high")
        self.Watch._watch(many)  # raise what there is to raise first: then nothing changes
        steady_few, steady_many = queries(few), queries(many)
        self.assertEqual(steady_few, steady_many, f"{len(few)} accounts: {steady_few}, {len(many)}: {steady_many}")
        self.assertLessEqual(steady_many, 20)

    def test_dashboard_tile_of_open_risks(self):
        self._watch(self.account | self.other_account)
        dashboard = self.env["key.account.dashboard"]
        for user, expected in ((self.ka_manager, 4), (self.ka_user, 2), (self.ka_user_off, 2)):
            data = dashboard.with_user(user).get_dashboard_data()
            tile = next(figure for figure in data["attention"] if figure["key"] == "relationship_risks")
            self.assertEqual(tile["value"], expected, user.login)
            listed = self.env[tile["action"]["res_model"]].with_user(user).search(tile["action"]["domain"])
            self.assertEqual(len(listed), expected)
            self.assertEqual(tile["action"]["xmlid"], "key_account_mgmt.key_account_relationship_signal_action")
