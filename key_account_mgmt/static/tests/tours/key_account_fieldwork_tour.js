import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";

// Field work that proves itself (issue #22), at phone width (tests/test_visit_checkin_tour.py):
// 1. the specialist on the visit checks in at the customer (the browser's position simulated
//    333.6 m north of the customer), writes the report with market information and the next
//    appointment, files it, checks out and claims the taxi;
// 2. the KA Manager finds the claim, sees where and when the visit was checked in, accepts the
//    report and approves the claim.

// 0.003° of latitude north of the customer (31.2304, 121.4737): 333.59 m
const ON_SITE = { latitude: 31.2334, longitude: 121.4737, accuracy: 8 };

// in the browser's time zone, in the user's format
function at10(days = 0) {
    return formatDateTime(luxon.DateTime.now().plus({ days }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }));
}

function simulateLocation(coords) {
    Object.defineProperty(navigator, "geolocation", {
        configurable: true,
        value: {
            getCurrentPosition(success) {
                success({ coords, timestamp: Date.now() });
            },
        },
    });
}

function fromTheGearMenu(button, content) {
    return [
        {
            content: "Open the actions menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content,
            trigger: `.o-dropdown--menu button[name="${button}"]`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_fieldwork_specialist", {
    steps: () => [
        {
            content: "The visit is not checked in yet",
            trigger: '.o_key_account_checkin span[name="checkin_status"]:contains("Not Checked In")',
        },
        {
            content: "The phone is at the customer",
            trigger: '.o_key_account_checkin button[name="check_in"]',
            run() {
                simulateLocation(ON_SITE);
            },
        },
        {
            content: "Check in",
            trigger: '.o_key_account_checkin button[name="check_in"]:enabled',
            run: "click",
        },
        {
            content: "Checked in, in range, 334 m from the customer",
            trigger: '.o_key_account_checkin:has(span[name="checkin_status"]:contains("In Range")):contains("334 m")',
        },
        {
            content: "Open the Report page",
            trigger: '.o_form_view .o_notebook .nav-link[name="report"]',
            run: "click",
        },
        {
            content: "Give the actual date",
            trigger: '.o_field_widget[name="date_done"] input',
            run: `edit ${at10()}`,
        },
        {
            trigger: '.o_field_widget[name="talking_points"] textarea',
            run: "edit Walked the pump room with the facilities manager; presented the booster sets.",
        },
        {
            trigger: '.o_field_widget[name="customer_needs"] textarea',
            run: "edit Two spare booster pumps before the summer peak.",
        },
        {
            trigger: '.o_field_widget[name="outcome"] input[data-value="success"]',
            run: "click",
        },
        {
            content: "Agree on the next appointment",
            trigger: '.o_field_widget[name="next_appointment"] input',
            run: `edit ${at10(14)}`,
        },
        {
            content: "Report what was seen of our products",
            trigger: '.o_field_widget[name="quality_feedback"] textarea',
            run: "edit The 2023 booster sets run without fault; one pressure gauge replaced.",
        },
        ...fromTheGearMenu("action_done", "File the report"),
        {
            content: "The visit is reported",
            trigger: '.o_statusbar_status:contains("Reported")',
        },
        {
            content: "The report waits for its check",
            trigger: '.o_form_view .alert:contains("waits for its check")',
        },
        {
            content: "Check out when leaving",
            trigger: '.o_key_account_checkin button[name="check_out"]:enabled',
            run: "click",
        },
        {
            content: "Checked out",
            trigger: '.o_key_account_checkin span[name="checkout_status"]',
        },
        {
            content: "Open the Expenses page",
            trigger: '.o_form_view .o_notebook .nav-link[name="expenses"]',
            run: "click",
        },
        {
            content: "Claim the taxi",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Taxi") button[name="action_claim"]',
            run: "click",
        },
        {
            content: "The taxi is claimed",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Taxi") td[name="state"]:contains("Claimed")',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_fieldwork_manager", {
    steps: () => [
        {
            content: "The claim waits: its report is not checked yet, the visit was checked in in range",
            trigger: '.o_data_row:contains("Taxi"):has(td[name="report_review_state"]:contains("To Review")):has(td[name="checkin_status"]:contains("In Range"))',
        },
        {
            content: "It cannot be approved before the report is accepted",
            trigger: '.o_data_row:contains("Taxi"):not(:has(button[name="action_approve"]))',
        },
        {
            content: "Open the visit of the claim",
            trigger: '.o_data_row:contains("Taxi") td[name="name"]',
            run: "click",
        },
        {
            content: "Where and when: checked in, in range, 334 m from the customer",
            trigger: '.o_key_account_checkin:has(span[name="checkin_status"]:contains("In Range")):contains("334 m")',
        },
        {
            content: "Open the On-site Check-in page",
            trigger: '.o_form_view .o_notebook .nav-link[name="checkin_details"]',
            run: "click",
        },
        {
            content: "The check-in's position and the customer's location",
            trigger: '.o_field_widget[name="checkin_latitude"]:contains("31.2334")',
        },
        {
            content: "Open the Report page",
            trigger: '.o_form_view .o_notebook .nav-link[name="report"]',
            run: "click",
        },
        {
            content: "Read the report",
            trigger: '.o_field_widget[name="quality_feedback"]:contains("booster sets run without fault")',
        },
        ...fromTheGearMenu("action_accept_report", "Accept the report"),
        {
            content: "The report is accepted",
            trigger: '.o_field_widget[name="report_review_state"]:contains("Accepted")',
        },
        {
            content: "Open the Expenses page",
            trigger: '.o_form_view .o_notebook .nav-link[name="expenses"]',
            run: "click",
        },
        {
            content: "Approve the taxi",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Taxi") button[name="action_approve"]',
            run: "click",
        },
        {
            content: "The taxi is approved",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Taxi") td[name="state"]:contains("Approved")',
        },
    ],
});
