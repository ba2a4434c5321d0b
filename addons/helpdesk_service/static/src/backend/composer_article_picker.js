import { Composer } from "@mail/core/common/composer";
import { Component, onWillStart, toRaw, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { usePopover } from "@web/core/popover/popover_hook";
import { user } from "@web/core/user";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { useDebounced } from "@web/core/utils/timing";
import { session } from "@web/session";

// at most this many articles in the picker
const PICKER_LIMIT = 8;

/**
 * The knowledge base in the chatter's composer: the published articles the
 * client may read, the latest first, or those matching the words typed
 * (title and body, any language version, as the portal's search).
 */
export class HelpdeskArticlePicker extends Component {
    static template = "helpdesk_service.ArticlePicker";
    static props = { ticketId: Number, onSelect: Function, close: Function };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ term: "", articles: [], loading: true });
        this.loadDebounced = useDebounced(this.load, 250);
        useAutofocus({ refName: "search" });
        onWillStart(() => this.load());
    }

    async load() {
        const term = this.state.term.trim();
        this.state.loading = true;
        // the server picks what the ticket's client may read (its company)
        const articles = await this.orm.call(
            "helpdesk.ticket",
            "get_helpdesk_article_choices",
            [[this.props.ticketId]],
            { term, limit: PICKER_LIMIT }
        );
        if (term === this.state.term.trim()) {
            this.state.articles = articles;
            this.state.loading = false;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            if (this.state.articles.length) {
                this.select(this.state.articles[0]);
            }
        }
    }

    select(article) {
        this.props.onSelect(article);
        this.props.close();
    }
}

/**
 * "Insert article" in the composer of a ticket's chatter, next to the
 * attachment button: the article's title, summary and link go into the
 * message at the cursor, for the agent to complete before sending. The
 * full composer keeps its own picker ("Answer with an article").
 */
patch(Composer.prototype, {
    setup() {
        super.setup(...arguments);
        this.helpdeskArticles = useState({ allowed: false });
        this.helpdeskArticlePopover = usePopover(HelpdeskArticlePicker, {
            position: "top-end",
            popoverClass: "o_helpdesk_service_article_popover",
        });
        onWillStart(async () => {
            if (this.thread?.model === "helpdesk.ticket") {
                this.helpdeskArticles.allowed = await user.hasGroup(
                    "helpdesk_service.group_helpdesk_user"
                );
            }
        });
    },

    get hasHelpdeskArticlePicker() {
        return (
            this.helpdeskArticles.allowed &&
            this.thread?.model === "helpdesk.ticket" &&
            Boolean(this.thread.id) &&
            !this.props.composer.message
        );
    },

    onClickHelpdeskArticle(ev) {
        // where the cursor was: clicking outside the text moves it to the end
        const { start, end } = toRaw(this.props.composer).selection;
        this.helpdeskArticleSelection = { start, end };
        this.helpdeskArticlePopover.open(ev.currentTarget, {
            ticketId: this.thread.id,
            onSelect: (article) => this.insertHelpdeskArticle(article),
        });
    },

    insertHelpdeskArticle(article) {
        const composer = toRaw(this.props.composer);
        const baseUrl = session["web.base.url"] || browser.location.origin;
        const url = new URL(article.portal_url, baseUrl).href;
        const block = [article.name, article.summary, url].filter(Boolean).join("\n");
        const text = composer.text;
        const start = Math.min(this.helpdeskArticleSelection?.start ?? text.length, text.length);
        const end = Math.min(this.helpdeskArticleSelection?.end ?? text.length, text.length);
        const before = text.slice(0, start);
        const after = text.slice(end);
        const inserted =
            (before && !before.endsWith("\n") ? "\n" : "") +
            block +
            (after && !after.startsWith("\n") ? "\n" : "");
        composer.text = before + inserted + after;
        this.selection.moveCursor((before + inserted).length);
        composer.autofocus++;
    },
});
