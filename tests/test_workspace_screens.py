"""Issue #18: the screens people live in, in Chromium — the scoring sheet in Chinese, the
cooperation board, the visit calendar, the key account and the visit report at phone width.
What the screens read and write is tested in test_workspace_records.py."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

PURPOSE = "Present the fire pump sets for Metro Line 9 and agree on a site survey."


class WorkspaceMixin:
    """A key account managed by a KA User, its economic buyer, and a visit approved by a KA
    Manager, built in an HttpCase (no KeyAccountCase users there)."""

    def _workspace(self):
        self.ka_user = new_test_user(
            self.env, "ws_ka_user", groups="base.group_user,key_account_mgmt.group_ka_user", name="WS KA User"
        )
        self.ka_manager = new_test_user(
            self.env, "ws_ka_manager", groups="base.group_user,key_account_mgmt.group_ka_manager", name="WS KA Manager"
        )
        self.account = self.env["res.partner"].create(
            {
                "name": "Hengtai Construction Group",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
                "key_account_manager_id": self.ka_user.id,
            }
        )
        self.buyer = self.env["res.partner"].create(
            {
                "name": "Sun Li",
                "parent_id": self.account.id,
                "function": "Purchasing Director",
                "buying_role": "economic",
            }
        )

    def _approved_visit(self):
        visit = (
            self.env["key.account.visit"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "purpose": PURPOSE,
                    "date_planned": fields.Datetime.now().replace(hour=9, minute=0, second=0),
                    "location": "Customer HQ",
                    "budget": 3500.0,
                    "contact_ids": [(6, 0, self.buyer.ids)],
                }
            )
        )
        visit.action_submit()
        visit.with_user(self.ka_manager).validate_tier()
        visit.invalidate_recordset()
        self.assertEqual(visit.state, "approved")
        return visit


# ---------------------------------------------------------------------------------- scoring sheet
@tagged("post_install", "-at_install")
class TestScoreSheetTour(HttpCase):
    def test_scorer_saves_a_manual_rating_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)
        scorer = new_test_user(
            self.env,
            "tour_scorer",
            groups="base.group_user,key_account_mgmt.group_ka_scorer_service,"
            "key_account_mgmt.group_ka_scorer_sales,key_account_mgmt.group_ka_scorer_marketing",
            name="Tour Scorer",
            lang="zh_CN",
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Scored Account",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": self.env.ref("key_account_mgmt.tier_strategic").id,
            }
        )
        criterion = self.env.ref("key_account_mgmt.criterion_willingness")

        self.start_tour("/odoo", "key_account_mgmt_score_sheet", login="tour_scorer")

        rating = self.env["key.account.manual.score"].search(
            [("partner_id", "=", partner.id), ("criterion_id", "=", criterion.id)]
        )
        self.assertEqual((rating.points, rating.comment, rating.user_id), (4.0, "配合度高", scorer))


# ---------------------------------------------------------------------------------- cooperation board
@tagged("post_install", "-at_install")
class TestCooperationBoardTour(WorkspaceMixin, HttpCase):
    def test_the_card_opens_the_state_wizard_instead_of_dragging(self):
        self._workspace()
        self.account.action_set_cooperation_state("maintained", "Good contact, no contract yet")

        self.start_tour("/odoo", "key_account_mgmt_cooperation_board", login="ws_ka_user")

        self.assertEqual(self.account.cooperation_state, "good")
        log = self.env["key.account.state.log"].search([("partner_id", "=", self.account.id)], limit=1)
        self.assertEqual((log.state_to, log.reason, log.user_id), ("good", "Framework contract signed", self.ka_user))


# ---------------------------------------------------------------------------------- visit calendar
@tagged("post_install", "-at_install")
class TestVisitCalendarTour(WorkspaceMixin, HttpCase):
    def test_the_calendar_shows_account_and_purpose(self):
        self._workspace()
        self._approved_visit()
        self.start_tour("/odoo", "key_account_mgmt_visit_calendar", login="ws_ka_user")


# ---------------------------------------------------------------------------------- phone width
@tagged("post_install", "-at_install")
class TestPhoneWidthTour(WorkspaceMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_accounts_at_phone_width(self):
        self._workspace()
        policy = (
            self.env["key.account.policy"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "policy_type": "credit_terms",
                    "value": 60,
                    "date_from": fields.Date.today(),
                    "date_to": fields.Date.today() + timedelta(days=90),
                    "reason": "Framework agreement",
                }
            )
        )
        policy.action_submit()
        policy.with_user(self.ka_manager).validate_tier()
        self.assertTrue(policy.is_active)
        self.env["res.partner"].create(
            {
                "name": "Hengtai Construction Group Shanghai Branch Office",
                "is_company": True,
                "city": "Shanghai",
                "phone": "+86 21 5555 5555",
                "key_account_headquarters_id": self.account.id,
                "key_account_group_relation": "branch",
            }
        )
        self.env["key.account.team.member"].create(
            {"partner_id": self.account.id, "user_id": self.ka_manager.id, "role": "developer", "note": "Metro tenders"}
        )
        self.start_tour(
            "/odoo/action-key_account_mgmt.res_partner_action_key_account",
            "key_account_mgmt_phone_accounts",
            login="ws_ka_user",
        )

    def test_visit_report_at_phone_width(self):
        self._workspace()
        visit = self._approved_visit()
        self.start_tour(
            f"/odoo/action-key_account_mgmt.key_account_visit_action/{visit.id}",
            "key_account_mgmt_phone_visit_report",
            login="ws_ka_user",
        )
        visit.invalidate_recordset()
        self.assertEqual((visit.state, visit.outcome), ("done", "success"))
        self.assertIn("walked the depot", visit.talking_points)
