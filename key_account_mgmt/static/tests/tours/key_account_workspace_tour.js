import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import { noSidewaysScroll, openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Issue #18: the screens a key-account team lives in (tests/test_workspace_screens.py).

const ACCOUNT = "Hengtai Construction Group";
const PURPOSE = "Present the fire pump sets";

// the cooperation board: no drag and drop (it ended in an access error), the pencil of the card
// opens the state wizard instead
registry.category("web_tour.tours").add("key_account_mgmt_cooperation_board", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_accounts", "res_partner_menu_cooperation_state"),
        {
            content: "The account is in its column",
            trigger: `.o_kanban_group:has(.o_column_title:contains("Maintained")) .o_kanban_record:contains("${ACCOUNT}")`,
        },
        {
            content: "Its card cannot be dragged",
            trigger: `.o_kanban_record:contains("${ACCOUNT}"):not(.o_draggable)`,
        },
        {
            content: "Set the state from the card",
            trigger: `.o_kanban_record:contains("${ACCOUNT}") button[name="action_open_cooperation_state_wizard"]`,
            run: "click",
        },
        {
            content: "The state wizard opens",
            trigger: '.modal .o_field_widget[name="state"] select',
            run: 'select "good"',
        },
        {
            trigger: '.modal .o_field_widget[name="reason"] textarea',
            run: "edit Framework contract signed",
        },
        {
            content: "Confirm",
            trigger: '.modal footer button[name="action_apply"]',
            run: "click",
        },
        {
            content: "The card moved to its new column",
            trigger: `body:not(:has(.modal)) .o_kanban_group:has(.o_column_title:contains("Good")) .o_kanban_record:contains("${ACCOUNT}")`,
        },
    ],
});

// the visit calendar names the account and the purpose, not the reference
registry.category("web_tour.tours").add("key_account_mgmt_visit_calendar", {
    url: "/odoo/action-key_account_mgmt.key_account_visit_action",
    steps: () => [
        {
            content: "Switch to the calendar",
            trigger: ".o_control_panel .o_switch_view.o_calendar",
            run: "click",
        },
        {
            content: "The visit shows its account and purpose",
            trigger: `.o_calendar_renderer .fc-event:contains("${ACCOUNT}"):contains("${PURPOSE}")`,
        },
    ],
});

// at phone width: the kanban of key accounts and the account's form
registry.category("web_tour.tours").add("key_account_mgmt_phone_accounts", {
    url: "/odoo/action-key_account_mgmt.res_partner_action_key_account",
    steps: () => [
        {
            content: "The key accounts",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
        },
        noSidewaysScroll("The kanban"),
        {
            content: "Open the account",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="key_account_branch_ids"] .o_data_row',
        },
        noSidewaysScroll("The key account's overview"),
        {
            content: "Open the Commercial page",
            trigger: '.o_form_view .o_notebook .nav-link[name="commercial"]',
            run: "click",
        },
        {
            content: "The policies in force are listed",
            trigger: '.o_field_widget[name="key_account_active_policy_ids"] td[name="value_display"]:contains("60"):not(:contains("."))',
        },
        noSidewaysScroll("The Commercial page"),
    ],
});

// at phone width: the approved visit, its report marked field by field, filed from the menu
registry.category("web_tour.tours").add("key_account_mgmt_phone_visit_report", {
    steps: () => [
        {
            content: "The contact is named as a person",
            trigger: '.o_field_widget[name="contact_ids"] .o_tag:contains("Sun Li")',
        },
        {
            trigger: `.o_field_widget[name="contact_ids"]:not(:contains("${ACCOUNT}"))`,
        },
        noSidewaysScroll("The visit"),
        {
            content: "Open the Report page",
            trigger: '.o_form_view .o_notebook .nav-link[name="report"]',
            run: "click",
        },
        ...["date_done", "outcome", "talking_points", "customer_needs"].map((name) => ({
            content: `${name} is marked as needed to file the report`,
            trigger: `div[name="${name}_to_file"] .text-danger`,
        })),
        noSidewaysScroll("The report"),
        {
            content: "Give the actual date",
            trigger: '.o_field_widget[name="date_done"] input',
            run: `edit ${formatDateTime(luxon.DateTime.now().set({ hour: 10, minute: 0, second: 0, millisecond: 0 }))}`,
        },
        {
            trigger: '.o_field_widget[name="talking_points"] textarea',
            run: "edit Presented the pump sets; walked the depot.",
        },
        {
            content: "Go on with the customer's needs",
            trigger: '.o_field_widget[name="customer_needs"] textarea',
            run: "click",
        },
        {
            content: "The filled fields are no longer marked",
            trigger: 'div[name="talking_points_to_file"]:not(:has(.text-danger))',
        },
        {
            trigger: 'div[name="date_done_to_file"]:not(:has(.text-danger))',
        },
        {
            content: "The others still are",
            trigger: 'div[name="customer_needs_to_file"] .text-danger',
        },
        {
            trigger: '.o_field_widget[name="customer_needs"] textarea',
            run: "edit Needs 12 pump sets by March.",
        },
        {
            trigger: '.o_field_widget[name="outcome"] input[data-value="success"]',
            run: "click",
        },
        {
            content: "Nothing is marked any more",
            trigger: '.o_notebook:not(:has([name$="_to_file"] .text-danger))',
        },
        {
            content: "Open the actions menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "File the report",
            trigger: '.o-dropdown--menu button[name="action_done"]',
            run: "click",
        },
        {
            content: "The visit is reported",
            trigger: '.o_statusbar_status:contains("Reported")',
        },
    ],
});
