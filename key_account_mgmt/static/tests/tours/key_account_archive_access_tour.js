import { registry } from "@web/core/registry";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Archive access request → grant → reading the archive (issue #3), in three logins:
// 1. a KA User off the account team opens the key account and requests access to its archive;
// 2. a KA Manager grants the request from Key Accounts › Archives › Archive Access;
// 3. the KA User opens the account again and now reads the archive.

const ACCOUNT = "Tour Secret Account";

function openKeyAccountSteps() {
    return [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_accounts", "res_partner_menu_key_account"),
        {
            content: "Open the key account from the kanban",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            content: "The key account form shows the key account at a glance",
            trigger: ".o_form_view .o_key_account_glance",
        },
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_archive_request", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountSteps(),
        {
            content: "Open the archive",
            trigger: 'button[name="action_open_key_account_archive"]',
            run: "click",
        },
        {
            content: "The archive is closed: the request dialog opens on it",
            trigger: '.modal:contains("Request Archive Access") .o_field_widget[name="archive_id"] input:value("ARC")',
        },
        {
            content: "Give the reason",
            trigger: '.modal .o_field_widget[name="reason"] textarea',
            run: "edit Preparing the joint offer with the account team next week.",
        },
        {
            content: "Send the request",
            trigger: '.modal button[name="action_send_request"]',
            run: "click",
        },
        {
            content: "The user is told the request went to the managers",
            trigger: '.o_notification:contains("sent to the Key Account Managers")',
        },
        {
            content: "The dialog closes, back on the key account",
            trigger: `body:not(:has(.modal)) .o_form_view .o_field_widget[name="name"]:contains("${ACCOUNT}"), body:not(:has(.modal)) .o_form_view .o_field_widget[name="name"] textarea:value("${ACCOUNT}"), body:not(:has(.modal)) .o_form_view .o_field_widget[name="name"] input:value("${ACCOUNT}")`,
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_archive_grant", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_archives", "key_account_archive_grant_menu"),
        {
            content: "Open the request of the KA User",
            trigger: `.o_list_view .o_data_row:contains("${ACCOUNT}"):contains("KA User Off Team") td[name="reason"]`,
            run: "click",
        },
        {
            content: "The request shows its reason",
            trigger: '.o_form_view .o_field_widget[name="reason"]:contains("joint offer")',
        },
        {
            content: "Grant it",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_grant"]:enabled',
            run: "click",
        },
        {
            content: "The access is granted",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="granted"]',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="decided_by_id"]',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_archive_read", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountSteps(),
        {
            content: "Open the archive",
            trigger: 'button[name="action_open_key_account_archive"]',
            run: "click",
        },
        {
            content: "The archive itself opens, no request dialog",
            trigger: `body:not(:has(.modal)) .o_form_view .o_field_widget[name="partner_id"] a.o_form_uri:contains("${ACCOUNT}")`,
        },
        {
            content: "The archive's data is shown",
            trigger: '.o_form_view .o_field_widget[name="legal_representative"] span:contains("Zhang Wei")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="key_account_code"]:contains("KA")',
        },
    ],
});
