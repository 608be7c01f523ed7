import { registry } from "@web/core/registry";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// The reviewer's queue in Simplified Chinese (issue #18): a KA Director whose language is zh_CN
// opens Key Accounts › 待我审批 › 审批, finds the nomination the KA Manager approved at the
// first level, opens it and approves it from the form's header (批准); the queue is then empty.

const CANDIDATE = "Tour Queue Candidate";

registry.category("web_tour.tours").add("key_account_mgmt_approval_queue", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            content: "The menu 待我审批",
            trigger: '.o_main_navbar button[data-menu-xmlid="key_account_mgmt.key_account_menu_waiting"]:contains("待我审批")',
        },
        ...openMenu("key_account_menu_waiting", "tier_review_menu_key_account"),
        {
            content: "The approvals",
            trigger: '.o_breadcrumb:contains("审批")',
        },
        {
            content: "The queue shows what waits for me",
            trigger: '.o_searchview_facet:contains("待我审批")',
        },
        {
            content: "The nomination waits, named in Chinese",
            trigger: `.o_list_view .o_data_row:contains("${CANDIDATE}") td[name="res_model_id"]:contains("开发申请")`,
        },
        {
            content: "Open it",
            trigger: `.o_list_view .o_data_row:contains("${CANDIDATE}") td[name="res_name"]`,
            run: "click",
        },
        {
            content: "The banner names the level awaited",
            trigger: '.o_form_view .alert[role="status"]:contains("营销总监/总经理审批")',
        },
        {
            content: "Reject is in the header too, in Chinese",
            trigger: '.o_form_view .o_statusbar_buttons button[name="reject_tier"]:contains("驳回")',
        },
        {
            content: "No English button of base_tier_validation",
            trigger: '.o_form_view:not(:has(button[name="request_validation"])):not(:has(button[name="restart_validation"]))',
        },
        {
            content: "Approve from the header",
            trigger: '.o_form_view .o_statusbar_buttons button[name="validate_tier"]:contains("批准"):enabled',
            run: "click",
        },
        {
            content: "The nomination is approved",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
        {
            content: "The reviews list both decisions",
            trigger:
                '.o_form_view .o_field_widget[name="review_ids"]:not(:has(.badge:contains("待审批"))) .badge:contains("已批准")',
        },
        {
            content: "Back to the queue",
            trigger: '.o_breadcrumb li.breadcrumb-item.o_back_button:contains("审批")',
            run: "click",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_view_nocontent",
        },
    ],
});
