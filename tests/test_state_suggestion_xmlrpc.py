"""Cooperation state suggestions over XML-RPC (issue #23), as the users' clients call them: the
team reads its account's suggestions and dismisses one with a reason; another team, a plain
salesperson and anyone writing the decision directly are refused with an access fault (4), a
dismissal without a reason with a user error (2), never a server error (1)."""

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestStateSuggestionXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman"
        cls.seller = new_test_user(cls.env, "rpc_suggest_seller", groups=groups)
        cls.owner = new_test_user(cls.env, "rpc_suggest_owner", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.outsider = new_test_user(cls.env, "rpc_suggest_outsider", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Donghai Shipyard",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.owner.id,
            }
        )
        cls.account.sudo().write({"cooperation_state": "maintained"})
        # no invoice in three years: the watch suggests "no cooperation"
        cls.env["key.account.state.watch"]._watch(cls.account)
        cls.suggestion = cls.env["key.account.state.suggestion"].search([("partner_id", "=", cls.account.id)])

    def test_team_dismisses_others_are_refused(self):
        Suggestion = "key.account.state.suggestion"
        [row] = self._call(self.owner, Suggestion, "search_read", [], ["rule", "suggested_state", "decision"])
        self.assertEqual(
            (row["rule"], row["suggested_state"], row["decision"]), ("no_invoice", "no_cooperation", "pending")
        )
        self.assertEqual(self._call(self.outsider, Suggestion, "search", []), [])
        self._refused(4, self.seller, Suggestion, "search", [])
        self._refused(4, self.outsider, Suggestion, "action_dismiss", [self.suggestion.id], "Not ours")
        self._refused(4, self.owner, Suggestion, "write", [self.suggestion.id], {"decision": "accepted"})
        self._refused(4, self.owner, Suggestion, "unlink", [self.suggestion.id])
        self._refused(2, self.owner, Suggestion, "action_dismiss", [self.suggestion.id], "")
        self.assertIs(
            self._call(self.owner, Suggestion, "action_dismiss", [self.suggestion.id], "Buys through its trading arm"),
            True,
        )
        [row] = self._call(self.owner, Suggestion, "read", [self.suggestion.id], ["decision", "dismiss_reason"])
        self.assertEqual((row["decision"], row["dismiss_reason"]), ("dismissed", "Buys through its trading arm"))
        self._refused(2, self.owner, Suggestion, "action_dismiss", [self.suggestion.id], "Again")
