import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_portal_lifecycle_tour", {
    url: "/my/tickets?filterby=all",
    steps: () => [
        {
            content: "Open the resolved ticket",
            trigger: "a:contains(Tour resolved scanner)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Rate the agent's answer: good",
            trigger: ".o_helpdesk_service_answer_ratings a.btn-outline-success",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "textarea[name=feedback]",
            run: "edit Fast and clear, thanks",
        },
        {
            trigger: "form[action*='submit_feedback'] button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_rating_page_thank_you",
            run: () => {
                window.location.href = "/my/tickets?filterby=all";
            },
            expectUnloadPage: true,
        },
        {
            trigger: "a:contains(Tour resolved scanner)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rated answer is no longer asked for",
            trigger: ".o_helpdesk_service_portal_ticket:not(:has(.o_helpdesk_service_answer_ratings))",
        },
        {
            content: "Confirm the ticket is solved: it closes",
            trigger: "button.o_helpdesk_service_close",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_service_stage:contains(Closed)",
        },
        {
            content: "The problem is back: reopen with a reason",
            trigger: "textarea[name=reason]",
            run: "edit It stopped scanning again",
        },
        {
            trigger: "button.o_helpdesk_service_reopen",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_service_stage:contains(In progress)",
        },
    ],
});
