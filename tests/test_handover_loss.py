"""Handover (离职交接, seed 001 第12条) and loss of a key account (流失分析, seed 003 第十八条(4)):
SPEC §2 — what moves, who may, and who reads the loss analysis."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin


class HandoverCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["key.account.handover.wizard"]
        cls.Member = cls.env["key.account.team.member"]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        # what ka_user holds: two managed accounts, a team role elsewhere, nominations, activities
        cls.second_account = cls._key_account("Yongsheng Pipes", manager=cls.ka_user)
        cls.liaison = cls.Member.create(
            {"partner_id": cls.other_account.id, "user_id": cls.ka_user.id, "role": "liaison"}
        )
        cls.candidate = cls.env["res.partner"].create({"name": "Jinlong Steel Structures", "is_company": True})
        cls.draft_nomination = cls._nomination(cls.ka_user, cls.candidate)
        cls.proposed = cls._nomination(
            cls.plain_user,
            cls.env["res.partner"].create({"name": "Dongfang Cables", "is_company": True}),
            proposed_manager_id=cls.ka_user.id,
        )
        cls.approved = cls._nomination(
            cls.ka_user, cls.env["res.partner"].create({"name": "Approved Co", "is_company": True})
        )
        cls.approved.action_submit()
        cls.approved.with_user(cls.ka_manager).validate_tier()
        cls.archive = cls._archive(cls.account)
        cls.account_activity = cls.account.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call the chairman", user_id=cls.ka_user.id
        )
        cls.archive_activity = cls.archive.activity_schedule(
            "mail.mail_activity_data_todo", summary="Collect the licence", user_id=cls.ka_user.id
        )
        cls.ordinary = cls.env["res.partner"].create({"name": "Ordinary Shop", "is_company": True})
        cls.ordinary_activity = cls.ordinary.activity_schedule(
            "mail.mail_activity_data_todo", summary="Unrelated", user_id=cls.ka_user.id
        )

    def _wizard(self, user=None, **vals):
        return self.Wizard.with_user(user or self.ka_manager).create(
            {
                "from_user_id": self.ka_user.id,
                "to_user_id": self.ka_user_off.id,
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestHandover(HandoverCase):
    def test_everything_moves_in_one_step(self):
        wizard = self._wizard(note="Leaving the company")
        # accounts: account, second_account and the approved candidate (its applicant manages it)
        self.assertEqual(
            (wizard.account_count, wizard.member_count, wizard.application_count, wizard.activity_count), (3, 1, 2, 2)
        )
        messages_before = {
            p: len(p.message_ids) for p in (self.account, self.second_account, self.other_account, self.ordinary)
        }
        action = wizard.action_handover()
        self.assertEqual(action["params"]["type"], "success")

        self.assertEqual(self.account.key_account_manager_id, self.ka_user_off)
        self.assertEqual(self.second_account.key_account_manager_id, self.ka_user_off)
        self.assertEqual(self.approved.partner_id.key_account_manager_id, self.ka_user_off)
        self.assertEqual(self.liaison.user_id, self.ka_user_off)
        self.assertEqual(self.liaison.role, "liaison")
        self.assertEqual(self.draft_nomination.user_id, self.ka_user_off)
        self.assertEqual(self.proposed.proposed_manager_id, self.ka_user_off)
        self.assertEqual(self.proposed.user_id, self.plain_user)
        self.assertEqual(self.approved.user_id, self.ka_user, "a decided nomination keeps its applicant")
        self.assertEqual(self.account_activity.user_id, self.ka_user_off)
        self.assertEqual(self.archive_activity.user_id, self.ka_user_off)
        self.assertEqual(self.ordinary_activity.user_id, self.ka_user, "activities outside key accounts stay")

        # the note is confidential (who is on the team): a row of the handover history per
        # account, nothing in the partner's chatter (issue #16)
        for partner in (self.account, self.second_account, self.other_account, self.ordinary):
            self.assertEqual(len(partner.message_ids), messages_before[partner], partner.name)
        History = self.env["key.account.handover.log"]
        rows = {row.partner_id: row for row in History.search([])}
        self.assertEqual(
            set(rows),
            {
                self.account,
                self.second_account,
                self.other_account,
                self.candidate,
                self.proposed.partner_id,
                self.approved.partner_id,
            },
        )
        row = rows[self.account]
        self.assertEqual(
            (row.from_user_id, row.to_user_id, row.user_id, row.reason),
            (self.ka_user, self.ka_user_off, self.ka_manager, "Leaving the company"),
        )
        self.assertIn("account manager", row.items)
        self.assertIn("Call the chairman", row.items)
        self.assertIn("Collect the licence", row.items)
        self.assertIn("team role", rows[self.other_account].items)
        self.assertIn(self.draft_nomination.name, rows[self.candidate].items)
        # the team of the account reads its row, others do not
        self.assertEqual(History.with_user(self.ka_user_off).search([("partner_id", "=", self.account.id)]), row)
        self.assertFalse(History.with_user(self.plain_user).has_access("read"))
        self.assertFalse(History.with_user(self.ka_user).search([("partner_id", "=", self.account.id)]))

        # access followed the accounts
        Archive = self.env["key.account.archive"]
        self.assertEqual(Archive.with_user(self.ka_user_off).search([("id", "=", self.archive.id)]), self.archive)
        self.assertFalse(Archive.with_user(self.ka_user).search([("id", "=", self.archive.id)]))
        # nothing left to hand over
        wizard.invalidate_recordset()
        self.assertEqual(
            (wizard.account_count, wizard.member_count, wizard.application_count, wizard.activity_count), (0, 0, 0, 0)
        )

    def test_only_the_chosen_accounts_move(self):
        wizard = self._wizard(partner_ids=[(6, 0, self.account.ids)])
        self.assertEqual(
            (wizard.account_count, wizard.member_count, wizard.application_count, wizard.activity_count), (1, 0, 0, 2)
        )
        wizard.action_handover()
        self.assertEqual(self.account.key_account_manager_id, self.ka_user_off)
        self.assertEqual(self.account_activity.user_id, self.ka_user_off)
        self.assertEqual(self.archive_activity.user_id, self.ka_user_off)
        self.assertEqual(self.second_account.key_account_manager_id, self.ka_user)
        self.assertEqual(self.liaison.user_id, self.ka_user)
        self.assertEqual(self.draft_nomination.user_id, self.ka_user)
        self.assertEqual(self.proposed.proposed_manager_id, self.ka_user)
        self.assertNotIn("Handover", str(self.second_account.message_ids[:1].body))

    def test_duplicate_role_is_merged(self):
        self.Member.create({"partner_id": self.other_account.id, "user_id": self.ka_user_off.id, "role": "liaison"})
        self._wizard().action_handover()
        members = self.other_account.key_account_team_member_ids
        self.assertEqual(members.mapped(lambda m: (m.user_id, m.role)), [(self.ka_user_off, "liaison")])

    def test_only_managers_hand_over(self):
        for user in (self.plain_user, self.ka_user, self.ka_user_off, self.ka_clerk):
            with self.assertRaises(AccessError, msg=user.login):
                self._wizard(user=user)
        wizard = self._wizard()
        with self.assertRefused(AccessError, "Only a Key Account Manager may hand accounts over"):
            wizard.with_user(self.ka_user).action_handover()
        self.assertEqual(self.account.key_account_manager_id, self.ka_user)
        self._wizard(user=self.ka_director).action_handover()
        self.assertEqual(self.account.key_account_manager_id, self.ka_user_off)

    def test_refused_handovers_change_nothing(self):
        with self.assertRefused(UserError, "not a KA User"):
            self._wizard(to_user_id=self.plain_user.id).action_handover()
        with self.assertRefused(UserError, "different user"):
            self._wizard(to_user_id=self.ka_user.id).action_handover()
        self.assertEqual(self.account.key_account_manager_id, self.ka_user)
        self.assertEqual(self.liaison.user_id, self.ka_user)
        self.assertEqual(self.draft_nomination.user_id, self.ka_user)
        self.assertEqual(self.account_activity.user_id, self.ka_user)
        self.assertNotIn("Handover", str(self.account.message_ids[:1].body))


class LossCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Loss = cls.env["key.account.loss"]
        cls.competitor = cls.env["res.partner"].create({"name": "Baowu Trading", "is_company": True})
        cls.env["key.account.team.member"].create(
            {"partner_id": cls.account.id, "user_id": cls.ka_clerk.id, "role": "trainer"}
        )

    def _lose(
        self, user=None, partners=None, reason_type="competitor", reason="Lost the 2027 tender on price", **kwargs
    ):
        partners = partners or self.account
        before = self.env["key.account.loss"].search([])
        self.assertIs(
            partners.with_user(user or self.ka_manager).action_lose_key_account(reason_type, reason, **kwargs), True
        )
        return self.env["key.account.loss"].search([]) - before


@tagged("post_install", "-at_install")
class TestLoss(LossCase):
    def test_manager_retires_with_loss_analysis(self):
        self._post_invoice(self.account, 12000.0)
        self._post_invoice(self.account, 2000.0, move_type="out_refund")
        code = self.account.key_account_code
        loss = self._lose(destination="Baowu", competitor_id=self.competitor.id)
        self.assertEqual(len(loss), 1)
        self.assertEqual(
            (
                loss.partner_id,
                loss.reason_type,
                loss.destination,
                loss.competitor_id,
                loss.user_id,
                loss.responsible_id,
                loss.tier_id,
                loss.revenue_12m,
                loss.company_id,
            ),
            (
                self.account,
                "competitor",
                "Baowu",
                self.competitor,
                self.ka_manager,
                self.ka_user,
                self.tier_strategic,
                10000.0,
                self.company,
            ),
        )
        self.assertFalse(self.account.is_key_account)
        self.assertTrue(self.account.key_account_lost)
        self.assertEqual(self.account.key_account_code, code)
        self.assertEqual(self.account.key_account_manager_id, self.ka_user, "the team stays for the history")
        # the analysis is in the loss's chatter, not the partner's (issue #16)
        self.assertIn("Lost the 2027 tender on price", str(loss.message_ids[0].body))
        self.assertFalse(self.account.message_ids.filtered(lambda m: "2027 tender" in str(m.body)))
        self.assertEqual(self.account.with_user(self.ka_user).key_account_loss_ids, loss)

    def test_several_accounts_at_once_and_wizard(self):
        wizard = (
            self.env["key.account.loss.wizard"]
            .with_user(self.ka_director)
            .create(
                {
                    "partner_ids": [(6, 0, (self.account | self.other_account).ids)],
                    "reason_type": "insolvency",
                    "reason": "Both went bankrupt",
                }
            )
        )
        wizard.action_confirm()
        losses = self.Loss.search([("partner_id", "in", (self.account | self.other_account).ids)])
        self.assertEqual(losses.partner_id, self.account | self.other_account)
        self.assertEqual(set(losses.mapped("responsible_id")), {self.ka_user, self.ka_user_off})
        self.assertEqual(set(losses.mapped("tier_id")), {self.tier_strategic, self.tier_key})
        self.assertFalse((self.account | self.other_account).filtered("is_key_account"))

    def test_only_managers_retire(self):
        for user in (self.plain_user, self.ka_user, self.ka_user_off, self.ka_clerk):
            with self.assertRaises(AccessError, msg=user.login):
                self._lose(user=user)
        with self.assertRaises(AccessError):
            self.env["key.account.loss.wizard"].with_user(self.ka_user).create(
                {
                    "partner_ids": [(6, 0, self.account.ids)],
                    "reason_type": "price",
                    "reason": "Too expensive",
                }
            )
        self.assertTrue(self.account.is_key_account)
        self.assertFalse(self.account.key_account_lost)
        self.assertFalse(self.Loss.search([]))

    def test_reason_required(self):
        for reason_type, reason in (("price", ""), ("price", "   "), (False, "Too expensive"), ("price", False)):
            with self.assertRefused(ValidationError, "main reason and a written analysis"):
                self._lose(reason_type=reason_type, reason=reason)
        with self.assertRefused(UserError, "is not a key account"):
            self._lose(
                partners=self.account | self.env["res.partner"].create({"name": "Nobody Co", "is_company": True})
            )
        self.assertTrue(self.account.is_key_account)
        self.assertFalse(self.Loss.search([]))

    def test_lost_account_is_not_lost_twice(self):
        self._lose()
        with self.assertRefused(UserError, "is not a key account"):
            self._lose()
        self.assertEqual(len(self.Loss.search([("partner_id", "=", self.account.id)])), 1)


@tagged("post_install", "-at_install")
class TestLossRights(LossCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        result = cls.account.with_user(cls.ka_manager).action_lose_key_account("service", "Slow complaint handling")
        assert result is True  # XML-RPC cannot marshal a recordset
        cls.loss = cls.env["key.account.loss"].search([("partner_id", "=", cls.account.id)])

    def _reads(self, user):
        found = bool(self.Loss.with_user(user).search([("id", "=", self.loss.id)]))
        try:
            self.loss.with_user(user).read(["reason"])
        except AccessError:
            return False
        self.assertTrue(found, user.login)
        return True

    def test_team_and_managers_read_the_loss(self):
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertTrue(self._reads(user), user.login)

    def test_outsiders_do_not(self):
        self.assertFalse(self._reads(self.ka_user_off))
        with self.assertRaises(AccessError):
            self.Loss.with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_loss_ids"])
        self.assertFalse(self.account.with_user(self.ka_user_off).key_account_loss_ids)
        self.assertFalse(self._reads(self.ka_manager_b))

    def test_loss_rows_changed_by_managers_only(self):
        for user in (self.ka_user, self.ka_clerk):
            with self.assertRaises(AccessError, msg=user.login):
                self.loss.with_user(user).write({"reason": "Rewritten"})
            with self.assertRaises(AccessError, msg=user.login):
                self.loss.with_user(user).unlink()
            with self.assertRaises(AccessError, msg=user.login):
                self.Loss.with_user(user).create(
                    {
                        "partner_id": self.other_account.id,
                        "reason_type": "price",
                        "reason": "Invented",
                    }
                )
            with self.assertRefused(AccessError, "Only Key Account Managers may export"):
                self.loss.with_user(user).export_data(["reason"])
        self.assertEqual(self.loss.reason, "Slow complaint handling")
        self.loss.with_user(self.ka_manager).write({"destination": "In-house production"})
        self.assertEqual(self.loss.destination, "In-house production")
