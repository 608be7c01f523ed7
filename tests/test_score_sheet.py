"""The scoring sheet at scale (issue #25): filters that narrow the lines, at most SHEET_SIZE
lines with the accounts not scored yet first, the count of those left off, and a number of
queries that does not grow with the population."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.key_account_mgmt.wizard.key_account_score_sheet import SHEET_SIZE

from .common import KeyAccountCase

# what the web client asks of the sheet (bench/locustfile.py's scoring_sheet)
SPEC = {
    "criterion_id": {"fields": {"display_name": {}}},
    "tier_id": {"fields": {"display_name": {}}},
    "specialist_id": {"fields": {"display_name": {}}},
    "account_name": {},
    "unscored_only": {},
    "more_count": {},
    "more_message": {},
    "line_ids": {
        "fields": {
            "partner_id": {"fields": {"display_name": {}}},
            "points": {},
            "scored": {},
            "comment": {},
        }
    },
}


class ScoreSheetCase(KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scorer = new_test_user(
            cls.env, "sheet_scorer", groups="base.group_user,key_account_mgmt.group_ka_scorer_service", name="Scorer"
        )
        cls.criterion = cls.env.ref("key_account_mgmt.criterion_willingness")
        cls.Sheet = cls.env["key.account.score.sheet"].with_user(cls.scorer)

    @classmethod
    def _accounts(cls, names, **vals):
        return cls.env["res.partner"].create(
            [{"name": name, "is_company": True, "is_key_account": True, **vals} for name in names]
        )

    def _open(self, **filters):
        """The sheet as the scorer fills it in the form: the criterion, then each filter."""
        sheet = Form(self.Sheet)
        sheet.criterion_id = self.criterion
        for name, value in filters.items():
            setattr(sheet, name, value)
        return sheet

    @staticmethod
    def _shown(sheet):
        return [line["partner_id"] for line in sheet.line_ids._records]

    def _population(self):
        """The scorecard's accounts, as the engine scores them."""
        scorecard = self.criterion.scorecard_id
        return self.env["res.partner"].browse(
            row[0] for row in self.env["key.account.score.engine"]._population(scorecard)
        )

    def _rate(self, sheet, points):
        """Save ``sheet`` with ``points`` on every line shown."""
        record = sheet.save()
        record.line_ids.write({"points": points})
        record.action_save()


@tagged("post_install", "-at_install")
class TestScoreSheetFilters(ScoreSheetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Hengtai (strategic, ka_user) and Huaxin (key, ka_user_off) come from common
        cls.alpha, cls.beta, cls.gamma = cls._accounts(["Sheet Alpha", "Sheet Beta", "Sheet Gamma Steel"])
        cls.alpha.write({"key_account_tier_id": cls.tier_strategic.id, "key_account_manager_id": cls.ka_user_off.id})
        cls.beta.write({"key_account_tier_id": cls.tier_normal.id, "key_account_manager_id": cls.ka_user.id})
        cls.gamma.write({"key_account_tier_id": cls.tier_normal.id, "key_account_manager_id": cls.ka_user_off.id})
        # not in the population: a contact, an archived account, another company's, no key account
        cls._accounts(["Sheet Archived"], active=False)
        cls._accounts(["Sheet Other Company"], company_id=cls.company_b.id)
        cls.env["res.partner"].create({"name": "Sheet Contact", "parent_id": cls.alpha.id})
        cls.env["res.partner"].create({"name": "Sheet Customer", "is_company": True})

    def test_the_sheet_shows_the_population_by_name(self):
        sheet = self._open()
        population = self._population()
        self.assertIn(self.gamma, population)
        self.assertEqual(self._shown(sheet), population.sorted(lambda p: (p.name, p.id)).ids)
        self.assertEqual(sheet.more_count, 0)
        self.assertFalse(sheet.more_message)

    def test_each_filter_narrows_the_lines(self):
        sheet = self._open(tier_id=self.tier_normal)
        self.assertEqual(self._shown(sheet), [self.beta.id, self.gamma.id])
        sheet.specialist_id = self.ka_user_off
        self.assertEqual(self._shown(sheet), [self.gamma.id])
        sheet.tier_id = self.env["key.account.tier"]
        self.assertEqual(self._shown(sheet), [self.other_account.id, self.alpha.id, self.gamma.id])
        sheet.account_name = " sheet "
        self.assertEqual(self._shown(sheet), [self.alpha.id, self.gamma.id])
        sheet.account_name = "steel"
        self.assertEqual(self._shown(sheet), [self.gamma.id])
        # the name is matched as written: % and _ are no wildcards
        sheet.account_name = "Sheet_"
        self.assertEqual(self._shown(sheet), [])
        sheet.specialist_id = self.env["res.users"]
        sheet.account_name = "Hengtai"
        self.assertEqual(self._shown(sheet), [self.account.id])

    def test_not_scored_yet_only_and_unscored_first(self):
        sheet = self._open(tier_id=self.tier_normal)
        self._rate(sheet, 4)  # Beta and Gamma
        sheet = self._open()
        shown = self._shown(sheet)
        # the accounts not scored yet first, by name, then the scored ones with their ratings
        self.assertEqual(shown[-2:], [self.beta.id, self.gamma.id])
        self.assertEqual(shown[:-2], (self._population() - self.beta - self.gamma).sorted("name").ids)
        lines = {line["partner_id"]: line for line in sheet.line_ids._records}
        self.assertEqual((lines[self.beta.id]["points"], lines[self.beta.id]["scored"]), (4.0, True))
        self.assertEqual((lines[self.alpha.id]["points"], lines[self.alpha.id]["scored"]), (0.0, False))
        sheet.unscored_only = True
        self.assertEqual(self._shown(sheet), shown[:-2])
        sheet.tier_id = self.tier_normal
        self.assertEqual(self._shown(sheet), [])

    def test_a_scorer_outside_the_group_still_cannot_save(self):
        sheet = Form(self.env["key.account.score.sheet"].with_user(self.ka_user))
        sheet.criterion_id = self.criterion
        sheet.tier_id = self.tier_normal
        record = sheet.save()
        self.assertEqual(record.line_ids.partner_id, self.beta | self.gamma)
        record.line_ids.write({"points": 1})
        with self.assertRefused(AccessError, "Only members of"):
            record.action_save()

    def _count(self, values):
        """Queries of the sheet's onchange as the web client calls it on choosing a criterion."""
        sheet = self.Sheet
        sheet.onchange(values, ["criterion_id"], SPEC)  # caches of the registry filled as in a running server
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = sheet.onchange(values, ["criterion_id"], SPEC)
        lines = sum(1 for command in result["value"]["line_ids"] if command[0] == Command.CREATE)
        return self.env.cr.sql_log_count - before, lines

    def test_queries_do_not_grow_with_the_accounts(self):
        self.env["key.account.manual.score"].create(
            {"partner_id": self.beta.id, "criterion_id": self.criterion.id, "points": 3, "comment": "Fine"}
        )
        values = {"criterion_id": self.criterion.id}
        filtered = {**values, "tier_id": self.tier_normal.id, "account_name": "sheet", "unscored_only": True}
        few, few_lines = self._count(values)
        few_filtered, few_filtered_lines = self._count(filtered)
        more = self._accounts([f"Sheet More {n}" for n in range(9)], key_account_tier_id=self.tier_normal.id)
        self.env["key.account.manual.score"].create(
            [{"partner_id": p.id, "criterion_id": self.criterion.id, "points": 2, "comment": "Ok"} for p in more[:4]]
        )
        many, many_lines = self._count(values)
        many_filtered, many_filtered_lines = self._count(filtered)
        self.assertEqual((many_lines - few_lines, many_filtered_lines - few_filtered_lines), (9, 5))
        self.assertEqual((many, many_filtered), (few, few_filtered))


@tagged("post_install", "-at_install")
class TestScoreSheetLimit(ScoreSheetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bulk = cls._accounts(
            [f"Bulk Account {n:03d}" for n in range(SHEET_SIZE + 5)], key_account_tier_id=cls.tier_normal.id
        )

    def test_at_most_sheet_size_lines_and_the_rest_counted(self):
        population = self._population()
        self.assertGreater(len(population), SHEET_SIZE)
        sheet = self._open()
        self.assertEqual(self._shown(sheet), population.sorted(lambda p: (p.name, p.id))[:SHEET_SIZE].ids)
        left = len(population) - SHEET_SIZE
        self.assertEqual(sheet.more_count, left)
        self.assertEqual(
            sheet.more_message,
            f"{left} more accounts match: narrow the filters, or save and open the sheet again with "
            "Not Scored Yet Only.",
        )
        # the way through: rate what is shown, then the sheet of the others
        self._rate(sheet, 3)
        rated = self.env["key.account.manual.score"].search([("criterion_id", "=", self.criterion.id)])
        self.assertEqual(len(rated), SHEET_SIZE)
        sheet = self._open(unscored_only=True)
        self.assertEqual(set(self._shown(sheet)), set((population - rated.partner_id).ids))
        self.assertEqual(len(self._shown(sheet)), left)
        self.assertFalse(sheet.more_message)
        # without the filter the scored ones follow the others, still SHEET_SIZE lines
        sheet.unscored_only = False
        shown = self._shown(sheet)
        self.assertEqual(len(shown), SHEET_SIZE)
        self.assertEqual(set(shown[:left]), set((population - rated.partner_id).ids))
        self.assertEqual(sheet.more_count, left)

    def test_a_filter_under_the_limit_shows_all(self):
        sheet = self._open(tier_id=self.tier_normal, account_name="Bulk Account 10")
        self.assertEqual(self._shown(sheet), self.bulk[100:].ids)
        self.assertEqual(sheet.more_count, 0)
