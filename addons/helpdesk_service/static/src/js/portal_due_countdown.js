import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { formatDuration } from "@web/core/l10n/dates";

const { DateTime } = luxon;

// the relative times are rewritten this often
const TICK_MS = 30000;
const UNITS = ["years", "months", "days", "hours", "minutes"];

/**
 * The portal countdowns' clock: the browser's, which a test tour may move
 * forward with advance() instead of waiting in real time.
 */
export const portalDueClock = {
    offset: 0,
    bus: new EventTarget(),
    now() {
        return Date.now() + this.offset;
    },
    /** Move the clock `seconds` forward and rewrite every countdown. */
    advance(seconds) {
        this.offset += seconds * 1000;
        this.bus.dispatchEvent(new Event("tick"));
    },
};

/**
 * "in 12 minutes" before the deadline, "overdue by 5 minutes" after it, in
 * the page's language (luxon's locale, set by the public root).
 *
 * @param {DateTime} deadline
 * @param {DateTime} now
 * @returns {{text: string, overdue: boolean}}
 */
export function relativeDue(deadline, now) {
    const seconds = deadline.diff(now).as("seconds");
    if (seconds > 0) {
        // to the next whole minute: "in 1 minute" for the last seconds
        const text = deadline.toRelative({
            base: now,
            unit: UNITS,
            padding: 59 * 1000,
            locale: DateTime.local().locale,
        });
        return { text, overdue: false };
    }
    return {
        text: _t("overdue by %(duration)s", { duration: formatDuration(-seconds, true) }),
        overdue: true,
    };
}

/**
 * The client's deadlines on the portal (ticket list and ticket page) tick
 * live: each `.o_helpdesk_service_due_relative` element carries the deadline
 * (data-deadline) and the server's time of the page (data-now), both in UTC
 * ISO format; the widget writes the time left, or overdue, every 30 s, and
 * turns the deadline red when it passes. The server's clock counts, not the
 * browser's (only the time elapsed since the page loaded is the browser's):
 * no RPC.
 */
publicWidget.registry.HelpdeskServiceDueCountdown = publicWidget.Widget.extend({
    selector: "#wrapwrap",
    selectorHas: ".o_helpdesk_service_due_relative[data-deadline]",

    start() {
        this.loadedAt = portalDueClock.now();
        this._onTick = this._tick.bind(this);
        this._tick();
        this.interval = setInterval(this._onTick, TICK_MS);
        portalDueClock.bus.addEventListener("tick", this._onTick);
        return this._super(...arguments);
    },

    destroy() {
        clearInterval(this.interval);
        portalDueClock.bus.removeEventListener("tick", this._onTick);
        this._super(...arguments);
    },

    _tick() {
        const elapsed = portalDueClock.now() - this.loadedAt;
        for (const el of this.el.querySelectorAll(
            ".o_helpdesk_service_due_relative[data-deadline]"
        )) {
            const deadline = DateTime.fromISO(el.dataset.deadline, { zone: "utc" });
            if (!deadline.isValid) {
                continue;
            }
            // without the server's time (data-now), the browser's
            const serverNow = el.dataset.now
                ? DateTime.fromISO(el.dataset.now, { zone: "utc" })
                : DateTime.fromMillis(this.loadedAt, { zone: "utc" });
            const { text, overdue } = relativeDue(deadline, serverNow.plus(elapsed));
            el.textContent = text;
            const due = el.closest(".o_helpdesk_service_due");
            if (due) {
                due.classList.toggle("text-danger", overdue);
                due.classList.toggle("o_helpdesk_service_due_overdue", overdue);
            }
        }
    },
});
