import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

MAX_SEARCH_WORDS = 8


class HelpdeskArticle(models.Model):
    """A knowledge-base article: a how-to or an FAQ answer for clients and
    agents. Clients read it on the portal, agents link it in replies."""

    _name = "helpdesk.article"
    _description = "Knowledge Base Article"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id desc"
    _check_company_auto = True

    name = fields.Char("Title", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    category_id = fields.Many2one(
        "helpdesk.article.category", index=True, tracking=True, check_company=True
    )
    tag_ids = fields.Many2many("helpdesk.article.tag", string="Tags")
    type_ids = fields.Many2many(
        "helpdesk.ticket.type",
        string="Ticket types",
        help="Ticket types this article answers; it is suggested on them.",
    )
    visibility = fields.Selection(
        [
            ("public", "Everyone (public pages)"),
            ("portal", "Clients (portal)"),
            ("internal", "Internal only"),
        ],
        default="portal",
        required=True,
        tracking=True,
        index=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    date_publish = fields.Datetime(
        "Publish on", copy=False, help="Scheduled articles go live at this time."
    )
    date_published = fields.Datetime("Published on", readonly=True, copy=False)
    summary = fields.Char(
        help="One or two sentences shown in lists and search results."
    )
    body = fields.Html(sanitize=True)
    body_text = fields.Text(compute="_compute_body_text", store=True)
    search_text = fields.Char(
        "Content", compute="_compute_search_text", search="_search_search_text"
    )
    author_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    source_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        "Written from ticket",
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
    )
    view_count = fields.Integer("Views", default=0, readonly=True, copy=False)
    vote_ids = fields.One2many("helpdesk.article.vote", "article_id", "Votes")
    helpful_count = fields.Integer(compute="_compute_votes", store=True)
    unhelpful_count = fields.Integer(compute="_compute_votes", store=True)
    helpful_percent = fields.Float(
        "Helpful (%)", compute="_compute_votes", store=True, aggregator="avg"
    )
    portal_url = fields.Char(compute="_compute_portal_url")

    def init(self):
        # the full-text index the portal search and the suggestions use
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_article_fulltext_idx "
                "ON helpdesk_article USING gin (%s)",
                self._tsvector_sql(),
            )
        )

    @api.depends("body")
    def _compute_body_text(self):
        for article in self:
            article.body_text = html2plaintext(article.body or "")

    def _compute_search_text(self):
        self.search_text = False

    def _search_search_text(self, operator, value):
        if operator not in ("ilike", "=") or not isinstance(value, str):
            raise UserError(self.env._("Unsupported search on the content."))
        return [("id", "in", self._fulltext_query(value, limit=None).ids)]

    @api.depends("vote_ids.is_helpful")
    def _compute_votes(self):
        groups = self.env["helpdesk.article.vote"]._read_group(
            [("article_id", "in", self.ids)], ["article_id", "is_helpful"], ["__count"]
        )
        counts = {(article.id, helpful): n for article, helpful, n in groups}
        for article in self:
            yes = counts.get((article.id, True), 0)
            no = counts.get((article.id, False), 0)
            article.helpful_count = yes
            article.unhelpful_count = no
            article.helpful_percent = 100.0 * yes / (yes + no) if yes + no else 0.0

    def _compute_portal_url(self):
        for article in self:
            article.portal_url = f"/helpdesk/kb/article/{article.id}"

    # ------------------------------------------------------------ search
    @api.model
    def _tsvector_sql(self, alias=None):
        table = alias or self._table
        return SQL(
            "to_tsvector('simple', coalesce(%s, '') || ' ' || coalesce(%s, ''))",
            SQL.identifier(table, "name"),
            SQL.identifier(table, "body_text"),
        )

    @api.model
    def _fulltext_query(self, text, limit=10, domain=None):
        """Articles matching every word of ``text`` (word prefixes, so it also
        works while the client is typing), best matches first, among those the
        current user may read."""
        words = re.findall(r"\w+", (text or "").lower())[:MAX_SEARCH_WORDS]
        if not words:
            return self.browse()
        # only \w characters reach to_tsquery: no query-syntax injection
        tsquery = SQL("to_tsquery('simple', %s)", " & ".join(f"{w}:*" for w in words))
        self.flush_model(["name", "body_text"])
        query = self._search(domain or [])
        tsvector = self._tsvector_sql(query.table)
        query.add_where(SQL("%s @@ %s", tsvector, tsquery))
        query.order = SQL(
            "ts_rank(%s, %s) DESC, %s DESC",
            tsvector,
            tsquery,
            SQL.identifier(query.table, "id"),
        )
        query.limit = limit
        return self.browse(query.get_result_ids())

    @api.model
    def _portal_suggest(self, text, type_id=None, limit=5):
        """Published articles for a client typing a ticket subject."""
        domain = [("state", "=", "published"), ("visibility", "!=", "internal")]
        articles = self._fulltext_query(text, limit=limit, domain=domain)
        if type_id and len(articles) < limit:
            articles |= self.search(
                domain
                + [("type_ids", "in", [type_id]), ("id", "not in", articles.ids)],
                limit=limit - len(articles),
            )
        return articles

    # ------------------------------------------------------------ portal
    def _portal_register_view(self, reader_key):
        """Count a page view, once per reader (``reader_key``) and day, without
        a write() (no tracking, no lock wait on the ORM cache); safe with many
        readers at once."""
        self.ensure_one()
        if not self.env["helpdesk.article.reading"]._record_reading(
            self, reader_key, fields.Date.context_today(self)
        ):
            return False
        self.flush_recordset(["view_count"])
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_article SET view_count = COALESCE(view_count, 0) + 1 "
                "WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["view_count"])
        return True

    def _portal_vote(self, is_helpful, voter_key, partner=None):
        """Record (or change) a reader's vote. Called by the portal in sudo."""
        self.ensure_one()
        Vote = self.env["helpdesk.article.vote"].sudo()
        vote = Vote.search(
            [("article_id", "=", self.id), ("voter_key", "=", voter_key)], limit=1
        )
        if vote:
            vote.is_helpful = is_helpful
        else:
            vote = Vote.create(
                {
                    "article_id": self.id,
                    "voter_key": voter_key,
                    "partner_id": partner.id if partner else False,
                    "is_helpful": is_helpful,
                }
            )
        return vote

    # ------------------------------------------------------------ actions
    def action_publish(self):
        self.write({"state": "published", "date_published": fields.Datetime.now()})
        return True

    def action_schedule(self):
        now = fields.Datetime.now()
        for article in self:
            if not article.date_publish or article.date_publish <= now:
                raise UserError(
                    self.env._(
                        "Set a future publication date on %(article)s to schedule it.",
                        article=article.name,
                    )
                )
        self.write({"state": "scheduled"})
        return True

    def action_unpublish(self):
        self.write({"state": "draft"})
        return True

    def action_view_on_portal(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.portal_url, "target": "new"}

    @api.model
    def _cron_publish_scheduled(self):
        """Publish the scheduled articles (prepared FAQ sets) whose time came."""
        due = self.search(
            [("state", "=", "scheduled"), ("date_publish", "<=", fields.Datetime.now())]
        )
        due.write({"state": "published", "date_published": fields.Datetime.now()})
        return len(due)
