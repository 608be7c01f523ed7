"""`./kam screenshots`: the main screens of every role (the table in screenshot_screens.py) in each
language and width, shot in headless Chromium over the DevTools protocol from a running server:

    .venv/bin/python tools/screenshot.py -c CONF -d DB --url http://127.0.0.1:PORT OUT_DIR
        [--roles user,manager] [--langs zh_CN] [--widths phone] [--screens dashboard,kanban] [--docs DIR]

Writes OUT_DIR/<role>-<lang>-<width>-<screen>.png. Each shot waits until the page is idle (no
request pending, no spinner). Exits 1 if an error dialog showed (its shot is kept), a page never
settled or a click target was missing. The users' languages are switched for the run and put back.
--docs DIR: only the README's pictures (the manager in zh_CN on a desktop), also copied to DIR."""

import argparse
import base64
import glob
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import screenshot_screens as table  # noqa: E402

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
)
# counts the requests in flight (Odoo's RPCs are XMLHttpRequests, other loads fetches)
TRACK_REQUESTS = """(() => {
    let pending = 0;
    const done = () => pending--;
    const fetch = window.fetch;
    window.fetch = function (...args) { pending++; return fetch.apply(this, args).finally(done); };
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (...args) {
        pending++;
        this.addEventListener("loadend", done, { once: true });
        return send.apply(this, args);
    };
    window.__kamPending = () => pending;
})();"""
IDLE = """document.readyState === "complete" && !!window.__kamPending && window.__kamPending() === 0
    && !!document.querySelector(".o_action_manager > *")
    && !document.querySelector(".o_loading_indicator, .o_blockUI, .fa-spin, .spinner-border")"""
# charts drawn at once rather than animated for a second
SETTLE = """document.fonts.ready.then(() => {
    Object.values((window.Chart && window.Chart.instances) || {}).forEach((c) => { c.stop(); c.update("none"); });
    return new Promise((resolve) => setTimeout(resolve, 300));
})"""
ERROR_DIALOGS = """[...document.querySelectorAll(".o_error_dialog")].map((d) => d.innerText.replace(/\\s+/g, " ").trim())
    .concat(location.pathname.startsWith("/web/login") ? ["logged out: the login page shows"] : [])"""


class Chrome:
    """One headless Chromium tab, driven over its DevTools websocket."""

    def __init__(self):
        self.profile = tempfile.mkdtemp()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        self.proc = subprocess.Popen(
            [browser or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
            + ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
            + [f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("Chromium did not start")
        page = next(t for t in tabs if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.ids = itertools.count(1)
        self.call("Page.enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", source=TRACK_REQUESTS)
        self.desktop_ua = self.call("Browser.getVersion")["userAgent"]
        # before any login: a user's first login takes the browser's zone as the user's
        self.call("Emulation.setTimezoneOverride", timezoneId=table.TIMEZONE)

    def call(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("exception", {}).get("description", expression))
        return result["result"].get("value")

    def open(self, url, timeout=60):
        """Navigate and wait until the page is idle for a moment; False if it never is."""
        self.call("Page.navigate", url=url)
        return self.wait_idle(timeout)

    def wait_idle(self, timeout=60):
        quiet, deadline = 0, time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = quiet + 1 if self.eval(IDLE) else 0
            if quiet >= 3:
                self.eval(SETTLE)
                return True
            time.sleep(0.15)
        return False

    def rpc(self, model, method, *args):
        body = {"jsonrpc": "2.0", "method": "call", "params": {"model": model, "method": method}}
        body["params"].update(args=list(args), kwargs={})
        reply = self.eval(
            f"fetch('/web/dataset/call_kw/{model}/{method}', {{method: 'POST', headers: "
            f"{{'Content-Type': 'application/json'}}, body: {json.dumps(json.dumps(body))}}}).then((r) => r.json())"
        )
        if "error" in reply:
            raise RuntimeError(f"{model}.{method}: {reply['error']['data']['message']}")
        return reply["result"]

    def login(self, base, db, login):
        self.call("Network.clearBrowserCookies")
        self.open(f"{base}/web/login")
        params = {"db": db, "login": login, "password": login}
        uid = self.eval(
            "fetch('/web/session/authenticate', {method: 'POST', headers: {'Content-Type': 'application/json'},"
            f" body: JSON.stringify({{jsonrpc: '2.0', params: {json.dumps(params)}}})}})"
            ".then((r) => r.json()).then((r) => r.result && r.result.uid)"
        )
        if not uid:
            raise RuntimeError(f"{login} cannot log in to {db}")
        return uid

    def size(self, width, height, phone):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=phone)
        self.call("Emulation.setTouchEmulationEnabled", enabled=phone)
        self.call("Emulation.setUserAgentOverride", userAgent=PHONE_UA if phone else self.desktop_ua)

    def shoot(self, url, out, click=None):
        """Open url, click, save the picture; returns the problems seen (error dialogs first)."""
        problems = [] if self.open(url) else ["the page never became idle (a request or spinner still running)"]
        if click:
            clicked = self.eval(f"(e => !!e && (e.click(), true))(document.querySelector({json.dumps(click)}))")
            if not clicked:
                problems.append(f"nothing to click matches {click}")
            elif not self.wait_idle():
                problems.append("the page never became idle after the click")
        problems[:0] = [f"error dialog: {text[:400]}" for text in self.eval(ERROR_DIALOGS)]
        with open(out, "wb") as f:
            f.write(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return problems

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def plan(conf, db, roles, langs, names):
    """{role: (login, [(screen, URL path)])} from the database, with the languages active (a demo
    created with Chinese has no English) and the demo users' passwords their logins again."""
    import odoo  # noqa: PLC0415 (only this step needs Odoo)
    from odoo.exceptions import AccessDenied  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    screens = [s for s in table.SCREENS if not names or s.name in names]
    result, registry = {}, odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for lang in langs:
            if not env["res.lang"]._get_code(lang):
                env["res.lang"]._activate_lang(lang)
                if lang != "en_US":
                    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(lang)
        for role in roles:
            login = table.ROLES[role][0]
            shots = table.resolve(env, role, screens)
            user = env["res.users"].search([("login", "=", login)])
            try:
                credential = {"type": "password", "login": login, "password": login}
                user.with_user(user)._check_credentials(credential, {"interactive": False})
            except AccessDenied:
                user.password = login
            result[role] = (login, shots)
        for screen in screens:
            if screen.optional and not env.ref(table.xmlid(screen.action), raise_if_not_found=False):
                print(f"skipped: {screen.name} (no action {screen.action} in this database)")
    registry.signal_changes()  # the running server sees the languages
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--url", required=True, help="the running server, e.g. http://127.0.0.1:8069")
    parser.add_argument("out")
    split = lambda value: [v for v in value.split(",") if v]  # noqa: E731
    parser.add_argument("--roles", type=split, default=list(table.ROLES))
    parser.add_argument("--langs", type=split, default=list(table.LANGS))
    parser.add_argument("--widths", type=split, default=list(table.WIDTHS))
    parser.add_argument("--screens", type=split, default=[])
    parser.add_argument("--docs", help="refresh the README's pictures in this folder")
    args = parser.parse_args()
    if args.docs:
        args.roles, args.langs, args.widths = ([v] for v in table.DOCS)
        args.screens = [s.name for s in table.SCREENS if s.docs and (not args.screens or s.name in args.screens)]
    for value, known in ((args.roles, table.ROLES), (args.langs, table.LANGS), (args.widths, table.WIDTHS)):
        if set(value) - set(known):
            parser.error(f"unknown {', '.join(sorted(set(value) - set(known)))}: one of {', '.join(known)}")
    if set(args.screens) - {s.name for s in table.SCREENS}:
        parser.error(f"unknown screen in {args.screens}: see tools/screenshot_screens.py")

    started = time.monotonic()
    roles = plan(args.config, args.database, args.roles, args.langs, args.screens)
    os.makedirs(args.out, exist_ok=True)
    if not args.screens:  # the pictures of screens no longer in the table go
        for role, lang, width in itertools.product(args.roles, args.langs, args.widths):
            for old in glob.glob(os.path.join(glob.escape(args.out), f"{role}-{lang}-{width}-*.png")):
                os.remove(old)
    chrome, failures, count = Chrome(), [], 0
    try:
        for role, (login, shots) in roles.items():
            uid = chrome.login(args.url, args.database, login)
            lang_before = chrome.rpc("res.users", "read", [uid], ["lang"])[0]["lang"]
            try:
                for lang, width in itertools.product(args.langs, args.widths):
                    chrome.rpc("res.users", "write", [uid], {"lang": lang})
                    chrome.open(f"{args.url}/odoo")  # the session takes the language on this load
                    chrome.size(*table.WIDTHS[width], phone=width == "phone")
                    for screen, path in shots:
                        name = f"{role}-{lang}-{width}-{screen.name}.png"
                        problems = chrome.shoot(args.url + path, os.path.join(args.out, name), screen.click)
                        count += 1
                        print(f"{'FAIL' if problems else 'ok  '} {name}  {path}", flush=True)
                        failures += [f"{name} ({path}): {problem}" for problem in problems]
                        if args.docs and screen.docs and not problems:
                            shutil.copy(os.path.join(args.out, name), os.path.join(args.docs, f"{screen.docs}.png"))
            finally:
                chrome.rpc("res.users", "write", [uid], {"lang": lang_before})
    finally:
        chrome.close()
    print(f"\n{count} screenshots in {args.out} ({time.monotonic() - started:.0f} s), {len(failures)} problems")
    for failure in failures:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
