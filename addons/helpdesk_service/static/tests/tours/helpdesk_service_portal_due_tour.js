import { registry } from "@web/core/registry";

const ROW = (name) => `table.o_portal_my_doc_table tbody tr:contains(${name})`;
const DUE = ".o_helpdesk_service_due_relative";

/**
 * The client's deadlines tick on the portal: the time left is written next
 * to each deadline; the widget's clock is moved forward (40 min) instead of
 * waiting. Then the list is sorted by due date. The server's clock is frozen
 * by the Python test (TestPortalDue).
 */
registry.category("web_tour.tours").add("helpdesk_service_portal_due_tour", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Each deadline shows the time left",
            trigger: `${ROW("Tour due: later")} ${DUE}:contains(in 50 minutes)`,
        },
        {
            trigger: `${ROW("Tour due: sooner")} ${DUE}:contains(in 30 minutes)`,
        },
        {
            content: "40 minutes later (the browser's clock moves, the server's stays)",
            trigger: `${ROW("Tour due: sooner")} ${DUE}`,
            run() {
                // a frontend module: the tests bundle is loaded in the back
                // office too, where an import of it would be missing
                const { portalDueClock } = odoo.loader.modules.get(
                    "@helpdesk_service/js/portal_due_countdown"
                );
                portalDueClock.advance(40 * 60);
            },
        },
        {
            content: "The passed deadline turns red and counts up",
            trigger: `${ROW("Tour due: sooner")} .o_helpdesk_service_due.text-danger ${DUE}:contains(overdue by 10 minutes)`,
        },
        {
            content: "The other one counts down",
            trigger: `${ROW("Tour due: later")} .o_helpdesk_service_due:not(.text-danger) ${DUE}:contains(in 10 minutes)`,
        },
        {
            content: "Sort the list",
            trigger: "#portal_searchbar_sortby",
            run: "click",
        },
        {
            content: "by due date",
            trigger: "[aria-labelledby=portal_searchbar_sortby] a:contains(Due date)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The nearest deadline comes first",
            trigger: "table.o_portal_my_doc_table tbody tr:first-child:contains(Tour due: sooner)",
        },
        {
            trigger: "table.o_portal_my_doc_table tbody tr:last-child:contains(Tour due: paused)",
        },
        {
            content: "Open the ticket",
            trigger: `${ROW("Tour due: sooner")} a:contains(Tour due: sooner)`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its page shows the time left too",
            trigger: `.o_helpdesk_service_page_due ${DUE}:contains(in 30 minutes)`,
        },
    ],
});
