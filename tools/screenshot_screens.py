"""What `./kam screenshots` shoots: the demo user of each role and the main screens of each role,
found by the xml ids of their actions and records (never by database ids, which change).

A screen is (name, action, view_type, record, roles, docs, click, optional):
  action     xml id of an ir.actions.* of this addon (or "module.xml_id")
  view_type  the view to open (act_window only; None: the action's first view)
  record     a form's record: xml id of a demo record, or FIRST (the first record of the
             action the user can read); None: no record
  roles      the roles whose main screen it is
  docs       the README picture (docs/<docs>.png) it refreshes, from the manager in zh_CN on a desktop
  click      CSS selector of an element clicked before the shot (a notebook tab)
  optional   skipped when the action does not exist (yet)
"""

from collections import namedtuple

from odoo.tools.safe_eval import safe_eval

MODULE = "key_account_mgmt"
FIRST = "first"

# role: (login of the demo user, group that makes the role; the password is the login as in the demo)
ROLES = {
    "user": ("ka_user", "key_account_mgmt.group_ka_user"),
    "clerk": ("ka_clerk", "key_account_mgmt.group_ka_clerk"),
    "manager": ("ka_manager", "key_account_mgmt.group_ka_manager"),
    "director": ("admin", "key_account_mgmt.group_ka_director"),  # the administrator, KA Director too
}
LANGS = ("zh_CN", "en_US")
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
DOCS = ("manager", "zh_CN", "desktop")  # whose shots are the README's
TIMEZONE = "Asia/Shanghai"  # the browser's: the demo company works in Beijing time

ALL = tuple(ROLES)
CLERK_UP = ("clerk", "manager", "director")
MANAGER_UP = ("manager", "director")
MANAGER = ("manager",)

Screen = namedtuple("Screen", "name action view_type record roles docs click optional", defaults=(None, False))
SCREENS = [
    Screen("dashboard", "key_account_dashboard_client_action", None, None, ALL, "dashboard"),
    Screen("kanban", "res_partner_action_key_account", "kanban", None, ALL, "key_accounts_kanban"),
    Screen("account", "res_partner_action_key_account", "form", "partner_hengtai", ALL, "key_account_form"),
    Screen("visits", "key_account_visit_action", "calendar", None, ALL, "visits_calendar"),
    Screen("approvals", "tier_review_action_key_account", None, None, ALL, None),
    Screen("claims", "key_account_visit_expense_action_claims", None, None, MANAGER_UP, None),
    Screen("report", "key_account_report_action", "form", FIRST, CLERK_UP, "monthly_report"),
    Screen("kpis", "key_account_kpi_action", "pivot", None, ALL, "kpis"),
    Screen("complaints", "helpdesk_ticket_action", "list", None, ALL, None),
    # the rest of the README's pictures
    Screen("complaint", "helpdesk_ticket_action", "form", "ticket_qilu_service", MANAGER, "complaint"),
    Screen(
        "account_team",
        "res_partner_action_key_account",
        "form",
        "partner_hengtai",
        MANAGER,
        "key_account_team",
        click=".o_notebook .nav-link[name='team_contacts']",
    ),
    Screen(
        "relationship_map",
        "res_partner_action_key_account",
        "form",
        "partner_hengtai",
        ALL,
        None,  # docs/relationship_map.png is the map alone, below the header
        click=".o_notebook .nav-link[name='team_contacts']",
    ),
    Screen("tiers", "key_account_tier_action", "list", None, MANAGER, "tiers"),
    Screen("nominations", "key_account_application_action", "list", None, MANAGER, "nominations"),
    Screen("archive", "key_account_archive_action", "form", "archive_hengtai", MANAGER, "archive_form"),
    Screen(
        "visit",
        "key_account_visit_action",
        "form",
        "visit_hengtai_closed",
        MANAGER,
        "visit_report",
        click=".o_notebook .nav-link[name='report']",
    ),
    Screen("policies", "key_account_policy_action", "list", None, MANAGER, "policies"),
    Screen("scores", "key_account_score_action", "list", None, MANAGER, "scores"),
]


def xmlid(ref):
    return ref if "." in ref else f"{MODULE}.{ref}"


def resolve(env, role, screens=SCREENS):
    """[(screen, URL path)] of the role's screens, as its demo user sees them (env: superuser).
    Raises on an xml id that does not resolve, except for an optional screen's missing action."""
    user = env["res.users"].search([("login", "=", ROLES[role][0])])
    if not user:
        raise LookupError(f"no demo user {ROLES[role][0]!r} for role {role}: is this the demo database?")
    shots = []
    for screen in screens:
        if role not in screen.roles:
            continue
        action = env.ref(xmlid(screen.action), raise_if_not_found=not screen.optional)
        if not action:
            continue
        path = f"/odoo/action-{xmlid(screen.action)}"
        if screen.record == FIRST:
            domain = safe_eval(action.domain or "[]", action.with_user(user)._get_eval_context())
            records = env[action.res_model].with_user(user).search(domain, limit=1)
            if not records:
                raise LookupError(f"{screen.name}: {role} reads no record of {action.res_model}")
            path += f"/{records.id}"
        elif screen.record:
            record = env.ref(xmlid(screen.record))
            if not record.with_user(user).has_access("read"):
                raise LookupError(f"{screen.name}: {role} may not read {screen.record}")
            path += f"/{record.id}"
        if screen.view_type and screen.view_type != "form":
            path += f"?view_type={screen.view_type}"
        shots.append((screen, path))
    return shots
