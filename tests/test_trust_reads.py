"""The read side of the trust boundary (issue #16): protected values do not leak through
search, counts, grouping or sorting, and archive data read off the team is registered
however it is read."""

import xmlrpc.client
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KeyAccountCase, KeyAccountDataMixin

KA_USER = "key_account_mgmt.group_ka_user"


def _addon_fields(model, group):
    """Fields of ``model`` added by key_account_mgmt and restricted to ``group``."""
    return [
        field
        for field in model._fields.values()
        if "key_account_mgmt" in field._modules and field.groups and group in field.groups.split(",")
    ]


@tagged("post_install", "-at_install")
class TestProtectedPartnerFields(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.protected = _addon_fields(cls.Partner, KA_USER)

    def _refused(self, call):
        try:
            with self.env.cr.savepoint():
                call()
        except AccessError:
            return True
        return False

    def test_protected_fields_found(self):
        names = {field.name for field in self.protected}
        for name in (
            "key_account_score",
            "key_account_grade",
            "key_account_team_user_ids",
            "key_account_category_ids",
            "key_account_loss_ids",
            "key_account_policy_ids",
            "key_account_open_ticket_ids",
        ):
            self.assertIn(name, names)

    def test_plain_user_neither_reads_searches_groups_nor_sorts(self):
        """Every KA_USER field of res.partner: refused to a plain salesperson by every path."""
        Partner = self.Partner.with_user(self.plain_user)
        SaleOrder = self.env["sale.order"].with_user(self.plain_user)
        account = self.account.with_user(self.plain_user)
        leaks = []
        for field in self.protected:
            name = field.name
            paths = {
                "read": lambda: account.read([name]),
                "search !=": lambda: Partner.search_count([(name, "!=", False)]),
                "search =": lambda: Partner.search_count([(name, "=", False)]),
                "not": lambda: Partner.search_count(["!", (name, "!=", False)]),
                "dotted from sale.order": lambda: SaleOrder.search_count([(f"partner_id.{name}", "!=", False)]),
                "any from sale.order": lambda: SaleOrder.search_count([("partner_id", "any", [(name, "!=", False)])]),
                "child_ids any": lambda: Partner.search_count([("child_ids", "any", [(name, "!=", False)])]),
                "order": lambda: Partner.search([], order=f"{name} desc", limit=1),
                "web_search_read": lambda: Partner.web_search_read([(name, "!=", False)], {"display_name": {}}),
            }
            if field.relational:
                paths["any"] = lambda: Partner.search_count([(name, "any", [])])
                paths["not any"] = lambda: Partner.search_count([(name, "not any", [])])
                paths["path"] = lambda: Partner.search_count([(f"{name}.id", "!=", False)])
            if field.store or field.type == "many2many":
                paths["read_group"] = lambda: Partner.read_group([], ["__count"], [name])
            for path, call in paths.items():
                if not self._refused(call):
                    leaks.append(f"{name}: {path}")
        self.assertFalse(leaks, "\n".join(leaks))

    def test_score_bisection_refused(self):
        """The reported leak: a plain salesperson bisected search_count on the score."""
        self.env["key.account.score"].create(
            {
                "partner_id": self.account.id,
                "scorecard_id": self.env["key.account.scorecard"]._for_company(self.env.company).id,
                "period_date": date.today().replace(day=1),
                "date_computed": fields.Datetime.now(),
                "score": 73.5,
                "grade": "b",
            }
        )
        Partner = self.Partner.with_user(self.plain_user)
        for domain in (
            [("key_account_score", ">", 50)],
            [("key_account_grade", "=", "b")],
            [("key_account_loss_ids", "!=", False)],
            [("key_account_team_user_ids", "in", self.ka_user.ids)],
            [("key_account_category_ids", "in", self.category_trading.ids)],
        ):
            with self.assertRefused(AccessError, "cannot read it"):
                Partner.search_count([("id", "=", self.account.id)] + domain)
        # a KA User reads these fields (SPEC §1): the same search answers
        self.assertEqual(
            self.Partner.with_user(self.ka_user_off).search_count(
                [("id", "=", self.account.id), ("key_account_score", ">", 50)]
            ),
            1,
        )
        # unprotected fields keep working for everyone
        self.assertEqual(Partner.search_count([("id", "=", self.account.id), ("is_key_account", "=", True)]), 1)
        self.assertEqual(
            Partner.search_count([("id", "=", self.account.id), ("key_account_tier_id", "=", self.tier_strategic.id)]),
            1,
        )

    def test_x2many_conditions_go_through_record_rules(self):
        """'Has policies / losses' of another team's account: an off-team KA User reads the
        partner fields but not the records, and the conditions answer as if they were empty."""
        self.account.action_lose_key_account("price", "Competitor was cheaper")
        policy = self.env["key.account.policy"].create(
            {
                "partner_id": self.other_account.id,
                "policy_type": "discount",
                "value": 2,
                "date_to": date.today() + timedelta(days=30),
            }
        )
        Partner = self.Partner.with_user(self.ka_user_off)
        self.assertEqual(Partner.search_count([("id", "=", self.account.id), ("key_account_loss_ids", "!=", False)]), 0)
        self.assertEqual(Partner.search_count([("id", "=", self.account.id), ("key_account_loss_ids", "=", False)]), 1)
        mine = self.Partner.with_user(self.ka_user)
        self.assertEqual(mine.search_count([("id", "=", self.account.id), ("key_account_loss_ids", "!=", False)]), 1)
        self.assertEqual(
            mine.search_count([("id", "=", self.other_account.id), ("key_account_policy_ids", "in", policy.ids)]), 0
        )
        self.assertEqual(
            Partner.search_count([("id", "=", self.other_account.id), ("key_account_policy_ids", "in", policy.ids)]), 1
        )
        self.assertEqual(
            mine.search_count([("id", "=", self.other_account.id), ("key_account_policy_ids", "!=", False)]), 0
        )

    def test_confidential_models_count_only_what_the_rules_show(self):
        """search_count / read_group on confidential models and through res.partner."""
        scorecard = self.env["key.account.scorecard"]._for_company(self.env.company)
        for partner, score in ((self.account, 91.0), (self.other_account, 42.0)):
            self.env["key.account.score"].create(
                {
                    "partner_id": partner.id,
                    "scorecard_id": scorecard.id,
                    "period_date": date(2026, 1, 1),
                    "date_computed": fields.Datetime.now(),
                    "score": score,
                    "grade": "a" if score > 80 else "c",
                }
            )
        Score = self.env["key.account.score"].with_user(self.ka_user)
        self.assertEqual(Score.search_count([("score", ">", 0)]), 1)
        groups = Score.read_group([], ["score:max"], ["partner_id"])
        self.assertEqual([group["partner_id"][0] for group in groups], self.account.ids)
        self.assertEqual(groups[0]["score"], 91.0)
        # through the partner: the other team's snapshots do not count
        Partner = self.Partner.with_user(self.ka_user)
        self.assertEqual(
            Partner.search_count([("id", "=", self.other_account.id), ("key_account_score_ids.score", "<", 50)]), 0
        )
        self.assertEqual(
            Partner.search_count([("id", "=", self.account.id), ("key_account_score_ids.score", ">", 90)]), 1
        )
        counts = Partner.read_group([("key_account_score_ids.score", ">", 0)], ["__count"], ["is_key_account"])
        self.assertEqual(sum(group["is_key_account_count"] for group in counts), 1)
        # another company's manager: nothing to count or group
        ScoreB = self.env["key.account.score"].with_user(self.ka_manager_b)
        self.assertEqual(ScoreB.search_count([("score", ">", 0)]), 0)
        self.assertEqual(ScoreB.read_group([], ["score:max"], ["partner_id"]), [])


@tagged("post_install", "-at_install")
class TestArchiveRegisterAllPaths(KeyAccountDataMixin, KeyAccountCase):
    """登记手续: every read of archive data by someone off the account team is registered,
    through every path; the account team is never registered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls._archive(
            cls.account, credit_limit=800000.0, credit_rating="a", legal_representative="Wang Wei"
        )
        cls.person = cls.env["key.account.archive.person"].create({"archive_id": cls.archive.id, "name": "Zhao Min"})
        cls.Register = cls.env["key.account.archive.access.log"]
        # export is for KA Managers; Odoo's own export right is not what is tested here
        cls.ka_manager.groups_id = [(4, cls.env.ref("base.group_allow_export").id)]

    def _registered(self, user):
        return self.Register.search_count([("archive_id", "=", self.archive.id), ("user_id", "=", user.id)])

    def _paths(self, Archive):
        archive_id = self.archive.id
        return {
            "search_count on credit limit": lambda: Archive.search_count(
                [("id", "=", archive_id), ("credit_limit", ">", 500000)]
            ),
            "search on credit rating": lambda: Archive.search([("credit_rating", "=", "a")]),
            "search sorted by credit limit": lambda: Archive.search(
                [("partner_id", "=", self.account.id)], order="credit_limit desc"
            ),
            "read_group sum": lambda: Archive.read_group(
                [("id", "=", archive_id)], ["credit_limit:sum"], ["partner_id"]
            ),
            "read_group by rating": lambda: Archive.read_group([], ["__count"], ["credit_rating"]),
            "_read_group having": lambda: Archive._read_group(
                [("id", "=", archive_id)], ["partner_id"], ["__count"], having=[("credit_limit:max", ">", 500000)]
            ),
            "read": lambda: Archive.browse(archive_id).read(["credit_limit"]),
            "search_read": lambda: Archive.search_read([("id", "=", archive_id)], ["credit_limit"]),
            "web_read": lambda: Archive.browse(archive_id).web_read({"credit_limit": {}}),
            "web_search_read": lambda: Archive.web_search_read([("id", "=", archive_id)], {"credit_limit": {}}),
            "export": lambda: Archive.browse(archive_id).export_data(["credit_limit"]),
            "key person read": lambda: self.person.with_user(Archive.env.user).read(["name", "position"]),
            "key person search": lambda: (
                self.env["key.account.archive.person"]
                .with_user(Archive.env.user)
                .search_count([("name", "ilike", "Zhao")])
            ),
        }

    def test_every_path_registers_a_manager_off_the_team(self):
        missed = []
        for path, call in self._paths(self.env["key.account.archive"].with_user(self.ka_manager)).items():
            self.Register.search([("user_id", "=", self.ka_manager.id)]).sudo().unlink()
            call()
            if self._registered(self.ka_manager) != 1:
                missed.append(path)
        self.assertFalse(missed)

    def test_the_team_is_not_registered(self):
        for path, call in self._paths(self.env["key.account.archive"].with_user(self.ka_user)).items():
            if path == "export":
                continue  # KA Managers only
            call()
        self.assertEqual(self._registered(self.ka_user), 0)

    def test_naming_an_archive_registers_nothing(self):
        Archive = self.env["key.account.archive"].with_user(self.ka_manager)
        Archive.search_count([("partner_id", "=", self.account.id)])
        Archive.name_search(self.archive.name)
        Archive.read_group([], ["__count"], ["partner_id"])
        self.assertEqual(self._registered(self.ka_manager), 0)

    def test_grant_holder_reading_key_people_is_registered(self):
        grant = (
            self.env["key.account.archive.grant"]
            .with_user(self.ka_user_off)
            .create(
                {
                    "archive_id": self.archive.id,
                    "reason": "Joint offer",
                    "date_expiry": date.today() + timedelta(days=3),
                }
            )
        )
        grant.with_user(self.ka_manager).action_grant()
        self.person.with_user(self.ka_user_off).read(["name"])
        row = self.Register.search([("archive_id", "=", self.archive.id), ("user_id", "=", self.ka_user_off.id)])
        self.assertEqual(row.grant_id, grant)

    def test_condition_limited_to_the_other_conjuncts(self):
        """A search on credit limit within one account registers that account only."""
        other = self._archive(self.other_account, credit_limit=5.0)
        self.env["key.account.archive"].with_user(self.ka_manager).search_count(
            [("partner_id", "=", self.account.id), ("credit_limit", ">", 1)]
        )
        self.assertEqual(self._registered(self.ka_manager), 1)
        self.assertFalse(self.Register.search_count([("archive_id", "=", other.id)]))


@tagged("post_install", "-at_install")
class TestAnnualReviewRules(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scorecard = cls.env["key.account.scorecard"]._for_company(cls.env.company)
        cls.review = cls.env["key.account.review"].create(
            {
                "year": 2029,
                "date": date(2029, 12, 25),
                "scorecard_id": scorecard.id,
                "note": "<p>Downgrade Huaxin</p>",
            }
        )
        cls.env["key.account.review.line"].create(
            {"review_id": cls.review.id, "partner_id": cls.account.id, "reason": "x"}
        )

    def test_team_reads_the_review_not_the_notes(self):
        review = self.review.with_user(self.ka_user)
        self.assertEqual(review.read(["name"])[0]["name"], self.review.name)
        with self.assertRaises(AccessError):
            review.read(["note"])
        with self.assertRaises(AccessError):
            self.env["key.account.review"].with_user(self.ka_user).search_count([("note", "ilike", "Huaxin")])

    def test_off_team_and_plain_users_see_nothing(self):
        for user in (self.ka_user_off, self.plain_user, self.ka_manager_b):
            with self.assertRaises(AccessError):
                self.review.with_user(user).read(["name"])

    def test_clerk_reads_notes_manager_decides(self):
        self.assertIn("Huaxin", self.review.with_user(self.ka_clerk).note)
        with self.assertRaises(AccessError):
            self.review.with_user(self.ka_clerk).write({"note": "<p>x</p>"})
        self.review.with_user(self.ka_manager).write({"note": "<p>Decided</p>"})
        self.ka_manager.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        with self.assertRefused(AccessError, "Only Key Account Managers may export"):
            self.review.with_user(self.ka_clerk).export_data(["name"])
        self.assertEqual(self.review.with_user(self.ka_manager).export_data(["name"])["datas"], [[self.review.name]])


@tagged("post_install", "-at_install")
class TestTrustReadsOverXmlRpc(HttpCase):
    """The same refusals and registration for an RPC client."""

    def test_score_bisection_and_archive_count_over_xmlrpc(self):
        groups = "base.group_user,sales_team.group_sale_salesman"
        seller = new_test_user(self.env, "rpc_bisector", groups=groups)
        manager = new_test_user(self.env, "rpc_counter", groups=groups + ",key_account_mgmt.group_ka_manager")
        account = self.env["res.partner"].create({"name": "RPC Account", "is_company": True, "is_key_account": True})
        archive = self.env["key.account.archive"].create({"partner_id": account.id, "credit_limit": 300000.0})

        def call(user, model, method, *args):
            return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), {})

        for domain in (
            [("key_account_score", ">", 50)],
            [("key_account_loss_ids", "!=", False)],
            [("key_account_team_user_ids", "in", [manager.id])],
        ):
            with self.assertRaises(xmlrpc.client.Fault) as refused:
                call(seller, "res.partner", "search_count", [("id", "=", account.id)] + domain)
            self.assertIn("cannot read it", refused.exception.faultString)
        self.assertEqual(call(manager, "key.account.archive", "search_count", [("credit_limit", ">", 250000)]), 1)
        register = self.env["key.account.archive.access.log"].search([("archive_id", "=", archive.id)])
        self.assertEqual(register.user_id, manager)
