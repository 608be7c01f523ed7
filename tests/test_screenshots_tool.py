"""`./kam screenshots` finds its screens by xml id (tools/screenshot_screens.py): every action,
view, record, tab and role of its table must exist and be reachable by that role, or the run
would shoot error dialogs or stop half-way."""

import re
import sys
from pathlib import Path

from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, new_test_user, tagged

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import screenshot_screens as table  # noqa: E402


def demo_records():
    """{xml id: (model, element)} of the records the addon's demo data declares."""
    records = {}
    for name in get_manifest(table.MODULE)["demo"]:
        for record in etree.parse(str(Path(get_module_path(table.MODULE)) / name)).iter("record"):
            records[table.xmlid(record.get("id"))] = (record.get("model"), record)
    return records


@tagged("post_install", "-at_install")
class TestScreenshotTable(TransactionCase):
    def actions(self):
        """(screen, action) of every screen whose action exists; a missing one must be optional."""
        for screen in table.SCREENS:
            action = self.env.ref(table.xmlid(screen.action), raise_if_not_found=False)
            if action:
                yield screen, action
            else:
                self.assertTrue(screen.optional, f"{screen.name}: no action {screen.action}")

    def test_actions_open_the_view_and_record_named(self):
        demo = demo_records()
        for screen, action in self.actions():
            self.assertIn(action._name, ("ir.actions.act_window", "ir.actions.client"), screen.name)
            if screen.view_type or screen.record:
                self.assertEqual(action._name, "ir.actions.act_window", screen.name)
                self.assertIn(screen.view_type or "form", action.view_mode.split(","), screen.name)
            if screen.record and screen.record != table.FIRST:
                self.assertIn(table.xmlid(screen.record), demo, f"{screen.name}: {screen.record} is no demo record")
                self.assertEqual(demo[table.xmlid(screen.record)][0], action.res_model, screen.name)

    def test_demo_user_of_each_role_has_its_group(self):
        demo = demo_records()
        for role, (login, group) in table.ROLES.items():
            user = self.env["res.users"].search([("login", "=", login)])
            if user:  # the administrator, outside the demo data
                self.assertTrue(user.has_group(group), f"{login} is not in {group}")
                continue
            declared = [el for _model, el in demo.values() if el.findtext("field[@name='login']") == login]
            self.assertEqual(len(declared), 1, f"no demo user {login} for role {role}")
            self.assertIn(f"ref('{group}')", declared[0].find("field[@name='groups_id']").get("eval"), login)
            self.assertEqual(declared[0].findtext("field[@name='password']"), login, "the tool logs in with the login")

    def test_each_role_reaches_its_screens_and_tabs(self):
        """From a menu it sees; reading the model; the tab to click exists in the form it gets."""
        for role, (_login, group) in table.ROLES.items():
            user = new_test_user(self.env, f"shot_{role}", groups=f"base.group_user,{group}")
            for screen, action in self.actions():
                if role not in screen.roles:
                    continue
                # a menu the role sees opens it (the menus hide what the role's groups may not open)
                menus = self.env["ir.ui.menu"].with_user(user).search([("action", "=", f"{action._name},{action.id}")])
                self.assertTrue(menus, f"{role} has no menu to {screen.name} ({screen.action})")
                if action._name != "ir.actions.act_window":
                    continue
                model = self.env[action.res_model].with_user(user)
                self.assertTrue(model.has_access("read"), f"{role} may not read {action.res_model}")
                if screen.click:
                    view_type = screen.view_type or "form"
                    view_id = next(
                        (v.view_id.id for v in action.view_ids if v.view_mode == view_type),
                        action.view_id.type == view_type and action.view_id.id,
                    )
                    arch = model.get_views([(view_id, view_type)])["views"][view_type]["arch"]
                    page = re.search(r"\[name='([^']+)'\]", screen.click).group(1)
                    self.assertTrue(
                        etree.fromstring(arch).xpath(f"//page[@name='{page}']"), f"{screen.name}: no tab {page}"
                    )

    def test_urls_name_the_action_and_view(self):
        kanban, kpis = (next(s for s in table.SCREENS if s.name == name) for name in ("kanban", "kpis"))
        new_test_user(self.env, "ka_manager", groups="base.group_user,key_account_mgmt.group_ka_manager")
        self.assertEqual(
            [path for _screen, path in table.resolve(self.env, "manager", [kanban, kpis])],
            [
                "/odoo/action-key_account_mgmt.res_partner_action_key_account?view_type=kanban",
                "/odoo/action-key_account_mgmt.key_account_kpi_action?view_type=pivot",
            ],
        )
