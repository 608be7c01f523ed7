"""Cooperation state suggestions from agreements (issue #23; seed 002: 合作良好 = 有中标协议): a
running agreement or won tender of the account or one of its branches suggests good cooperation,
an agreement expired without renewal suggests a problem customer; each raised once and cleared
when the agreements change."""

from datetime import timedelta

from odoo.tests import tagged

from .test_agreement import AgreementCase
from .test_state_suggestion import StateSuggestionCase


@tagged("post_install", "-at_install")
class TestStateSuggestionContracts(StateSuggestionCase, AgreementCase):
    def _dated(self, start_days, end_days, state="signed", partner=None, **vals):
        """An agreement valid from ``start_days`` to ``end_days`` from today, signed through the
        layered approval, then moved on in time (its state as the expiry cron leaves it)."""
        agreement = self._signed(partner=partner, **vals)
        agreement.sudo().write(
            {"date_start": self.today + timedelta(days=start_days), "date_end": self.today + timedelta(days=end_days)}
        )
        if state != "signed":
            agreement.sudo().write({"state": state})
        return agreement

    def test_running_agreement_or_won_tender_suggests_good_cooperation(self):
        self.account.sudo().cooperation_state = "maintained"
        shortlisted = self._dated(-10, 100, kind="tender_shortlisted")
        self._watch()
        self.assertFalse(self._open("contract_running"), "a shortlisted tender is not won")
        # a tender won by a branch (a key account of its own) counts for its headquarters
        self.branch.write({"is_key_account": True, "key_account_manager_id": self.ka_user.id})
        won = self._dated(-10, 100, kind="tender_won", partner=self.branch)
        suggestion, activity = self.assertRaisedOnce("contract_running")
        self.assertEqual(suggestion.suggested_state, "good")
        self.assertEqual(suggestion.facts["agreement_ids"], won.ids)
        self.assertIn(won.display_name, suggestion.description)
        self.assertNotIn(shortlisted.display_name, suggestion.description)
        won.sudo().write({"state": "terminated"})
        self.assertCleared(suggestion, activity)

    def test_agreement_expired_without_renewal_suggests_a_problem(self):
        expired = self._dated(-400, -5, state="expired")
        suggestion, activity = self.assertRaisedOnce("contract_expired")
        self.assertEqual(suggestion.suggested_state, "problem")
        self.assertIn(expired.display_name, suggestion.description)
        # renewed: cleared (the renewal is drafted from the expired agreement)
        expired.with_user(self.ka_user).action_renew()
        self.assertTrue(expired.renewal_id)
        self.assertCleared(suggestion, activity)

    def test_signed_agreement_past_its_end_and_kinds_running(self):
        past = self._dated(-400, -1)
        self._watch()
        self.assertTrue(self._open("contract_expired"), "signed, past its end: the expiry cron has not run yet")
        # another agreement of the same kind running: superseded, no problem
        self._dated(0, 300)
        self._watch()
        self.assertFalse(self._open("contract_expired"))
        # an expiry older than a year suggests nothing any more
        past.sudo().write(
            {"date_end": self.today - timedelta(days=500), "date_start": self.today - timedelta(days=900)}
        )
        self._watch()
        self.assertFalse(self._open("contract_expired"))
