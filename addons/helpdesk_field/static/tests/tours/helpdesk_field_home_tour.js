import { registry } from "@web/core/registry";

/**
 * An engineer in the back office goes to its home (/odoo, where the portal's
 * back-office link and the apps menu lead): his home action takes him to his
 * phone workspace. The data comes from the Python test (TestEngineerHome).
 */
registry.category("web_tour.tours").add("helpdesk_field_home_tour", {
    url: "/odoo/action-helpdesk_field.helpdesk_visit_action",
    steps: () => [
        {
            content: "The engineer is in the back office, on his visits",
            trigger: ".o_main_navbar",
        },
        {
            content: "He goes to the back office's home",
            trigger: ".o_action_manager .o_view_controller",
            run() {
                window.location.assign("/odoo");
            },
            expectUnloadPage: true,
        },
        {
            content: "He lands in his workspace, on today's visits",
            trigger: ".o_helpdesk_field_today",
        },
    ],
});
