"""Developing key accounts (issue #19, part B): the on-site investigation (实地调查, seed 003
第七条) signed off by the departments named on the plan — only each department's signer decides,
by their own actions; a development is not won while a required sign-off is missing — and the
potential customer's file (seed 001 §1.2.3 职责3): the client archive, confidential by the
archive's rules, kept with the customer once it is won."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountDataMixin, KeyAccountXmlRpcCase
from .test_development import STANDARDS, DevelopmentCase

KA_USER_GROUPS = "base.group_user,key_account_mgmt.group_ka_user"


class SignoffCase(DevelopmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(cls.env, "dev_engineer", groups=KA_USER_GROUPS, name="Engineer Zhao")
        cls.inspector = new_test_user(cls.env, "dev_inspector", groups=KA_USER_GROUPS, name="Inspector Qian")
        cls.technical = cls.env.ref("key_account_mgmt.development_department_technical")
        cls.quality = cls.env.ref("key_account_mgmt.development_department_quality")
        cls.design = cls.env.ref("key_account_mgmt.development_department_design")
        cls.Signoff = cls.env["key.account.development.signoff"]

    def _investigated_plan(self, **vals):
        plan = self._approved_plan(self.ka_user, self.dongfang, **vals)
        plan.with_user(self.ka_user).write(
            {
                "investigation_date": "2027-03-10",
                "investigation_findings": "Crusher line 2 runs 20 h a day; the acidic water eats the pump casings",
                "signoff_ids": [
                    (0, 0, {"department_id": self.technical.id, "signer_id": self.engineer.id}),
                    (0, 0, {"department_id": self.quality.id, "signer_id": self.inspector.id}),
                ],
            }
        )
        return plan

    def _line(self, plan, department):
        return plan.signoff_ids.filtered(lambda s: s.department_id == department)


@tagged("post_install", "-at_install")
class TestInvestigationSignoff(SignoffCase):
    def test_won_only_once_every_required_department_signed(self):
        plan = self._investigated_plan()
        technical, quality = self._line(plan, self.technical), self._line(plan, self.quality)
        self.assertEqual(plan.signoff_missing, "Technical, Quality")
        with self.assertRefused(UserError, "Technical, Quality must sign off"):
            plan.with_user(self.ka_user).action_mark_won()
        # the signers are asked once each
        plan.with_user(self.ka_user).action_request_signoffs()
        plan.with_user(self.ka_user).action_request_signoffs()
        self.assertEqual(
            [(len(line.activity_ids), line.activity_ids.user_id) for line in (technical, quality)],
            [(1, self.engineer), (1, self.inspector)],
        )
        # a refusal needs its reason; it keeps the development from being won
        with self.assertRefused(ValidationError, "Say why"):
            technical.with_user(self.engineer).action_refuse("  ")
        technical.with_user(self.engineer).action_refuse("The casings need duplex steel first")
        self.assertEqual((technical.state, technical.comment), ("refused", "The casings need duplex steel first"))
        self.assertFalse(technical.activity_ids)
        quality.with_user(self.inspector).action_sign("Incoming inspection agreed")
        with self.assertRefused(UserError, "Technical must sign off"):
            plan.with_user(self.ka_user).action_mark_won()
        # refused, then signed once the casings changed; signed is final
        technical.with_user(self.engineer).action_sign()
        self.assertEqual((technical.state, technical.comment), ("signed", False))
        self.assertTrue(technical.date_decided)
        with self.assertRefused(UserError, "signed off already"):
            technical.with_user(self.engineer).action_refuse("Changed my mind")
        # a department whose sign-off is not required does not hold the development back
        self.design.required = False
        plan.with_user(self.ka_user).write(
            {"signoff_ids": [(0, 0, {"department_id": self.design.id, "signer_id": self.engineer.id})]}
        )
        self.assertFalse(plan.signoff_missing)
        plan.with_user(self.ka_user).action_mark_won()
        self.assertEqual(plan.outcome, "won")
        body = " ".join(plan.message_ids.mapped("body"))
        self.assertIn("Quality signed off the investigation (Inspector Qian): Incoming inspection agreed", body)
        self.assertIn("Technical refused the investigation (Engineer Zhao): The casings need duplex steel first", body)
        with self.assertRefused(UserError, "approved plan in development"):
            self._line(plan, self.design).with_user(self.engineer).action_sign()

    def test_only_the_signer_decides(self):
        plan = self._investigated_plan()
        technical = self._line(plan, self.technical)
        for user in (self.inspector, self.ka_user, self.ka_manager, self.ka_director):
            with self.assertRefused(AccessError, "Only Engineer Zhao signs off for Technical"):
                technical.with_user(user).action_sign()
        with self.assertRaises(AccessError):
            technical.with_user(self.ka_user_off).action_sign()
        with self.assertRaises(AccessError):
            technical.with_user(self.plain_user).action_sign()
        # the decision, its comment and date are written by the signer's actions only
        for user in (self.engineer, self.ka_user, self.ka_manager):
            for vals in ({"state": "signed"}, {"comment": "ok"}, {"date_decided": "2027-03-11 10:00:00"}):
                with self.assertRaises(AccessError):
                    technical.with_user(user).write(vals)
        self.assertEqual(technical.state, "pending")
        # the signer reads their sign-off and the investigation, not the plan nor the other sign-offs
        mine = self.Signoff.with_user(self.engineer).search([])
        self.assertEqual(mine, technical)
        self.assertIn("acidic water", mine.investigation_findings)
        with self.assertRaises(AccessError):
            plan.with_user(self.engineer).read(["needs"])
        with self.assertRaises(AccessError):
            self._line(plan, self.quality).with_user(self.engineer).read(["state"])
        with self.assertRaises(AccessError):
            technical.with_user(self.engineer).write({"signer_id": self.engineer.id})
        # the team sees every sign-off of its plan, another team none
        self.assertEqual(self.Signoff.with_user(self.ka_user).search([]), plan.signoff_ids)
        self.assertFalse(self.Signoff.with_user(self.ka_user_off).search([]))
        self.assertEqual(len(self.Signoff.with_user(self.ka_clerk).search([("development_id", "=", plan.id)])), 2)

    def test_naming_departments(self):
        draft = self._plan(self.ka_user, self.xinda, **STANDARDS)
        with self.assertRefused(UserError, "approved plan in development"):
            self.Signoff.with_user(self.ka_user).create(
                {"development_id": draft.id, "department_id": self.technical.id, "signer_id": self.engineer.id}
            )
        # a member of the project team who is not its coordinator does not name signers
        plan = self._investigated_plan(member_ids=[(0, 0, {"user_id": self.ka_user_off.id, "role": "developer"})])
        with self.assertRefused(AccessError, "coordinator of the plan or a Key Account Manager"):
            self.Signoff.with_user(self.ka_user_off).create(
                {"development_id": plan.id, "department_id": self.design.id, "signer_id": self.engineer.id}
            )
        with self.assertRefused(ValidationError, "needs the Key Account User right"):
            self.Signoff.with_user(self.ka_manager).create(
                {"development_id": plan.id, "department_id": self.design.id, "signer_id": self.plain_user.id}
            )
        technical = self._line(plan, self.technical)
        technical.with_user(self.ka_user).write({"signer_id": self.inspector.id})
        technical.with_user(self.inspector).action_sign("Fine")
        with self.assertRefused(UserError, "keeps its department and signer"):
            technical.with_user(self.ka_manager).write({"signer_id": self.engineer.id})
        with self.assertRefused(UserError, "is kept"):
            technical.with_user(self.ka_manager).unlink()
        self._line(plan, self.quality).with_user(self.ka_user).unlink()
        self.assertEqual(plan.signoff_ids, technical)


@tagged("post_install", "-at_install")
class TestCustomerFile(SignoffCase):
    def test_file_of_a_potential_customer_is_an_archive_kept_once_won(self):
        plan = self._approved_plan(self.ka_user, self.dongfang)
        action = plan.with_user(self.ka_user).action_open_customer_file()
        self.assertEqual(
            (action["res_model"], action["context"]["default_partner_id"]), ("key.account.archive", self.dongfang.id)
        )
        Archive = self.env["key.account.archive"]
        archive = Archive.with_user(self.ka_user).create(
            {
                "partner_id": self.dongfang.id,
                "legal_representative": "Zhang Wei",
                "main_business": "Iron ore crushing",
                "person_ids": [(0, 0, {"name": "Wang Qiang", "position": "Equipment Director"})],
            }
        )
        self.assertEqual(plan.with_user(self.ka_user).action_open_customer_file()["res_id"], archive.id)
        # confidential like any archive: the team, clerks and managers of the company
        for user, sees in (
            (self.ka_user, True),
            (self.ka_user_off, False),
            (self.ka_clerk, True),
            (self.ka_manager, True),
            (self.ka_manager_b, False),
        ):
            self.assertEqual(bool(Archive.with_user(user).search([("id", "=", archive.id)])), sees, user.login)
        with self.assertRaises(AccessError):
            archive.with_user(self.ka_user_off).read(["main_business"])
        with self.assertRaises(AccessError):
            Archive.with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            archive.person_ids.with_user(self.ka_user_off).read(["name"])
        # a read off the team is registered, as for a key account's archive
        archive.with_user(self.ka_manager).read(["main_business"])
        log = self.env["key.account.archive.access.log"].search([("archive_id", "=", archive.id)])
        self.assertEqual(log.user_id, self.ka_manager)
        # another specialist cannot file material on the customer
        with self.assertRaises(AccessError):
            self.env["key.account.archive.person"].with_user(self.ka_user_off).create(
                {"archive_id": archive.id, "name": "Spy"}
            )
        # won and nominated: the same archive is the key account's
        nomination = self.env["key.account.application"].browse(
            plan.with_user(self.ka_user).action_mark_won()["res_id"]
        )
        nomination.with_user(self.ka_user).action_submit()
        nomination.with_user(self.ka_manager).validate_tier()
        self.assertTrue(self.dongfang.is_key_account)
        action = self.dongfang.with_user(self.ka_user).action_open_key_account_archive()
        self.assertEqual((action["res_model"], action["res_id"]), ("key.account.archive", archive.id))
        self.assertEqual(archive.person_ids.name, "Wang Qiang")


@tagged("post_install", "-at_install")
class TestSignoffXmlRpc(KeyAccountDataMixin, KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman,key_account_mgmt.group_ka_user"
        cls.ka_user = new_test_user(cls.env, "rpc_signoff_specialist", groups=groups)
        cls.engineer = new_test_user(cls.env, "rpc_signoff_engineer", groups=groups, name="RPC Engineer")
        cls.ka_manager = new_test_user(
            cls.env, "rpc_signoff_manager", groups=groups + ",key_account_mgmt.group_ka_manager"
        )

    def test_signoff_and_progress_over_xmlrpc(self):
        customer = self.env["res.partner"].create({"name": "Remote Mining", "is_company": True})
        plan = (
            self.env["key.account.development"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": customer.id,
                    "forecast_sales": 50000.0,
                    "forecast_profit": 9000.0,
                    "method_visit": True,
                    **STANDARDS,
                }
            )
        )
        plan.with_user(self.ka_user).action_submit()
        plan.with_user(self.ka_manager).validate_tier()
        technical = self.env.ref("key_account_mgmt.development_department_technical")
        signoff_id = self._call(
            self.ka_user,
            "key.account.development.signoff",
            "create",
            {"development_id": plan.id, "department_id": technical.id, "signer_id": self.engineer.id},
        )
        text = self._refused(4, self.ka_user, "key.account.development.signoff", "action_sign", [signoff_id])
        self.assertIn("Only RPC Engineer signs off for Technical", text)
        self._refused(4, self.engineer, "key.account.development.signoff", "write", [signoff_id], {"state": "signed"})
        self._refused(2, self.engineer, "key.account.development.signoff", "action_refuse", [signoff_id], "")
        self.assertIn(
            "must sign off", self._refused(2, self.ka_user, "key.account.development", "action_mark_won", [plan.id])
        )
        self.assertTrue(self._call(self.engineer, "key.account.development.signoff", "action_sign", [signoff_id], "OK"))
        self._refused(4, self.engineer, "key.account.development", "read", [plan.id], ["needs"])
        report_id = self._call(
            self.ka_user,
            "key.account.development.progress",
            "create",
            {"development_id": plan.id, "progress": "First meeting held"},
        )
        self._refused(4, self.engineer, "key.account.development.progress", "read", [report_id], ["progress"])
        self._refused(
            4, self.ka_user, "key.account.development.progress", "write", [report_id], {"user_id": self.engineer.id}
        )
