"""Nomination (开发申请, SPEC §2, seed 001 §3.2): the layered approval (KA Manager, then the KA
Director from the company's threshold), the key account code it brings, the submit errors and
the rights of every group on nominations and their lines."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

THRESHOLD = 1000000.0


class NominationCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_nomination_director_amount = THRESHOLD
        cls.Application = cls.env["key.account.application"]
        cls.candidate = cls.env["res.partner"].create({"name": "Jinlong Steel Structures", "is_company": True})
        cls.candidate_2 = cls.env["res.partner"].create({"name": "Dongfang Cables", "is_company": True})
        cls.manager_tier = cls.env.ref("key_account_mgmt.tier_definition_application_manager")
        cls.director_tier = cls.env.ref("key_account_mgmt.tier_definition_application_director")

    def _submitted(self, user=None, partner=None, expected=250000.0, **vals):
        application = self._nomination(user or self.plain_user, partner or self.candidate, expected, **vals)
        application.action_submit()
        return application

    def _approve(self, application, user):
        application.with_user(user).validate_tier()
        application.invalidate_recordset()
        return application

    def _statuses(self, application):
        """(tier, status) per level, in order; waiting and pending (base_tier_validation updates
        one into the other lazily) are both "open"."""
        application.invalidate_recordset()
        return [
            (review.definition_id, "open" if review.status in ("waiting", "pending") else review.status)
            for review in application.review_ids.sorted("sequence")
        ]


@tagged("post_install", "-at_install")
class TestNominationRouting(NominationCase):
    def test_below_threshold_the_manager_alone_approves(self):
        application = self._submitted(
            expected=THRESHOLD - 0.01,
            proposed_manager_id=self.ka_user_off.id,
            category_ids=[(6, 0, self.category_retail.ids)],
            proposed_tier_id=self.tier_key.id,
        )
        self.assertEqual(application.state, "submitted")
        self.assertTrue(application.submitted_date)
        self.assertFalse(application.needs_director_approval)
        self.assertEqual(self._statuses(application), [(self.manager_tier, "open")])
        self.assertFalse(self.candidate.is_key_account)

        self._approve(application, self.ka_manager)
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.validation_status, "validated")
        self.assertEqual(application.review_ids.done_by, self.ka_manager)
        self.assertTrue(application.approved_date)
        self.assertTrue(self.candidate.is_key_account)
        self.assertEqual(self.candidate.key_account_tier_id, self.tier_key)
        self.assertEqual(self.candidate.key_account_category_ids, self.category_retail)
        self.assertEqual(self.candidate.key_account_manager_id, self.ka_user_off)
        # the code is confidential: noted in the nomination, not in the partner's chatter (issue #16)
        self.assertIn(application.name, application.sudo().message_ids[0].body)
        self.assertFalse(self.candidate.message_ids.filtered(lambda m: self.candidate.key_account_code in str(m.body)))

    def test_applicant_becomes_account_manager_without_proposal(self):
        application = self._submitted(user=self.ka_user)
        self._approve(application, self.ka_manager)
        self.assertEqual(self.candidate.key_account_manager_id, self.ka_user)

    def test_at_threshold_the_director_approves_after_the_manager(self):
        application = self._submitted(expected=THRESHOLD)
        self.assertTrue(application.needs_director_approval)
        self.assertEqual(self._statuses(application), [(self.manager_tier, "open"), (self.director_tier, "open")])

        self._approve(application, self.ka_manager)
        self.assertEqual(self._statuses(application), [(self.manager_tier, "approved"), (self.director_tier, "open")])
        self.assertEqual(application.state, "submitted")
        self.assertFalse(self.candidate.is_key_account)
        # the manager has nothing left to decide: approving again changes nothing
        self.assertFalse(application.with_user(self.ka_manager).can_review)
        self._approve(application, self.ka_manager)
        self.assertEqual(application.state, "submitted")
        self.assertEqual(self._statuses(application)[1], (self.director_tier, "open"))

        self._approve(application, self.ka_director)
        self.assertEqual(application.state, "approved")
        self.assertEqual(
            application.review_ids.sorted("sequence").mapped("done_by"), self.ka_manager | self.ka_director
        )
        self.assertTrue(self.candidate.is_key_account)

    def test_above_threshold_the_director_cannot_skip_the_manager_level(self):
        """The director's first approval decides the manager's level only (逐级审核)."""
        application = self._submitted(expected=THRESHOLD * 3)
        self._approve(application, self.ka_director)
        self.assertEqual(self._statuses(application), [(self.manager_tier, "approved"), (self.director_tier, "open")])
        self.assertEqual(application.state, "submitted")
        self._approve(application, self.ka_director)
        self.assertEqual(application.state, "approved")

    def test_threshold_zero_means_manager_alone(self):
        self.company.key_account_nomination_director_amount = 0
        application = self._submitted(expected=THRESHOLD * 100)
        self.assertFalse(application.needs_director_approval)
        self._approve(application, self.ka_manager)
        self.assertEqual(application.state, "approved")

    def test_threshold_is_the_company_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.key_account_nomination_director_amount, THRESHOLD)
        application = self._nomination(self.plain_user, self.candidate, expected=600000.0)
        self.assertFalse(application.needs_director_approval)
        self.company.key_account_nomination_director_amount = 500000.0
        self.assertTrue(application.needs_director_approval)

    def test_rejection_and_resubmission(self):
        application = self._submitted()
        application.with_user(self.ka_manager).reject_tier()
        application.invalidate_recordset()
        self.assertEqual(application.state, "rejected")
        self.assertFalse(self.candidate.is_key_account)
        with self.assertRefused(UserError, "Only rejected or cancelled"):
            self._nomination(self.plain_user, self.candidate_2).action_reset_draft()
        application.with_user(self.plain_user).action_reset_draft()
        self.assertEqual(application.state, "draft")
        self.assertFalse(application.review_ids)
        application.with_user(self.plain_user).action_submit()
        self.assertEqual(self._statuses(application), [(self.manager_tier, "open")])
        self._approve(application, self.ka_manager)
        self.assertTrue(self.candidate.is_key_account)

    def test_cancel(self):
        application = self._submitted()
        application.with_user(self.plain_user).action_cancel()
        self.assertEqual(application.state, "cancelled")
        self.assertFalse(application.review_ids)
        approved = self._submitted(partner=self.candidate_2)
        self._approve(approved, self.ka_manager)
        with self.assertRefused(UserError, "approved record cannot be cancelled"):
            approved.with_user(self.ka_manager).action_cancel()
        self.assertEqual(approved.state, "approved")


@tagged("post_install", "-at_install")
class TestNominationApprovers(NominationCase):
    def test_applicant_clerk_and_ka_user_cannot_approve(self):
        application = self._submitted(user=self.plain_user, expected=THRESHOLD)
        before = self._statuses(application)
        for user in (self.plain_user, self.ka_clerk, self.ka_user):
            self.assertFalse(application.with_user(user).can_review, user.login)
            for decide in ("validate_tier", "reject_tier"):
                try:
                    getattr(application.with_user(user), decide)()
                except AccessError:
                    pass  # refusing is as good as ignoring: what counts is that nothing is decided
                self.assertEqual(self._statuses(application), before, f"{user.login} {decide}")
                self.assertEqual(application.state, "submitted")
        self.assertFalse(application.review_ids.done_by)
        self.assertFalse(self.candidate.is_key_account)

    def test_review_status_cannot_be_forged(self):
        application = self._submitted(user=self.plain_user, expected=THRESHOLD)
        manager_review, director_review = application.review_ids.sorted("sequence")
        for user, review in (
            (self.plain_user, manager_review),
            (self.ka_clerk, manager_review),
            (self.ka_user, director_review),
            (self.ka_manager, director_review),
        ):
            for status in ("approved", "rejected"):
                with self.assertRefused(AccessError, "Only its reviewers"):
                    review.with_user(user).write({"status": status})
        with self.assertRefused(AccessError, "waiting for its reviewer"):
            self.env["tier.review"].with_user(self.plain_user).create(
                {
                    "model": application._name,
                    "res_id": application.id,
                    "definition_id": self.manager_tier.id,
                    "status": "approved",
                    "sequence": 3,
                }
            )
        self.assertEqual(self._statuses(application), [(self.manager_tier, "open"), (self.director_tier, "open")])
        self.assertEqual(len(application.review_ids), 2)

    def test_applicant_cannot_write_the_approved_state(self):
        application = self._submitted(user=self.plain_user)
        with self.assertRaises(ValidationError):
            application.with_user(self.plain_user).write({"state": "approved"})
        self.assertEqual(application.state, "submitted")
        self.assertFalse(self.candidate.is_key_account)

    def test_other_company_manager_cannot_approve(self):
        application = self._submitted(user=self.plain_user)
        with self.assertRaises(AccessError):
            application.with_user(self.ka_manager_b).validate_tier()
        with self.assertRefused(AccessError, "reviewers|'write' access"):
            application.review_ids.with_user(self.ka_manager_b).write({"status": "approved"})
        # had the forged review stayed, the applicant's next click would have approved it
        application.with_user(self.plain_user).validate_tier()
        self.assertEqual(self._statuses(application), [(self.manager_tier, "open")])
        self.assertEqual(application.state, "submitted")
        self.assertFalse(self.candidate.is_key_account)


@tagged("post_install", "-at_install")
class TestNominationSubmit(NominationCase):
    def _assert_untouched(self, application):
        application.invalidate_recordset()
        self.assertEqual(application.state, "draft")
        self.assertFalse(application.submitted_date)
        self.assertFalse(application.review_ids)

    def test_already_key_account(self):
        application = self._nomination(self.plain_user, self.account)
        with self.assertRefused(UserError, "already a key account"):
            application.action_submit()
        self._assert_untouched(application)

    def test_reasons_required(self):
        for reasons in (False, "", "   \n "):
            application = self._nomination(self.plain_user, self.candidate, reasons=reasons)
            with self.assertRefused(ValidationError, "reasons"):
                application.action_submit()
            self._assert_untouched(application)

    def test_expected_sales_required(self):
        application = self._nomination(self.plain_user, self.candidate, expected=0.0)
        with self.assertRefused(ValidationError, "expected annual sales"):
            application.action_submit()
        self._assert_untouched(application)

    def test_negative_amounts_refused(self):
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._nomination(self.plain_user, self.candidate, expected=-5.0)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._nomination(self.plain_user, self.candidate, development_cost=-1.0)
        self.assertFalse(self.Application.search([("partner_id", "=", self.candidate.id)]))

    def test_only_drafts_are_submitted(self):
        application = self._submitted()
        with self.assertRefused(UserError, "Only a draft"):
            application.action_submit()
        self.assertEqual(len(application.review_ids), 1)

    def test_one_nomination_under_approval_per_candidate(self):
        self._submitted(user=self.plain_user)
        second = self._nomination(self.plain_user, self.candidate)
        with self.assertRefused(UserError, "already has a nomination under approval"):
            second.action_submit()
        self._assert_untouched(second)

    def test_one_nomination_under_approval_whoever_applies(self):
        """The check must see the nominations the applicant cannot read (another salesperson's)."""
        self._submitted(user=self.plain_user)
        for user in (self.ka_user, self.ka_manager):
            second = self._nomination(user, self.candidate)
            with self.assertRefused(UserError, "already has a nomination under approval"):
                second.action_submit()
            self._assert_untouched(second)

    def test_products_total(self):
        application = self._nomination(self.plain_user, self.candidate, expected=300.0)
        application.write({"line_ids": [(0, 0, {"name": "Bolts", "expected_amount": 50.0})]})
        self.assertEqual(application.products_amount, 350.0)
        self.assertRegex(application.name, r"^NOM/\d{4}/\d{4}$")


@tagged("post_install", "-at_install")
class TestKeyAccountCode(NominationCase):
    def test_code_from_the_sequence_unique(self):
        first, second = self._submitted(partner=self.candidate), self._submitted(partner=self.candidate_2)
        self._approve(first, self.ka_manager)
        self._approve(second, self.ka_manager)
        codes = [self.candidate.key_account_code, self.candidate_2.key_account_code]
        for code in codes:
            self.assertRegex(code, r"^KA\d{5}$")
        self.assertEqual(int(codes[1][2:]), int(codes[0][2:]) + 1)
        self.assertEqual(first.key_account_code, codes[0])
        self.assertEqual(second.key_account_code, codes[1])
        all_codes = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("key_account_code", "!=", False)])
            .mapped("key_account_code")
        )
        self.assertEqual(len(all_codes), len(set(all_codes)))
        self.assertIn(codes[1], second.sudo().message_ids[0].body)
        self.assertFalse(self.candidate_2.message_ids.filtered(lambda m: codes[1] in str(m.body)))

    def test_code_is_read_only_to_everyone(self):
        self._approve(self._submitted(), self.ka_manager)
        code = self.candidate.key_account_code
        for user in (self.ka_user, self.ka_manager, self.ka_director):
            with self.assertRaises(AccessError):
                self.candidate.with_user(user).write({"key_account_code": "KA99999"})
        self.assertEqual(self.candidate.key_account_code, code)

    def test_code_kept_when_retired_and_renominated(self):
        self._approve(self._submitted(), self.ka_manager)
        code = self.candidate.key_account_code
        self.candidate.with_user(self.ka_manager).action_lose_key_account("price", "Moved to a cheaper mill")
        self.assertFalse(self.candidate.is_key_account)
        self.assertTrue(self.candidate.key_account_lost)
        self.assertEqual(self.candidate.key_account_code, code)

        renomination = self._submitted(user=self.ka_user)
        self._approve(renomination, self.ka_manager)
        self.assertTrue(self.candidate.is_key_account)
        self.assertFalse(self.candidate.key_account_lost)
        self.assertEqual(self.candidate.key_account_code, code)
        self.assertEqual(renomination.key_account_code, code)


@tagged("post_install", "-at_install")
class TestNominationRights(NominationCase):
    """Anyone proposes (branch sales teams included) and sees their own; clerks read all;
    managers and directors decide on all of their companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.by_ka_user = cls._nomination(cls.ka_user, cls.candidate_2)

    def test_everyone_internal_creates_and_edits_own_nominations(self):
        for user in (self.plain_user, self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            application = self._nomination(user, self.candidate)
            self.assertEqual(application.user_id, user)
            self.assertIn(application, self.Application.with_user(user).search([]))
            application.write({"trading_principles": "Monthly settlement", "line_ids": [(0, 0, {"name": "Bolts"})]})
            self.assertEqual(application.trading_principles, "Monthly settlement")
            self.assertEqual(len(application.line_ids), 2)
            application.line_ids[0].unlink()
            application.unlink()
            self.assertFalse(application.exists())

    def test_plain_and_ka_user_do_not_see_others_nominations(self):
        for user in (self.plain_user, self.ka_user_off):
            self.assertNotIn(self.by_ka_user, self.Application.with_user(user).search([]))
            with self.assertRaises(AccessError):
                self.by_ka_user.with_user(user).read(["reasons"])
            with self.assertRaises(AccessError):
                self.by_ka_user.with_user(user).write({"reasons": "Hijacked"})
            with self.assertRaises(AccessError):
                self.by_ka_user.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.by_ka_user.line_ids.with_user(user).read(["name"])
        self.assertEqual(self.by_ka_user.reasons, "Largest steel buyer of the province")

    def test_nobody_below_manager_nominates_in_the_name_of_another(self):
        for user in (self.plain_user, self.ka_user, self.ka_clerk):
            with self.assertRaises(AccessError):
                self._nomination(user, self.candidate, user_id=self.ka_user_off.id)
            with self.assertRefused(AccessError, "change the applicant"):
                self._nomination(user, self.candidate).write({"user_id": self.ka_user_off.id})
        self.assertFalse(self.Application.search([("partner_id", "=", self.candidate.id)]))

    def test_clerk_reads_all_but_changes_none(self):
        Application = self.Application.with_user(self.ka_clerk)
        self.assertIn(self.by_ka_user, Application.search([]))
        self.assertEqual(self.by_ka_user.with_user(self.ka_clerk).reasons, "Largest steel buyer of the province")
        self.assertEqual(self.by_ka_user.line_ids.with_user(self.ka_clerk).name, "H-beams")
        with self.assertRaises(AccessError):
            self.by_ka_user.with_user(self.ka_clerk).write({"reasons": "Edited by the clerk"})
        with self.assertRaises(AccessError):
            self.by_ka_user.line_ids.with_user(self.ka_clerk).write({"expected_amount": 1.0})
        with self.assertRaises(AccessError):
            self.by_ka_user.with_user(self.ka_clerk).unlink()
        self.assertEqual(self.by_ka_user.reasons, "Largest steel buyer of the province")
        self.assertEqual(self.by_ka_user.line_ids.expected_amount, 250000.0)

    def test_manager_and_director_manage_all(self):
        for user in (self.ka_manager, self.ka_director):
            application = self.by_ka_user.with_user(user)
            self.assertIn(self.by_ka_user, self.Application.with_user(user).search([]))
            application.write({"reasons": f"Checked by {user.login}", "user_id": self.plain_user.id})
            self.assertEqual(self.by_ka_user.user_id, self.plain_user)
            application.line_ids.write({"expected_amount": 100.0})
            self.assertEqual(self.by_ka_user.products_amount, 100.0)
            self.by_ka_user.sudo().user_id = self.ka_user
        self.by_ka_user.with_user(self.ka_director).unlink()
        self.assertFalse(self.by_ka_user.exists())

    def test_only_drafts_and_cancelled_are_deleted(self):
        application = self._submitted(user=self.plain_user)
        for user in (self.plain_user, self.ka_manager):
            with self.assertRefused(UserError, "Only draft or cancelled"):
                application.with_user(user).unlink()
        self.assertTrue(application.exists())
        application.with_user(self.plain_user).action_cancel()
        application.with_user(self.plain_user).unlink()
        self.assertFalse(application.exists())

    def test_other_company_invisible(self):
        self.assertNotIn(self.by_ka_user, self.Application.with_user(self.ka_manager_b).search([]))
        with self.assertRaises(AccessError):
            self.by_ka_user.with_user(self.ka_manager_b).read(["reasons"])
        with self.assertRaises(AccessError):
            self.by_ka_user.line_ids.with_user(self.ka_manager_b).read(["name"])
        application_b = self.Application.with_user(self.ka_manager_b).create(
            {
                "partner_id": self.candidate.id,
                "reasons": "Company B's customer too",
                "expected_annual_sales": 10.0,
            }
        )
        self.assertEqual(application_b.company_id, self.company_b)
        for user in (self.ka_manager, self.ka_clerk, self.ka_director):
            self.assertNotIn(application_b, self.Application.with_user(user).search([]))
