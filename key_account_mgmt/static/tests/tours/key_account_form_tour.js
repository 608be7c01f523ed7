import { registry } from "@web/core/registry";
import { noErrorDialog, noSidewaysScroll, oneLineButtons, openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Issue #18: the key account form of the Key Accounts app (tests/test_key_account_form_tour.py),
// in Chinese, at desktop and at phone width: the header answers "how is this account doing",
// every page opens, no error dialog, nothing scrolls sideways.

const ACCOUNT = "Form Tour Group";

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
        noErrorDialog(`The ${name} page`),
        noSidewaysScroll(`The ${name} page`),
    ];
}

// at phone width Odoo folds every stat button into the form's ⚡ menu
function keyAccountForm(phone = false) {
    const openItems = phone ? ".o-form-buttonbox-small" : ".o_form_view";
    return [
        {
            content: "Open the key account",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            content: "The header shows the tier in its colour",
            trigger: '.o_key_account_glance div[name="key_account_tier_id"] .badge.o_tag_color_3',
        },
        {
            content: "the cooperation state",
            trigger: '.o_key_account_glance div[name="cooperation_state"] .badge.text-bg-success',
        },
        {
            content: "the score and its grade",
            trigger: '.o_key_account_glance div[name="key_account_score"]:contains("82.00")',
        },
        {
            trigger: '.o_key_account_glance div[name="key_account_grade"] .badge.text-bg-success',
        },
        {
            content: "the score of each of the 12 months, 3 of them scored",
            trigger: ".o_key_account_trend:has(.o_key_account_trend_bar:nth-child(12)):has(.text-bg-warning):has(.text-bg-info)",
        },
        {
            content: "the group's revenue of the 12 months and its change on the year before",
            trigger: '.o_key_account_glance div[name="key_account_group_revenue_12m"]:contains("1,600.00")',
        },
        {
            trigger: '.o_key_account_glance div[name="revenue_yoy"] .text-success:visible:contains("166.7")',
        },
        ...(phone ? [{ content: "Open the ⚡ menu", trigger: "button.o_button_more:has(.fa-bolt)", run: "click" }] : []),
        {
            content: "the open items: a visit due, a complaint, an approval waiting, the credit warning",
            trigger: `${openItems} button:has(.fa-calendar-check-o) .o_stat_text:not(.text-danger)`,
        },
        {
            trigger: `${openItems} button[name="action_open_key_account_tickets"] .o_stat_value:contains("1")`,
        },
        {
            trigger: `${openItems} button[name="action_open_pending_approvals"] .o_stat_value:contains("1")`,
        },
        {
            trigger: `${openItems} button[name="action_open_receivable_report"] .o_stat_text.text-warning`,
        },
        ...(phone ? [{ content: "Close the ⚡ menu", trigger: "button.o_button_more:has(.fa-bolt)", run: "click" }] : []),
        noErrorDialog("The key account"),
        noSidewaysScroll("The key account"),
        ...openPage("team_contacts", '.o_field_widget[name="child_ids"] .o_data_row:contains("Sun Li")'),
        {
            content: "with the contact's buying role",
            trigger: '.o_field_widget[name="child_ids"] .o_data_row:contains("Sun Li") td[name="buying_role"]:not(:empty)',
        },
        {
            content: "the main contact named as a person",
            trigger: '.o_field_widget[name="key_account_main_contact_id"]:contains("Sun Li"):not(:contains("Form Tour"))',
        },
        ...openPage("activities", '.o_field_widget[name="key_account_visit_ids"] .o_data_row'),
        {
            trigger: '.o_field_widget[name="key_account_open_ticket_ids"] .o_data_row',
        },
        ...openPage("commercial", '.o_field_widget[name="key_account_active_policy_ids"] .o_data_row'),
        ...openPage("history", '.o_field_widget[name="state_log_ids"] .o_data_row'),
        {
            trigger: '.o_field_widget[name="key_account_score_ids"] .o_data_row',
        },
        ...openPage("overview", '.o_field_widget[name="key_account_branch_ids"] .o_data_row'),
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_key_account_form", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_accounts", "res_partner_menu_key_account"),
        ...keyAccountForm(),
        {
            content: "The waiting approval opens its list",
            trigger: '.o_form_view button[name="action_open_pending_approvals"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
        noErrorDialog("The waiting approvals"),
    ],
});

// at phone width, from the app's action (its menu is the same)
registry.category("web_tour.tours").add("key_account_mgmt_key_account_form_phone", {
    url: "/odoo/action-key_account_mgmt.res_partner_action_key_account",
    steps: () => [noSidewaysScroll("The kanban"), ...keyAccountForm(true), oneLineButtons("The key account")],
});
