import { registry } from "@web/core/registry";
import { SIZES } from "@web/core/ui/ui_service";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";
import { FormRenderer } from "@web/views/form/form_renderer";

/**
 * The ticket form keeps the chatter beside the fields from the XL breakpoint
 * (1200 px, laptops at 1280-1440 px), where Odoo waits for XXL (1534 px):
 * agents answer the client while they read the ticket. The layout of Odoo's
 * form for XXL screens is reused by reading XL as XXL, for this view only and
 * never in a dialog.
 */
function asideSize(ui, env) {
    return !env.inDialog && ui.size === SIZES.XL ? SIZES.XXL : ui.size;
}

export class HelpdeskTicketFormRenderer extends FormRenderer {
    setup() {
        super.setup();
        const ui = this.uiService;
        const env = this.env;
        // read by the compiled form (sheet and chatter classes) and by
        // mail's mailLayout (chatter on the side or below)
        this.uiService = Object.create(ui, {
            size: { get: () => asideSize(ui, env) },
        });
    }
}

export class HelpdeskTicketFormController extends FormController {
    get className() {
        const result = super.className;
        if (!this.env.inDialog && this.ui.size === SIZES.XL) {
            result["o_xxl_form_view h-100"] = true;
        }
        return result;
    }
}

export const helpdeskTicketFormView = {
    ...formView,
    Controller: HelpdeskTicketFormController,
    Renderer: HelpdeskTicketFormRenderer,
};

registry.category("views").add("helpdesk_ticket_form", helpdeskTicketFormView);
