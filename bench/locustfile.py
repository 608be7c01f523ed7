"""Load test of the key-account screens (issue #25), run by ``./kam bench load``.

Simulated people log in as the benchmark database's users (bench/generate_histories.py: KA
Users ``bench_user_N`` with a team of ~75 key accounts, KA Managers ``bench_manager_N``; password
``bench``) and open the screens they live in, calling the server over JSON-RPC exactly as the
web client does once a view is loaded (``/web/dataset/call_kw``: web_search_read with the
view's field specification, web_read, search_read, read_group, onchange, the dashboard's
call). The views themselves are fetched once per person at log-in (the web client caches
them) and are not measured.

Each request is named "<role>: <screen>", so Locust's statistics give the percentiles per role
and screen; ./kam bench load prints them with the KA User / KA Manager ratio. Against
localhost only.
"""

import ast
import itertools
import os
import random
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import gevent
from gevent.event import Event
from locust import HttpUser, between, task
from locust.exception import StopUser

DB = os.environ.get("KAM_LOAD_DB", "kam_bench")
LANG = os.environ.get("KAM_LOAD_LANG", "zh_CN")
# the month of the dashboard and the KPI pivot: the last complete one, so that the figures do
# not depend on the day of the month the load runs (a month's credit split grows with its invoices)
FULL_MONTH = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1).isoformat()
SETUP_TIMEOUT = 120  # seconds a person waits for the others to be set up
_serial = itertools.count(1)
_ready = {"count": 0, "event": Event()}
_counters = {"user": itertools.count(1), "manager": itertools.count(1)}


KAM = "key_account_mgmt."
SCREEN_VIEWS = [
    (KAM + "res_partner_action_key_account", "kanban"),
    (KAM + "res_partner_action_key_account", "list"),
    (KAM + "res_partner_action_key_account", "form"),
    (KAM + "key_account_visit_action", "calendar"),
    (KAM + "key_account_visit_action", "list"),
    (KAM + "key_account_archive_action", "form"),
    (KAM + "helpdesk_ticket_action", "list"),
]


def _relational_spec(field):
    if field["type"] in ("many2one", "many2many"):
        return {"fields": {"display_name": {}}}
    return {}


def _literal_domain(domain):
    """The action's domain when it is a literal (ours are); [] when it needs evaluation."""
    if isinstance(domain, str):
        try:
            return ast.literal_eval(domain)
        except (ValueError, SyntaxError):
            return []
    return domain or []


class KeyAccountPerson(HttpUser):
    abstract = True
    host = os.environ.get("KAM_LOAD_HOST", "http://127.0.0.1:8069")
    wait_time = between(2, 5)  # people read a screen before they open the next one
    role = None
    users = 1

    # ------------------------------------------------------------------ protocol
    def call(self, screen, model, method, args=(), kwargs=None, measured=True):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(_serial),
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": {**(kwargs or {}), "context": {**self.odoo_context, **(kwargs or {}).get("context", {})}},
            },
        }
        name = f"{self.label}: {screen}" if measured else f"(set-up) {screen}"
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}", json=payload, name=name, catch_response=True
        ) as r:
            body = r.json() if r.status_code == 200 else {}
            if "error" in body or r.status_code != 200:
                error = body.get("error", {}).get("data", {}).get("message") or r.text[:200]
                r.failure(error)
                return None
            return body["result"]

    def on_start(self):
        number = next(_counters[self.role]) % self.users + 1
        login = f"bench_{self.role}_{number}"
        response = self.client.post(
            "/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": "bench"}},
            name="(set-up) log in",
        )
        info = response.json().get("result")
        if not info:
            raise StopUser(f"{login} could not log in: {response.text[:200]}")
        self.uid = info["uid"]
        self.odoo_context = {"lang": LANG, "tz": "Asia/Shanghai", "uid": self.uid, "allowed_company_ids": [1]}
        self.views = {}
        self.accounts = (
            self.call(
                "my accounts", "res.partner", "search", [self._my_accounts_domain()], {"limit": 50}, measured=False
            )
            or []
        )
        self.archives = (
            self.call(
                "archives",
                "key.account.archive",
                "search",
                [[("partner_id", "in", self.accounts)]],
                {"limit": 20},
                measured=False,
            )
            or []
        )
        self.criteria = (
            self.call(
                "criteria",
                "key.account.scorecard.criterion",
                "search",
                [[("kind", "=", "manual"), ("group_id.users", "in", self.uid)]],
                {"limit": 1},
                measured=False,
            )
            or []
        )
        self.tiers = []
        if self.criteria:  # the scorers: the tiers they filter their sheet by
            self.tiers = self.call("tiers", "key.account.tier", "search", [[]], measured=False) or []

        # the views are fetched before the first screen, as the web client has them once loaded
        for action, view_type in SCREEN_VIEWS:
            self.spec(action, view_type)
        self._wait_for_everyone()

    def _wait_for_everyone(self):
        """The screens are measured once every person is logged in and set up — 20 logins at
        once (their password hashing) and their views' loading would weigh on the first seconds
        of the run, which is not what people who use the screens wait for — then each person
        opens their first screen at a moment of their own, as people do."""
        _ready["count"] += 1
        if _ready["count"] >= self.environment.runner.target_user_count:
            _ready["event"].set()
        _ready["event"].wait(timeout=SETUP_TIMEOUT)
        gevent.sleep(random.uniform(0, 5))

    def _my_accounts_domain(self):
        return [("is_key_account", "=", True), ("key_account_team_user_ids", "in", self.uid)]

    def spec(self, action_xmlid, view_type):
        """The field specification the web client builds from the action's view of ``view_type``,
        and the action's domain and context."""
        key = (action_xmlid, view_type)
        if key not in self.views:
            action = self.client.post(
                "/web/action/load",
                json={"jsonrpc": "2.0", "params": {"action_id": action_xmlid}},
                name="(set-up) action",
            ).json()["result"]
            view_id = next((vid for vid, kind in action["views"] if kind == view_type), False)
            result = self.call(
                "views",
                action["res_model"],
                "get_views",
                [],
                {"views": [[view_id, view_type]], "options": {}},
                measured=False,
            )
            fields = result["models"][action["res_model"]]["fields"]
            arch = ET.fromstring(result["views"][view_type]["arch"])
            names = {node.get("name") for node in arch.iter("field")} & set(fields)
            spec = {name: _relational_spec(fields[name]) for name in names}
            domain = _literal_domain(action.get("domain"))
            self.views[key] = (action["res_model"], spec, domain, arch)
        return self.views[key]

    # ------------------------------------------------------------------ screens
    @task(2)
    def dashboard(self):
        self.call("dashboard", "key.account.dashboard", "get_dashboard_data", [], {"month": FULL_MONTH})

    @task(2)
    def accounts_kanban(self):
        model, spec, domain, _arch = self.spec("key_account_mgmt.res_partner_action_key_account", "kanban")
        self.call(
            "accounts kanban",
            model,
            "web_search_read",
            [domain],
            {"specification": spec, "limit": 40, "count_limit": 10001},
        )

    @task(1)
    def accounts_list(self):
        model, spec, domain, _arch = self.spec("key_account_mgmt.res_partner_action_key_account", "list")
        self.call(
            "accounts list",
            model,
            "web_search_read",
            [domain],
            {"specification": spec, "limit": 80, "count_limit": 10001},
        )

    @task(3)
    def account_form(self):
        if self.accounts:
            model, spec, _domain, _arch = self.spec("key_account_mgmt.res_partner_action_key_account", "form")
            self.call("key account form", model, "web_read", [[random.choice(self.accounts)]], {"specification": spec})

    @task(1)
    def visits_calendar(self):
        model, spec, domain, _arch = self.spec("key_account_mgmt.key_account_visit_action", "calendar")
        start = date.today() - timedelta(days=date.today().weekday())  # the calendar opens on this week
        window = [
            ("date_planned", ">=", f"{start} 00:00:00"),
            ("date_planned", "<", f"{start + timedelta(days=7)} 00:00:00"),
        ]
        self.call("visits calendar", model, "search_read", [domain + window], {"fields": list(spec)})

    @task(1)
    def visits_list(self):
        model, spec, domain, _arch = self.spec("key_account_mgmt.key_account_visit_action", "list")
        self.call(
            "visits list",
            model,
            "web_search_read",
            [domain],
            {"specification": spec, "limit": 80, "count_limit": 10001},
        )

    @task(1)
    def kpi_pivot(self):
        month = FULL_MONTH
        self.call(
            "KPI pivot",
            "key.account.kpi",
            "read_group",
            [
                [("month", "=", month)],
                ["sales_actual:sum", "sales_target:sum", "visits_done:sum", "visits_planned:sum"],
                ["user_id"],
            ],
            {"lazy": False},
        )

    @task(1)
    def archive_form(self):
        if self.archives:
            model, spec, _domain, _arch = self.spec("key_account_mgmt.key_account_archive_action", "form")
            self.call("archive form", model, "web_read", [[random.choice(self.archives)]], {"specification": spec})

    @task(1)
    def complaints_list(self):
        model, spec, domain, _arch = self.spec("key_account_mgmt.helpdesk_ticket_action", "list")
        self.call(
            "complaints list",
            model,
            "web_search_read",
            [domain + [("key_account_id", "!=", False)]],
            {"specification": spec, "limit": 80, "count_limit": 10001},
        )

    @task(1)
    def scoring_sheet(self):
        """The sheet as a KA Manager narrows it: a tier, and (every other time) the accounts
        not scored yet only; the benchmark's accounts are all scored, so that sheet is empty,
        the other one full (SHEET_SIZE lines, the rest counted)."""
        if self.criteria:
            spec = {
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
            values = {
                "criterion_id": self.criteria[0],
                "tier_id": random.choice(self.tiers) if self.tiers else False,
                "specialist_id": False,
                "account_name": False,
                "unscored_only": random.random() < 0.5,
            }
            self.call("scoring sheet", "key.account.score.sheet", "onchange", [[], values, ["criterion_id"], spec])


class KaUser(KeyAccountPerson):
    role, label = "user", "KA User"
    users = int(os.environ.get("KAM_LOAD_KA_USERS", "400"))
    weight = 4


class KaManager(KeyAccountPerson):
    role, label = "manager", "KA Manager"
    users = int(os.environ.get("KAM_LOAD_KA_MANAGERS", "4"))
    weight = 1
