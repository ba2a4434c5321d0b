import hashlib

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .utils import is_text, parse_page

ARTICLES_PER_PAGE = 20
MAX_QUERY_LENGTH = 200


class HelpdeskKnowledgeBase(http.Controller):
    """The knowledge base and FAQ pages. Every read runs as the visitor, so
    the record rules decide: public articles for everybody, portal articles
    for clients, internal ones for nobody here."""

    def _get_article(self, article_id):
        article = request.env["helpdesk.article"].browse(article_id).exists()
        if not article or not article.has_access("read"):
            raise request.not_found()
        return article

    def _reader_key(self):
        """Who reads: the partner of a logged-in reader, else a hash of the
        visitor's IP address salted with the database secret (no raw address
        is stored; a session cookie a visitor can drop is not used)."""
        user = request.env.user
        if not user._is_public():
            return f"partner-{user.partner_id.id}"
        secret = (
            request.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        )
        address = request.httprequest.remote_addr or ""
        digest = hashlib.sha256(f"{secret}:{address}".encode()).hexdigest()
        return "ip-" + digest[:32]

    @http.route(
        ["/helpdesk/kb", "/helpdesk/kb/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def kb_index(self, search=None, page=1, **kw):
        Article = request.env["helpdesk.article"]
        if search and not is_text(search):
            raise UserError(
                request.env._("The search contains characters that are not allowed.")
            )
        search = (search or "").strip()[:MAX_QUERY_LENGTH]
        values = {"search": search, "page_name": "knowledge"}
        if search:
            articles = Article._fulltext_query(search, limit=ARTICLES_PER_PAGE * 5)
            pager = portal_pager(
                url="/helpdesk/kb",
                url_args={"search": search},
                total=len(articles),
                page=parse_page(page),
                step=ARTICLES_PER_PAGE,
            )
            offset = pager["offset"]
            values.update(
                articles=articles[offset : offset + ARTICLES_PER_PAGE], pager=pager
            )
        else:
            values.update(
                categories=request.env[
                    "helpdesk.article.category"
                ]._portal_categories(),
                popular=Article.search([], order="view_count desc, id desc", limit=5),
            )
        return request.render("helpdesk_service.portal_kb_index", values)

    @http.route(
        "/helpdesk/kb/category/<int:category_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def kb_category(self, category_id, **kw):
        category = request.env["helpdesk.article.category"].browse(category_id).exists()
        if not category or not category.has_access("read"):
            raise request.not_found()
        articles = request.env["helpdesk.article"].search(
            [("category_id", "=", category.id)]
        )
        if not articles:
            raise request.not_found()
        return request.render(
            "helpdesk_service.portal_kb_category",
            {"category": category, "articles": articles, "page_name": "knowledge"},
        )

    @http.route(
        "/helpdesk/kb/article/<int:article_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def kb_article(self, article_id, voted=None, **kw):
        article = self._get_article(article_id)
        article.sudo()._portal_register_view(self._reader_key())
        # the article's own files only, never those of its chatter (internal
        # notes, e-mails): each listed file gets a download token
        messages = (
            request.env["mail.message"]
            .sudo()
            .search([("model", "=", article._name), ("res_id", "=", article.id)])
        )
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", article._name),
                    ("res_id", "=", article.id),
                    ("id", "not in", messages.attachment_ids.ids),
                ],
                order="id",
            )
        )
        for attachment in attachments:
            attachment.generate_access_token()
        return request.render(
            "helpdesk_service.portal_kb_article",
            {
                "article": article,
                "attachments": attachments,
                "voted": voted,
                "page_name": "knowledge",
            },
        )

    @http.route(
        "/helpdesk/kb/article/<int:article_id>/vote",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def kb_article_vote(self, article_id, helpful=None, **kw):
        article = self._get_article(article_id)
        if helpful not in ("yes", "no"):
            raise request.not_found()
        user = request.env.user
        # one vote per reader: votes need a login (anonymous sessions and
        # addresses are too cheap to renew)
        if user._is_public():
            return request.redirect(f"/web/login?redirect={article.portal_url}")
        article.sudo()._portal_vote(
            helpful == "yes", f"partner-{user.partner_id.id}", partner=user.partner_id
        )
        return request.redirect(f"{article.portal_url}?voted=1")

    @http.route("/helpdesk/kb/suggest", type="json", auth="public")
    def kb_suggest(self, query="", type_id=None, **kw):
        """Articles for a client typing the subject of a new request."""
        if not isinstance(query, str):
            return []
        type_id = type_id if isinstance(type_id, int) else None
        articles = request.env["helpdesk.article"]._portal_suggest(
            query[:MAX_QUERY_LENGTH], type_id=type_id
        )
        return [
            {"name": a.name, "summary": a.summary or "", "url": a.portal_url}
            for a in articles
        ]
