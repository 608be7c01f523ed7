import { registry } from "@web/core/registry";
import { noErrorDialog, openKeyAccountsApp } from "./key_account_tour_utils";

// The Key Accounts app opens on its dashboard (issue #18), in Chinese: a KA Manager sees the
// company's accounts, a specialist their own; each sees the charts and opens a figure's list.

function openDashboard() {
    return [
        ...openKeyAccountsApp(),
        {
            content: "The app opens on its dashboard, in Chinese",
            trigger: '.o_kam_dashboard .o_kam_figure[data-key="accounts"] .o_kam_figure_label:contains("大客户")',
        },
        {
            content: "The revenue's trend is a chart",
            trigger: ".o_kam_dashboard .o_kam_revenue canvas",
        },
        {
            content: "So are the tiers",
            trigger: ".o_kam_dashboard .o_kam_tiers canvas",
        },
    ];
}

function openAccounts(count) {
    return [
        {
            content: `The dashboard counts ${count} key accounts`,
            trigger: `.o_kam_figure[data-key="accounts"] .o_kam_figure_value:contains("${count}")`,
        },
        {
            content: "Open the key accounts counted",
            trigger: '.o_kam_figure[data-key="accounts"]',
            run: "click",
        },
        {
            content: "Their list opens",
            trigger: `.o_list_view .o_data_row:contains("Dash Account One")`,
        },
    ];
}

/**
 * Click the chart of `selector` where Chart.js drew item `index` of its first dataset, once
 * it is drawn (attached, its animation over: a click during the animation may miss).
 */
async function clickChart(selector, index) {
    const canvas = document.querySelector(`${selector} canvas`);
    const chart = Chart.getChart(canvas);
    while (!chart.attached || Chart.animator.running(chart)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const element = chart.getDatasetMeta(0).data.at(index);
    // a bar in its middle, a slice at its centroid
    const { x, y: top } = element.tooltipPosition(true);
    const { base } = element.getProps(["base"], true);
    const y = base === undefined ? top : (top + base) / 2;
    const rect = canvas.getBoundingClientRect();
    const init = { clientX: rect.left + x, clientY: rect.top + y, bubbles: true };
    canvas.dispatchEvent(new MouseEvent("mousemove", init));
    canvas.dispatchEvent(new MouseEvent("click", init));
}

function back() {
    return {
        content: "Back to the dashboard",
        trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li.breadcrumb-item:first-child a",
        run: "click",
    };
}

registry.category("web_tour.tours").add("key_account_mgmt_dashboard_manager", {
    url: "/odoo",
    steps: () => [
        ...openDashboard(),
        {
            content: "A manager sees the company by default",
            trigger: '.o_kam_scopes button[data-scope="company"].active',
        },
        {
            content: "and the KPIs of the specialists",
            trigger: '.o_kam_specialists tr:contains("Dash Specialist")',
        },
        ...openAccounts(2),
        {
            content: "with the other specialist's account",
            trigger: `.o_list_view .o_data_row:contains("Dash Account Two")`,
        },
        back(),
        {
            content: "Click this month's revenue bar",
            trigger: ".o_kam_dashboard .o_kam_revenue canvas",
            run: () => clickChart(".o_kam_revenue", -1),
        },
        {
            content: "The month's invoices of the key accounts open",
            trigger: '.o_list_view .o_data_row:contains("Dash Account Two")',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Dash Account One")',
        },
        back(),
        {
            content: "Look at my own accounts",
            trigger: '.o_kam_scopes button[data-scope="mine"]',
            run: "click",
        },
        {
            content: "The manager is on no account's team",
            trigger: '.o_kam_scopes button[data-scope="mine"].active',
        },
        {
            trigger: '.o_kam_figure[data-key="accounts"] .o_kam_figure_value:contains("0")',
        },
        noErrorDialog("The manager's dashboard"),
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_dashboard_specialist", {
    url: "/odoo",
    steps: () => [
        ...openDashboard(),
        {
            content: "A specialist has no scope to choose: their own accounts",
            trigger: ".o_kam_dashboard:not(:has(.o_kam_scopes))",
        },
        ...openAccounts(1),
        {
            content: "without the other specialist's account",
            trigger: '.o_list_view:not(:has(.o_data_row:contains("Dash Account Two")))',
        },
        back(),
        {
            content: "Click the tier of the account on the doughnut",
            trigger: ".o_kam_dashboard .o_kam_tiers canvas",
            run: () => clickChart(".o_kam_tiers", 0),
        },
        {
            content: "The accounts of that tier open: the specialist's own",
            trigger: '.o_list_view .o_data_row:contains("Dash Account One")',
        },
        {
            trigger: '.o_list_view:not(:has(.o_data_row:contains("Dash Account Two")))',
        },
        back(),
        ...pickPreviousMonth(),
        noErrorDialog("The specialist's dashboard"),
    ],
});

/** The month reads as a Chinese reader writes it, not as the browser would, and the picker's
 * months choose the dashboard's month. */
function pickPreviousMonth() {
    const monthInput = ".o_kam_month_input input";
    const written = /^(\d{4})年(\d{1,2})月$/;
    let shown;
    return [
        {
            content: "The month reads 2026年12月",
            trigger: monthInput,
            run() {
                shown = this.anchor.value.match(written);
                if (!shown) {
                    throw new Error(`The month reads "${this.anchor.value}"`);
                }
            },
        },
        {
            content: "Open the month picker",
            trigger: monthInput,
            run: "click",
        },
        {
            content: "Choose January",
            trigger: ".o_datetime_picker .o_date_item_cell:not([disabled]):first",
            run: "click",
        },
        {
            content: "The dashboard shows January",
            trigger: `${monthInput}:value(/年1月$/)`,
        },
    ];
}

// The company's figures kept longer ago than the minutes: shown at once, marked 更新中… while
// computed again in the background; the refresh button computes them now.
registry.category("web_tour.tours").add("key_account_mgmt_dashboard_stale", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            content: "The kept figures are marked as being computed again, in Chinese",
            trigger: ".o_kam_as_of .o_kam_refreshing:contains('更新中')",
        },
        {
            content: "They are those kept: two key accounts",
            trigger: '.o_kam_figure[data-key="accounts"] .o_kam_figure_value:contains("2")',
        },
        {
            content: "Compute them now",
            trigger: ".o_kam_as_of .o_kam_refresh",
            run: "click",
        },
        {
            content: "The figures of now: three key accounts, no longer marked",
            trigger:
                '.o_kam_dashboard:not(:has(.o_kam_refreshing)) .o_kam_figure[data-key="accounts"] .o_kam_figure_value:contains("3")',
        },
        noErrorDialog(),
    ],
});
