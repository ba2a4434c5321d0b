import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_portal_upload_tour", {
    url: "/my/tickets/new",
    steps: () => [
        {
            trigger: "form.o_helpdesk_service_ticket_form input[name=name]",
            run: "edit Tour: big scan",
        },
        {
            content: "Choose a file over the size limit",
            trigger: "form.o_helpdesk_service_ticket_form input[name=attachments]",
            run() {
                const size = Number(this.anchor.dataset.maxBytes) + 1;
                const transfer = new DataTransfer();
                transfer.items.add(new File([new Uint8Array(size)], "scan.pdf", { type: "application/pdf" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The browser tells it next to the Send button, before any upload",
            trigger: ".o_helpdesk_service_submit_error:not(.d-none):contains(scan.pdf is larger than)",
        },
        {
            trigger: "form.o_helpdesk_service_ticket_form button.o_helpdesk_service_submit",
            run: "click",
        },
        {
            content: "Nothing is sent: the form and its error stay",
            trigger: "form.o_helpdesk_service_ticket_form input[name=attachments].is-invalid",
        },
    ],
});
