"""Bad input is never a server error (issue #16, class 7): an RPC fuzz test over real XML-RPC.

Every model of the addon, every public method the addon defines (found by introspection, on
its own models and on the core models it extends) and the ORM entry points (create, write,
search, search_count, read, read_group, search_read, web_search_read, name_search, …) are
called as an administrator and as a KA User with a corpus of corrupt arguments: wrong types,
NaN, ±Infinity, huge integers, very long strings, empty values, None, bad dates, odd domain
operators, several or no ids, a bogus time zone in the context.

XML-RPC answers a UserError/ValidationError with fault 2, an AccessError with fault 4 and any
other exception with fault 1 and its traceback. A fault 1 caused by the addon fails the test:
its traceback passes through the addon's code (other than an override that only forwards the
caller's arguments to the core, ``return super().<same method>(...)``: the core then refuses
malformed ORM arguments as it does for any model), or the framework called an addon's method
wrongly (an override that lost its ``@api.model``). Fault 1 raised by the core for malformed
calls that never reach the addon (e.g. ``read_group`` with a number as its fields) is counted
apart and logged, not failed. The server log is read too: an ERROR record of the addon fails
the test. The number of calls is asserted, so a corpus that shrinks to nothing fails as well.
"""

import inspect
import logging
import re
import time
import xmlrpc.client
from collections import Counter
from datetime import timedelta

from odoo import fields
from odoo.modules import get_module_path
from odoo.tests import HttpCase, tagged
from odoo.tests.common import HOST, Transport

from .common import KeyAccountCase, KeyAccountDataMixin

ADDON = "key_account_mgmt"
ADDON_PATH = get_module_path(ADDON).rstrip("/") + "/"  # in tracebacks: "File ".../key_account_mgmt/models/..."
NAN, INF = float("nan"), float("inf")
BIG = 2**70
LONG = "长" * 20000
BAD_DATES = ["2026-13-45", "1900-01-01x", "0000-00-00", "9999-99-99 99:99:99"]
JUNK = [
    None,
    False,
    True,
    0,
    -1,
    BIG,
    -BIG,
    NAN,
    INF,
    -INF,
    1.5,
    "",
    "   ",
    LONG,
    "abc",
    *BAD_DATES,
    [],
    [1, "a", None],
    {},
    {"a": NAN},
    [[1, 2, 3]],
    [["id", "like", None]],
]
BAD_DOMAINS = [
    [("id", "like", None)],
    [("id", "=", [1, 2])],
    [("id", "<", "abc")],
    [("name", "ilike", BIG)],
    [("id", "child_of", "x")],
    [("id", "in", NAN)],
    [("id", "=", INF)],
    [("create_date", "<", "2026-13-45")],
    [("id", "ilike", [None])],
    "not a domain",
    [["id"]],
    [("id", "=", 1, 2)],
    ["|"],
    [("id", "=like", BIG)],
]
# searches on the computed, searchable fields the addon adds to partners (score bisection etc.)
PARTNER_DOMAINS = [
    [(field, op, value)]
    for field in ("key_account_score", "key_account_grade", "key_account_visit_overdue")
    for op, value in [
        ("like", "a"),
        ("=", [1, 2]),
        ("<", "abc"),
        ("=", None),
        (">", NAN),
        ("in", 5),
        ("not in", None),
        ("=", BIG),
        ("<=", INF),
        ("!=", {"a": 1}),
        ("=ilike", "%"),
    ]
]
BAD_CONTEXTS = [{"tz": "Mars/Olympus_Mons"}, {"tz": "'; DROP TABLE x; --"}, {"tz": BIG}, {"lang": "xx_XX"}]
BAD_IDS = [[], "abc", [BIG], [None], [-1], [999999999]]
MIN_CALLS = 1000
ADDON_CLASS_NAMES = set()  # filled in setUpClass: the addon's classes, by name


class _Marshaller(xmlrpc.client.Marshaller):
    """Sends what Python's client refuses (integers beyond 32 bits, None) as a hostile client
    would: the server parses any of them."""

    dispatch = dict(xmlrpc.client.Marshaller.dispatch)

    def dump_long(self, value, write):
        write(f"<value><int>{value:d}</int></value>\n")

    dispatch[int] = dump_long


class _LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append(text)


def from_addon(text):
    """Whether a traceback is a server error of the addon: it passes through the addon's code
    other than a bare ``return super().<same method>(...)`` or ``return super(Class,
    records).<same method>(...)`` (an override that forwards the caller's arguments unchanged
    to the core — the second through another context —, which then refuses them as it does for
    any model), or it is a wrong call of an addon's method made by the framework (e.g. an
    override that lost its ``@api.model``: ``KeyAccountArchive.web_search_read() missing 1
    required positional argument``)."""
    for path, function, source in re.findall(r'File "([^"]+)", line \d+, in (\S+)\n\s*(.*)', text):
        forwards = re.match(rf"return super\((\w+, \w+)?\)\.{re.escape(function)}\(", source.strip())
        if path.startswith(ADDON_PATH) and not forwards:
            return True
    wrong_call = re.search(r"\b(\w+)\.\w+\(\) (?:missing|takes|got)", text.strip().splitlines()[-1])
    return bool(wrong_call and wrong_call.group(1) in ADDON_CLASS_NAMES)


def addon_classes(model):
    """The classes of the addon in the model's hierarchy."""
    return [cls for cls in type(model).mro() if cls.__module__.startswith(f"odoo.addons.{ADDON}.")]


def public_methods(model):
    """{name: function} of the public methods the addon defines on this model."""
    methods = {}
    for cls in reversed(addon_classes(model)):
        for name, func in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(func) or getattr(func, "_api_private", False):
                continue
            if any(getattr(getattr(base, name, None), "_api_private", False) for base in type(model).mro()):
                continue
            methods[name] = func
    return methods


@tagged("post_install", "-at_install")
class TestRpcFuzz(KeyAccountDataMixin, KeyAccountCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.write({"groups_id": [(4, cls.env.ref("key_account_mgmt.group_ka_director").id)]})
        cls.archive = cls._archive(cls.account, registered_capital=1000000)
        cls._archive(cls.other_account)
        cls._nomination(cls.ka_user, cls.account)
        # a record of the main kinds, for the actions to go deep (submitted, so the approval
        # buttons have a review to act on)
        planned = fields.Datetime.now() + timedelta(days=3)
        for model in ("key.account.visit", "key.account.reception"):
            cls.env[model].with_user(cls.ka_user).create(
                {
                    "partner_id": cls.account.id,
                    "purpose": "Price list",
                    "date_planned": planned,
                    "budget": 800.0,
                }
            ).action_submit()
        cls.env["key.account.policy"].with_user(cls.ka_user).create(
            {
                "partner_id": cls.account.id,
                "policy_type": "discount",
                "value": 5.0,
                "date_from": fields.Date.today(),
                "date_to": fields.Date.today() + timedelta(days=90),
                "reason": "Framework agreement",
            }
        )
        cls.env["key.account.news"].with_user(cls.ka_user).create({"partner_id": cls.account.id, "name": "New plant"})
        cls.env["key.account.target"].create(
            {
                "user_id": cls.ka_user.id,
                "partner_id": cls.account.id,
                "date_from": fields.Date.today(),
                "sales_target": 1e6,
            }
        )
        ADDON_CLASS_NAMES.update(klass.__name__ for name in cls.env.registry for klass in addon_classes(cls.env[name]))

    def setUp(self):
        super().setUp()
        self.transport = Transport(self.cr)
        self.host = f"{HOST}:{self.http_port():d}"
        self.faults = {1: [], 2: 0, 3: 0, 4: 0}
        self.core_errors = []
        self.calls = 0
        self.ok = 0
        self.turn = 0
        self.by_method = Counter()

    def _rotate(self, values, count):
        """``count`` of ``values``, starting where the previous turn stopped: every value of the
        corpus is used across the run without calling each one everywhere."""
        self.turn += 1
        return [values[(self.turn * count + i) % len(values)] for i in range(min(count, len(values)))]

    # ------------------------------------------------------------------ plumbing
    def _rpc(self, user, model, method, args, kwargs=None):
        """One execute_kw over XML-RPC; tallies the outcome."""
        password = "admin" if user == self.admin else user.login
        params = (self.env.cr.dbname, user.id, password, model, method, list(args), kwargs or {})
        body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>execute_kw</methodName>\n%s</methodCall>\n" % (
            _Marshaller("utf-8", allow_none=True).dumps(params)
        )
        self.calls += 1
        self.by_method[method] += 1
        try:
            self.transport.request(self.host, "/xmlrpc/2/object", body.encode())
            self.ok += 1
        except xmlrpc.client.Fault as fault:
            if fault.faultCode == 1:
                label = f"{user.login} {model}.{method}{_short(args)} {_short(kwargs or {})}"
                if from_addon(fault.faultString):
                    self.faults[1].append(f"{label}\n{fault.faultString}")
                else:
                    self.core_errors.append(f"{label}: {fault.faultString.strip().splitlines()[-1][:160]}")
            else:
                self.faults[fault.faultCode] = self.faults.get(fault.faultCode, 0) + 1

    def _models(self):
        """The addon's models (by their XML ids) and res.partner, without abstract ones."""
        names = set(
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", ADDON), ("model", "=", "ir.model")])
            .mapped(lambda data: self.env["ir.model"].browse(data.res_id).model)
        )
        names |= {name for name, model in self.env.registry.items() if model._original_module == ADDON}
        names.add("res.partner")
        return sorted(name for name in names if name in self.env and not self.env[name]._abstract)

    def _record_ids(self, model_name):
        return self.env[model_name].sudo().with_context(active_test=False).search([], limit=2, order="id").ids

    # ------------------------------------------------------------------ the corpus
    def _fuzz_methods(self, user, model_name, ids):
        model = self.env[model_name]
        for name, func in sorted(public_methods(model).items()):
            if name in ("init", "update_db_foreign_key"):
                continue
            params = list(inspect.signature(func).parameters.values())[1:]
            required = [p for p in params if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD]
            is_model = getattr(getattr(type(model), name), "_api", None) is not None
            if name in (
                "create",
                "write",
                "read",
                "search_read",
                "web_read",
                "web_search_read",
                "export_data",
                "unlink",
            ):
                continue  # fuzzed with the ORM entry points below
            targets = [[]] if is_model else [ids[:1], ids[:2], [], [999999999]] if ids else [[], [999999999]]
            for target in targets:
                head = [] if is_model else [target]
                values = self._rotate(JUNK, 3 if user == self.admin else 1) if target == ids[:1] or is_model else ["x"]
                for value in values:
                    self._rpc(user, model_name, name, head + [value] * len(required))
                if len(params) > len(required):
                    self._rpc(user, model_name, name, head + [values[0]] * len(params))

    def _fuzz_orm(self, user, model_name, ids):
        model = self.env[model_name]
        own = [
            name
            for name, field in model._fields.items()
            if field.store
            and not field.readonly
            and not field.compute
            and ADDON in (field._modules or ())
            or name == "name"
        ]
        target = ids[:1]
        for name in own:
            [value] = self._rotate(_values_for(model._fields[name]), 1)
            if target:
                self._rpc(user, model_name, "write", [target, {name: value}])
            if user == self.admin:
                self._rpc(user, model_name, "create", [{name: value}])
        if model._original_module != ADDON and model_name != "res.partner":
            return  # a core model the addon extends: its fields and methods only
        heavy = 2 if user == self.admin else 1
        domains = (
            self._rotate(PARTNER_DOMAINS, 3 * heavy) if model_name == "res.partner" else self._rotate(BAD_DOMAINS, 1)
        )
        for domain in domains:
            self._rpc(user, model_name, "search", [domain])
            self._rpc(user, model_name, "search_count", [domain])
            self._rpc(user, model_name, "search_read", [domain], {"fields": ["display_name"], "limit": 2})
            self._rpc(user, model_name, "read_group", [domain, ["id:count"], []])
            self._rpc(user, model_name, "web_search_read", [domain, {"display_name": {}}], {"limit": 2})
        if target:
            self._rpc(user, model_name, "read", [ids[:2], [f"{name}" for name in own] or ["display_name"]])
            self._rpc(user, model_name, "web_read", [ids[:2], {name: {} for name in own}])
        if user != self.admin:
            return  # the KA User's pass: fields, domains and reads above; the rest is the same code
        for context in self._rotate(BAD_CONTEXTS, 1):
            self._rpc(user, model_name, "search_read", [[]], {"fields": [], "limit": 2, "context": context})
            self._rpc(user, model_name, "read_group", [[], ["id:count"], []], {"context": context})
        for bad in self._rotate(BAD_IDS, 1):
            self._rpc(user, model_name, "read", [bad, ["display_name"]])
            self._rpc(user, model_name, "web_read", [bad, {"display_name": {}}])
        for value in self._rotate([None, BIG, LONG, NAN, [1], "x", {}], 1):
            self._rpc(user, model_name, "name_search", [value])
            self._rpc(user, model_name, "search_read", [[]], {"fields": value, "limit": value})
            self._rpc(user, model_name, "read_group", [[], value, value])
            self._rpc(user, model_name, "web_search_read", [[], value], {"limit": value, "offset": value})

    # ------------------------------------------------------------------ the test
    def test_fuzz_no_server_error(self):
        started = time.monotonic()
        collector = _LogCollector()
        odoo_logger = logging.getLogger("odoo")
        odoo_logger.addHandler(collector)
        try:
            for model_name in self._models():
                ids = self._record_ids(model_name)
                for user in (self.admin, self.ka_user):
                    self._fuzz_methods(user, model_name, ids)
                    self._fuzz_orm(user, model_name, ids)
        finally:
            odoo_logger.removeHandler(collector)
        logging.getLogger(__name__).info(
            "RPC fuzz: %d calls in %.0f s, %d answered, faults %s, core errors never reaching the addon: %d\ncalls by method: %s\n%s",
            self.calls,
            time.monotonic() - started,
            self.ok,
            {code: len(v) if code == 1 else v for code, v in self.faults.items()},
            len(self.core_errors),
            self.by_method.most_common(12),
            "\n".join(sorted(set(self.core_errors))[:40]),
        )
        self.assertGreaterEqual(self.calls, MIN_CALLS, "the fuzz test made too few calls to prove anything")
        self.assertGreater(self.faults[2] + self.faults[4], MIN_CALLS // 4, "the corpus should mostly be refused")
        addon_logs = [text for text in collector.records if from_addon(text)]
        self.assertFalse(
            addon_logs, f"{len(addon_logs)} errors from the addon in the server log:\n{_grouped(addon_logs)}"
        )
        self.assertFalse(
            self.faults[1], f"{len(self.faults[1])} server errors (fault 1) from the addon:\n{_grouped(self.faults[1])}"
        )


def _values_for(field):
    """Wrong values for a field, by type."""
    common = [[1, "a"], {"x": 1}]
    by_type = {
        "float": [NAN, INF, -INF, BIG, "abc"],
        "monetary": [NAN, INF, -INF, BIG, "abc"],
        "integer": [BIG, -BIG, NAN, "abc"],
        "char": [BIG, NAN, LONG],
        "text": [BIG, NAN],
        "html": [BIG],
        "date": [*BAD_DATES, 12345, NAN],
        "datetime": [*BAD_DATES, 12345, NAN],
        "selection": ["nope", 5, None],
        "boolean": ["abc", NAN],
        "many2one": ["abc", BIG, -1, 999999999, NAN],
        "one2many": ["abc", [(99, 0, 0)], [(6, 0, "x")], [(0, 0, "x")], [(1, BIG, {})]],
        "many2many": ["abc", [(99, 0, 0)], [(6, 0, "x")], [(4, BIG)], [(6, 0, [BIG])]],
    }
    return by_type.get(field.type, []) + common


def _grouped(tracebacks, top=40):
    """Tracebacks grouped by where they leave the addon (its innermost frame) and the error."""
    groups = Counter()
    examples = {}
    for text in tracebacks:
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)
        ours = [frame for frame in frames if frame[0].startswith(ADDON_PATH)]
        where = f"{ours[-1][0][len(ADDON_PATH) :]}:{ours[-1][1]} {ours[-1][2]}" if ours else "?"
        key = f"{where} | {text.strip().splitlines()[-1][:160]}"
        groups[key] += 1
        examples.setdefault(key, text.splitlines()[0][:200])
    return "\n".join(f"{count:5d} x {key}\n        e.g. {examples[key]}" for key, count in groups.most_common(top))


def _short(value):
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."
