"""Agreements over XML-RPC (issue #23), as an RPC client drives them: the team drafts and
submits, the KA Manager approves and records the signature; refusals are faults 2 (UserError,
ValidationError) or 4 (AccessError), never 1."""

import base64

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestAgreementXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.specialist = new_test_user(cls.env, "rpc_agr_specialist", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.outsider = new_test_user(cls.env, "rpc_agr_outsider", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_agr_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "RPC Cement Works",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": cls.env.ref("key_account_mgmt.tier_key").id,
                "key_account_manager_id": cls.specialist.id,
            }
        )
        cls.signatory = cls.env["res.partner"].create({"name": "Wang Fang", "parent_id": cls.account.id})
        cls.env.company.key_account_agreement_director_amount = 1000000.0

    def test_drafted_approved_and_signed_over_rpc_with_refusals(self):
        agreement_id = self._call(
            self.specialist,
            "key.account.agreement",
            "create",
            {
                "partner_id": self.account.id,
                "subject": "Supply of clinker 2027",
                "kind": "supply",
                "amount": 200000.0,
                "our_signatory": "Chen Guoqiang",
                "customer_signatory_id": self.signatory.id,
            },
        )
        # another team's specialist neither reads nor submits it (4), nobody writes its status (2)
        self._refused(4, self.outsider, "key.account.agreement", "read", [agreement_id], ["subject"])
        self._refused(2, self.specialist, "key.account.agreement", "write", [agreement_id], {"state": "signed"})
        # the checklist first
        message = self._refused(2, self.specialist, "key.account.agreement", "action_submit", [agreement_id])
        self.assertIn("clause", message)
        clause_ids = self._call(
            self.specialist, "key.account.agreement.clause", "search", [("agreement_id", "=", agreement_id)]
        )
        self._call(self.specialist, "key.account.agreement.clause", "write", clause_ids, {"reviewed": True})
        self.assertIs(self._call(self.specialist, "key.account.agreement", "action_submit", [agreement_id]), True)
        # locked under review; not signed before approval
        self._refused(2, self.specialist, "key.account.agreement", "write", [agreement_id], {"amount": 1.0})
        self._refused(2, self.manager, "key.account.agreement", "action_sign", [agreement_id])
        self.assertIs(self._call(self.manager, "key.account.agreement", "validate_tier", [agreement_id]), True)
        document = base64.b64encode(b"%PDF-1.4 signed").decode()
        self._call(
            self.specialist,
            "key.account.agreement",
            "write",
            [agreement_id],
            {"signed_document": document, "signed_document_name": "signed.pdf"},
        )
        # the specialist does not record the signature, nor on a bad day
        self._refused(2, self.specialist, "key.account.agreement", "action_sign", [agreement_id])
        self._refused(2, self.manager, "key.account.agreement", "action_sign", [agreement_id], "2026-02-30")
        self.assertIs(self._call(self.manager, "key.account.agreement", "action_sign", [agreement_id]), True)
        (record,) = self._call(
            self.specialist, "key.account.agreement", "read", [agreement_id], ["state", "is_running"]
        )
        self.assertEqual((record["state"], record["is_running"]), ("signed", True))
