import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_ticket_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: '.o_app[data-menu-xmlid="helpdesk_service.helpdesk_service_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections [data-menu-xmlid="helpdesk_service.helpdesk_ticket_menu_main"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="helpdesk_service.helpdesk_ticket_menu"]',
            run: "click",
        },
        {
            content: "Switch to the list view",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Create a ticket",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Type the subject",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour: the scanner is offline",
        },
        {
            content: "Describe the request",
            trigger: ".o_form_view .o_field_widget[name=description] .odoo-editor-editable",
            run: "editor The document scanner at the reception does not answer.",
        },
        {
            content: "Save the ticket",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Acknowledge: stops the acknowledgement clock",
            trigger: ".o_form_view button[name=action_acknowledge]",
            run: "click",
        },
        {
            content: "The ticket got its number",
            trigger: ".o_form_view .o_field_widget[name=ticket_ref] span:contains(HD-)",
        },
        {
            content: "Resolve",
            trigger: ".o_form_view button[name=action_close].btn-primary",
            run: "click",
        },
        {
            content: "Write the resolution",
            trigger: ".modal .o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor Restarted the scanner and its network share.",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The ticket is resolved",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Resolved)",
        },
    ],
});
