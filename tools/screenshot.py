"""Screenshots of the running demo for the README: ./kam demo in one shell, then
.venv/bin/python tools/screenshot.py LOGIN URL_PATH OUT.png [URL_PATH OUT.png …]
A URL_PATH may end with "#click=CSS" to click an element (e.g. a notebook tab) before the shot.
Dates show in the browser's time zone: run with TZ=Asia/Shanghai for the demo."""

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

BASE = "http://localhost:8069"


def main(login, *pairs):
    profile = tempfile.mkdtemp()
    chrome = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=9333",
            f"--user-data-dir={profile}",
            "--window-size=1400,850",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                tabs = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                break
            except OSError:
                time.sleep(0.2)
        ws = websocket.create_connection(next(t for t in tabs if t["type"] == "page")["webSocketDebuggerUrl"])
        ids = iter(range(1, 10**6))

        def call(method, **params):
            msg_id = next(ids)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                if msg.get("id") == msg_id:
                    return msg.get("result", {})

        call("Page.navigate", url=f"{BASE}/web/login")
        time.sleep(3)
        call(
            "Runtime.evaluate",
            awaitPromise=True,
            expression=(
                "fetch('/web/session/authenticate', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                f" body: JSON.stringify({{jsonrpc: '2.0', params: {{db: 'kam_demo', login: {json.dumps(login)},"
                f" password: {json.dumps(login)}}}}})}}).then(r => r.status)"
            ),
        )
        time.sleep(4)
        for path, out in zip(pairs[::2], pairs[1::2], strict=True):
            path, _sep, click = path.partition("#click=")
            call("Page.navigate", url=BASE + path)
            time.sleep(10)
            if click:
                call("Runtime.evaluate", expression=f"document.querySelector({json.dumps(click)}).click()")
                time.sleep(2)
            data = call("Page.captureScreenshot", format="png")["data"]
            with open(out, "wb") as f:
                f.write(base64.b64decode(data))
            print("wrote", out)
    finally:
        chrome.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
