import { registry } from "@web/core/registry";

const FORM = "form.o_helpdesk_service_ticket_form";

function checkChosen(expected) {
    return function () {
        const chosen = this.anchor.selectedOptions[0];
        if (!chosen || !chosen.textContent.includes(expected)) {
            throw new Error(`Expected ${expected}, got ${chosen && chosen.textContent}`);
        }
    };
}

registry.category("web_tour.tours").add("helpdesk_service_equipment_label_tour", {
    steps: () => [
        {
            content: "The scanned label opens the new request form with the item chosen",
            trigger: `${FORM} select[name=equipment_id]`,
            run: checkChosen("Till ZQL-TILL"),
        },
        {
            content: "And its site",
            trigger: `${FORM} select[name=site_id]`,
            run: checkChosen("Label Shop ZQL-SITE"),
        },
        {
            trigger: `${FORM} input[name=name]`,
            run: "edit Tour label: the till does not print",
        },
        {
            trigger: `${FORM} button.o_helpdesk_service_submit`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page confirms the request",
            trigger: ".o_helpdesk_service_portal_ticket .alert-success:contains(registered)",
        },
    ],
});
