"""Issue #18: a KA User opens a key account from the Key Accounts app in Chromium, in Chinese,
at desktop and at phone width: the header's figures, the open items and every page, with no
error dialog and nothing scrolling sideways (key_account_form_tour.js). The figures themselves
are tested in test_key_account_form.py."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KeyAccountDataMixin


class KeyAccountFormTourMixin(KeyAccountDataMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"]._load_module_terms(["key_account_mgmt"], ["zh_CN"], overwrite=True)
        groups = "base.group_user,sales_team.group_sale_salesman,key_account_mgmt."
        cls.ka_user = new_test_user(
            env, "tour_form_user", groups=groups + "group_ka_user", lang="zh_CN", name="Form Tour Specialist"
        )
        cls.ka_manager = new_test_user(env, "tour_form_manager", groups=groups + "group_ka_manager", name="Form Mgr")
        tier = env.ref("key_account_mgmt.tier_strategic")
        tier.color = 3
        account = cls._key_account("Form Tour Group", manager=cls.ka_user, key_account_tier_id=tier.id)
        account.action_set_cooperation_state("good", "Framework contract")
        account.sudo().key_account_credit_flag = True
        branch = env["res.partner"].create(
            {
                "name": "Form Tour Branch",
                "is_company": True,
                "key_account_headquarters_id": account.id,
                "key_account_group_relation": "branch",
            }
        )
        env["res.partner"].create(
            {"name": "Sun Li", "parent_id": account.id, "function": "Purchasing Director", "buying_role": "economic"}
        )
        # revenue: 1,600 in the 12 months (1,100 of its own, 500 of the branch), 600 the 12 before
        today = fields.Date.context_today(account)
        year_ago = fields.Date.subtract(today, years=1)
        for partner, amount, day in (
            (account, 1100.0, today),
            (branch, 500.0, today),
            (account, 450.0, year_ago),
            (branch, 150.0, year_ago),
        ):
            cls._post_invoice(partner, amount, day)
        # scored three times in the 12 months: C, B, then A this month
        scorecard = env["key.account.scorecard"]._for_company(env.company)
        this_month = env["key.account.metrics"]._period(today)[0]
        for back, score, grade in ((11, 55.0, "c"), (3, 64.5, "b"), (0, 82.0, "a")):
            env["key.account.score"].create(
                {
                    "partner_id": account.id,
                    "scorecard_id": scorecard.id,
                    "period_date": this_month - relativedelta(months=back),
                    "date_computed": fields.Datetime.now(),
                    "score": score,
                    "grade": grade,
                }
            )
        # the open items: a visit waiting for approval, a complaint; a policy in force
        visit = (
            env["key.account.visit"]
            .with_user(cls.ka_user)
            .create({"partner_id": account.id, "purpose": "Site survey", "date_planned": fields.Datetime.now()})
        )
        visit.action_submit()
        env["helpdesk.ticket"].with_user(cls.ka_user).create(
            {
                "name": "Steel delivered with rust",
                "description": "<p>Two trucks of H-beams arrived rusty.</p>",
                "partner_id": account.id,
                "date_received": fields.Datetime.now(),
            }
        )
        policy = (
            env["key.account.policy"]
            .with_user(cls.ka_user)
            .create(
                {
                    "partner_id": account.id,
                    "policy_type": "credit_terms",
                    "value": 60,
                    "date_to": today + timedelta(days=90),
                    "reason": "Framework agreement",
                }
            )
        )
        policy.action_submit()
        policy.with_user(cls.ka_manager).validate_tier()


@tagged("post_install", "-at_install")
class TestKeyAccountFormTour(KeyAccountFormTourMixin, HttpCase):
    def test_key_account_form_at_desktop(self):
        self.start_tour("/odoo", "key_account_mgmt_key_account_form", login="tour_form_user")


@tagged("post_install", "-at_install")
class TestKeyAccountFormPhoneTour(KeyAccountFormTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_key_account_form_at_phone_width(self):
        self.start_tour(
            "/odoo/action-key_account_mgmt.res_partner_action_key_account",
            "key_account_mgmt_key_account_form_phone",
            login="tour_form_user",
        )
