import { Component, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// the phone's position: fresh, as precise as it can, within 20 seconds (as the visit check-in)
const POSITION_OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 };

/**
 * Report the arrival at a destination of an approved business trip from the phone
 * (key.account.trip.action_report_arrival): the place (the next destination planned, or
 * another one typed in) and the browser's position. It replaces the phone call to the clerk.
 */
export class TripArrival extends Component {
    static template = "key_account_mgmt.TripArrival";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ busy: false, place: this.props.record.data.next_stop_place || "" });
    }

    locate() {
        const geolocation = browser.navigator.geolocation;
        if (!geolocation) {
            return Promise.resolve(null);
        }
        return new Promise((resolve) => {
            geolocation.getCurrentPosition(
                (position) =>
                    resolve({
                        latitude: position.coords.latitude,
                        longitude: position.coords.longitude,
                        accuracy: position.coords.accuracy,
                    }),
                () => resolve(null),
                POSITION_OPTIONS
            );
        });
    }

    async report() {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const record = this.props.record;
            const position = await this.locate();
            await this.orm.call(record.resModel, "action_report_arrival", [[record.resId]], {
                place: this.state.place,
                ...(position || {}),
            });
            this.notification.add(
                position ? _t("Arrival reported.") : _t("Arrival reported without a position."),
                { type: position ? "success" : "warning" }
            );
            await record.load();
            this.state.place = record.data.next_stop_place || "";
        } finally {
            this.state.busy = false;
        }
    }
}

registry.category("view_widgets").add("key_account_trip_arrival", {
    component: TripArrival,
    fieldDependencies: [{ name: "next_stop_place", type: "char" }],
});
