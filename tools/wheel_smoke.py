"""Smoke test of the addon installed from its wheel, in the wheel's venv and database.

    wheel_smoke.py -c ODOO_CONF -d DATABASE --venv VENV

Run by `./kam wheel-test` with the Python of the fresh venv into which the wheel went. As the
administrator (a KA Director), through the public API: a key account is created and invoiced,
scored, and reported in the monthly report with its XLSX file. Besides: Odoo found the addon,
and the OCA addons and Python library it needs, in the venv (not in the repository), its
Chinese is loaded, and its Apps page (static/description/index.html) reads in Chinese and
English with its pictures. Everything is rolled back. Exits 1 on a failed check.
"""

import argparse
import base64
import io
import os
import re
import sys
import zipfile

import odoo
from odoo import Command, fields

ADDON = "key_account_mgmt"
AMOUNT = 100000.0


class Smoke:
    def __init__(self, env, venv):
        self.env = env
        self.venv = os.path.realpath(venv)
        self.admin = env.ref("base.user_admin")
        self.results = []

    def check(self, name, test):
        try:
            detail = test()
        except Exception as error:  # every failure is reported, then counted
            self.results.append((False, name, f"{type(error).__name__}: {error}"))
        else:
            self.results.append((True, name, detail))

    def in_venv(self, path):
        return os.path.realpath(path).startswith(self.venv + os.sep)

    # ------------------------------------------------------------------ checks
    def installed_from_the_venv(self):
        import xlsxwriter

        addons = [ADDON, "base_tier_validation", "helpdesk_mgmt"]
        paths = {name: odoo.modules.module.get_module_path(name) for name in addons}
        paths["xlsxwriter"] = os.path.dirname(xlsxwriter.__file__)
        outside = {name: path for name, path in paths.items() if not path or not self.in_venv(path)}
        assert not outside, f"not in {self.venv}: {outside}"
        modules = self.env["ir.module.module"].search([("name", "in", addons)])
        assert modules.mapped("state") == ["installed"] * 3, modules.mapped(lambda m: (m.name, m.state))
        return os.path.relpath(paths[ADDON], self.venv)

    def key_account_created(self):
        company = self.env.company
        if not self.env["account.journal"].search_count([("company_id", "=", company.id), ("type", "=", "sale")]):
            self.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        self.partner = (
            self.env["res.partner"]
            .with_user(self.admin)
            .create(
                {
                    "name": "Hengtai Construction Group",
                    "is_company": True,
                    "is_key_account": True,
                    "key_account_tier_id": self.env.ref(f"{ADDON}.tier_strategic").id,
                    "key_account_manager_id": self.admin.id,
                }
            )
        )
        invoice = (
            self.env["account.move"]
            .with_user(self.admin)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner.id,
                    "invoice_date": fields.Date.context_today(self.partner),
                    "invoice_line_ids": [
                        Command.create({"name": "H-beams H300", "price_unit": AMOUNT, "tax_ids": [Command.clear()]})
                    ],
                }
            )
        )
        invoice.action_post()
        assert self.partner.key_account_code, "no key account code"
        return f"{self.partner.key_account_code}, invoiced {AMOUNT:,.0f}"

    def scored(self):
        self.partner.action_compute_key_account_score()
        month = self.env["key.account.metrics"]._period(fields.Date.context_today(self.partner))[0]
        self.snapshot = self.env["key.account.score"].search(
            [("partner_id", "=", self.partner.id), ("period_date", "=", month)]
        )
        assert len(self.snapshot) == 1, f"{len(self.snapshot)} score snapshots of {month}"
        self.partner.invalidate_recordset()
        assert self.partner.key_account_score == self.snapshot.score, "the partner does not show its score"
        return f"score {self.snapshot.score} (grade {self.snapshot.grade.upper()}) for {month:%Y-%m}"

    def reported(self):
        report = self.env["key.account.report"].with_user(self.admin).generate(fields.Date.context_today(self.partner))
        line = report.line_ids.filtered(lambda row: row.partner_id == self.partner)
        assert len(line) == 1, f"{len(line)} rows of the account"
        assert abs(line.revenue_month - AMOUNT) < 0.01, f"revenue of the month {line.revenue_month}"
        assert line.score == self.snapshot.score, f"score {line.score} in the report"
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(report.file))) as xlsx:
            sheets = re.findall(r'<sheet name="([^"]+)"', xlsx.read("xl/workbook.xml").decode())
        assert len(sheets) == 2, sheets
        return f"{report.file_name}: sheets {', '.join(sheets)}"

    def chinese(self):
        tier = self.env.ref(f"{ADDON}.tier_strategic").with_context(lang="zh_CN")
        assert tier.name == "战略客户", tier.name
        return f"tier {tier.name}"

    def apps_page(self):
        module = self.env["ir.module.module"].search([("name", "=", ADDON)])
        page = module.with_context(lang="zh_CN").description_html
        for words in ("大客户管理", "Key Account Management", 'lang="zh-CN"', 'lang="en"'):
            assert words in page, f"{words!r} not on the Apps page"
        pictures = re.findall(r'<img[^>]* src="([^"]+)"', page)
        assert len(pictures) >= 3, pictures
        for src in pictures:
            assert src.startswith(f"/{ADDON}/static/description/"), src
            assert os.path.isfile(odoo.tools.file_path(src.lstrip("/"))), f"{src}: no such file"
        return f"{len(pictures)} pictures"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--venv", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        smoke = Smoke(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args.venv)
        smoke.check("the addon and its dependencies come from the venv", smoke.installed_from_the_venv)
        smoke.check("a key account created and invoiced", smoke.key_account_created)
        smoke.check("scored", smoke.scored)
        smoke.check("reported in the monthly report (XLSX)", smoke.reported)
        smoke.check("its Chinese loaded", smoke.chinese)
        smoke.check("the Apps page in Chinese and English", smoke.apps_page)
        cr.rollback()
    for ok, name, detail in smoke.results:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    failed = sum(not ok for ok, _name, _detail in smoke.results)
    print(f"smoke: {len(smoke.results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
