"""Cooperation state (SPEC §5, seed 002 客户合作状态分类管理办法): the log, the downgrade rule,
the escalations, the monthly confirmation and the rights on all of it."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestCooperationState(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["key.account.state.log"]
        cls.meeting_type = cls.env.ref("key_account_mgmt.mail_activity_type_special_meeting")

    def _set(self, state, user=None, reason="", remedy=False, account=None):
        account = (account or self.account).with_user(user or self.ka_user)
        return account.action_set_cooperation_state(state, reason, remedy)

    def _logs(self, account=None):
        return self.Log.search([("partner_id", "=", (account or self.account).id)], order="id")

    def _meetings(self, account=None):
        # on the state log rows (confidential), not on the partner
        logs = self._logs(account)
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "key.account.state.log"),
                ("res_id", "in", logs.ids),
                ("activity_type_id", "=", self.meeting_type.id),
            ]
        )

    def test_every_change_and_confirmation_is_logged(self):
        self._set("maintained")
        self._set("good", reason="Tender won")
        self._set("good")
        logs = self._logs()
        self.assertEqual(logs.mapped("change_type"), ["initial", "upgrade", "confirm"])
        self.assertEqual(logs.mapped("state_from"), [False, "maintained", "good"])
        self.assertEqual(logs.mapped("state_to"), ["maintained", "good", "good"])
        self.assertEqual(logs.mapped("user_id"), self.ka_user)
        self.assertEqual(logs[1].levels, 1)
        self.assertEqual(self.account.cooperation_state, "good")
        self.assertEqual(self.account.cooperation_color, 10)
        self.assertTrue(self.account.cooperation_state_date)

    def test_downgrade_needs_explanation_and_remedy_plan(self):
        self._set("good")
        for reason, remedy in (("", ""), ("Competitor got in", ""), ("", "Weekly calls"), ("  ", "  ")):
            with (
                self.subTest(reason=reason, remedy=remedy),
                self.assertRefused(ValidationError, "explanation and a remedy plan"),
            ):
                self._set("problem", reason=reason, remedy=remedy)
        self.assertEqual(self.account.cooperation_state, "good")
        self.assertEqual(len(self._logs()), 1)
        self._set("maintained", reason="Contract ended", remedy="Bid for the renewal")
        log = self._logs()[-1]
        self.assertEqual((log.change_type, log.levels, log.remedy_plan), ("downgrade", -1, "Bid for the renewal"))
        self.assertFalse(log.escalated)
        self.assertFalse(self.account.key_account_escalated)

    def test_escalation_two_downgrades_in_a_row(self):
        self._set("good")
        self._set("maintained", reason="Contract ended", remedy="Bid again")
        self._set("maintained")  # a confirmation between them does not break the row
        self.assertFalse(self._meetings())
        self._set("problem", reason="Competitor got in", remedy="Visit the chairman")
        self.assertTrue(self.account.key_account_escalated)
        self.assertTrue(self._logs()[-1].escalated)
        meetings = self._meetings()
        self.assertEqual(meetings.user_id, self.ka_manager)
        self.assertIn("Competitor got in", str(meetings.note))

    def test_escalation_drop_of_two_levels(self):
        self._set("good")
        self._set("problem", reason="Quality complaint", remedy="Replace the batch")
        self.assertTrue(self.account.key_account_escalated)
        self.assertEqual(self._logs()[-1].levels, -2)

    def test_escalation_drop_to_white_or_black(self):
        self._set("problem")
        self._set("no_cooperation", reason="No order in three years", remedy="Plan development")
        self.assertTrue(self.account.key_account_escalated)
        self._set("maintained", account=self.other_account, user=self.ka_manager)
        self._set(
            "refused", account=self.other_account, user=self.ka_manager, reason="Blacklisted", remedy="None possible"
        )
        self.assertTrue(self.other_account.key_account_escalated)

    def test_no_escalation_after_an_upgrade(self):
        self._set("maintained")
        self._set("good", reason="Tender won")
        self._set("maintained", reason="Contract ended", remedy="Bid again")
        self.assertFalse(self.account.key_account_escalated)
        self.assertFalse(self._meetings())

    def test_upgrades_count_for_the_responsible_person(self):
        self._set("problem")
        self._set("maintained", reason="Issue solved")
        self._set("good", user=self.ka_manager, reason="Framework contract")
        upgrades = self.Log.read_group(
            [("partner_id", "=", self.account.id), ("change_type", "=", "upgrade")],
            ["responsible_id"],
            ["responsible_id"],
        )
        self.assertEqual(
            [(g["responsible_id"][0], g["responsible_id_count"]) for g in upgrades], [(self.ka_user.id, 2)]
        )

    def test_concurrent_changes_by_two_users_both_land(self):
        self._set("good", user=self.ka_user)
        self._set("maintained", user=self.ka_manager, reason="Contract ended", remedy="Bid again")
        self.assertEqual(self._logs().mapped("user_id"), self.ka_user | self.ka_manager)
        self.assertEqual(len(self._logs()), 2)

    def test_close_escalation(self):
        self._set("good")
        self._set("refused", reason="Payment dispute", remedy="Legal review")
        with self.assertRefused(AccessError, "Only a Key Account Manager"):
            self.account.with_user(self.ka_user).action_close_escalation("Done")
        with self.assertRefused(ValidationError, "conclusion"):
            self.account.with_user(self.ka_manager).action_close_escalation("  ")
        self.assertTrue(self.account.key_account_escalated)
        self.account.with_user(self.ka_manager).action_close_escalation("Reassign to Zhang Wei; CEO visit")
        self.assertFalse(self.account.key_account_escalated)
        self.assertFalse(self._meetings())
        log = self._logs()[-1]
        self.assertEqual(log.conclusion, "Reassign to Zhang Wei; CEO visit")
        self.assertIn("CEO visit", log.message_ids[0].body)
        self.assertFalse(self.account.message_ids.filtered(lambda m: "CEO visit" in str(m.body)))

    def test_reassign_from_escalation_in_one_step(self):
        self._set("good")
        self._set("refused", reason="Payment dispute", remedy="Legal review")
        action = self.account.with_user(self.ka_manager).action_open_reassign_wizard()
        self.assertEqual(action["res_model"], "key.account.handover.wizard")
        self.assertEqual(action["context"]["default_from_user_id"], self.ka_user.id)
        # the other account of the same manager stays where it is
        self.other_account.key_account_manager_id = self.ka_user
        wizard = (
            self.env["key.account.handover.wizard"]
            .with_user(self.ka_manager)
            .with_context(action["context"])
            .create({"to_user_id": self.ka_user_off.id})
        )
        self.assertEqual(wizard.account_count, 1)
        wizard.action_handover()
        self.assertEqual(self.account.key_account_manager_id, self.ka_user_off)
        self.assertEqual(self.other_account.key_account_manager_id, self.ka_user)
        # the handover note: in the handover history, not in the partner's chatter (issue #16)
        handover = self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])
        self.assertEqual((handover.to_user_id, handover.reason), (self.ka_user_off, "Escalation"))
        self.assertFalse(self.account.message_ids.filtered(lambda m: "Handover" in str(m.body)))
        # the new manager now sees the state history, the old one no longer does
        self.assertTrue(self.Log.with_user(self.ka_user_off).search([("partner_id", "=", self.account.id)]))
        self.assertFalse(self.Log.with_user(self.ka_user).search([("partner_id", "=", self.account.id)]))
        with self.assertRefused(AccessError, "KA Manager"):
            self.env["key.account.handover.wizard"].with_user(self.ka_user).create(
                {"from_user_id": self.ka_user_off.id, "to_user_id": self.ka_user.id, "partner_ids": self.account.ids}
            ).action_handover()

    def test_statistics_table_columns(self):
        """客户统计表: customer, branch, main contact, phone, state, colour."""
        branch = self.env["res.partner"].create(
            {
                "name": "Hengtai Shenzhen Branch",
                "is_company": True,
                "key_account_headquarters_id": self.account.id,
                "key_account_group_relation": "branch",
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Hengtai Logistics",
                "is_company": True,
                "key_account_headquarters_id": self.account.id,
                "key_account_group_relation": "carrier",
            }
        )
        self.contact.write({"phone": "+86 20 1111 2222"})
        economic = self.env["res.partner"].create(
            {
                "name": "Chairman Wu",
                "parent_id": self.account.id,
                "buying_role": "economic",
                "mobile": "+86 139 0000 0000",
            }
        )
        self._set("good")
        account = self.account.with_user(self.ka_clerk)
        self.assertEqual(account.key_account_branch_names, branch.name)
        self.assertEqual(account.key_account_main_contact_id, economic)
        self.assertEqual(account.key_account_main_contact_phone, "+86 139 0000 0000")
        economic.buying_role = False
        self.assertEqual(account.key_account_main_contact_id, self.contact)
        self.assertEqual(account.key_account_main_contact_phone, "+86 20 1111 2222")
        self.assertEqual(account.cooperation_color, 10)

    def test_wizard_sets_state(self):
        self._set("good")
        wizard = (
            self.env["key.account.state.wizard"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_ids": [(6, 0, self.account.ids)],
                    "state": "problem",
                    "reason": "Late deliveries",
                    "remedy_plan": "Daily follow-up",
                }
            )
        )
        self.assertTrue(wizard.is_downgrade)
        self.assertEqual(wizard.current_state, "good")
        wizard.action_apply()
        self.assertEqual(self.account.cooperation_state, "problem")
        self.assertEqual(self._logs()[-1].remedy_plan, "Daily follow-up")


@tagged("post_install", "-at_install")
class TestCooperationStateRights(KeyAccountCase):
    def test_who_may_set_the_state(self):
        for user in (self.plain_user, self.ka_user_off, self.ka_clerk):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.account.with_user(user).action_set_cooperation_state("good", "")
        self.assertFalse(self.account.cooperation_state)
        for user in (self.ka_user, self.ka_manager, self.ka_director):
            self.account.with_user(user).action_set_cooperation_state("good", "")
        self.assertEqual(self.env["key.account.state.log"].search_count([("partner_id", "=", self.account.id)]), 3)

    def test_only_key_accounts_and_known_states(self):
        with self.assertRefused(UserError, "not a key account"):
            self.contact.with_user(self.ka_manager).action_set_cooperation_state("good", "")
        with self.assertRefused(ValidationError, "Unknown cooperation state"):
            self.account.with_user(self.ka_manager).action_set_cooperation_state("excellent", "")

    def test_state_cannot_be_written_directly(self):
        for user in (self.ka_user, self.ka_manager, self.ka_director):
            with self.subTest(user=user.login), self.assertRefused(AccessError, "Set Cooperation State"):
                self.account.with_user(user).write({"cooperation_state": "good"})
        for field in ("key_account_escalated", "cooperation_state_unconfirmed", "cooperation_state_date"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                self.account.with_user(self.ka_manager).write({field: False})
        self.assertFalse(self.account.cooperation_state)

    def test_everyone_internal_sees_the_colour(self):
        self.account.with_user(self.ka_manager).action_set_cooperation_state("problem", "")
        account = self.account.with_user(self.plain_user)
        self.assertEqual((account.cooperation_state, account.cooperation_color), ("problem", 3))
        with self.assertRaises(AccessError):
            account.read(["state_log_ids"])

    def test_log_is_append_only(self):
        self.account.with_user(self.ka_manager).action_set_cooperation_state("good", "")
        log = self.env["key.account.state.log"].search([("partner_id", "=", self.account.id)])
        for user in (self.plain_user, self.ka_user, self.ka_manager, self.ka_director):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    log.with_user(user).write({"reason": "rewritten"})
                with self.assertRaises(AccessError):
                    log.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["key.account.state.log"].with_user(user).create(
                        {
                            "partner_id": self.account.id,
                            "period": "2026-01-01",
                            "user_id": user.id,
                            "state_to": "good",
                            "change_type": "confirm",
                        }
                    )
        admin = self.env.ref("base.user_admin")
        log.with_user(admin).write({"reason": "corrected by the administrator"})
        self.assertEqual(log.reason, "corrected by the administrator")

    def test_log_visibility(self):
        self.account.with_user(self.ka_manager).action_set_cooperation_state("good", "")
        domain = [("partner_id", "=", self.account.id)]
        Log = self.env["key.account.state.log"]
        for user, visible in (
            (self.ka_user, 1),
            (self.ka_user_off, 0),
            (self.ka_clerk, 1),
            (self.ka_manager, 1),
            (self.ka_manager_b, 0),
        ):
            with self.subTest(user=user.login):
                self.assertEqual(Log.with_user(user).search_count(domain), visible)
        with self.assertRaises(AccessError):
            Log.with_user(self.plain_user).search(domain)


@tagged("post_install", "-at_install")
class TestStateConfirmationCron(KeyAccountCase):
    def test_cron_flags_once_and_confirmation_clears(self):
        self.env["ir.config_parameter"].set_param("key_account_mgmt.state_confirmation_day", 1)
        confirm_type = self.env.ref("key_account_mgmt.mail_activity_type_state_confirmation")
        self.other_account.with_user(self.ka_manager).action_set_cooperation_state("good", "")  # confirmed this month
        Partner = self.env["res.partner"]
        self.env["key.account.state.log"]._cron_state_confirmation()
        self.env["key.account.state.log"]._cron_state_confirmation()
        reminders = self.account.activity_ids.filtered(lambda a: a.activity_type_id == confirm_type)
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.ka_user)
        self.assertTrue(self.account.cooperation_state_unconfirmed)
        self.assertFalse(self.other_account.cooperation_state_unconfirmed)
        self.assertFalse(self.other_account.activity_ids.filtered(lambda a: a.activity_type_id == confirm_type))
        unconfirmed = Partner.with_user(self.ka_manager).search([("cooperation_state_unconfirmed", "=", True)])
        self.assertIn(self.account, unconfirmed)
        self.account.with_user(self.ka_user).action_set_cooperation_state("maintained", "")
        self.assertFalse(self.account.cooperation_state_unconfirmed)

    def test_cron_waits_for_the_configured_day(self):
        self.env["ir.config_parameter"].set_param("key_account_mgmt.state_confirmation_day", 25)
        with freeze_time("2026-03-24 10:00:00"):
            self.env["key.account.state.log"]._cron_state_confirmation()
            self.assertFalse(self.account.cooperation_state_unconfirmed)
        with freeze_time("2026-03-25 10:00:00"):
            self.env["key.account.state.log"]._cron_state_confirmation()
            self.assertTrue(self.account.cooperation_state_unconfirmed)
        # a new month: the account is reminded again, once
        with freeze_time("2026-04-26 10:00:00"):
            self.env["key.account.state.log"]._cron_state_confirmation()
            self.env["key.account.state.log"]._cron_state_confirmation()
        confirm_type = self.env.ref("key_account_mgmt.mail_activity_type_state_confirmation")
        self.assertEqual(len(self.account.activity_ids.filtered(lambda a: a.activity_type_id == confirm_type)), 2)
