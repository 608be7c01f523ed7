"""pytest-odoo set-up shared by every test module.

A skipped test is a failure here: a tour skipped for want of a browser, of websocket-client or
of ``--odoo-http`` would otherwise let a run pass without testing the UI.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped tests fail this suite (tours need Chromium and --odoo-http): {report.longrepr}"


@pytest.fixture(scope="module", autouse=True)
def load_http(request):
    """Replace pytest-odoo's fixture of the same name: it starts a server for every module (the
    second one cannot bind the port) through ``server.start(stop=True)``, which on Odoo 18 shuts
    the HTTP thread down again. Spawn the HTTP thread once for the session instead."""
    import odoo
    from odoo.service import server

    if request.config.getoption("--odoo-http") and getattr(server.server, "httpd", None) is None:
        server.server = server.server or server.ThreadedServer(odoo.http.root)
        server.server.http_spawn()
