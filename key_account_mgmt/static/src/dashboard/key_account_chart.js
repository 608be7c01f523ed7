import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";

/**
 * A Chart.js chart, with the copy of Chart.js bundled with Odoo (loaded as the graph view
 * loads it). `config` is a Chart.js configuration, kept out of OWL's reactivity (Chart.js
 * writes into it); `onSelect(datasetIndex, index)` is called on a click on a bar, point or
 * slice.
 */
export class KeyAccountChart extends Component {
    static template = "key_account_mgmt.DashboardChart";
    static props = {
        config: Object,
        onSelect: { type: Function, optional: true },
        height: { type: Number, optional: true },
    };
    static defaultProps = { height: 240 };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => this.renderChart(),
            () => [this.props.config]
        );
        onWillUnmount(() => this.chart?.destroy());
    }

    renderChart() {
        this.chart?.destroy();
        const { config } = this.props;
        this.chart = new Chart(this.canvasRef.el, {
            ...config,
            options: {
                responsive: true,
                maintainAspectRatio: false,
                ...config.options,
                onClick: (event, elements) => {
                    if (elements.length && this.props.onSelect) {
                        this.props.onSelect(elements[0].datasetIndex, elements[0].index);
                    }
                },
                onHover: (event, elements) => {
                    const clickable = elements.length && this.props.onSelect;
                    event.native.target.style.cursor = clickable ? "pointer" : "default";
                },
            },
        });
    }
}
