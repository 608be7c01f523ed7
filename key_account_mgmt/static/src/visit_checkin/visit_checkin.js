import { Component, useRef, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { formatFloat } from "@web/views/fields/formatters";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const STATUS_CLASSES = {
    in_range: "text-bg-success",
    out_of_range: "text-bg-danger",
    no_reference: "text-bg-warning",
    no_position: "text-bg-warning",
    none: "text-bg-secondary",
};
// the phone's position: fresh, as precise as it can, within 20 seconds
const POSITION_OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 };

/**
 * Check-in at the customer (key.account.visit.checkin.mixin) on the visit form, made for the
 * phone: the status of the check-in and check-out with their time and distance, and for the
 * people on the visit the buttons Check In, Check Out and Add Photo. The position comes from
 * the browser's Geolocation API; when it cannot be read the person may check in without it
 * (the approver sees "No Position").
 */
export class VisitCheckin extends Component {
    static template = "key_account_mgmt.VisitCheckin";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.dialog = useService("dialog");
        this.notification = useService("notification");
        this.photoInput = useRef("photoInput");
        this.state = useState({ busy: false });
    }

    get data() {
        return this.props.record.data;
    }

    statusLabel(field) {
        const selection = this.props.record.fields[field].selection;
        return (selection.find(([value]) => value === this.data[field]) || ["", ""])[1];
    }

    statusClass(field) {
        return STATUS_CLASSES[this.data[field]] || "text-bg-secondary";
    }

    formatTime(value) {
        return value ? formatDateTime(value, { showSeconds: false }) : "";
    }

    distance(field) {
        return formatFloat(this.data[field], { digits: [16, 0] });
    }

    hasDistance(statusField) {
        return ["in_range", "out_of_range"].includes(this.data[statusField]);
    }

    get onSiteHours() {
        const hours = this.data.onsite_hours || 0;
        return `${Math.floor(hours)}:${String(Math.round((hours % 1) * 60)).padStart(2, "0")}`;
    }

    get canCheckIn() {
        return this.data.checkin_is_mine && this.data.state === "approved" && !this.data.checkin_date;
    }

    get canCheckOut() {
        return (
            this.data.checkin_is_mine &&
            ["approved", "done"].includes(this.data.state) &&
            this.data.checkin_date &&
            !this.data.checkout_date
        );
    }

    get canAddPhoto() {
        return (
            this.data.checkin_is_mine &&
            ["approved", "done"].includes(this.data.state) &&
            this.data.checkin_date &&
            this.data.report_review_state !== "accepted"
        );
    }

    /** The phone's position {latitude, longitude, accuracy}, or null when it cannot be read. */
    locate() {
        const geolocation = browser.navigator.geolocation;
        if (!geolocation) {
            return Promise.resolve({ error: _t("This browser cannot tell its position.") });
        }
        return new Promise((resolve) => {
            geolocation.getCurrentPosition(
                (position) =>
                    resolve({
                        latitude: position.coords.latitude,
                        longitude: position.coords.longitude,
                        accuracy: position.coords.accuracy,
                    }),
                (error) => resolve({ error: error.message || _t("The position could not be read.") }),
                POSITION_OPTIONS
            );
        });
    }

    /** Without a position, ask before checking in or out: the approver will see it. */
    confirmWithoutPosition(error) {
        return new Promise((resolve) => {
            this.dialog.add(
                ConfirmationDialog,
                {
                    title: _t("No position"),
                    body: _t(
                        "Your position could not be read (%s). Go on without it? The approver of the expenses will see “No Position”.",
                        error
                    ),
                    confirmLabel: _t("Go On Without It"),
                    confirm: () => resolve(true),
                    cancel: () => resolve(false),
                },
                { onClose: () => resolve(false) }
            );
        });
    }

    async check(method) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const record = this.props.record;
            if (record.isNew || (await record.isDirty())) {
                if (!(await record.save())) {
                    return;
                }
            }
            const position = await this.locate();
            if (position.error && !(await this.confirmWithoutPosition(position.error))) {
                return;
            }
            const kwargs = position.error ? {} : position;
            await this.orm.call(record.resModel, method, [[record.resId]], kwargs);
            await record.load();
        } finally {
            this.state.busy = false;
        }
    }

    checkIn() {
        return this.check("action_check_in");
    }

    checkOut() {
        return this.check("action_check_out");
    }

    choosePhoto() {
        this.photoInput.el.click();
    }

    async onPhotoChosen(ev) {
        const files = [...ev.target.files];
        ev.target.value = "";
        if (!files.length) {
            return;
        }
        this.state.busy = true;
        try {
            const record = this.props.record;
            for (const file of files) {
                const data = (await getDataURLFromFile(file)).split(",")[1];
                await this.orm.call(record.resModel, "action_add_checkin_photo", [[record.resId]], {
                    name: file.name,
                    data,
                });
            }
            this.notification.add(_t("Photo added to the visit."), { type: "success" });
            await record.load();
        } finally {
            this.state.busy = false;
        }
    }
}

registry.category("view_widgets").add("key_account_visit_checkin", {
    component: VisitCheckin,
    fieldDependencies: [
        { name: "state", type: "selection" },
        { name: "report_review_state", type: "selection" },
        { name: "checkin_is_mine", type: "boolean" },
        { name: "checkin_status", type: "selection" },
        { name: "checkin_date", type: "datetime" },
        { name: "checkin_distance", type: "float" },
        { name: "checkin_radius", type: "integer" },
        { name: "checkout_status", type: "selection" },
        { name: "checkout_date", type: "datetime" },
        { name: "checkout_distance", type: "float" },
        { name: "onsite_hours", type: "float" },
    ],
});
