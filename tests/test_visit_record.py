"""The printed visit record and reception report, for the account team only (SPEC §6, issue #6)."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_visit import REPORT, VisitCase


@tagged("post_install", "-at_install")
class TestVisitRecord(VisitCase):
    def _html(self, report, plans, user):
        html, kind = self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, plans.ids)
        self.assertEqual(kind, "html")
        return html.decode()

    def test_visit_record_renders(self):
        visit = self._reported(
            participant_ids=[(6, 0, self.ka_clerk.ids)],
            report={
                "outcome": "not_yet",
                "outcome_reason": "Waiting for the provincial bond",
            },
            gift_line_ids=[(0, 0, {"name": "Longjing tea set", "quantity": 2, "unit_value": 380.0})],
        )
        action = visit.action_print_record()
        self.assertEqual(action["report_name"], "key_account_mgmt.report_key_account_visit")
        for user in (self.ka_user, self.ka_manager):
            html = self._html("key_account_mgmt.action_report_key_account_visit", visit, user)
            for text in (
                visit.name,
                "Visit Record",
                "Hengtai Construction Group",
                REPORT["talking_points"],
                REPORT["customer_needs"],
                "Waiting for the provincial bond",
                "Sun Li",
                "Zhou Qiang",
                "KA Clerk",
                "Longjing tea set",
            ):
                self.assertIn(text, html, f"{user.login}: {text}")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            # test mode falls back to HTML unless forced
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.ka_user)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("key_account_mgmt.action_report_key_account_visit", visit.ids)
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))

    def test_reception_report_renders(self):
        reception = self._reported(
            model="key.account.reception", visitor_ids=[(0, 0, {"name": "Chen Ming", "title": "Site Manager"})]
        )
        html = self._html("key_account_mgmt.action_report_key_account_reception", reception, self.ka_user)
        for text in ("Reception Report", reception.name, "Chen Ming (Site Manager)", REPORT["talking_points"]):
            self.assertIn(text, html)

    def test_off_team_cannot_print(self):
        visit = self._reported()
        for user in (self.ka_user_off, self.ka_manager_b, self.plain_user):
            # QWeb wraps the AccessError met while rendering
            with self.assertRaises(Exception, msg=user.login) as caught:
                self._html("key_account_mgmt.action_report_key_account_visit", visit, user)
            error = caught.exception
            self.assertIsInstance(error if isinstance(error, AccessError) else error.__cause__, AccessError, user.login)
