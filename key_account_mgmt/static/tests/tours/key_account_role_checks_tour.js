import { registry } from "@web/core/registry";
import { noEnglish, noErrorDialog, openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// The checks of the role tours (key_account_role_tours.js) fail where they should: on a danger
// notification, on an error dialog, on English (tests/test_role_tours.py, as the KA Manager).

const ACCOUNT = "恒泰建设集团";
const CRITERION = "未来三年采购预计增长";

/** `step` (a check) run on a screen where it must throw. */
function mustFail(step) {
    return {
        content: `${step.content} fails, as it should`,
        trigger: "body",
        run() {
            try {
                step.run();
            } catch {
                return;
            }
            throw new Error(`${step.content} did not fail`);
        },
    };
}

registry.category("web_tour.tours").add("key_account_mgmt_role_checks", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_scoring", "key_account_score_sheet_menu"),
        {
            content: "Save without a criterion",
            trigger: '.modal footer button[name="action_save"]',
            run: "click",
        },
        {
            content: "The sheet says what is missing in a danger notification",
            trigger: ".o_notification:has(.o_notification_bar.bg-danger)",
        },
        mustFail(noErrorDialog("The missing criterion")),
        {
            trigger: ".o_notification:has(.o_notification_bar.bg-danger) .o_notification_close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_notification))",
        },
        noErrorDialog("The scoring sheet"),
        {
            trigger: '.modal .o_field_widget[name="criterion_id"] input',
            run: "click",
        },
        {
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains("${CRITERION}")`,
            run: "click",
        },
        {
            content: "Rate beyond the scale",
            trigger: `.modal .o_field_widget[name="line_ids"] .o_data_row:contains("${ACCOUNT}") td[name="points"]`,
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="line_ids"] .o_selected_row .o_field_widget[name="points"] input',
            run: "edit 9",
        },
        noEnglish("A sheet in Chinese"),
        {
            content: "Comment in English",
            trigger: '.modal .o_field_widget[name="line_ids"] .o_selected_row .o_field_widget[name="comment"] input',
            run: "edit Strong growth",
        },
        mustFail(noEnglish("A sheet with English")),
        {
            trigger: '.modal footer button[name="action_save"]',
            run: "click",
        },
        {
            content: "The server refuses it in an error dialog",
            trigger: ".modal .o_error_dialog",
        },
        mustFail(noErrorDialog("The refusal")),
    ],
});
