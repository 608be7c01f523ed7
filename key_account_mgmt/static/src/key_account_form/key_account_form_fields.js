import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const GRADE_CLASSES = { a: "text-bg-success", b: "text-bg-info", c: "text-bg-warning" };

/** The tier of a key account as a badge in the tier's colour (key_account_tier_color). */
export class KeyAccountTierBadge extends Component {
    static template = "key_account_mgmt.TierBadge";
    static props = { ...standardFieldProps };

    get name() {
        const value = this.props.record.data[this.props.name];
        return value ? value[1] : "";
    }

    get colorClass() {
        return `o_tag_color_${this.props.record.data.key_account_tier_color || 0}`;
    }
}

registry.category("fields").add("key_account_tier_badge", {
    component: KeyAccountTierBadge,
    supportedTypes: ["many2one"],
    fieldDependencies: [{ name: "key_account_tier_color", type: "integer" }],
});

/**
 * The score of each of the last 12 months (key_account_score_trend: [{month, score, grade}],
 * oldest first) as small bars coloured by grade, and the change from the first scored month to
 * the last.
 */
export class KeyAccountScoreTrend extends Component {
    static template = "key_account_mgmt.ScoreTrend";
    static props = { ...standardFieldProps };

    get months() {
        const trend = this.props.record.data[this.props.name] || [];
        // the bars span the scores' range (from 10 points below the lowest), so that a change
        // of a few points shows
        const scores = trend.map((month) => month.score).filter((score) => typeof score === "number");
        const low = Math.max(0, Math.min(...scores) - 10);
        const span = Math.max(Math.max(...scores) - low, 1);
        return trend.map((month) => {
            const scored = typeof month.score === "number";
            return {
                key: month.month,
                height: scored ? Math.round(10 + (90 * (month.score - low)) / span) : 0,
                barClass: scored ? GRADE_CLASSES[month.grade] || "text-bg-secondary" : "o_key_account_trend_empty",
                title: scored
                    ? `${month.month} · ${formatFloat(month.score, { digits: [16, 2] })}`
                    : `${month.month} · ${_t("Not scored")}`,
            };
        });
    }

    get change() {
        const scores = (this.props.record.data[this.props.name] || [])
            .map((month) => month.score)
            .filter((score) => typeof score === "number");
        if (scores.length < 2) {
            return null;
        }
        const change = scores[scores.length - 1] - scores[0];
        return { value: formatFloat(Math.abs(change), { digits: [16, 1] }), up: change >= 0 };
    }
}

registry.category("fields").add("key_account_score_trend", {
    component: KeyAccountScoreTrend,
    supportedTypes: ["json"],
});
