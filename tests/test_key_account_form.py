"""Issue #18: the key account form of the Key Accounts app — its header's figures (score trend,
revenue of the 12 months and year on year, waiting approvals) against hand-computed fixtures,
read in a number of queries that does not grow with the accounts, and the fields each role
gets in the form. The form in Chromium: test_key_account_form_tour.py."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

KA_USER = "key_account_mgmt.group_ka_user"
FORM = "key_account_mgmt.res_partner_view_form_key_account"
# what the header and its stat buttons read
HEADER_FIELDS = [
    "key_account_tier_id",
    "key_account_tier_color",
    "cooperation_state",
    "key_account_score",
    "key_account_grade",
    "key_account_score_trend",
    "key_account_revenue_12m",
    "key_account_group_revenue_12m",
    "key_account_group_revenue_prev_12m",
    "key_account_revenue_yoy",
    "key_account_next_visit_date",
    "key_account_visit_overdue",
    "key_account_open_ticket_count",
    "key_account_pending_approval_count",
    "key_account_overdue_days",
    "key_account_credit_flag",
]


@tagged("post_install", "-at_install")
class TestKeyAccountFormFigures(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        # the last 12 months: a year ago tomorrow to today; the 12 before: two years ago tomorrow
        # to a year ago
        cls.year_ago = fields.Date.subtract(cls.today, years=1)
        cls.two_years_ago = fields.Date.subtract(cls.today, years=2)
        # a group customer (集团客户): Hengtai with a branch, whose invoices count for both, and a
        # carrier, linked but not consolidated
        cls.branch = cls.env["res.partner"].create(
            {
                "name": "Hengtai Shanghai Branch",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "branch",
            }
        )
        cls.carrier = cls.env["res.partner"].create(
            {
                "name": "Hengtai Logistics",
                "is_company": True,
                "key_account_headquarters_id": cls.account.id,
                "key_account_group_relation": "carrier",
            }
        )
        post = cls._post_invoice
        post(cls.account, 1000.0, cls.today)
        post(cls.account, 200.0, cls.today - timedelta(days=20), move_type="out_refund")
        post(cls.account, 300.0, cls.year_ago + timedelta(days=1))  # first day of the last 12 months
        post(cls.account, 400.0, cls.year_ago)  # last day of the 12 before
        post(cls.account, 50.0, cls.two_years_ago + timedelta(days=1))  # first day of the 12 before
        post(cls.account, 9000.0, cls.two_years_ago)  # before both
        post(cls.branch, 500.0, cls.today - timedelta(days=40))
        post(cls.branch, 150.0, cls.year_ago - timedelta(days=40))
        post(cls.carrier, 7000.0, cls.today)
        post(cls.other_account, 600.0, cls.today)

    def test_revenue_of_the_12_months_and_year_on_year(self):
        account = self.account.with_user(self.ka_user)
        # own: 1000 - 200 + 300; with the branch: + 500; the 12 before: 400 + 50, + 150
        self.assertAlmostEqual(account.key_account_revenue_12m, 1100.0)
        self.assertAlmostEqual(account.key_account_group_revenue_12m, 1600.0)
        self.assertAlmostEqual(account.key_account_group_revenue_prev_12m, 600.0)
        self.assertEqual(account.key_account_revenue_yoy, 166.7)  # (1600 - 600) / 600, in %, one decimal
        # the branch on its own: 500 against 150
        branch = self.branch.with_user(self.ka_user)
        self.assertAlmostEqual(branch.key_account_group_revenue_12m, 500.0)
        self.assertEqual(branch.key_account_revenue_yoy, 233.3)
        # nothing the year before: no change to show
        other = self.other_account.with_user(self.ka_user_off)
        self.assertEqual((other.key_account_group_revenue_prev_12m, other.key_account_revenue_yoy), (0.0, 0.0))
        self.assertAlmostEqual(other.key_account_group_revenue_12m, 600.0)

    def test_revenue_falls_year_on_year(self):
        self._post_invoice(self.other_account, 2400.0, self.year_ago - timedelta(days=3))
        other = self.other_account.with_user(self.ka_user_off)
        self.assertEqual(other.key_account_revenue_yoy, -75.0)

    def test_score_trend_of_the_12_months(self):
        this_month = self.env["key.account.metrics"]._period(self.today)[0]
        scorecard = self.env["key.account.scorecard"]._for_company(self.company)
        card_b = self.env["key.account.scorecard"].create({"name": "Second company", "company_id": self.company_b.id})
        for card, back, score, grade in (
            (scorecard, 0, 82.0, "a"),
            (scorecard, 3, 64.5, "b"),
            (scorecard, 11, 55.0, "c"),
            (scorecard, 12, 99.0, "a"),  # 13 months back: out of the trend
            (card_b, 1, 10.0, "c"),  # another company's scorecard
        ):
            self.env["key.account.score"].create(
                {
                    "partner_id": self.account.id,
                    "scorecard_id": card.id,
                    "period_date": this_month - relativedelta(months=back),
                    "date_computed": fields.Datetime.now(),
                    "score": score,
                    "grade": grade,
                }
            )
        trend = self.account.with_user(self.ka_user).key_account_score_trend
        self.assertEqual(len(trend), 12)
        self.assertEqual(
            [month["month"] for month in trend],
            [(this_month - relativedelta(months=back)).strftime("%Y-%m") for back in range(11, -1, -1)],
        )
        scored = {index: (month["score"], month["grade"]) for index, month in enumerate(trend) if month["score"]}
        self.assertEqual(scored, {0: (55.0, "c"), 8: (64.5, "b"), 11: (82.0, "a")})
        self.assertTrue(all(month["grade"] is None for index, month in enumerate(trend) if index not in scored))
        self.assertEqual(self.account.with_user(self.ka_user).key_account_grade, "a")
        self.assertEqual(
            self.other_account.with_user(self.ka_user).key_account_score_trend[-1],
            {"month": this_month.strftime("%Y-%m"), "score": None, "grade": None},
        )

    def test_waiting_approvals_counted_as_the_reader_sees_them(self):
        visit = (
            self.env["key.account.visit"]
            .with_user(self.ka_user)
            .create({"partner_id": self.account.id, "purpose": "Site survey", "date_planned": fields.Datetime.now()})
        )
        policy = (
            self.env["key.account.policy"]
            .with_user(self.ka_user)
            .create(
                {
                    "partner_id": self.account.id,
                    "policy_type": "credit_terms",
                    "value": 60,
                    "date_to": self.today + timedelta(days=90),
                    "reason": "Framework agreement",
                }
            )
        )
        draft = (
            self.env["key.account.visit"]
            .with_user(self.ka_user)
            .create({"partner_id": self.account.id, "purpose": "Not submitted", "date_planned": fields.Datetime.now()})
        )
        self.assertEqual(self.account.with_user(self.ka_user).key_account_pending_approval_count, 0)
        visit.action_submit()
        policy.action_submit()
        self.env.invalidate_all()
        self.assertEqual(self.account.with_user(self.ka_user).key_account_pending_approval_count, 2)
        self.assertEqual(self.account.with_user(self.ka_manager).key_account_pending_approval_count, 2)
        # off the team the records are not theirs to see
        self.assertEqual(self.account.with_user(self.ka_user_off).key_account_pending_approval_count, 0)
        action = self.account.with_user(self.ka_manager).action_open_pending_approvals()
        reviews = self.env["tier.review"].with_user(self.ka_manager).search(action["domain"])
        self.assertEqual(
            {(review.model, review.res_id) for review in reviews},
            {
                ("key.account.visit", visit.id),
                ("key.account.policy", policy.id),
            },
        )
        self.assertNotIn(draft.id, reviews.mapped("res_id"))
        visit.with_user(self.ka_manager).validate_tier()
        self.env.invalidate_all()
        self.assertEqual(self.account.with_user(self.ka_user).key_account_pending_approval_count, 1)

    def test_header_queries_do_not_grow_with_the_accounts(self):
        accounts = self.account | self.other_account
        for index in range(6):
            account = self._key_account(f"Query Account {index}", manager=self.ka_user)
            self._post_invoice(account, 100.0 * (index + 1), self.today)
            self._post_invoice(account, 50.0, self.year_ago)
            accounts |= account
        spec = {name: {} for name in HEADER_FIELDS}
        spec["key_account_tier_id"] = {"fields": {"display_name": {}}}

        def queries(partners):
            partners = partners.with_user(self.ka_manager)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = partners.web_read(spec)
            self.assertEqual(len(rows), len(partners))
            return self.env.cr.sql_log_count - before

        queries(accounts)  # caches of the user's groups and rules
        one, all_of_them = queries(self.account), queries(accounts)
        self.assertEqual(one, all_of_them, f"one account: {one} queries, {len(accounts)}: {all_of_them}")


@tagged("post_install", "-at_install")
class TestKeyAccountFormView(KeyAccountDataMixin, KeyAccountCase):
    def _views(self, user):
        return self.env["res.partner"].with_user(user).get_views([(self.env.ref(FORM).id, "form")])

    def test_the_app_opens_the_key_account_form(self):
        form = self.env.ref(FORM)
        for xmlid in (
            "key_account_mgmt.res_partner_action_key_account",
            "key_account_mgmt.res_partner_action_visit_overdue",
            "key_account_mgmt.res_partner_action_cooperation_state",
            "key_account_mgmt.res_partner_action_credit_warning",
        ):
            views = self.env["ir.actions.act_window"]._for_xml_id(xmlid)["views"]
            self.assertIn([form.id, "form"], [list(view) for view in views], xmlid)
        # everybody else keeps the plain partner form
        default = self.env["res.partner"].with_user(self.ka_user).get_views([(False, "form")])["views"]["form"]
        self.assertEqual(default["id"], self.env.ref("base.view_partner_form").id)
        action = self.account.with_user(self.ka_user).action_open_key_account_form()
        self.assertEqual((action["res_id"], action["views"]), (self.account.id, [(form.id, "form")]))

    def test_plain_user_gets_no_confidential_field(self):
        views = self._views(self.plain_user)
        for model, info in views["models"].items():
            Model = self.env[model].with_user(self.plain_user)
            hidden = [name for name in info["fields"] if not Model._fields[name].is_accessible(Model.env)]
            self.assertFalse(hidden, f"{model}: {hidden}")
        partner_fields = views["models"]["res.partner"]["fields"]
        self.assertIn("key_account_tier_id", partner_fields)
        for name in ("key_account_score_trend", "key_account_revenue_yoy", "key_account_pending_approval_count"):
            self.assertNotIn(name, partner_fields)
        # and the form reads for them
        data = self.account.with_user(self.plain_user).web_read({name: {} for name in partner_fields})
        self.assertEqual(data[0]["name"], self.account.name)

    def test_key_account_roles_read_every_field_of_the_form(self):
        self._post_invoice(self.account, 800.0)
        for user in (self.ka_user, self.ka_user_off, self.ka_clerk, self.ka_manager):
            views = self._views(user)
            partner_fields = views["models"]["res.partner"]["fields"]
            for name in ("key_account_score_trend", "key_account_revenue_yoy", "key_account_visit_ids", "child_ids"):
                self.assertIn(name, partner_fields, user.login)
            data = self.account.with_user(user).web_read({name: {} for name in partner_fields})
            self.assertAlmostEqual(data[0]["key_account_group_revenue_12m"], 800.0)
            # the team's editable list for KA Managers only, the key facts as today
            arch = views["views"]["form"]["arch"]
            self.assertEqual("action_open_credit_wizard" in arch, user == self.ka_manager, user.login)

    def test_new_fields_keep_the_key_account_group(self):
        Partner = self.env["res.partner"]
        for name in (
            "key_account_score_trend",
            "key_account_group_revenue_prev_12m",
            "key_account_revenue_yoy",
            "key_account_pending_approval_count",
            "key_account_visit_ids",
            "key_account_reception_ids",
            "key_account_news_ids",
            "key_account_handover_log_ids",
        ):
            self.assertEqual(Partner._fields[name].groups, KA_USER, name)

    def test_contacts_are_named_as_people(self):
        self.contact.buying_role = "economic"
        views = self._views(self.ka_user)
        arch = views["views"]["form"]["arch"]
        self.assertIn("key_account_person_name", arch)
        main = self.account.with_user(self.ka_user).web_read(
            {
                "key_account_main_contact_id": {
                    "fields": {"display_name": {}},
                    "context": {"key_account_person_name": True},
                }
            }
        )
        self.assertEqual(main[0]["key_account_main_contact_id"]["display_name"], "Sun Li")
