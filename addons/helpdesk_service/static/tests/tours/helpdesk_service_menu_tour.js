import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_menu_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Helpdesk app",
            trigger: '.o_app[data-menu-xmlid="helpdesk_service.helpdesk_service_menu_root"]',
            run: "click",
        },
        {
            content: "The overview shows the teams with their counters",
            trigger: ".o_helpdesk_service_team_kanban .o_kanban_record:contains(Open)",
        },
        {
            content: "Open the Tickets menu",
            trigger: '.o_menu_sections [data-menu-xmlid="helpdesk_service.helpdesk_ticket_menu_main"]',
            run: "click",
        },
        {
            content: "Open all tickets",
            trigger: '.dropdown-item[data-menu-xmlid="helpdesk_service.helpdesk_ticket_menu"]',
            run: "click",
        },
        {
            content: "The tickets kanban is grouped by stage",
            trigger: ".o_kanban_view .o_kanban_group .o_column_title:contains(New)",
        },
    ],
});
