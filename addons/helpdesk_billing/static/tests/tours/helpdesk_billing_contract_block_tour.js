import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_billing_contract_block_tour", {
    steps: () => [
        {
            content: "The contract block gives the hours left this month",
            trigger: ".o_helpdesk_service_context .o_field_widget[name=contract_hours_left]",
        },
        {
            content: "and the contract's service level",
            trigger: ".o_helpdesk_service_context .o_field_widget[name=contract_sla_ids]:contains(Gold contract (test))",
        },
        {
            content: "Open the contract",
            trigger: ".o_helpdesk_service_context .o_field_widget[name=contract_id] a",
            run: "click",
        },
        {
            content: "The agent reads the contract's service terms",
            trigger: ".o_form_view .o_field_widget[name=helpdesk_included_hours]",
        },
        {
            content: "and no price",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=helpdesk_overage_rate])):not(:has(.o_field_widget[name=contract_line_fixed_ids]))",
        },
        {
            content: "Back to the ticket",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name]:contains(Context: till down), .o_form_view .o_field_widget[name=name] input",
        },
    ],
});
