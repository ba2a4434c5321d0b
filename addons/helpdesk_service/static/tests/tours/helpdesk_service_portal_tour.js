import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_service_portal_tour", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open a new request",
            trigger: "a.o_helpdesk_service_new_ticket",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "form.o_helpdesk_service_ticket_form input[name=name]",
            run: "edit Tour: card reader broken",
        },
        {
            trigger: "form.o_helpdesk_service_ticket_form textarea[name=description]",
            run: "edit The card reader at till 2 refuses every card.",
        },
        {
            content: "Attach a log file",
            trigger: "form.o_helpdesk_service_ticket_form input[name=attachments]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(new File(["card reader log"], "reader-log.txt", { type: "text/plain" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            trigger: "form.o_helpdesk_service_ticket_form button.o_helpdesk_service_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page confirms the request",
            trigger: ".o_helpdesk_service_portal_ticket .alert-success:contains(registered)",
        },
        {
            content: "The file is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-AttachmentCard:contains(reader-log.txt)",
        },
        {
            content: "Write in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit Serial 4711, model CR-2",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(Serial 4711)",
        },
    ],
});
