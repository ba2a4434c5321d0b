import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_answer_tour", {
    steps: () => [
        {
            content: "At 1440 px the conversation stays beside the ticket's fields",
            trigger: ".o_form_view.o_xxl_form_view .o-mail-Form-chatter.o-aside .o-mail-Chatter",
        },
        {
            content: "The context block lists the equipment with its warranty",
            trigger: ".o_helpdesk_service_context .o_field_widget[name=context_equipment_ids] td:contains(Context printer)",
        },
        {
            content: "and the client's other open tickets",
            trigger: ".o_helpdesk_service_context .o_field_widget[name=client_open_ticket_ids] td:contains(Tour answer: the other open one)",
        },
        {
            content: "Reply to the client",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Type : and the shortcut of a canned response",
            trigger: ".o-mail-Composer-input",
            run: "edit :hdtour",
        },
        {
            content: "Pick it in the suggestions",
            trigger: ".o-mail-Composer-suggestion:contains(hdtourthanks)",
            run: "click",
        },
        {
            content: "The shortcut became the answer",
            trigger: ".o-mail-Composer-input:value(Thank you for contacting the tour desk)",
        },
        {
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is in the conversation",
            trigger: ".o-mail-Message-body:contains(Thank you for contacting the tour desk)",
        },
    ],
});
