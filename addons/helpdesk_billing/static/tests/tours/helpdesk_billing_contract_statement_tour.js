import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_billing_contract_statement_tour", {
    steps: () => [
        {
            content: "Open the contract",
            trigger: "a.tr_contract_link:contains(Statement managed IT)",
            run: "click",
        },
        {
            content: "The contract lists its monthly statements: open January 2025",
            trigger: ".o_helpdesk_billing_statement_months a.o_helpdesk_billing_statement_link[data-month='2025-01']",
            run: "click",
        },
        {
            content: "The statement shows the month's ticket",
            trigger: ".o_helpdesk_billing_statement_tickets:contains(Statement server down)",
        },
        {
            content: "with the hours and the SLA credits",
            trigger: ".o_helpdesk_billing_statement_hours, .o_helpdesk_billing_statement:contains(SLA credits)",
        },
        {
            content: "and a link to download its PDF",
            trigger: "a.o_helpdesk_billing_statement_download[href*='report_type=pdf']",
        },
        {
            content: "Back to the contract",
            trigger: "a.o_helpdesk_billing_statement_back",
            run: "click",
        },
        {
            trigger: "#helpdesk_statements",
        },
    ],
});
