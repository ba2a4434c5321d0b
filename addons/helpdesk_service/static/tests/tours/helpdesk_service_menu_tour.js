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
            content: "The agent's team card counts its two open tickets",
            trigger:
                ".o_helpdesk_service_team_kanban .o_kanban_record:contains(Tour Desk) a:contains(Open):contains(2)",
        },
        {
            content: "A team he is not a member of shows none of its tickets",
            trigger:
                ".o_helpdesk_service_team_kanban .o_kanban_record:contains(Private Lab) a:contains(Open):contains(0)",
        },
        {
            content: "Open the tickets of his team",
            trigger:
                ".o_helpdesk_service_team_kanban .o_kanban_record:contains(Tour Desk) a:contains(Open)",
            run: "click",
        },
        {
            content: "Both tickets of the team are listed",
            trigger:
                ".o_action_manager .o_content:contains(Tour menu: toner empty):contains(Tour menu: paper jam)",
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
