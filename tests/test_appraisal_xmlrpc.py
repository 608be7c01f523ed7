"""Quarterly appraisals and target changes over XML-RPC (issue #24): a specialist reads their
own appraisal only; refusals are faults 2 (UserError/ValidationError) or 4 (AccessError),
never 1."""

from datetime import date

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase


@tagged("post_install", "-at_install")
class TestAppraisalXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman,key_account_mgmt.group_ka_"
        cls.ka_user = new_test_user(cls.env, "rpc_appraisal_user", groups=groups + "user")
        cls.ka_user_off = new_test_user(cls.env, "rpc_appraisal_off", groups=groups + "user")
        cls.ka_manager = new_test_user(cls.env, "rpc_appraisal_manager", groups=groups + "manager")

    def test_appraisal_rights_over_xmlrpc(self):
        Appraisal = self.env["key.account.appraisal"].with_user(self.ka_manager)
        mine = Appraisal.create({"user_id": self.ka_user.id, "date_from": date(2026, 1, 1)})
        other = Appraisal.create({"user_id": self.ka_user_off.id, "date_from": date(2026, 1, 1)})
        (mine | other).action_compute()
        self.env.flush_all()

        found = self._call(self.ka_user, "key.account.appraisal", "search", [("id", "in", (mine | other).ids)])
        self.assertEqual(found, mine.ids)
        [row] = self._call(self.ka_user, "key.account.appraisal", "read", mine.ids, ["score", "churn_rate"])
        self.assertIn("score", row)
        # another specialist's appraisal, changing one's own, approving one's own: refused
        self._refused(4, self.ka_user, "key.account.appraisal", "read", other.ids, ["score"])
        self._refused(4, self.ka_user, "key.account.appraisal", "write", mine.ids, {"manager_comment": "Excellent"})
        self._refused(4, self.ka_user, "key.account.appraisal", "action_submit", mine.ids)
        self._refused(4, self.ka_user, "key.account.appraisal", "action_export_payroll", mine.ids)
        # the KA Manager: a submission without a comment is a user error
        self._refused(2, self.ka_manager, "key.account.appraisal", "action_submit", mine.ids)
        self._refused(2, self.ka_manager, "key.account.appraisal", "action_export_payroll", mine.ids)
