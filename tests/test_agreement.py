"""Contracts and agreements (issue #23; seed 000 六 合同管理, seed 003 第九–十一条, 第十四条): the
clauses reviewed before the layered approval (KA Manager; the Director from the company's
amount), material fields locked under review, the signature recorded by a KA Manager only once
approved, the expiry reminder raised once and the expiry, renewal, settlement terms and the
key-account code gated on signed supply and quality agreements."""

import base64

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

DOCUMENT = base64.b64encode(b"%PDF-1.4 signed agreement")


class AgreementCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["key.account.agreement"]
        cls.today = fields.Date.today()
        cls.company.key_account_agreement_director_amount = 1000000.0

    def _agreement(self, user=None, partner=None, **vals):
        return self.Agreement.with_user(user or self.ka_user).create(
            {
                "partner_id": (partner or self.account).id,
                "subject": "Annual supply of H-beams",
                "kind": "supply",
                "amount": 500000.0,
                "date_start": self.today,
                "date_end": fields.Date.add(self.today, years=1, days=-1),
                "our_signatory": "Zhang Wei",
                "customer_signatory_id": self.contact.id,
                **vals,
            }
        )

    def _submitted(self, *args, **kwargs):
        agreement = self._agreement(*args, **kwargs)
        agreement.clause_ids.write({"reviewed": True})
        agreement.action_submit()
        return agreement

    def _approve(self, agreement, user):
        self.assertIs(agreement.with_user(user).validate_tier(), True)
        agreement.invalidate_recordset()
        return agreement

    def _signed(self, *args, **kwargs):
        agreement = self._submitted(*args, **kwargs)
        if agreement.needs_director_approval:
            self._approve(agreement, self.ka_director)
        self._approve(agreement, self.ka_manager)
        agreement.with_user(self.ka_user).write({"signed_document": DOCUMENT, "signed_document_name": "signed.pdf"})
        agreement.with_user(self.ka_manager).action_sign()
        self.assertEqual(agreement.state, "signed")
        return agreement


@tagged("post_install", "-at_install")
class TestAgreementApproval(AgreementCase):
    def test_new_agreement_has_the_clauses_checklist(self):
        agreement = self._agreement()
        self.assertEqual(agreement.state, "draft")
        self.assertTrue(agreement.name.startswith("AGR/"))
        self.assertGreaterEqual(len(agreement.clause_ids), 5)
        self.assertFalse(agreement.clauses_reviewed)

    def test_clauses_reviewed_before_submission(self):
        agreement = self._agreement()
        with self.assertRefused(ValidationError, "Review every clause"):
            agreement.action_submit()
        agreement.clause_ids.write({"reviewed": True})
        agreement.action_submit()
        self.assertEqual(agreement.state, "submitted")

    def test_below_the_threshold_the_manager_alone_approves(self):
        agreement = self._submitted()
        self.assertFalse(agreement.needs_director_approval)
        self.assertEqual(agreement.review_ids.reviewer_group_id, self.env.ref("key_account_mgmt.group_ka_manager"))
        self._approve(agreement, self.ka_manager)
        self.assertEqual(agreement.state, "approved")

    def test_from_the_threshold_the_director_approves_after_the_manager(self):
        agreement = self._submitted(amount=1500000.0)
        self.assertTrue(agreement.needs_director_approval)
        self.assertEqual(len(agreement.review_ids), 2)
        self._approve(agreement, self.ka_manager)
        self.assertEqual(agreement.state, "submitted")
        # the KA Manager cannot take the Director's level
        agreement.with_user(self.ka_manager).validate_tier()
        agreement.invalidate_recordset()
        self.assertEqual(agreement.state, "submitted")
        self._approve(agreement, self.ka_director)
        self.assertEqual(agreement.state, "approved")

    def test_threshold_is_the_company_setting(self):
        self.company.key_account_agreement_director_amount = 0.0
        agreement = self._submitted(amount=50000000.0)
        self.assertFalse(agreement.needs_director_approval)

    def test_rejection(self):
        agreement = self._submitted()
        self.assertIs(agreement.with_user(self.ka_manager).reject_tier(), True)
        agreement.invalidate_recordset()
        self.assertEqual(agreement.state, "rejected")

    def test_material_fields_locked_under_review(self):
        agreement = self._submitted()
        for vals in ({"amount": 1.0}, {"date_end": fields.Date.add(self.today, years=3)}, {"settlement_days": 90}):
            with self.assertRefused(ValidationError, "under (approval|validation)"):
                agreement.with_user(self.ka_user).write(vals)
        with self.assertRefused(ValidationError, "under (approval|validation)"):
            agreement.clause_ids[:1].with_user(self.ka_user).write({"name": "Nothing"})
        # nor after the approval: what gets signed is what was approved
        self._approve(agreement, self.ka_manager)
        with self.assertRefused(ValidationError, "approved"):
            agreement.with_user(self.ka_user).write({"amount": 1.0})

    def test_status_and_signature_not_written_by_hand(self):
        agreement = self._agreement()
        with self.assertRefused(ValidationError, "status"):
            agreement.write({"state": "signed"})
        with self.assertRefused(ValidationError, "recorded by the system"):
            agreement.with_user(self.ka_manager).write({"date_signed": self.today})


@tagged("post_install", "-at_install")
class TestAgreementSigning(AgreementCase):
    def test_signed_only_after_approval(self):
        agreement = self._agreement(signed_document=DOCUMENT)
        with self.assertRefused(UserError, "only once approved"):
            agreement.with_user(self.ka_manager).action_sign()
        agreement.clause_ids.write({"reviewed": True})
        agreement.action_submit()
        with self.assertRefused(UserError, "only once approved"):
            agreement.with_user(self.ka_manager).action_sign()
        self._approve(agreement, self.ka_manager)
        agreement.with_user(self.ka_manager).action_sign(date_signed=self.today)
        self.assertEqual(agreement.state, "signed")
        self.assertEqual(agreement.date_signed, self.today)
        self.assertEqual(agreement.signed_by_id, self.ka_manager)
        self.assertTrue(agreement.is_running)
        with self.assertRefused(ValidationError, "cannot change"):
            agreement.with_user(self.ka_manager).write({"signed_document": base64.b64encode(b"other")})

    def test_the_signed_document_is_required(self):
        agreement = self._submitted()
        self._approve(agreement, self.ka_manager)
        with self.assertRefused(UserError, "Attach the signed document"):
            agreement.with_user(self.ka_manager).action_sign()

    def test_only_a_manager_records_the_signature(self):
        agreement = self._submitted(signed_document=DOCUMENT)
        self._approve(agreement, self.ka_manager)
        for user in self.roles_below_manager().values():
            with self.assertRefused(UserError, ".+"):
                agreement.with_user(user).action_sign()
        self.assertEqual(agreement.state, "approved")

    def test_settlement_days_set_the_payment_terms(self):
        thirty = self.env.ref("account.account_payment_term_30days")
        self.account.property_payment_term_id = thirty
        agreement = self._signed(settlement_days=60)
        term = self.account.property_payment_term_id
        self.assertEqual(agreement.payment_term_id, term)
        self.assertEqual(term.line_ids.mapped("nb_days"), [60])
        order = self.env["sale.order"].with_user(self.plain_user).create({"partner_id": self.account.id})
        self.assertEqual(order.payment_term_id, term)
        agreement.with_user(self.ka_manager).action_terminate()
        self.assertEqual(agreement.state, "terminated")
        self.assertEqual(self.account.property_payment_term_id, thirty)

    def test_no_settlement_days_no_terms(self):
        agreement = self._signed()
        self.assertFalse(agreement.payment_term_id)


@tagged("post_install", "-at_install")
class TestAgreementExpiry(AgreementCase):
    def _activities(self, agreement):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", agreement._name),
                ("res_id", "=", agreement.id),
                ("activity_type_id", "=", self.env.ref("key_account_mgmt.mail_activity_type_agreement_expiry").id),
            ]
        )

    def test_reminder_raised_once_then_expired(self):
        self.company.key_account_agreement_reminder_days = 30
        end = fields.Date.add(self.today, days=60)
        agreement = self._signed(date_end=end, settlement_days=45)
        self.Agreement._cron_agreement_expiry()
        self.assertFalse(self._activities(agreement))
        with freeze_time(fields.Date.add(end, days=-30)):
            self.Agreement._cron_agreement_expiry()
            self.Agreement._cron_agreement_expiry()
        activity = self._activities(agreement)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.ka_user)  # the account manager
        self.assertTrue(agreement.expiry_reminder_date)
        with freeze_time(fields.Date.add(end, days=-1)):
            self.Agreement._cron_agreement_expiry()
        self.assertEqual(len(self._activities(agreement)), 1)
        with freeze_time(fields.Date.add(end, days=1)):
            self.Agreement._cron_agreement_expiry()
        self.assertEqual(agreement.state, "expired")
        self.assertFalse(agreement.is_running)
        self.assertNotEqual(self.account.property_payment_term_id, agreement.payment_term_id)

    def test_renewal_is_linked_and_prefilled(self):
        agreement = self._signed(settlement_days=30)
        action = agreement.with_user(self.ka_user).action_renew()
        renewal = self.Agreement.browse(action["res_id"])
        self.assertEqual(agreement.renewal_id, renewal)
        self.assertEqual(renewal.renewed_from_ids, agreement)
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(
            (renewal.partner_id, renewal.kind, renewal.amount, renewal.settlement_days),
            (agreement.partner_id, agreement.kind, agreement.amount, agreement.settlement_days),
        )
        self.assertEqual(renewal.date_start, fields.Date.add(agreement.date_end, days=1))
        self.assertEqual(renewal.clause_ids.mapped("name"), agreement.clause_ids.mapped("name"))
        self.assertFalse(any(renewal.clause_ids.mapped("reviewed")))
        self.assertFalse(renewal.signed_document)
        with self.assertRefused(UserError, "already renewed"):
            agreement.with_user(self.ka_user).action_renew()
        # a renewed agreement is not reminded
        self.company.key_account_agreement_reminder_days = 400
        self.Agreement._cron_agreement_expiry()
        self.assertFalse(agreement.expiry_reminder_date)
        with self.assertRefused(UserError, "signed or expired"):
            renewal.with_user(self.ka_user).action_renew()


@tagged("post_install", "-at_install")
class TestAgreementCode(AgreementCase):
    def test_code_right_away_when_not_required(self):
        partner = self._key_account("Jinyuan Cement")
        self.assertTrue(partner.key_account_code)

    def test_code_once_supply_and_quality_are_signed(self):
        self.company.key_account_code_requires_agreements = True
        partner = self._key_account("Jinyuan Cement", manager=self.ka_user)
        contact = self.env["res.partner"].create({"name": "Li Na", "parent_id": partner.id})
        self.assertFalse(partner.key_account_code)
        self._signed(partner=partner, kind="supply", customer_signatory_id=contact.id)
        self.assertFalse(partner.key_account_code)
        self._signed(partner=partner, kind="framework", customer_signatory_id=contact.id)
        self.assertFalse(partner.key_account_code)
        self._signed(partner=partner, kind="quality", customer_signatory_id=contact.id)
        self.assertTrue(partner.key_account_code)


@tagged("post_install", "-at_install")
class TestAgreementRights(AgreementCase):
    def test_team_reads_and_writes_others_refused(self):
        agreement = self._agreement()
        self.assertEqual(agreement.with_user(self.ka_user).partner_id, self.account)
        for user in (self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(self.Agreement.with_user(user).search([("id", "=", agreement.id)]), agreement)
        with self.assertRefused(AccessError, ".+"):
            self.Agreement.with_user(self.plain_user).search([])
        for user in (self.plain_user, self.ka_user_off, self.ka_manager_b):
            if user != self.plain_user:
                self.assertFalse(self.Agreement.with_user(user).search([("id", "=", agreement.id)]))
            with self.assertRefused(AccessError, ".+"):
                agreement.with_user(user).read(["subject"])
            with self.assertRefused(AccessError, ".+"):
                agreement.with_user(user).write({"subject": "Changed"})
        with self.assertRefused(AccessError, ".+"):
            self._agreement(user=self.ka_user_off)
        with self.assertRefused(AccessError, ".+"):
            self._agreement(user=self.plain_user)

    def test_only_managers_export(self):
        agreement = self._agreement()
        # Odoo's own export right, so that what refuses is the key-account rule
        for user in (self.ka_user, self.ka_manager):
            user.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        with self.assertRefused(AccessError, ".+"):
            agreement.with_user(self.ka_user).export_data(["subject"])  # noqa
        self.assertTrue(agreement.with_user(self.ka_manager).export_data(["subject"])["datas"])

    def test_partner_counts_agreements_for_readers(self):
        self._agreement()
        self.assertEqual(self.account.with_user(self.ka_user).key_account_agreement_count, 1)
        self.assertEqual(self.account.with_user(self.ka_user_off).key_account_agreement_count, 0)
        action = self.account.with_user(self.ka_user).action_open_key_account_agreements()
        self.assertEqual(action["res_model"], "key.account.agreement")

    def test_terminate_and_delete(self):
        agreement = self._signed()
        with self.assertRefused(UserError, "Only a Key Account Manager"):
            agreement.with_user(self.ka_user).action_terminate()
        with self.assertRefused(UserError, "Only draft or cancelled"):
            agreement.with_user(self.ka_manager).unlink()
        draft = self._agreement()
        draft.with_user(self.ka_user).unlink()
        self.assertFalse(draft.exists())
