import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Monthly review → monthly report (issue #7), in two logins:
// 1. the KA User managing "Tour Report Account" reports news of it, then writes this month's
//    review from Key Accounts › Monthly Reviews and files it (the cooperation state is confirmed);
// 2. a KA Manager opens the app on its dashboard and generates this month's report: the
//    report opens with its file and a row quoting the commentary.

const ACCOUNT = "Tour Report Account";

// a menu of Key Accounts, then the list it opens
function openList(section, menu, title) {
    return [
        ...openMenu(section, menu),
        {
            content: `${title} shown`,
            trigger: `.o_breadcrumb:contains("${title}")`,
        },
    ];
}

function chooseAccount() {
    return [
        {
            content: "Choose the key account",
            trigger: '.o_field_widget[name="partner_id"] input',
            run: `edit ${ACCOUNT}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains("${ACCOUNT}")`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_monthly_review", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openList("key_account_menu_accounts", "key_account_news_menu", "Key Account News"),
        {
            content: "Report news",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Give the headline",
            trigger: '.o_field_widget[name="name"] input',
            run: "edit New procurement head appointed",
        },
        ...chooseAccount(),
        ...stepUtils.saveForm(),
        ...openList("key_account_menu_accounts", "key_account_monthly_review_menu", "Monthly Reviews"),
        {
            content: "Write a new review",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        ...chooseAccount(),
        {
            content: "The account's current state is proposed",
            trigger: '.o_field_widget[name="cooperation_state"] select:has(option:selected:contains("Good cooperation"))',
        },
        {
            content: "Write the commentary",
            trigger: '.o_field_widget[name="commentary"] textarea',
            run: "edit Framework contract renewed; the new procurement head visited our plant.",
        },
        ...stepUtils.saveForm(),
        {
            content: "File the review",
            trigger: '.o_form_view button[name="action_done"]:enabled',
            run: "click",
        },
        {
            content: "The review is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_monthly_report", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            content: "The app opens on its dashboard, which counts the news of the month",
            trigger: '.o_kam_dashboard .o_kam_figure[data-key="news"] .o_kam_figure_value:contains("1")',
        },
        {
            content: "Generate this month's report",
            trigger: ".o_kam_dashboard .o_kam_generate_report",
            run: "click",
        },
        {
            content: "The report opens with its file",
            trigger: '.o_form_view .o_field_widget[name="file"] a:contains("Key Account Report")',
        },
        {
            content: "Its row quotes the account",
            trigger: `.o_form_view .o_field_widget[name="line_ids"] .o_data_row:contains("${ACCOUNT}")`,
        },
    ],
});
