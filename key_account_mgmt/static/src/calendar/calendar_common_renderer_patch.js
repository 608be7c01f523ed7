import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";

/**
 * The week and day views label their week number with FullCalendar's long form, whose word
 * ("Week 50") comes from FullCalendar's English locale whatever the option says (Odoo loads no
 * FullCalendar locale): its short form takes the word given, the reader's (周 50). The visits and
 * receptions calendars open on the week.
 */
patch(CalendarCommonRenderer.prototype, {
    get options() {
        const options = super.options;
        if (options.weekNumberFormat?.week !== "long") {
            return options;
        }
        return { ...options, weekText: _t("Week"), weekNumberFormat: { week: "short" } };
    },
});
