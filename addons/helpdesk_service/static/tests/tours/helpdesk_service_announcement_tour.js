import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_announcement_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The client's announcement is on his portal home",
            trigger: ".o_helpdesk_service_announcement:contains(Tour maintenance for us)",
        },
        {
            content: "Another client's announcement is not",
            trigger:
                ".o_helpdesk_service_announcements:not(:has(.o_helpdesk_service_announcement:contains(for the rival)))",
        },
        {
            content: "The knowledge base is one click away",
            trigger: "a[href='/helpdesk/kb']",
        },
    ],
});
