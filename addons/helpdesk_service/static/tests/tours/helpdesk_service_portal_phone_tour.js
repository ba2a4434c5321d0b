import { registry } from "@web/core/registry";

const ROW = ".o_portal_my_doc_table tr:contains(Tour phone: the VPN drops every hour)";

registry.category("web_tour.tours").add("helpdesk_service_portal_phone_tour", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "On a phone, the status goes under the subject",
            trigger: `${ROW} .o_helpdesk_service_ticket_meta .badge:contains(Waiting for spare parts)`,
        },
        {
            content: "With the time of the answer he was promised",
            trigger: `${ROW} .o_helpdesk_service_ticket_meta .o_helpdesk_service_due .o_helpdesk_service_datetime`,
        },
        {
            content: "The list fits the phone's width: no sideways scroll",
            trigger: ".o_portal_my_doc_table",
            run() {
                const box = this.anchor.closest(".table-responsive") || this.anchor;
                const page = document.scrollingElement;
                if (box.scrollWidth > box.clientWidth || page.scrollWidth > page.clientWidth) {
                    throw new Error(
                        `The ticket list overflows: ${box.scrollWidth} > ${box.clientWidth} px`
                    );
                }
            },
        },
    ],
});
