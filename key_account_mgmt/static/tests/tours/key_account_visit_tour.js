import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { openKeyAccountsApp, openMenu } from "./key_account_tour_utils";

// Visit plan → approval → report → expense claim (issue #6), in three logins:
// 1. the KA User who manages "Tour Visit Account" plans a visit (budget below the Director
//    threshold) and submits it;
// 2. a KA Manager validates it (base_tier_validation): approved, the meeting is in the calendar;
// 3. the KA User writes the report, files it and claims an expense, which the report allows.

const ACCOUNT = "Tour Visit Account";

// today at 10:00 in the browser's time zone, in the user's format
function todayAt10() {
    return formatDateTime(luxon.DateTime.now().set({ hour: 10, minute: 0, second: 0, millisecond: 0 }));
}

function openVisits() {
    return [
        ...openKeyAccountsApp(),
        ...openMenu("key_account_menu_visits", "key_account_visit_menu"),
        {
            content: "The list of visits is shown",
            trigger: '.o_breadcrumb:contains("Visits")',
        },
    ];
}

function openTheVisit(state) {
    return [
        ...openVisits(),
        {
            content: "Open the visit of the account",
            trigger: `.o_list_view .o_data_row:contains("${ACCOUNT}") td[name="partner_id"]`,
            run: "click",
        },
        {
            content: `The visit is ${state}`,
            trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="${state}"]`,
        },
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_visit_plan", {
    url: "/odoo",
    steps: () => [
        ...openVisits(),
        {
            content: "Plan a new visit",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "A new plan",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="draft"]',
        },
        {
            content: "Choose the key account",
            trigger: '.o_field_widget[name="partner_id"] input',
            run: `edit ${ACCOUNT}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            content: "Give the planned date",
            trigger: '.o_field_widget[name="date_planned"] input',
            run: `edit ${todayAt10()}`,
        },
        {
            content: "Give the place",
            trigger: '.o_field_widget[name="location"] input',
            run: "edit Customer HQ, 12 Zhongshan Road, Nanjing",
        },
        {
            content: "Give the budget (below the Director threshold)",
            trigger: '.o_field_widget[name="budget"] input',
            run: "edit 3500",
        },
        {
            content: "Give the purpose",
            trigger: '.o_field_widget[name="purpose"] textarea',
            run: "edit Present the fire pump sets for Metro Line 9 and agree on a site survey.",
        },
        {
            content: "The Director need not approve",
            trigger: '.o_field_widget[name="needs_director_approval"] input:not(:checked)',
        },
        ...stepUtils.saveForm(),
        {
            content: "Submit the plan for approval",
            trigger: '.o_form_view button[name="action_submit"]:enabled',
            run: "click",
        },
        {
            content: "The plan is submitted",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="submitted"]',
        },
        {
            content: "It waits for the KA Manager's review",
            trigger: '.o_form_view .alert[role="status"]:contains("Awaiting approval: KA Manager approval")',
        },
        {
            content: "The planner cannot validate it himself",
            trigger: '.o_form_view:not(:has(button[name="validate_tier"]:visible))',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_visit_approve", {
    url: "/odoo",
    steps: () => [
        ...openTheVisit("submitted"),
        {
            content: "No meeting before the approval",
            trigger: '.o_form_view:not(:has(button[name="action_open_calendar_event"]:visible))',
        },
        {
            content: "Validate the plan (base_tier_validation)",
            trigger: '.o_form_view button[name="validate_tier"]:enabled',
            run: "click",
        },
        {
            content: "The plan is approved",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
        {
            content: "The meeting is in the calendar",
            trigger: '.o_form_view button[name="action_open_calendar_event"]:visible:contains("Meeting")',
        },
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_visit_report", {
    url: "/odoo",
    steps: () => [
        ...openTheVisit("approved"),
        {
            content: "The meeting is in my calendar",
            trigger: '.o_form_view button[name="action_open_calendar_event"]:visible:contains("Meeting")',
        },
        {
            content: "Open the Report page",
            trigger: '.o_form_view .o_notebook .nav-link[name="report"]',
            run: "click",
        },
        {
            content: "Give the actual date",
            trigger: '.o_field_widget[name="date_done"] input',
            run: `edit ${todayAt10()}`,
        },
        {
            content: "Write the talking points",
            trigger: '.o_field_widget[name="talking_points"] textarea',
            run: "edit Presented the XBD fire pump sets and our 24-hour service; walked the Line 9 depot with the site manager.",
        },
        {
            content: "Write the customer's needs and views",
            trigger: '.o_field_widget[name="customer_needs"] textarea',
            run: "edit Needs 12 pump sets by March; wants local spare parts and a training for the night shift.",
        },
        {
            content: "The visit was a success",
            trigger: '.o_field_widget[name="outcome"] input[data-value="success"]',
            run: "click",
        },
        {
            content: "File the report",
            trigger: '.o_form_view button[name="action_done"]:enabled',
            run: "click",
        },
        {
            content: "The visit is reported",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
        {
            content: "A follow-up is scheduled",
            trigger: '.o-mail-Chatter .o-mail-Activity:contains("Follow up")',
        },
        {
            content: "Open the Expenses page",
            trigger: '.o_form_view .o_notebook .nav-link[name="expenses"]',
            run: "click",
        },
        {
            content: "Add an expense",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "It was a meal",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_selected_row .o_field_widget[name="expense_type"] select',
            run: 'select "meals"',
        },
        {
            content: "Describe it",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_selected_row .o_field_widget[name="name"] input',
            run: "edit Business lunch with the purchasing director",
        },
        {
            content: "Give the amount",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_selected_row .o_field_widget[name="amount"] input',
            run: "edit 680",
        },
        ...stepUtils.saveForm(),
        {
            content: "Claim the expense",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Business lunch") button[name="action_claim"]',
            run: "click",
        },
        {
            content: "The expense is claimed",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Business lunch") td[name="state"]:contains("Claimed")',
        },
        {
            content: "It cannot be claimed twice",
            trigger: '.o_field_widget[name="expense_line_ids"] .o_data_row:contains("Business lunch"):not(:has(button[name="action_claim"]))',
        },
    ],
});
