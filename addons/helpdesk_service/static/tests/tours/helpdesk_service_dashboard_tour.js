import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_dashboard_tour", {
    url: "/odoo/dashboards",
    steps: () => [
        {
            content: "The Helpdesk group lists the tickets and SLA dashboard",
            trigger:
                ".o_search_panel_section:contains(Helpdesk) .o_search_panel_category_value[data-name='Tickets and SLA']",
            run: "click",
            // the spreadsheet library is a lazy bundle: the first load is slow
            timeout: 60000,
        },
        {
            content: "It is the one shown",
            trigger: ".o_search_panel_category_value.active[data-name='Tickets and SLA']",
        },
        {
            content: "Its team filter is there",
            trigger: ".o_control_panel .o-filter-value[title='Team']",
        },
        {
            content: "Its charts are drawn, without a loading error",
            trigger:
                ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status)) .o-figure canvas",
            timeout: 30000,
        },
    ],
});
