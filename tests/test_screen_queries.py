"""Queries per screen do not grow with the records shown (issue #25).

Each screen is loaded as the web client loads it once its view is known: the field
specification built from the action's view (get_views), then web_search_read / web_read /
search_read / read_group — as a KA User (record rules on) and as a KA Manager. The count is
taken on a handful of records, then again with more accounts, visits, complaints and archives
on the same people's books: it must not change.
"""

import ast
from datetime import datetime, timedelta
from xml.etree import ElementTree

from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

SCREENS = [
    # (label, action, view type, call)
    ("accounts kanban", "key_account_mgmt.res_partner_action_key_account", "kanban", "web_search_read"),
    ("accounts list", "key_account_mgmt.res_partner_action_key_account", "list", "web_search_read"),
    ("key account form", "key_account_mgmt.res_partner_action_key_account", "form", "web_read"),
    ("visits list", "key_account_mgmt.key_account_visit_action", "list", "web_search_read"),
    ("visits calendar", "key_account_mgmt.key_account_visit_action", "calendar", "search_read"),
    ("complaints list", "key_account_mgmt.helpdesk_ticket_action", "list", "web_search_read"),
    ("archives list", "key_account_mgmt.key_account_archive_action", "list", "web_search_read"),
    ("archive form", "key_account_mgmt.key_account_archive_action", "form", "web_read"),
    ("KPI pivot", "key_account_mgmt.key_account_kpi_action", "pivot", "read_group"),
]


@tagged("post_install", "-at_install")
class TestScreenQueries(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        cls.first = cls._book(cls.ka_user, 0)

    @classmethod
    def _book(cls, manager, start, size=2):
        """``size`` key accounts of ``manager``, each with an invoice, an archive, a visit this
        month and a complaint."""
        accounts = cls.env["res.partner"]
        for n in range(start, start + size):
            account = cls._key_account(f"Screen Account {n}", manager=cls.ka_user)
            cls._post_invoice(account, 1000.0 + n)
            cls._archive(account, legal_representative=f"Legal {n}")
            cls.env["key.account.visit"].with_user(cls.ka_user).create(
                {
                    "partner_id": account.id,
                    "purpose": f"Visit {n}",
                    "date_planned": datetime.now().replace(hour=9, minute=0, second=0) + timedelta(days=1),
                    "duration": 2.0,
                    "method": "onsite",
                }
            )
            cls.env["helpdesk.ticket"].create(
                {
                    "name": f"Complaint {n}",
                    "description": "<p>Late</p>",
                    "partner_id": account.id,
                    "date_received": datetime.now() - timedelta(days=1),
                }
            )
            accounts |= account
        return accounts

    def _view(self, user, action_xmlid, view_type):
        """What the web client knows before it asks for records: the action's domain and the
        field specification of its view."""
        action = self.env.ref(action_xmlid)
        env = self.env(user=user)
        view_id = next((view.view_id.id for view in action.view_ids if view.view_mode == view_type), False)
        result = env[action.res_model].get_views([[view_id, view_type]])
        fields = result["models"][action.res_model]["fields"]
        arch = ElementTree.fromstring(result["views"][view_type]["arch"])
        names = {node.get("name") for node in arch.iter("field")} & set(fields)
        spec = {
            name: {"fields": {"display_name": {}}} if fields[name]["type"] in ("many2one", "many2many") else {}
            for name in names
        }
        domain = ast.literal_eval(action.domain) if action.domain else []
        return env[action.res_model], spec, domain

    def _load(self, user, screen):
        _label, action, view_type, call = screen
        model, spec, domain = self._view(user, action, view_type)
        if call == "web_read":
            record = model.search(domain, limit=1, order="id")
            self.assertTrue(record, f"{user.name} sees a record on {screen[0]}")
            return lambda: model.browse(record.id).web_read(spec)
        if call == "read_group":
            measures = [f"{name}:sum" for name in ("sales_actual", "sales_target", "visits_done", "visits_planned")]
            return lambda: model.read_group(domain, measures, ["user_id"], lazy=False)
        if call == "search_read":
            return lambda: model.search_read(domain, list(spec), limit=200)
        return lambda: model.web_search_read(domain, spec, limit=80, count_limit=10001)

    def _count(self, load):
        load()  # caches of the registry (views, rules) filled as in a running server
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = load()
        return self.env.cr.sql_log_count - before, result

    def _records(self, result):
        return len(result["records"]) if isinstance(result, dict) and "records" in result else len(result)

    def test_each_screen_counted_before_and_after(self):
        """The count with 2 accounts on the book equals the count with 8."""
        counts = {}
        for stage in ("few", "many"):
            if stage == "many":
                self._book(self.ka_user, 200, size=6)
            for user in (self.ka_user, self.ka_manager):
                for screen in SCREENS:
                    queries, result = self._count(self._load(user, screen))
                    counts.setdefault((user.name, screen[0]), []).append((queries, self._records(result)))
        grown, unshown = [], []
        for (user, screen), ((few, shown_few), (many, shown_many)) in counts.items():
            # not more (a cache of the ORM filled in between may spare one or two)
            if many > few:
                grown.append(f"{screen} as {user}: {few} queries with few records, {many} with more")
            if not screen.endswith(("form", "pivot")) and shown_many <= shown_few:
                unshown.append(f"{screen} as {user}: {shown_few} then {shown_many} records")
        self.assertEqual(grown, [])
        self.assertEqual(unshown, [], "more records are shown the second time")
        self.assertEqual(len(counts), 2 * len(SCREENS))
