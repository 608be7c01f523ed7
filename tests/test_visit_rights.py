"""Rights of every group on visits, receptions and their lines, and the handover of the open
plans to the new account manager (SPEC §1, §6, issue #6)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_visit import VisitCase


@tagged("post_install", "-at_install")
class TestVisitRights(VisitCase):
    """KA User on the team: CRUD on the account's plans; off the team: nothing; clerks,
    managers and directors: all of their companies; plain users: no access at all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit = cls._plan(gift_line_ids=[(0, 0, {"name": "Tea set", "quantity": 2, "unit_value": 380.0})])
        cls.visit_expense = cls._expense(cls.visit)
        cls.reception = cls._reception(
            visitor_ids=[(0, 0, {"name": "Chen Ming"})], gift_line_ids=[(0, 0, {"name": "Brochure"})]
        )
        cls.reception_expense = cls._expense(cls.reception, amount=45.0)
        cls.other_visit = cls._plan(cls.ka_user_off, cls.other_account)
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Company B Customer",
                "is_company": True,
                "company_id": cls.company_b.id,
                "is_key_account": True,
                "key_account_manager_id": cls.ka_manager_b.id,
            }
        )
        cls.visit_b = cls._plan(cls.ka_manager_b, cls.partner_b)

    def _records(self):
        """Every record of ``account`` per model."""
        return {
            "key.account.visit": self.visit,
            "key.account.reception": self.reception,
            "key.account.reception.visitor": self.reception.visitor_ids,
            "key.account.visit.gift": self.visit.gift_line_ids | self.reception.gift_line_ids,
            "key.account.visit.expense": self.visit_expense | self.reception_expense,
        }

    def _sees(self, user, records):
        found = self.env[records._name].with_user(user).search([("id", "in", records.ids)])
        return found == records

    def test_plain_user_has_no_access(self):
        for model, records in self._records().items():
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.plain_user).search([])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.plain_user).read(["name"])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.plain_user).write({"name": "Plain"})
        with self.assertRaises(AccessError):
            self._plan(self.plain_user)
        with self.assertRaises(AccessError):
            self._expense(self.visit, self.plain_user)
        # nor on the partner: the visit fields are KA fields
        with self.assertRaises(AccessError):
            self.account.with_user(self.plain_user).read(["key_account_next_visit_date"])

    def test_ka_user_on_the_team(self):
        Visit = self.Visit.with_user(self.ka_user)
        self.assertEqual(Visit.search([]), self.visit)
        self.assertEqual(self.Reception.with_user(self.ka_user).search([]), self.reception)
        for model, records in self._records().items():
            self.assertTrue(self._sees(self.ka_user, records), model)
            records.with_user(self.ka_user).read(["name"])
        self.assertFalse(self._sees(self.ka_user, self.other_visit))
        # create, write, delete drafts with their lines
        visit = self._plan(self.ka_user, gift_line_ids=[(0, 0, {"name": "Brochure"})])
        visit.write({"location": "Jinan West site office", "participant_ids": [(4, self.ka_clerk.id)]})
        visit.gift_line_ids.write({"quantity": 5})
        self._expense(visit).write({"amount": 99.0})
        self.reception.with_user(self.ka_user).visitor_ids.write({"title": "Buyer"})
        self.Visitor.with_user(self.ka_user).create({"reception_id": self.reception.id, "name": "Wu Gang"})
        self.assertEqual(len(self.reception.visitor_ids), 2)
        self.reception.with_user(self.ka_user).visitor_ids[-1:].unlink()
        self.assertEqual((visit.location, visit.gift_total, visit.expense_total), ("Jinan West site office", 0.0, 99.0))
        visit.gift_line_ids.unlink()
        visit.expense_line_ids.unlink()
        visit.unlink()
        self.assertFalse(visit.exists())
        # only drafts (and cancelled plans) are deleted
        submitted = self._submitted(self.ka_user)
        with self.assertRefused(UserError, "Only plans .*can be deleted"):
            submitted.unlink()
        approved = self._approved(self.ka_user)
        for plan in (submitted, approved):
            with self.assertRefused(UserError, "Only plans .*can be deleted"):
                plan.with_user(self.ka_manager).unlink()
            self.assertTrue(plan.exists())
        submitted.action_cancel()
        submitted.unlink()
        self.assertFalse(submitted.exists())
        # not for an account of which they are not on the team
        for model in ("key.account.visit", "key.account.reception"):
            with self.assertRaises(AccessError, msg=model):
                self._plan(self.ka_user, self.other_account, model=model)
        with self.assertRaises(AccessError):
            self._expense(self.other_visit, self.ka_user)

    def test_ka_user_off_the_team_sees_nothing(self):
        self.assertEqual(self.Visit.with_user(self.ka_user_off).search([]), self.other_visit)
        self.assertFalse(self.Reception.with_user(self.ka_user_off).search([]))
        for model, records in self._records().items():
            self.assertFalse(self.env[model].with_user(self.ka_user_off).search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_user_off).read(["name"])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_user_off).write({"name": "Seen"})
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_user_off).unlink()
        with self.assertRaises(AccessError):
            self._plan(self.ka_user_off)
        with self.assertRaises(AccessError):
            self._expense(self.visit, self.ka_user_off)
        self.assertEqual(self.visit.name[:4], "VIS/")
        # on the team they see it at once
        self.env["key.account.team.member"].create(
            {"partner_id": self.account.id, "user_id": self.ka_user_off.id, "role": "liaison"}
        )
        for model, records in self._records().items():
            self.assertTrue(self._sees(self.ka_user_off, records), model)

    def test_clerk_manager_and_director_all_of_the_company(self):
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(self.Visit.with_user(user).search([]), self.visit | self.other_visit, user.login)
            for model, records in self._records().items():
                self.assertTrue(self._sees(user, records), f"{user.login} {model}")
            self.assertTrue(self._sees(user, self.other_visit))
            self.assertFalse(self._sees(user, self.visit_b), user.login)
            self.other_visit.with_user(user).write({"location": f"Set by {user.login}"})
            self.assertEqual(self.other_visit.location, f"Set by {user.login}")
            plan = self._plan(user, self.other_account, model="key.account.reception")
            self._expense(plan, user).write({"amount": 12.0})
            plan.expense_line_ids.unlink()
            plan.unlink()

    def test_company_b_manager_sees_nothing(self):
        self.assertEqual(self.Visit.with_user(self.ka_manager_b).search([]), self.visit_b)
        self.assertFalse(self.Reception.with_user(self.ka_manager_b).search([]))
        for model, records in self._records().items():
            self.assertFalse(self.env[model].with_user(self.ka_manager_b).search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_manager_b).read(["name"])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.ka_manager_b).write({"name": "From B"})
        self.assertEqual(self.visit_b.company_id, self.company_b)

    def test_export_only_for_managers(self):
        # Odoo's own export right, so that what refuses below is the key-account rule
        export = self.env.ref("base.group_allow_export")
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            user.groups_id = [(4, export.id)]
        for model, records in self._records().items():
            for user in (self.ka_user, self.ka_clerk):
                with self.assertRefused(AccessError, "Only Key Account Managers may export"):
                    records.with_user(user).export_data(["name"])
            for user in (self.ka_manager, self.ka_director):
                rows = records.with_user(user).export_data(["name"])["datas"]
                self.assertEqual(
                    sorted(row[0] for row in rows), sorted(records.mapped("name")), f"{user.login} {model}"
                )

    def test_the_partner_smart_button(self):
        action = (
            self.account.with_user(self.ka_user)
            .with_context(key_account_model="key.account.visit")
            .action_open_key_account_records()
        )
        self.assertEqual(action["res_model"], "key.account.visit")
        self.assertEqual(self.Visit.with_user(self.ka_user).search(action["domain"]), self.visit)
        self.assertEqual(self.Visit.with_user(self.ka_user_off).search(action["domain"]).ids, [])


@tagged("post_install", "-at_install")
class TestVisitHandover(VisitCase):
    def test_open_visits_move_reported_ones_stay(self):
        draft = self._plan()
        submitted = self._submitted(participant_ids=[(6, 0, self.ka_clerk.ids)])
        approved = self._approved(
            self.ka_clerk, user_id=self.ka_clerk.id, participant_ids=[(6, 0, (self.ka_user | self.ka_director).ids)]
        )
        reception = self._submitted(
            self.ka_manager,
            model="key.account.reception",
            user_id=self.ka_manager.id,
            participant_ids=[(6, 0, self.ka_user.ids)],
        )
        reported = self._reported(participant_ids=[(6, 0, self.ka_clerk.ids)])
        closed = self._accepted(self._reported())
        closed.action_close()
        cancelled = self._plan()
        cancelled.action_cancel()
        untouched = self._plan(self.ka_clerk, user_id=self.ka_clerk.id)

        wizard = (
            self.env["key.account.handover.wizard"]
            .with_user(self.ka_manager)
            .create(
                {
                    "from_user_id": self.ka_user.id,
                    "to_user_id": self.ka_user_off.id,
                    "note": "Leaving",
                }
            )
        )
        self.assertEqual(wizard.visit_count, 4)
        wizard.action_handover()
        # ka_user left the account team: read as the superuser
        draft, submitted, reception, approved, reported, closed, cancelled, untouched = (
            plan.with_env(self.env)
            for plan in (draft, submitted, reception, approved, reported, closed, cancelled, untouched)
        )
        self.env.invalidate_all()
        self.assertEqual((draft.user_id, submitted.user_id), (self.ka_user_off, self.ka_user_off))
        self.assertEqual(submitted.participant_ids, self.ka_clerk)
        self.assertEqual(submitted.state, "submitted")
        self.assertEqual(approved.user_id, self.ka_clerk)
        self.assertEqual(approved.participant_ids, self.ka_user_off | self.ka_director)
        self.assertEqual(reception.user_id, self.ka_manager)
        self.assertEqual(reception.participant_ids, self.ka_user_off)
        for plan in (reported, closed, cancelled):
            self.assertEqual(plan.user_id, self.ka_user, plan.state)
        self.assertEqual(reported.participant_ids, self.ka_clerk)
        self.assertEqual(untouched.user_id, self.ka_clerk)
        # noted in the handover history, not in the partner's chatter (issue #16)
        handover = self.env["key.account.handover.log"].search([("partner_id", "=", self.account.id)])
        self.assertIn(draft.name, handover.items)
        self.assertIn(reception.name, handover.items)
        # the new account manager works on them
        self.assertEqual(self.Visit.with_user(self.ka_user_off).search([("id", "=", draft.id)]), draft)
