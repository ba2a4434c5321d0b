import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

/**
 * New request form of the portal: while the client types the subject,
 * suggest knowledge-base articles that may already answer it. The files'
 * number and sizes are checked before anything is uploaded (the server checks
 * them again); errors show next to the Send button and the page scrolls to
 * them, as it does to the server's errors above the form.
 */
publicWidget.registry.HelpdeskServiceTicketForm = publicWidget.Widget.extend({
    selector: ".o_helpdesk_service_ticket_form",
    events: {
        "input input[name='name']": "_onSubjectInput",
        "change select[name='type_id']": "_onSubjectInput",
        "change input[name='attachments']": "_onFilesChange",
        submit: "_onSubmit",
    },

    start() {
        this.box = this.el.querySelector(".o_helpdesk_service_suggestions");
        this.lastQuery = null;
        this._suggest = debounce(this._suggest.bind(this), 250);
        const serverErrors = document.querySelector(".o_helpdesk_service_form_errors");
        if (serverErrors) {
            serverErrors.scrollIntoView({ block: "center" });
            serverErrors.focus({ preventScroll: true });
        }
        return this._super(...arguments);
    },

    /**
     * @returns {string} what is wrong with the chosen files, or ""
     */
    _checkFiles() {
        const input = this.el.querySelector("input[name='attachments']");
        if (!input || !input.files) {
            return "";
        }
        const maxFiles = parseInt(input.dataset.maxFiles || "0");
        const maxBytes = parseInt(input.dataset.maxBytes || "0");
        if (maxFiles && input.files.length > maxFiles) {
            return _t("At most %(count)s files per request.", { count: maxFiles });
        }
        const tooLarge = [...input.files].find((file) => maxBytes && file.size > maxBytes);
        if (tooLarge) {
            return _t("%(file)s is larger than %(size)s MB.", {
                file: tooLarge.name,
                size: Math.floor(maxBytes / (1024 * 1024)),
            });
        }
        return "";
    },

    _showFileError(message) {
        const input = this.el.querySelector("input[name='attachments']");
        const feedback = this.el.querySelector(".o_helpdesk_service_attachments_error");
        const summary = this.el.querySelector(".o_helpdesk_service_submit_error");
        input.classList.toggle("is-invalid", !!message);
        if (feedback) {
            feedback.textContent = message;
        }
        if (summary) {
            summary.textContent = message;
            summary.classList.toggle("d-none", !message);
        }
        return summary;
    },

    _onFilesChange() {
        this._showFileError(this._checkFiles());
    },

    _onSubmit(ev) {
        const message = this._checkFiles();
        const summary = this._showFileError(message);
        if (message) {
            ev.preventDefault();
            if (summary) {
                summary.scrollIntoView({ block: "center" });
                summary.focus({ preventScroll: true });
            }
        }
    },

    _onSubjectInput() {
        this._suggest();
    },

    async _suggest() {
        const query = this.el.querySelector("input[name='name']").value.trim();
        const typeSelect = this.el.querySelector("select[name='type_id']");
        const typeId = typeSelect && typeSelect.value ? parseInt(typeSelect.value) : null;
        const key = `${query}|${typeId}`;
        if (!this.box || key === this.lastQuery) {
            return;
        }
        this.lastQuery = key;
        const articles =
            query.length >= 3 ? await rpc("/helpdesk/kb/suggest", { query, type_id: typeId }) : [];
        if (key !== this.lastQuery) {
            return; // a newer request is on its way
        }
        const list = this.box.querySelector(".list-group");
        list.replaceChildren(
            ...articles.map((article) => {
                const link = document.createElement("a");
                link.className = "list-group-item list-group-item-action o_helpdesk_service_suggestion";
                link.href = article.url;
                link.target = "_blank";
                const title = document.createElement("div");
                title.className = "fw-bold";
                title.textContent = article.name;
                const summary = document.createElement("small");
                summary.className = "text-muted";
                summary.textContent = article.summary;
                link.append(title, summary);
                return link;
            })
        );
        this.box.classList.toggle("d-none", !articles.length);
    },
});
