import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_kb_tour", {
    url: "/my/tickets/new",
    steps: () => [
        {
            content: "The client starts typing the subject of a new request",
            trigger: "form.o_helpdesk_service_ticket_form input[name=name]",
            // "quuxle" is in the client article and in the internal one
            run: "edit quuxle",
        },
        {
            content: "The client article is suggested, never the internal one",
            trigger:
                ".o_helpdesk_service_suggestions:not(.d-none):not(:has(a:contains(supplier escalation))) a.o_helpdesk_service_suggestion:contains(Quuxle toner for clients)",
        },
        {
            content: "Search the knowledge base instead",
            trigger: "body",
            run: () => {
                window.location.href = "/helpdesk/kb";
            },
            expectUnloadPage: true,
        },
        {
            trigger: "form.o_helpdesk_service_kb_search input[name=search]",
            run: "edit quuxle",
        },
        {
            trigger: "form.o_helpdesk_service_kb_search button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The search finds the client article, not the internal one",
            trigger:
                ".o_helpdesk_service_kb_results:not(:has(a:contains(supplier escalation))) a:contains(Quuxle toner for clients)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The article is helpful",
            trigger: ".o_helpdesk_service_kb_vote button[value=yes]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_service_kb_voted",
        },
    ],
});
