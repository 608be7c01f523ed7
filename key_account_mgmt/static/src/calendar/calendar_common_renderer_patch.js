import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";

/**
 * The week view labels its week number with FullCalendar's own English "Week 50" (its locale
 * files are not loaded): the week in the reader's language, as the month view does (周 50).
 * The visits and receptions calendars open on the week.
 */
patch(CalendarCommonRenderer.prototype, {
    get options() {
        return { ...super.options, weekTextLong: _t("Week") };
    },
});
