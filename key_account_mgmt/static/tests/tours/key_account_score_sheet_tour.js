import { registry } from "@web/core/registry";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// A member of every scorer group opens the Scoring Sheet (in Chinese), chooses a manual
// criterion, rates an account and saves the ratings.
registry.category("web_tour.tours").add("key_account_mgmt_score_sheet", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_scoring", "key_account_score_sheet_menu"),
        {
            content: "Choose a criterion",
            trigger: '.modal .o_field_widget[name="criterion_id"] input',
            run: "click",
        },
        {
            content: "The criteria of my groups are offered",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(合作意愿)",
            run: "click",
        },
        {
            content: "Rate the account",
            trigger: '.modal .o_field_widget[name="line_ids"] .o_data_row:contains("Tour Scored Account") td[name="points"]',
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="line_ids"] .o_selected_row .o_field_widget[name="points"] input',
            run: "edit 4",
        },
        {
            trigger: '.modal .o_field_widget[name="line_ids"] .o_selected_row .o_field_widget[name="comment"] input',
            run: "edit 配合度高",
        },
        {
            content: "Save the ratings",
            trigger: '.modal footer button[name="action_save"]',
            run: "click",
        },
        {
            content: "The sheet closes without an error",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
