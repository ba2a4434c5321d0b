import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

/**
 * New request form of the portal: while the client types the subject,
 * suggest knowledge-base articles that may already answer it.
 */
publicWidget.registry.HelpdeskServiceTicketForm = publicWidget.Widget.extend({
    selector: ".o_helpdesk_service_ticket_form",
    events: {
        "input input[name='name']": "_onSubjectInput",
        "change select[name='type_id']": "_onSubjectInput",
    },

    start() {
        this.box = this.el.querySelector(".o_helpdesk_service_suggestions");
        this.lastQuery = null;
        this._suggest = debounce(this._suggest.bind(this), 250);
        return this._super(...arguments);
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
