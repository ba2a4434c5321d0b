import { registry } from "@web/core/registry";
import { slaClock } from "@helpdesk_service/backend/sla_countdown_field";

const CARD = ".o_kanban_record:contains(Tour deadline: mail server down)";

registry.category("web_tour.tours").add("helpdesk_service_sla_countdown_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The agent lands on the Helpdesk overview",
            trigger: ".o_helpdesk_service_team_kanban .o_kanban_record:contains(Countdown Desk)",
        },
        {
            content: "Open the tickets of his team",
            trigger:
                ".o_helpdesk_service_team_kanban .o_kanban_record:contains(Countdown Desk) a:contains(Open)",
            run: "click",
        },
        {
            content: "The card shows the working time left to the next target",
            trigger: `${CARD} .o_helpdesk_service_sla_running:not(.text-warning):contains(due in)`,
        },
        {
            content: "A ticket waiting for the client shows a pause sign",
            trigger:
                ".o_kanban_record:contains(Tour deadline: waiting for logs) .o_helpdesk_service_sla_paused .fa-pause",
        },
        {
            content: "25 minutes later (the browser's clock moves, the server's stays)",
            trigger: `${CARD} .o_helpdesk_service_sla_running`,
            run() {
                slaClock.advance(25 * 60);
            },
        },
        {
            content: "Past the warning threshold, the countdown turns amber",
            trigger: `${CARD} .o_helpdesk_service_sla_warning.text-warning:contains(due in)`,
        },
        {
            content: "30 minutes later",
            trigger: `${CARD} .o_helpdesk_service_sla_warning`,
            run() {
                slaClock.advance(30 * 60);
            },
        },
        {
            content: "When the deadline passes, it turns red and counts up",
            trigger: `${CARD} .o_helpdesk_service_sla_overdue.text-danger:contains(overdue by)`,
        },
    ],
});
