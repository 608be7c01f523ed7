"""The reviewer's queue in the browser (issue #18): a KA Director working in Simplified Chinese
approves a nomination from Key Accounts › 待我审批 (Chromium, headless)."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApprovalQueueTour(HttpCase):
    def test_director_approves_from_the_queue_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["base_tier_validation", "key_account_mgmt"], ["zh_CN"], overwrite=True
        )
        requester = new_test_user(
            self.env, "tour_queue_sales", groups="base.group_user,sales_team.group_sale_salesman", name="Tour Sales"
        )
        manager = new_test_user(
            self.env, "tour_queue_manager", groups="base.group_user,key_account_mgmt.group_ka_manager"
        )
        director = new_test_user(
            self.env,
            "tour_queue_director",
            groups="base.group_user,key_account_mgmt.group_ka_director",
            name="Tour Director",
            lang="zh_CN",
        )
        partner = self.env["res.partner"].create({"name": "Tour Queue Candidate", "is_company": True})
        nomination = (
            self.env["key.account.application"]
            .with_user(requester)
            .create(
                {
                    "partner_id": partner.id,
                    "reasons": "Largest steel buyer of the province",
                    "expected_annual_sales": self.env.company.key_account_nomination_director_amount + 1000000.0,
                }
            )
        )
        nomination.action_submit()
        nomination.with_user(manager).validate_tier()
        self.assertEqual(nomination.state, "submitted")
        self.assertTrue(nomination.with_user(director).can_review)

        self.start_tour("/odoo", "key_account_mgmt_approval_queue", login="tour_queue_director")

        self.env.invalidate_all()
        self.assertEqual(nomination.state, "approved")
        self.assertEqual(nomination.review_ids.sorted("sequence").done_by, manager | director)
        self.assertTrue(partner.is_key_account)
