import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { KeyAccountChart } from "./key_account_chart";
import { dashboardCharts, monthLabel } from "./key_account_dashboard_charts";

const { DateTime } = luxon;
// what a figure's list keeps of its window action's context: not its default filters and
// groupings, which would hide some of the records counted
const DROPPED_CONTEXT = /^(search_default_|group_by)/;

/**
 * The Key Accounts app's home (client action `key_account_dashboard`): the figures of a
 * month and of today over the accounts of a scope (my accounts, my team's, the company's),
 * from one call to `key.account.dashboard.get_dashboard_data`. Every figure opens the list of
 * the records it counts (its `action`: model, domain, the window action whose views to use).
 */
export class KeyAccountDashboard extends Component {
    static template = "key_account_mgmt.Dashboard";
    static components = { DateTimeInput, Layout, KeyAccountChart };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.charts = {};
        this.keepLast = new KeepLast(); // quick clicks on the month arrows: the last one wins
        const saved = this.props.state || {};
        this.state = useState({ data: null, scope: saved.scope || null, month: saved.month || null });
        // back from a figure's list: the same scope and month
        useSetupAction({ getLocalState: () => ({ scope: this.state.scope, month: this.state.month }) });
        onWillStart(() => this.load());
        // kept figures shown while computed again: the server tells when the new ones are kept
        const bus = useService("bus_service");
        const onRefreshed = ({ scope, month }) => {
            if (this.state.data?.refreshing && scope === this.state.scope && month === this.state.month) {
                this.load();
            }
        };
        bus.subscribe("key_account_mgmt.dashboard_refreshed", onRefreshed);
        onWillUnmount(() => bus.unsubscribe("key_account_mgmt.dashboard_refreshed", onRefreshed));
    }

    async load(refresh = false) {
        const data = await this.keepLast.add(
            this.orm.call("key.account.dashboard", "get_dashboard_data", [], {
                scope: this.state.scope,
                month: this.state.month,
                refresh,
            })
        );
        this.charts = dashboardCharts(data);
        Object.assign(this.state, { data, scope: data.scope, month: data.month });
    }

    // ------------------------------------------------------------------ controls
    /** The company's figures are kept a few minutes: compute them again now. */
    refresh() {
        return this.load(true);
    }

    async setScope(scope) {
        this.state.scope = scope;
        await this.load();
    }

    async setMonth(month) {
        if (month) {
            this.state.month = month;
            await this.load();
        }
    }

    onMonthPicked(value) {
        return this.setMonth(value ? value.startOf("month").toISODate() : null);
    }

    shiftMonth(months) {
        return this.setMonth(DateTime.fromISO(this.state.month).plus({ months }).toISODate());
    }

    async generateReport() {
        const action = await this.orm.call("key.account.dashboard", "action_generate_report", [this.state.month]);
        await this.actionService.doAction(action);
    }

    // ------------------------------------------------------------------ drill-down
    /** Open the list of `figure` (its action), `extraDomain` added (a month of the trend). */
    async open(figure, extraDomain = []) {
        const { action } = figure;
        const base = action.xmlid ? await this.actionService.loadAction(action.xmlid) : {};
        const context = Object.fromEntries(
            Object.entries(base.context || {}).filter(([key]) => !DROPPED_CONTEXT.test(key))
        );
        const views = base.views?.length ? [...base.views] : [[false, "list"], [false, "form"]];
        views.sort((a, b) => (b[1] === "list") - (a[1] === "list"));
        await this.actionService.doAction(
            {
                ...base,
                type: "ir.actions.act_window",
                name: action.name,
                display_name: action.name,
                res_model: action.res_model,
                domain: [...action.domain, ...extraDomain],
                context: { ...context, ...action.context },
                views,
                target: "current",
            },
            { props: {} }
        );
    }

    /** A bar or point of the trend: that month's invoices (a year earlier's), or targets. */
    openTrendMonth(datasetIndex, index) {
        const trend = this.state.data.revenue.trend;
        const start = DateTime.fromISO(trend.months[index]).minus({ years: datasetIndex === 1 ? 1 : 0 });
        const [first, last] = [start.toISODate(), start.endOf("month").toISODate()];
        if (datasetIndex === 2) {
            const covering = [["date_from", "<=", last], ["date_to", ">=", first]];
            return this.open({ action: trend.target_action }, covering);
        }
        const dates = [["invoice_date", ">=", first], ["invoice_date", "<=", last]];
        return this.open({ action: trend.action }, trend.action.dates ? dates : []);
    }

    openItem(items) {
        return (datasetIndex, index) => this.open(items[index]);
    }

    // ------------------------------------------------------------------ formatting
    /** When the figures shown were computed (the company's may be a few minutes old). */
    get asOf() {
        const asOf = this.state.data.as_of;
        return asOf ? formatDateTime(deserializeDateTime(asOf)) : "";
    }

    get monthValue() {
        return DateTime.fromISO(this.state.month);
    }

    /** The month as its reader writes it (2026年12月, December 2026), not the browser's. */
    get monthFormat() {
        return /^(zh|ja)/.test(user.lang || "") ? "yyyy'年'M'月'" : "LLLL yyyy";
    }

    get revenueLabel() {
        return _t("Revenue of %(month)s", { month: monthLabel(this.state.month) });
    }

    get scoreSummary() {
        const { count, average } = this.state.data.scores;
        return _t("%(count)s scored, average %(average)s", {
            count: formatInteger(count),
            average: formatFloat(average, { digits: [16, 1] }),
        });
    }

    share(value) {
        return _t("%(percent)s of the company's revenue", { percent: this.percent(value) });
    }

    money(value) {
        return formatCurrency(value || 0, this.state.data.currency_id, { humanReadable: true });
    }

    percent(value) {
        return value === null || value === undefined ? "—" : `${formatFloat(value, { digits: [16, 1] })} %`;
    }

    integer(value) {
        return formatInteger(value || 0);
    }

    change(value) {
        return `${value > 0 ? "+" : ""}${formatFloat(value, { digits: [16, 2] })}`;
    }

    get completionWidth() {
        return Math.min(this.state.data.revenue.completion || 0, 100);
    }

    /** Attention figures that are bad news when not zero. */
    isAlert(figure) {
        const alerts = [
            "visit_overdue",
            "escalated",
            "unconfirmed",
            "sla_breached",
            "credit_warning",
            "relationship_risks",
        ];
        return figure.value > 0 && alerts.includes(figure.key);
    }

    get emptyText() {
        return _t("No key accounts in view.");
    }
}

registry.category("actions").add("key_account_dashboard", KeyAccountDashboard);
