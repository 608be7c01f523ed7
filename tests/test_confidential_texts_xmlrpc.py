"""Confidential texts over XML-RPC (issue #16): the escalation's texts never reach the partner."""

import xmlrpc.client

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase
from .test_confidential_texts import CONCLUSION, PLAN, REASON


@tagged("post_install", "-at_install")
class TestConfidentialTextsXmlRpc(KeyAccountXmlRpcCase):
    """Over XML-RPC, as a plain salesperson and as a KA User off the team: the escalation's
    texts are nowhere on the partner, and the state log's messages, activities and followers
    are out of reach; the KA Manager completes the meeting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.seller = new_test_user(cls.env, "rpc_text_seller", groups=groups)
        cls.specialist = new_test_user(
            cls.env, "rpc_text_specialist", groups=groups + ",key_account_mgmt.group_ka_user"
        )
        cls.outsider = new_test_user(cls.env, "rpc_text_outsider", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.manager = new_test_user(cls.env, "rpc_text_manager", groups=groups + ",key_account_mgmt.group_ka_manager")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Donghai Shipyard",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.specialist.id,
            }
        )

    def test_escalation_over_xmlrpc(self):
        self._call(self.specialist, "res.partner", "action_set_cooperation_state", [self.account.id], "good", "")
        self._call(
            self.specialist, "res.partner", "action_set_cooperation_state", [self.account.id], "refused", REASON, PLAN
        )
        log_id = self._call(
            self.manager,
            "key.account.state.log",
            "search",
            [("partner_id", "=", self.account.id), ("escalated", "=", True)],
        )[0]
        for user in (self.seller, self.outsider, self.specialist, self.manager):
            for text in (REASON, PLAN):
                self.assertFalse(
                    self._call(
                        user,
                        "mail.message",
                        "search",
                        [("model", "=", "res.partner"), ("res_id", "=", self.account.id), ("body", "ilike", text)],
                    )
                )
                self.assertFalse(
                    self._call(
                        user,
                        "mail.activity",
                        "search",
                        [("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)],
                    )
                )
        on_log = [("res_model", "=", "key.account.state.log"), ("res_id", "=", log_id)]
        follower_ids = self._call(self.manager, "mail.followers", "search", on_log)
        self.assertTrue(follower_ids, "the KA Manager follows the row of their meeting")
        for user in (self.seller, self.outsider):
            self.assertFalse(self._call(user, "mail.followers", "search", on_log))
            self.assertFalse(self._call(user, "mail.activity", "search", on_log))
            with self.assertRaises(xmlrpc.client.Fault):
                self._call(user, "mail.followers", "read", follower_ids, ["partner_id"])
            with self.assertRaises(xmlrpc.client.Fault):
                self._call(user, "key.account.state.log", "read", [log_id], ["message_follower_ids"])
        meeting_ids = self._call(self.manager, "mail.activity", "search", on_log)
        self.assertEqual(len(meeting_ids), 1)
        self._call(self.manager, "mail.activity", "action_feedback", meeting_ids, feedback=CONCLUSION)
        log = self._call(
            self.specialist, "key.account.state.log", "read", [log_id], ["conclusion", "escalation_closed_date"]
        )[0]
        self.assertEqual(log["conclusion"], CONCLUSION)
        self.assertFalse(
            self._call(self.manager, "res.partner", "read", [self.account.id], ["key_account_escalated"])[0][
                "key_account_escalated"
            ]
        )
        messages = self._call(
            self.specialist,
            "mail.message",
            "search_read",
            [("model", "=", "key.account.state.log"), ("res_id", "=", log_id)],
            ["body"],
        )
        self.assertIn(CONCLUSION, " ".join(m["body"] for m in messages))
        self.assertFalse(
            self._call(
                self.seller,
                "mail.message",
                "search",
                [("model", "=", "key.account.state.log"), ("res_id", "=", log_id)],
            )
        )
        self.assertFalse(
            self._call(
                self.manager,
                "mail.message",
                "search",
                [("model", "=", "res.partner"), ("res_id", "=", self.account.id), ("body", "ilike", CONCLUSION)],
            )
        )
