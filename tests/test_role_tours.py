"""Issue #18: each role over its main screens in Chromium, in Simplified Chinese, at desktop and
at phone width (key_account_role_tours.js). After every screen the tour fails on an error dialog
and on any English word: the data here is named in Chinese, so a Latin word on screen is an
untranslated string (key_account_tour_utils.js). What a tour changes is checked here."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KeyAccountDataMixin

ACCOUNT = "恒泰建设集团"
CALENDAR_PURPOSE = "介绍消防泵组并约定现场勘察"


class RoleToursMixin(KeyAccountDataMixin):
    """A Chinese company: a specialist on a sales team led by the manager, a specialist outside
    it, a clerk, a director and a salesperson; two key accounts, a visit approved, a visit and a
    nomination waiting, a policy in force, a complaint, a score and this month's report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN", tracking_disable=True))
        env["res.lang"]._activate_lang("zh_CN")
        env.company.name = "江苏华东钢铁贸易有限公司"
        # the administrator, a KA Director too, works in Chinese as well
        env.ref("base.user_admin").lang = "zh_CN"
        # every installed module's terms, as a Chinese installation has them; ours last, as its
        # i18n_extra completes the others'
        modules = env["ir.module.module"].search([("state", "=", "installed"), ("name", "!=", "key_account_mgmt")])
        env["ir.module.module"]._load_module_terms(
            [*modules.mapped("name"), "key_account_mgmt"], ["zh_CN"], overwrite=True
        )
        sales = "base.group_user,sales_team.group_sale_salesman,"

        def user(login, name, groups):
            return new_test_user(env, login, groups=sales + groups, name=name, lang="zh_CN", tz="Asia/Shanghai")

        cls.specialist = user("role_user", "王芳", "key_account_mgmt.group_ka_user")
        cls.other_specialist = user("role_other", "周杰", "key_account_mgmt.group_ka_user")
        cls.clerk = user("role_clerk", "陈静", "key_account_mgmt.group_ka_clerk")
        # the manager scores the growth criteria too (Scorer: Sales Manager)
        cls.manager = user(
            "role_manager",
            "李强",
            "sales_team.group_sale_salesman_all_leads,key_account_mgmt.group_ka_manager,"
            "key_account_mgmt.group_ka_scorer_sales",
        )
        cls.director = user("role_director", "赵敏", "key_account_mgmt.group_ka_director")
        cls.salesperson = user("role_sales", "刘洋", "sales_team.group_sale_salesman")
        env["crm.team"].create(
            {"name": "华东大客户组", "user_id": cls.manager.id, "member_ids": [(6, 0, cls.specialist.ids)]}
        )

        tier = env.ref("key_account_mgmt.tier_strategic")
        cls.account = cls._key_account(ACCOUNT, manager=cls.specialist, key_account_tier_id=tier.id)
        cls.other_account = cls._key_account("华信贸易有限公司", manager=cls.other_specialist)
        for account, specialist in ((cls.account, cls.specialist), (cls.other_account, cls.other_specialist)):
            account.with_user(specialist).action_set_cooperation_state("good", "签订框架合同")
        env["res.partner"].create(
            {"name": "孙丽", "parent_id": cls.account.id, "function": "采购总监", "buying_role": "economic"}
        )
        today = fields.Date.context_today(cls.account)
        cls._post_invoice(cls.account, 1200.0, today)
        cls._post_invoice(cls.other_account, 800.0, today)
        env["key.account.target"].create(
            {"user_id": cls.specialist.id, "period_kind": "month", "date_from": today, "sales_target": 1000.0}
        )
        scorecard = env["key.account.scorecard"]._for_company(env.company)
        this_month = env["key.account.metrics"]._period(today)[0]
        for back, score, grade in ((3, 64.5, "b"), (0, 82.0, "a")):
            env["key.account.score"].create(
                {
                    "partner_id": cls.account.id,
                    "scorecard_id": scorecard.id,
                    "period_date": this_month - relativedelta(months=back),
                    "date_computed": fields.Datetime.now(),
                    "score": score,
                    "grade": grade,
                }
            )

        Visit = env["key.account.visit"].with_user(cls.specialist)
        now = fields.Datetime.now()
        cls.visit_approved = Visit.create(
            {"partner_id": cls.account.id, "purpose": CALENDAR_PURPOSE, "date_planned": now.replace(hour=2, minute=0)}
        )
        cls.visit_approved.action_submit()
        cls.visit_approved.with_user(cls.manager).validate_tier()
        cls.visit_waiting = Visit.create(
            {
                "partner_id": cls.account.id,
                "purpose": "年度框架协议续签洽谈",
                "date_planned": now.replace(hour=6, minute=0) + relativedelta(days=1),
                "location": "南京市中山路12号",
                "budget": 3000.0,
            }
        )
        cls.visit_waiting.action_submit()
        # the activities the reviewers see on what they approve: one overdue, one due today
        cls.visit_waiting.activity_schedule(
            "mail.mail_activity_data_todo",
            today - relativedelta(days=2),
            summary="核对拜访预算",
            user_id=cls.manager.id,
        )

        policy = (
            env["key.account.policy"]
            .with_user(cls.specialist)
            .create(
                {
                    "partner_id": cls.account.id,
                    "policy_type": "credit_terms",
                    "value": 60,
                    "date_to": today + relativedelta(days=90),
                    "reason": "框架协议",
                }
            )
        )
        policy.action_submit()
        policy.with_user(cls.manager).validate_tier()

        candidate = env["res.partner"].create({"name": "鑫源钢铁有限公司", "is_company": True})
        expected = env.company.key_account_nomination_director_amount + 1000000.0
        cls.nomination = cls._nomination(
            cls.salesperson,
            candidate,
            expected=expected,
            reasons="本省最大的钢材采购商",
            line_ids=[(0, 0, {"name": "H型钢", "quantity": 100, "expected_amount": expected})],
        )
        cls.nomination.action_submit()
        cls.nomination.with_user(cls.manager).validate_tier()
        cls.nomination.activity_schedule(
            "mail.mail_activity_data_todo", today, summary="核对开发申请材料", user_id=cls.director.id
        )

        env["helpdesk.ticket"].with_user(cls.specialist).create(
            {
                "name": "钢材到货生锈",
                "description": "<p>两车H型钢到货时已生锈。</p>",
                "partner_id": cls.account.id,
                "date_received": now,
            }
        )
        env["key.account.report"].with_user(cls.manager).generate(today)

    def _assert_waiting(self):
        """What the tours of the specialist and the clerk leave as it was."""
        self.env.invalidate_all()
        self.assertEqual((self.visit_waiting.state, self.nomination.state), ("submitted", "submitted"))


@tagged("post_install", "-at_install")
class TestRoleTours(RoleToursMixin, HttpCase):
    def _tour(self, role, login):
        self.start_tour("/odoo", f"key_account_mgmt_role_{role}", login=login)

    def test_ka_user(self):
        self._tour("user", "role_user")
        self._assert_waiting()

    def test_ka_clerk(self):
        self._tour("clerk", "role_clerk")
        self._assert_waiting()

    def test_ka_manager(self):
        criterion = self.env.ref("key_account_mgmt.criterion_growth_expected")

        self._tour("manager", "role_manager")

        self.env.invalidate_all()
        rating = self.env["key.account.manual.score"].search(
            [("partner_id", "=", self.account.id), ("criterion_id", "=", criterion.id)]
        )
        self.assertEqual((rating.points, rating.comment, rating.user_id), (4.0, "增长明确", self.manager))
        self.assertEqual(self.visit_waiting.state, "approved")
        self.assertEqual(self.visit_waiting.review_ids.done_by, self.manager)
        self.assertTrue(self.visit_waiting.calendar_event_id)
        self.assertEqual(self.nomination.state, "submitted")

    def test_ka_director(self):
        self._tour("director", "role_director")

        self.env.invalidate_all()
        self.assertEqual(self.nomination.state, "approved")
        self.assertEqual(self.nomination.review_ids.sorted("sequence").done_by, self.manager | self.director)
        self.assertTrue(self.nomination.partner_id.is_key_account)
        self.assertEqual(self.visit_waiting.state, "submitted")

    def test_checks_fail_on_an_error_and_on_english(self):
        """noErrorDialog() and noEnglish() fail where they should (the tour expects them to)."""
        self.start_tour("/odoo", "key_account_mgmt_role_checks", login="role_manager")
        self.assertFalse(self.env["key.account.manual.score"].search([("partner_id", "=", self.account.id)]))


@tagged("post_install", "-at_install")
class TestRoleToursPhone(TestRoleTours):
    """The same screens at phone width (390 px), by touch."""

    browser_size = "390x844"
    touch_enabled = True

    test_checks_fail_on_an_error_and_on_english = None
