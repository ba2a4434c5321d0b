import { Component, EventBus, onWillRender, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

// the countdown is re-rendered at least this often
const TICK_MS = 30000;

/**
 * The countdowns' clock: the browser's, which a test tour may move forward
 * with advance() instead of waiting in real time.
 */
export const slaClock = {
    offset: 0,
    bus: new EventBus(),
    now() {
        return Date.now() + this.offset;
    },
    /** Move the clock `seconds` forward and re-render every countdown. */
    advance(seconds) {
        this.offset += seconds * 1000;
        this.bus.trigger("tick");
    },
};

/**
 * Working seconds elapsed `t` seconds after the read, given the working
 * intervals [[start, end], ...] (seconds from the read) the server sent.
 */
function workElapsed(work, t) {
    let total = 0;
    for (const [start, end] of work) {
        if (start >= t) {
            break;
        }
        total += Math.min(end, t) - Math.max(start, 0);
    }
    return total;
}

/** Seconds after the read when `w` working seconds have elapsed, or null. */
function wallAt(work, w) {
    let total = 0;
    for (const [start, end] of work) {
        const from = Math.max(start, 0);
        if (total + end - from >= w) {
            return from + w - total;
        }
        total += end - from;
    }
    return null;
}

export function formatDuration(seconds) {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    if (minutes < 60) {
        return _t("%s min", minutes);
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 24) {
        return _t("%s h %s min", hours, minutes % 60);
    }
    return _t("%s d %s h", Math.floor(hours / 24), hours % 24);
}

/**
 * Remaining working time of the ticket's next SLA target: "due in 25 min",
 * amber past the policy's warning threshold, red and counting up once overdue,
 * a pause sign while the clock waits for the client. The server computes the
 * remaining time in the policy's calendar (field sla_countdown); the widget
 * only takes off the working time elapsed since, and ticks every 30 s and at
 * the moment the colour changes.
 */
export class SlaCountdownField extends Component {
    static template = "helpdesk_service.SlaCountdownField";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ now: slaClock.now() });
        this.countdown = undefined;
        this.readAt = slaClock.now();
        this.timer = null;
        onWillRender(() => {
            const countdown = this.props.record.data.sla_countdown;
            if (countdown !== this.countdown) {
                this.countdown = countdown;
                this.readAt = slaClock.now();
                this.schedule();
            }
        });
        useBus(slaClock.bus, "tick", () => this.tick());
        onWillUnmount(() => clearTimeout(this.timer));
    }

    /** Seconds since the read. */
    get elapsed() {
        return Math.max(0, (this.state.now - this.readAt) / 1000);
    }

    get remaining() {
        const countdown = this.countdown;
        return countdown.remaining - workElapsed(countdown.work || [], this.elapsed);
    }

    get info() {
        const countdown = this.countdown;
        if (!countdown) {
            return null;
        }
        if (countdown.state === "paused") {
            return {
                kind: "paused",
                text: _t("paused"),
                title: _t("Waiting for the client: the SLA clock is paused"),
            };
        }
        const remaining = this.remaining;
        if (remaining <= 0) {
            return {
                kind: "overdue",
                text: _t("overdue by %s", formatDuration(-remaining)),
                title: _t("The next SLA target is overdue (working time)"),
            };
        }
        return {
            kind: remaining <= countdown.warn ? "warning" : "running",
            text: _t("due in %s", formatDuration(remaining)),
            title: _t("Working time left to the next SLA target"),
        };
    }

    /** Re-render at the next tick, or sooner when the colour changes. */
    schedule() {
        clearTimeout(this.timer);
        const countdown = this.countdown;
        if (!countdown || countdown.state === "paused") {
            return;
        }
        const work = countdown.work || [];
        const elapsed = this.elapsed;
        let delay = TICK_MS / 1000;
        for (const mark of [countdown.remaining - countdown.warn, countdown.remaining]) {
            const at = mark > 0 ? wallAt(work, mark) : null;
            if (at !== null && at > elapsed) {
                delay = Math.min(delay, at - elapsed + 0.5);
            }
        }
        this.timer = setTimeout(() => this.tick(), delay * 1000);
    }

    tick() {
        this.state.now = slaClock.now();
        this.schedule();
    }
}

export const slaCountdownField = {
    component: SlaCountdownField,
    displayName: _t("SLA countdown"),
    supportedTypes: ["datetime"],
    fieldDependencies: [
        { name: "sla_countdown", type: "json" },
        { name: "is_closed", type: "boolean" },
    ],
};

registry.category("fields").add("helpdesk_sla_countdown", slaCountdownField);
