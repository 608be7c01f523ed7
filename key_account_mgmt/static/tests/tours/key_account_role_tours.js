import { registry } from "@web/core/registry";
import { back, checkScreen, openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Issue #18: each role over its main screens, in Chinese, at desktop and at phone width
// (tests/test_role_tours.py); after every screen, no error dialog and no English.

const ACCOUNT = "恒泰建设集团";
const CALENDAR_PURPOSE = "介绍消防泵组并约定现场勘察";
const CRITERION = "未来三年采购预计增长";
// a list at desktop, cards at phone width
const CRITERION_IN_DIALOG = `.modal .o_data_row:contains("${CRITERION}"), .modal .o_kanban_record:contains("${CRITERION}")`;

function dashboard(scope, accounts) {
    const scopeSteps = {
        mine: [
            {
                content: "A specialist has no scope to choose: their own accounts",
                trigger: ".o_kam_dashboard:not(:has(.o_kam_scopes))",
            },
        ],
        team: [
            {
                content: "Look at my team's accounts",
                trigger: '.o_kam_scopes button[data-scope="team"]',
                run: "click",
            },
            {
                trigger: '.o_kam_scopes button[data-scope="team"].active',
            },
        ],
        company: [
            {
                content: "The company's accounts by default",
                trigger: '.o_kam_scopes button[data-scope="company"].active',
            },
        ],
    }[scope];
    return [
        ...scopeSteps,
        {
            content: `The dashboard counts ${accounts} key accounts`,
            trigger: `.o_kam_figure[data-key="accounts"] .o_kam_figure_value:contains("${accounts}")`,
        },
        {
            content: "with the revenue's chart",
            trigger: ".o_kam_dashboard .o_kam_revenue canvas",
        },
        ...checkScreen(`The dashboard (${scope})`),
    ];
}

function openPage(name, check) {
    return [
        {
            content: `Open the ${name} page`,
            trigger: `.o_form_view .o_notebook .nav-link[name="${name}"]`,
            run: "click",
        },
        {
            content: `The ${name} page shows its records`,
            trigger: `.o_notebook .tab-pane.active ${check}`,
        },
        ...checkScreen(`The key account's ${name} page`),
    ];
}

function keyAccount() {
    return [
        ...openMenu("key_account_menu_accounts", "res_partner_menu_key_account"),
        {
            content: "The key accounts",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
        },
        ...checkScreen("The key accounts"),
        {
            content: "Open the key account",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            content: "The header shows the account at a glance",
            trigger: '.o_key_account_glance div[name="key_account_score"]:contains("82")',
        },
        ...checkScreen("The key account"),
        ...openPage("team_contacts", '.o_field_widget[name="child_ids"] .o_data_row:contains("孙丽")'),
        ...openPage("activities", '.o_field_widget[name="key_account_visit_ids"] .o_data_row'),
        ...openPage("commercial", '.o_field_widget[name="key_account_active_policy_ids"] .o_data_row'),
        ...openPage("history", '.o_field_widget[name="state_log_ids"] .o_data_row'),
    ];
}

function visitCalendar() {
    return [
        ...openMenu("key_account_menu_visits", "key_account_visit_menu"),
        {
            content: "The visits (a list, cards at phone width)",
            trigger: `.o_data_row:contains("${ACCOUNT}"), .o_kanban_record:contains("${ACCOUNT}")`,
        },
        ...checkScreen("The visits"),
        {
            isActive: ["desktop"],
            content: "Switch to the calendar",
            trigger: ".o_control_panel .o_switch_view.o_calendar",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the views (phone)",
            trigger: ".o_control_panel .o_cp_switch_buttons button",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Switch to the calendar",
            trigger: ".o-dropdown--menu .dropdown-item:has(.fa-calendar)",
            run: "click",
        },
        {
            content: "The visit shows its account and purpose",
            trigger: `.o_calendar_renderer .fc-event:contains("${ACCOUNT}"):contains("${CALENDAR_PURPOSE}")`,
        },
        ...checkScreen("The visit calendar"),
    ];
}

// at phone width the search bar is folded behind a button
const showSearchBar = {
    isActive: ["mobile"],
    content: "Show the search bar (phone)",
    trigger: ".o_control_panel button:has(> .fa-search):not(.active)",
    run: "click",
};

function approvals() {
    return [
        ...openMenu("key_account_menu_waiting", "tier_review_menu_key_account"),
        showSearchBar,
        {
            content: "The queue shows what waits for me",
            trigger: '.o_searchview_facet:contains("待我审批")',
        },
    ];
}

/** Open the record of the queue's row `row` and approve it from the form's header. */
function approve(row, what) {
    return [
        {
            content: `${what} waits in the queue`,
            trigger: `.o_list_view .o_data_row:contains("${row}") td[name="res_model_id"]:contains("${what}")`,
        },
        ...checkScreen("The approvals queue"),
        {
            content: "Open it",
            trigger: `.o_list_view .o_data_row:contains("${row}") td[name="res_name"]`,
            run: "click",
        },
        {
            content: "The record to approve",
            trigger: '.o_form_view .alert[role="status"]',
        },
        ...checkScreen(`The ${what} to approve`),
        {
            isActive: ["desktop"],
            content: "Approve from the header",
            trigger: '.o_form_view .o_statusbar_buttons button[name="validate_tier"]:contains("批准"):enabled',
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the actions (phone)",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        ...checkScreen("The actions menu").map((step) => ({ ...step, isActive: ["mobile"] })),
        {
            isActive: ["mobile"],
            content: "Approve",
            trigger: '.o-dropdown--menu button[name="validate_tier"]:contains("批准")',
            run: "click",
        },
        {
            content: "Approved",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
        ...checkScreen(`The ${what} approved`),
        ...back("审批"),
        {
            content: "It waits no more",
            trigger: `.o_list_view:not(:has(.o_data_row:contains("${row}")))`,
        },
        ...checkScreen("The approvals queue after the approval"),
    ];
}

// the reviews (base_tier_validation) and activities (mail) menus of the navbar, with what waits
function systrayMenus() {
    return [
        ["fa-pencil-square-o", "The reviews menu"],
        ["fa-clock-o", "The activities menu"],
    ].flatMap(([icon, what]) => [
        {
            content: `Open ${what}`,
            trigger: `.o_main_navbar .o_menu_systray button:has(.${icon})`,
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-mail-ActivityMenu",
        },
        ...checkScreen(what),
        {
            content: `Close ${what}`,
            trigger: `.o_main_navbar .o_menu_systray button:has(.${icon})`,
            run: "click",
        },
        {
            trigger: "body:not(:has(.o-mail-ActivityMenu))",
        },
    ]);
}

function kpisAndComplaints(openComplaint = false) {
    return [
        ...openMenu("key_account_menu_reporting", "key_account_kpi_menu"),
        {
            content: "The KPIs",
            trigger: ".o_pivot_view .o_pivot",
        },
        ...checkScreen("The KPIs"),
        ...openMenu("helpdesk_ticket_menu"),
        {
            content: "The complaints",
            trigger: '.o_list_view .o_data_row:contains("钢材到货生锈")',
        },
        ...checkScreen("The complaints"),
        ...(openComplaint
            ? [
                  {
                      content: "Open the complaint",
                      trigger: '.o_list_view .o_data_row:contains("钢材到货生锈") td[name="name"]',
                      run: "click",
                  },
                  {
                      trigger: '.o_form_view .o_field_widget[name="name"]:contains("钢材到货生锈"), .o_form_view .o_field_widget[name="name"] input:value("钢材到货生锈")',
                  },
                  ...checkScreen("The complaint"),
              ]
            : []),
    ];
}

const tours = registry.category("web_tour.tours");

tours.add("key_account_mgmt_role_user", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...dashboard("mine", 1),
        ...keyAccount(),
        ...visitCalendar(),
        ...approvals(),
        {
            content: "Nothing waits for a specialist",
            trigger: ".o_view_nocontent",
        },
        ...checkScreen("The specialist's approvals queue"),
        {
            content: "Show my own requests instead",
            trigger: '.o_searchview_facet:contains("待我审批") .o_facet_remove',
            run: "click",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_filter_menu .dropdown-item:contains("我的申请")',
            run: "click",
        },
        {
            content: "The visit I submitted waits for the manager",
            trigger: '.o_list_view .o_data_row:contains("年度框架协议续签洽谈") td[name="status"]:contains("待审批")',
        },
        ...checkScreen("The specialist's requests"),
        ...kpisAndComplaints(),
        ...systrayMenus(),
    ],
});

tours.add("key_account_mgmt_role_clerk", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...dashboard("company", 2),
        ...keyAccount(),
        ...visitCalendar(),
        ...approvals(),
        {
            content: "A clerk approves nothing",
            trigger: ".o_view_nocontent",
        },
        ...checkScreen("The clerk's approvals queue"),
        ...openMenu("key_account_menu_reporting", "key_account_report_menu"),
        {
            content: "Open this month's report",
            trigger: ".o_list_view .o_data_row td.o_data_cell",
            run: "click",
        },
        {
            content: "Its rows",
            trigger: `.o_field_widget[name="line_ids"] .o_data_row:contains("${ACCOUNT}"), .o_field_widget[name="line_ids"] .o_kanban_record:contains("${ACCOUNT}")`,
        },
        ...checkScreen("The monthly report"),
        ...kpisAndComplaints(true),
        ...systrayMenus(),
    ],
});

tours.add("key_account_mgmt_role_manager", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...dashboard("team", 1),
        ...keyAccount(),
        ...openMenu("key_account_menu_scoring", "key_account_score_sheet_menu"),
        {
            content: "Choose a criterion",
            trigger: '.modal .o_field_widget[name="criterion_id"] input',
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "The criteria of my group are offered",
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains("${CRITERION}")`,
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "The criteria of my group are offered (phone: in a dialog)",
            trigger: CRITERION_IN_DIALOG,
        },
        ...checkScreen("The criteria to score").map((step) => ({ ...step, isActive: ["mobile"] })),
        {
            isActive: ["mobile"],
            trigger: CRITERION_IN_DIALOG,
            run: "click",
        },
        {
            content: "Rate the account",
            trigger: `.modal .o_field_widget[name="line_ids"] .o_data_row:contains("${ACCOUNT}") td[name="points"]`,
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="line_ids"] .o_selected_row .o_field_widget[name="points"] input',
            run: "edit 4",
        },
        {
            trigger: '.modal .o_field_widget[name="line_ids"] .o_selected_row .o_field_widget[name="comment"] input',
            run: "edit 增长明确",
        },
        ...checkScreen("The scoring sheet"),
        {
            content: "Save the ratings",
            trigger: '.modal footer button[name="action_save"]',
            run: "click",
        },
        {
            content: "The sheet closes",
            trigger: "body:not(:has(.modal))",
        },
        ...checkScreen("After the scoring sheet"),
        ...systrayMenus(),
        ...approvals(),
        ...approve("年度框架协议续签洽谈", "拜访"),
        ...openMenu("key_account_menu_waiting", "key_account_visit_expense_menu_claims"),
        {
            content: "No expense claim waits",
            trigger: ".o_view_nocontent",
        },
        ...checkScreen("The expense claims"),
        ...visitCalendar(),
    ],
});

tours.add("key_account_mgmt_role_director", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...dashboard("company", 2),
        ...keyAccount(),
        ...systrayMenus(),
        ...approvals(),
        ...approve("鑫源钢铁有限公司", "开发申请"),
        ...visitCalendar(),
    ],
});
