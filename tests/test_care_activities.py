"""Care activities (issue #20): events of Odoo's event app marked as key-account care activities;
the key accounts and their people invited by tier and buying role, registrations linked to the
account, attendance, the cost shared by the accounts invited (hand figures), the trainings
attended for the service plan (the metrics hook), the figures on the key account; rights per
role, allowed and denied."""

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .care_common import CareDataMixin
from .common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestCareActivities(CareDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._care_setup()
        cls.training = cls._care_event("Welding Training")

    def _invite(self, user, event, **vals):
        wizard = self.env["key.account.care.invite.wizard"].with_user(user).create({"event_id": event.id, **vals})
        return wizard, wizard.action_invite()

    # ------------------------------------------------------------------ invitations
    def test_invite_by_tier_and_role_links_registrations_to_accounts(self):
        """A KA Manager invites the strategic and key accounts' economic buyers: one
        registration per buyer, each linked to its key account; one participation per account;
        the coach, the technical buyer and the normal-tier account are not invited."""
        wizard, _action = self._invite(
            self.ka_manager,
            self.training,
            tier_ids=[(6, 0, (self.tier_strategic | self.tier_key).ids)],
            role_ids=[(6, 0, self.role_economic.ids)],
        )
        self.assertEqual(wizard.account_ids, self.account | self.other_account)
        registrations = self.training.registration_ids
        self.assertEqual(registrations.partner_id, self.buyer_a | self.buyer_other)
        self.assertEqual(
            {r.partner_id: r.key_account_id for r in registrations},
            {self.buyer_a: self.account, self.buyer_other: self.other_account},
        )
        participations = self.training.key_account_participation_ids
        self.assertEqual(participations.partner_id, self.account | self.other_account)
        self.assertEqual(participations.mapped("invited_count"), [1, 1])
        # inviting again registers nobody twice
        self._invite(self.ka_manager, self.training, account_ids=[(6, 0, self.account.ids)])
        self.assertEqual(
            self.training.registration_ids.partner_id, self.buyer_a | self.buyer_b | self.coach | self.buyer_other
        )
        self.assertEqual(len(self.training.key_account_participation_ids), 2)

    def test_attendance(self):
        """Registration state done = attended, counted per account."""
        self._register(self.training, self.buyer_a, state="done")
        self._register(self.training, self.buyer_b)
        self._register(self.training, self.buyer_other, state="cancel")
        by_account = {p.partner_id: p for p in self.training.key_account_participation_ids}
        self.assertEqual((by_account[self.account].invited_count, by_account[self.account].attended_count), (2, 1))
        self.assertEqual(
            (by_account[self.other_account].invited_count, by_account[self.other_account].attended_count), (0, 0)
        )

    def test_plain_event_is_no_care_activity(self):
        """An ordinary event registers key accounts' people without a participation."""
        event = self._care_event("Open House", kind=False)
        self._register(event, self.buyer_a)
        self.assertFalse(self.env["key.account.care.participation"].search([("event_id", "=", event.id)]))
        event.key_account_care_kind = "exchange"
        self.assertEqual(event.key_account_participation_ids.partner_id, self.account)

    # ------------------------------------------------------------------ cost
    def test_cost_split_equally_over_accounts_invited(self):
        """Planned 1,000.00 over three accounts: 333.33, 333.33 and 333.34 (the last takes the
        cent); actual 5,000.00: 1,666.67, 1,666.67, 1,666.66. Whatever the number of people an
        account sends; one account withdrawn: 500.00 and 2,500.00 each."""
        self.training.write({"key_account_cost_planned": 1000.0, "key_account_cost_actual": 5000.0})
        self._register(self.training, self.buyer_a, self.buyer_b, self.coach)
        self._register(self.training, self.buyer_other)
        third = self._register(self.training, self.buyer_third)
        shares = self.training.key_account_participation_ids.sorted("id")
        self.assertEqual(shares.partner_id.ids, [self.account.id, self.other_account.id, self.third_account.id])
        self.assertEqual(shares.mapped("cost_planned"), [333.33, 333.33, 333.34])
        self.assertEqual(shares.mapped("cost_actual"), [1666.67, 1666.67, 1666.66])
        self.assertAlmostEqual(sum(shares.mapped("cost_actual")), 5000.0, places=2)
        third.unlink()
        shares = self.training.key_account_participation_ids.sorted("id")
        self.assertEqual(shares.mapped("cost_planned"), [500.0, 500.0])
        self.assertEqual(shares.mapped("cost_actual"), [2500.0, 2500.0])

    def test_key_account_figures(self):
        """The key account form: care activities this year, those attended, the cost share;
        another team's KA User sees none of it."""
        self.training.key_account_cost_actual = 3000.0
        self._register(self.training, self.buyer_a, state="done")
        self._register(self.training, self.buyer_other)
        presentation = self._care_event("Range Presentation", kind="presentation", key_account_cost_actual=800.0)
        self._register(presentation, self.buyer_b)
        last_year = self._care_event("Old Training", begin=datetime(date.today().year - 1, 6, 1, 2))
        self._register(last_year, self.buyer_a, state="done")
        account = self.account.with_user(self.ka_user)
        self.assertEqual(
            (account.key_account_care_count, account.key_account_care_attended_count, account.key_account_care_cost),
            (2, 1, 1500.0 + 800.0),
        )
        off = self.account.with_user(self.ka_user_off)
        self.assertEqual((off.key_account_care_count, off.key_account_care_cost), (0, 0.0))
        action = account.action_open_care_participations()
        self.assertEqual(
            self.env[action["res_model"]].with_user(self.ka_user).search(action["domain"]).event_id,
            self.training | presentation | last_year,
        )
        with self.assertRaises(AccessError):
            self.account.with_user(self.ka_user_off).action_open_care_participations()

    # ------------------------------------------------------------------ the service plan's hook
    def test_trainings_attended_for_the_service_plan(self):
        """Trainings at which one of the account's people (or of its branch) was present, in
        the period, by the day in the event's time zone: presentations, absences, other periods
        and archived registrations do not count; several people at one training count once."""
        metrics = self.env["key.account.metrics"]
        april = (date(2026, 4, 1), date(2026, 4, 30))
        # 31 March 17:00 UTC is 1 April 01:00 in Shanghai: April
        first = self._care_event("Training 1", begin=datetime(2026, 3, 31, 17, 0))
        self._register(first, self.buyer_a, self.buyer_b, state="done")
        second = self._care_event("Training 2", begin=datetime(2026, 4, 20, 1, 0))
        self._register(second, self.buyer_b, state="done")
        self._register(second, self.buyer_other)  # registered, absent
        presentation = self._care_event("Presentation", kind="presentation", begin=datetime(2026, 4, 21, 1, 0))
        self._register(presentation, self.buyer_a, self.buyer_other, state="done")
        # 30 April 16:30 UTC is 1 May in Shanghai: May
        may = self._care_event("Training May", begin=datetime(2026, 4, 30, 16, 30))
        self._register(may, self.buyer_a, self.buyer_other, state="done")
        archived = self._care_event("Training archived", begin=datetime(2026, 4, 22, 1, 0))
        self._register(archived, self.buyer_other, state="done").action_archive()
        # a branch of Hengtai: its people count for the group
        branch = self.env["res.partner"].create(
            {
                "name": "Hengtai Jiangsu",
                "is_company": True,
                "key_account_group_relation": "branch",
                "key_account_headquarters_id": self.account.id,
            }
        )
        branch_person = self.env["res.partner"].create({"name": "Xu Fang", "parent_id": branch.id})
        third = self._care_event("Training 3", begin=datetime(2026, 4, 23, 1, 0))
        self._register(third, branch_person, state="done")
        ids = (self.account | self.other_account | self.third_account).ids
        self.assertEqual(metrics._service_done_trainings(ids, *april), {self.account.id: 3})
        self.assertEqual(
            metrics._service_done_trainings(ids, date(2026, 5, 1), date(2026, 5, 31)),
            {self.account.id: 1, self.other_account.id: 1},
        )
        self.assertEqual(metrics._service_done_trainings([], *april), {})

    # ------------------------------------------------------------------ rights
    def test_ka_user_invites_own_accounts_only(self):
        """The KA User invites their account; another team's account is refused with nothing
        registered; chosen by tier, only their own accounts are proposed."""
        event = self._care_event("Team Training", user=self.ka_user)
        wizard, _action = self._invite(
            self.ka_user, event, tier_ids=[(6, 0, (self.tier_strategic | self.tier_key).ids)]
        )
        self.assertEqual(wizard.account_ids, self.account)
        self.assertEqual(event.registration_ids.partner_id, self.buyer_a | self.buyer_b | self.coach)
        wizard = (
            self.env["key.account.care.invite.wizard"]
            .with_user(self.ka_user)
            .create({"event_id": event.id, "account_ids": [(6, 0, self.other_account.ids)]})
        )
        self.assertFalse(wizard.contact_ids, "another team's map is not listed")
        wizard.contact_ids = self.buyer_other
        with self.assertRefused(AccessError, "Huaxin Trading"):
            wizard.action_invite()
        self.assertEqual(event.registration_ids.partner_id, self.buyer_a | self.buyer_b | self.coach)

    def test_registration_of_another_teams_account_refused(self):
        """Registering another team's people at a care activity directly is refused too; at an
        ordinary event it is the event app's business."""
        event = self._care_event("Team Training", user=self.ka_user)
        Registration = self.env["event.registration"].with_user(self.ka_user)
        with self.assertRefused(AccessError, "Huaxin Trading"):
            Registration.create({"event_id": event.id, "partner_id": self.buyer_other.id})
        mine = Registration.create({"event_id": event.id, "partner_id": self.buyer_a.id})
        with self.assertRefused(AccessError, "Huaxin Trading"):
            mine.partner_id = self.buyer_other
        plain = self._care_event("Open House", kind=False)
        Registration.create({"event_id": plain.id, "partner_id": self.buyer_other.id})

    def test_feedback_by_the_team(self):
        """The team writes its account's feedback; another team neither sees nor writes it; the
        cost share is the invitation's, not typed."""
        self._register(self.training, self.buyer_a, state="done")
        self._register(self.training, self.buyer_other)
        mine = self.training.key_account_participation_ids.filtered(lambda p: p.partner_id == self.account)
        mine.with_user(self.ka_user).write({"rating": "5", "feedback": "Ask for more on bolts."})
        self.assertEqual(mine.feedback, "Ask for more on bolts.")
        with self.assertRaises(AccessError):
            mine.with_user(self.ka_user).write({"cost_actual": 1.0})
        Participation = self.env["key.account.care.participation"]
        self.assertEqual(
            Participation.with_user(self.ka_user_off).search([("event_id", "=", self.training.id)]).partner_id,
            self.other_account,
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.ka_user_off).write({"feedback": "x"})
        with self.assertRaises(AccessError):
            Participation.with_user(self.plain_user).search([])
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(
                Participation.with_user(user).search([("event_id", "=", self.training.id)]).partner_id,
                self.account | self.other_account,
            )
        with self.assertRaises(AccessError):
            Participation.with_user(self.ka_manager).create(
                {"event_id": self.training.id, "partner_id": self.account.id}
            )

    def test_invite_refused_on_bad_input(self):
        """An event that is no care activity, or no account chosen: a clear refusal."""
        plain = self._care_event("Open House", kind=False)
        with self.assertRefused(UserError, "not a key-account care activity"):
            self._invite(self.ka_manager, plain, account_ids=[(6, 0, self.account.ids)])
        with self.assertRefused(UserError, "at least one key account"):
            self._invite(self.ka_manager, self.training)
