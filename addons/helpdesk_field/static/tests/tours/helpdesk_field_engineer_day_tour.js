import { registry } from "@web/core/registry";

// a 1x1 PNG, as a phone camera would send a (bigger) photo
const PHOTO_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/**
 * An engineer's visit on a phone (390 px, touch): today's visits, on my way,
 * arrived, two works from the price list and a part, a photo, the client's
 * signature drawn on the screen, done and the labour time confirmed.
 * The data comes from the Python test (TestFieldUi).
 */
registry.category("web_tour.tours").add("helpdesk_field_engineer_day_tour", {
    url: "/field",
    steps: () => [
        {
            content: "Open today's visit",
            trigger: ".o_helpdesk_field_today .o_helpdesk_field_visit_card:contains(Tour: till #3 jams)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "select[name=eta_minutes]",
            run: "select 20",
        },
        {
            content: "On my way",
            trigger: "button.o_helpdesk_field_on_way",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_field_state_on_the_way",
        },
        {
            content: "Arrived (no location shared)",
            trigger: "button.o_helpdesk_field_arrived",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_field_state_on_site",
        },
        {
            content: "First work from the price list",
            trigger: "form.o_helpdesk_field_add_work select[name=product_id]",
            run: "selectByLabel Till diagnosis",
        },
        {
            trigger: "button.o_helpdesk_field_add_work_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_field_work_lines:contains(Till diagnosis)",
        },
        {
            content: "Second work, twice",
            trigger: "form.o_helpdesk_field_add_work select[name=product_id]",
            run: "selectByLabel Printhead cleaning",
        },
        {
            trigger: "form.o_helpdesk_field_add_work input[name=quantity]",
            run: "edit 2",
        },
        {
            trigger: "button.o_helpdesk_field_add_work_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_field_work_lines:contains(Printhead cleaning)",
        },
        {
            content: "A part: three paper rolls",
            trigger: "form.o_helpdesk_field_add_part select[name=product_id]",
            run: "selectByLabel Paper roll 57 mm",
        },
        {
            trigger: "form.o_helpdesk_field_add_part input[name=quantity]",
            run: "edit 3",
        },
        {
            trigger: "button.o_helpdesk_field_add_part_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_field_work_lines:contains(Paper roll 57 mm)",
        },
        {
            content: "Take a photo",
            trigger: "input.o_helpdesk_field_photo_input",
            run() {
                const bytes = Uint8Array.from(atob(PHOTO_PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "till-3.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            trigger: "form.o_helpdesk_field_photo_form textarea[name=note]",
            run: "edit Paper guide was bent: straightened and cleaned.",
        },
        {
            trigger: "button.o_helpdesk_field_photo_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_helpdesk_field_photos img",
        },
        {
            content: "The client signs on the screen",
            trigger: ".o_helpdesk_field_sign canvas.o_web_sign_signature",
            async run() {
                const canvas = this.anchor;
                const rect = canvas.getBoundingClientRect();
                const pointer = (type, x, y) =>
                    canvas.dispatchEvent(
                        new PointerEvent(type, {
                            bubbles: true,
                            cancelable: true,
                            pointerId: 1,
                            pointerType: "touch",
                            isPrimary: true,
                            buttons: type === "pointerup" ? 0 : 1,
                            pressure: 0.5,
                            clientX: rect.left + x,
                            clientY: rect.top + y,
                        })
                    );
                const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
                pointer("pointerdown", 20, rect.height / 2);
                for (let i = 1; i <= 12; i++) {
                    await pause();
                    pointer("pointermove", 20 + i * 20, rect.height / 2 + (i % 2 ? -15 : 15));
                }
                await pause();
                pointer("pointerup", 260, rect.height / 2);
            },
        },
        {
            trigger: ".o_helpdesk_field_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "img.o_helpdesk_field_signature",
        },
        {
            content: "Done",
            trigger: "button.o_helpdesk_field_done",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Correct the proposed labour time",
            trigger: ".o_helpdesk_field_confirm input[name=labour_minutes]",
            run: "edit 45",
        },
        {
            trigger: "button.o_helpdesk_field_confirm_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The visit is closed",
            trigger: ".o_helpdesk_field_closed:contains(0:45)",
        },
    ],
});
