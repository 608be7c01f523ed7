import { registry } from "@web/core/registry";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// A KA User opens the Key Accounts app, finds an account on the kanban and reads its tier.
registry.category("web_tour.tours").add("key_account_mgmt_open_key_account", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_accounts", "res_partner_menu_key_account"),
        {
            content: "Open the key account from the kanban",
            trigger: '.o_kanban_record:contains("Tour Strategic Account")',
            run: "click",
        },
        {
            content: "The key account form shows the account's tier at a glance",
            trigger: '.o_form_view .o_key_account_glance .o_field_widget[name="key_account_tier_id"]:contains("Strategic")',
        },
        {
            content: "The tier and the account manager are shown on its overview",
            trigger: '.o_notebook .tab-pane.active .o_field_widget[name="key_account_tier_id"]:contains("Strategic")',
        },
        {
            trigger: '.o_field_widget[name="key_account_manager_id"]:contains("KA User On Team")',
        },
    ],
});
