import { registry } from "@web/core/registry";

/**
 * An agent answers from the chatter's own composer with a knowledge-base
 * article: "Insert article", a word of its title, pick it; its title, summary
 * and link go into the message, which he sends. The data comes from the
 * Python test (TestComposerArticle).
 */
registry.category("web_tour.tours").add("helpdesk_service_composer_article_tour", {
    steps: () => [
        {
            content: "Reply to the client",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            trigger: ".o-mail-Composer-input",
            run: "edit Hello this should help",
        },
        {
            content: "Open the article picker of the composer",
            trigger: ".o-mail-Composer button.o_helpdesk_service_article_picker_button",
            run: "click",
        },
        {
            content: "Search the knowledge base",
            trigger: ".o_helpdesk_service_article_picker input.o_helpdesk_service_article_search",
            run: "edit Tour article",
        },
        {
            content: "The two published articles are offered, not the draft",
            trigger:
                ".o_helpdesk_service_article_picker:has(.o_helpdesk_service_article_option:nth-child(2)):not(:has(.o_helpdesk_service_article_option:nth-child(3)))",
        },
        {
            trigger: ".o_helpdesk_service_article_option:contains(Tour article: Other toner)",
        },
        {
            content: "A word of the title",
            trigger: ".o_helpdesk_service_article_picker input.o_helpdesk_service_article_search",
            run: "edit duplex",
        },
        {
            content: "Pick the article found",
            trigger:
                ".o_helpdesk_service_article_picker:not(:has(.o_helpdesk_service_article_option:nth-child(2))) .o_helpdesk_service_article_option:contains(Tour article: duplex printing)",
            run: "click",
        },
        {
            content: "Its title goes into the message, after what was typed",
            trigger: ".o-mail-Composer-input:value(Hello this should help)",
        },
        {
            trigger: ".o-mail-Composer-input:value(Tour article: duplex printing)",
        },
        {
            content: "with its summary and link",
            trigger: ".o-mail-Composer-input:value(Turn on both-sided printing)",
        },
        {
            trigger: ".o-mail-Composer-input:value(/helpdesk/kb/article/)",
        },
        {
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is in the conversation, with the link",
            trigger: ".o-mail-Message-body a[href*='/helpdesk/kb/article/']",
        },
    ],
});
