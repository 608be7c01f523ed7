import { registry } from "@web/core/registry";
import { formatDate } from "@web/core/l10n/dates";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Preferential policy beyond the tier's standard (issue #8), in three logins:
// 1. the KA User who manages "Tour Policy Account" (strategic, standard up to 10 %) asks for a
//    12 % discount from the account's Policies button and submits it;
// 2. the KA Manager validates the first level: the policy now waits for the Director;
// 3. the KA Director validates it: approved and in force.

const ACCOUNT = "Tour Policy Account";

function openPolicies() {
    return [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_accounts", "res_partner_menu_key_account"),
        {
            content: "Open the key account from the kanban",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            content: "Unfold the smart buttons that do not fit (if any)",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                const more = document.querySelector(".o_form_view .o-form-buttonbox .o_button_more");
                if (more) {
                    more.click();
                }
            },
        },
        {
            content: "Open its policies",
            trigger: 'button[name="action_open_policies"]',
            run: "click",
        },
    ];
}

function validateSteps(nextState) {
    return [
        ...openPolicies(),
        {
            content: "Open the submitted policy",
            trigger: '.o_list_view .o_data_row:contains("Price Discount") td[name="name"]',
            run: "click",
        },
        {
            content: "Validate (base_tier_validation)",
            trigger: '.o_form_view button[name="validate_tier"]:enabled',
            run: "click",
        },
        {
            content: `The policy is ${nextState}`,
            trigger: `.o_statusbar_status button.o_arrow_button_current[data-value="${nextState}"]`,
        },
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_policy_request", {
    url: "/odoo",
    steps: () => [
        ...openPolicies(),
        {
            content: "New policy",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The key account is already filled in",
            trigger: `.o_form_view .o_field_widget[name="partner_id"] input:value("${ACCOUNT}")`,
        },
        {
            content: "12 % discount",
            trigger: '.o_field_widget[name="value"] input',
            run: "edit 12",
        },
        {
            content: "Valid for a year",
            trigger: '.o_field_widget[name="date_to"] input',
            run: `edit ${formatDate(luxon.DateTime.now().plus({ years: 1 }))}`,
        },
        {
            content: "Give the reason",
            trigger: '.o_field_widget[name="reason"] textarea',
            run: "edit Tender for the Nanjing metro: the competitor offers 11 % below list.",
        },
        {
            content: "The tier's standard is shown",
            trigger: '.o_field_widget[name="standard_range"]:contains("10")',
        },
        {
            content: "Submit for approval",
            trigger: '.o_form_view button[name="action_submit"]:enabled',
            run: "click",
        },
        {
            content: "Submitted",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="submitted"]',
        },
        {
            content: "The requester cannot validate it",
            trigger: '.o_form_view:not(:has(button[name="validate_tier"]:visible))',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_policy_manager", {
    url: "/odoo",
    steps: () => [
        ...validateSteps("submitted"),
        {
            content: "It now waits for the Director",
            trigger: '.o_field_widget[name="awaiting_group_id"]:contains("Director")',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_policy_director", {
    url: "/odoo",
    steps: () => [
        ...validateSteps("approved"),
        {
            content: "In force",
            trigger: '.o_form_view .ribbon:contains("In Force")',
        },
    ],
});
