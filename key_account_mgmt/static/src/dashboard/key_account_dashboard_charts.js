import { _t } from "@web/core/l10n/translation";
import { formatCurrency } from "@web/core/currency";
import { humanNumber } from "@web/core/utils/numbers";

const { DateTime } = luxon;

// Odoo's colour indexes ($o-colors), as tiers carry them
const ODOO_COLORS = [
    "#a2a2a2", "#ee2d2d", "#dc8534", "#e8bb1d", "#5794dd", "#9f628f",
    "#db8865", "#41a9a2", "#304be0", "#ee2f8a", "#61c36e", "#9872e6",
];
// the cooperation states' colours (seed 002): green, blue, yellow, white, black
export const STATE_COLORS = {
    good: "#61c36e",
    maintained: "#5794dd",
    problem: "#e8bb1d",
    no_cooperation: "#dee2e6",
    refused: "#343a40",
    none: "#a2a2a2",
};
const GRADE_COLORS = { a: "#61c36e", b: "#5794dd", c: "#dc8534", none: "#a2a2a2" };
const REVENUE = "#3188E6";
const PREVIOUS = "#A4A8B6";
const TARGET = "#F48935";

export function monthLabel(isoDate) {
    return DateTime.fromISO(isoDate).toLocaleString({ year: "numeric", month: "short" });
}

function money(currencyId) {
    return (value) => formatCurrency(value, currencyId, { humanReadable: true });
}

/** Revenue of the 12 months to the month, the 12 before, and the target. */
export function trendChart(trend, currencyId) {
    const format = money(currencyId);
    return {
        type: "bar",
        data: {
            labels: trend.months.map(monthLabel),
            datasets: [
                { type: "bar", label: _t("Revenue"), data: trend.revenue, backgroundColor: REVENUE, order: 2 },
                { type: "bar", label: _t("A Year Earlier"), data: trend.previous, backgroundColor: PREVIOUS, order: 3 },
                {
                    type: "line",
                    label: _t("Target"),
                    data: trend.target,
                    borderColor: TARGET,
                    backgroundColor: TARGET,
                    borderDash: [6, 4],
                    pointRadius: 2,
                    order: 1,
                },
            ],
        },
        options: {
            plugins: {
                legend: { position: "bottom" },
                tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.parsed.y)}` } },
            },
            scales: { y: { beginAtZero: true, ticks: { callback: (value) => humanNumber(value, { decimals: 1 }) } } },
        },
    };
}

/** A doughnut of counts; `colors` gives each item's colour. */
export function doughnutChart(items, colors) {
    return {
        type: "doughnut",
        data: {
            labels: items.map((item) => item.label),
            datasets: [{ data: items.map((item) => item.value), backgroundColor: items.map(colors) }],
        },
        options: { plugins: { legend: { position: "bottom" } }, cutout: "55%" },
    };
}

/** Horizontal bars of counts. */
export function barChart(items, colors, label) {
    return {
        type: "bar",
        data: {
            labels: items.map((item) => item.label),
            datasets: [{ label, data: items.map((item) => item.value), backgroundColor: items.map(colors) }],
        },
        options: {
            indexAxis: "y",
            plugins: { legend: { display: false } },
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        },
    };
}

export function dashboardCharts(data) {
    const { revenue, portfolio, scores } = data;
    return {
        trend: trendChart(revenue.trend, data.currency_id),
        tiers: doughnutChart(portfolio.tiers, (tier) => ODOO_COLORS[tier.color % ODOO_COLORS.length]),
        states: barChart(portfolio.states, (state) => STATE_COLORS[state.key] || STATE_COLORS.none, _t("Key Accounts")),
        grades: barChart(scores.grades, (grade) => GRADE_COLORS[grade.key] || GRADE_COLORS.none, _t("Key Accounts")),
    };
}
