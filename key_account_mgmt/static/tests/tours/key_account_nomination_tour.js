import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Nomination → approval → key account with its code (issue #3), in two logins:
// 1. a plain internal salesperson nominates a company from Contacts and submits it;
// 2. a KA Manager validates the nomination (base_tier_validation) and sees the code on
//    the nomination and on the partner, now a key account.

registry.category("web_tour.tours").add("key_account_mgmt_nominate", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Contacts app",
            trigger: '.o_app[data-menu-xmlid="contacts.menu_contacts"]',
            run: "click",
        },
        {
            content: "Search the candidate company",
            trigger: ".o_searchview_input",
            run: "edit Tour Candidate Company",
        },
        {
            trigger: ".o_searchview_autocomplete .o_menu_item",
        },
        {
            content: "Apply the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the company",
            trigger: '.o_kanban_record:contains("Tour Candidate Company")',
            run: "click",
        },
        {
            content: "The company's form is open",
            // read-only for a salesperson (a span), editable for others (a textarea)
            trigger: '.o_form_view .o_field_widget[name="name"]:contains("Tour Candidate Company"), .o_form_view .o_field_widget[name="name"] textarea:value("Tour Candidate Company")',
        },
        {
            content: "It is no key account yet: no ribbon",
            trigger: ".o_form_view:not(:has(.ribbon))",
        },
        {
            content: "Nominate it as key account",
            trigger: 'button[name="action_nominate_key_account"]',
            run: "click",
        },
        {
            content: "The nomination proposes the company",
            trigger: '.o_form_view .o_field_widget[name="partner_id"] input:value("Tour Candidate Company")',
        },
        {
            content: "Give the reasons",
            trigger: '.o_field_widget[name="reasons"] textarea',
            run: "edit Largest buyer of the region, growing fast, references in the industry.",
        },
        {
            content: "Give the expected annual sales (below the director threshold)",
            trigger: '.o_field_widget[name="expected_annual_sales"] input',
            run: "edit 250000",
        },
        ...stepUtils.saveForm(),
        {
            content: "Submit the nomination for approval",
            trigger: '.o_form_view button[name="action_submit"]:enabled',
            run: "click",
        },
        {
            content: "The nomination is submitted",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="submitted"]',
        },
        {
            content: "It waits for the KA Manager's review",
            trigger: '.o_form_view .alert[role="status"]:contains("Awaiting approval: KA Manager approval")',
        },
        {
            content: "The applicant cannot validate it himself",
            trigger: '.o_form_view:not(:has(button[name="validate_tier"]:visible))',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_approve_nomination", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_accounts", "key_account_application_menu"),
        {
            content: "Open the submitted nomination",
            trigger: '.o_list_view .o_data_row:contains("Tour Candidate Company") td[name="partner_id"]',
            run: "click",
        },
        {
            content: "It is submitted",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="submitted"]',
        },
        {
            content: "Validate it (base_tier_validation)",
            trigger: '.o_form_view button[name="validate_tier"]:enabled',
            run: "click",
        },
        {
            content: "The nomination is approved",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
        {
            trigger: '.o_form_view .ribbon:contains("Approved")',
        },
        {
            content: "The nomination shows the new key account code",
            trigger: '.o_form_view .o_field_widget[name="key_account_code"]:contains("KA")',
        },
        {
            content: "Open the candidate, now a key account",
            trigger: '.o_form_view .o_field_widget[name="partner_id"] a.o_form_uri',
            run: "click",
        },
        {
            content: "The partner shows the key-account ribbon",
            trigger: '.o_form_view .ribbon:contains("Key Account")',
        },
        {
            content: "The Archive smart button shows the key account code",
            trigger: 'button[name="action_open_key_account_archive"] .o_stat_value:contains("KA")',
        },
        {
            content: "Nomination is gone from the partner's buttons",
            trigger: '.o_form_view:not(:has(button[name="action_nominate_key_account"]))',
        },
    ],
});
