import json
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext, sql
from odoo.tools.translate import html_translate

MAX_SEARCH_WORDS = 8
# Chinese, Japanese and Korean script: words are not separated by spaces, so
# such a query term is matched as a substring (ILIKE), not as a word prefix,
# found through the pairs of characters (bigrams) it holds
CJK_CHARS = (
    "\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
CJK_RE = re.compile(f"[{CJK_CHARS}]")
CJK_RUN_RE = re.compile(f"[{CJK_CHARS}]{{2,}}")
# the bigrams of a text's runs of such characters, space-separated (the same
# as _cjk_bigrams): "印刷できない" gives "印刷 刷で でき きな ない"
CJK_BIGRAMS_FUNCTION = (
    "SELECT string_agg(substr(run[1], i, 2), ' ') "
    f"FROM regexp_matches($1, '([{CJK_CHARS}]{{2,}})', 'g') AS run, "
    "generate_series(1, char_length(run[1]) - 1) AS i"
)
CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


class HelpdeskArticle(models.Model):
    """A knowledge-base article: a how-to or an FAQ answer for clients and
    agents. Clients read it on the portal, agents link it in replies."""

    _name = "helpdesk.article"
    _description = "Knowledge Base Article"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Title", required=True, tracking=True, translate=True, index="trigram"
    )
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
        help="One or two sentences shown in lists and search results.",
        translate=True,
    )
    body = fields.Html(sanitize=True, translate=html_translate)
    # the plain text of every language version of the body: what the search
    # reads (search_vector, see init)
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

    def _auto_init(self):
        # the word index of 18.0.1.2.0 (and of a development version) reads
        # the title as text: it would stop the title's conversion to a
        # translated (jsonb) column; search_vector replaces it
        for index in ("helpdesk_article_fulltext_idx", "helpdesk_article_words_idx"):
            sql.drop_index(self.env.cr, index, self._table)
        return super()._auto_init()

    def init(self):
        # the words (and CJK bigrams) of the titles and bodies in all
        # languages, kept by PostgreSQL in a column of its own, so that
        # neither the index check nor the ranking computes them again per
        # article
        cr = self.env.cr
        # raw SQL: neither the ORM nor tools.sql defines a PostgreSQL function
        cr.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION helpdesk_cjk_bigrams(text) RETURNS text "
                "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %s",
                CJK_BIGRAMS_FUNCTION,
            )
        )
        # raw SQL: tools.sql.column_exists() does not tell how a column is made
        cr.execute(
            SQL(
                "SELECT generation_expression FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = 'search_vector'",
                self._table,
            )
        )
        row = cr.fetchone()
        if row and "helpdesk_cjk_bigrams" not in (row[0] or ""):
            # made by an earlier version of the expression: made again (raw
            # SQL: tools.sql drops no column)
            cr.execute(SQL("ALTER TABLE helpdesk_article DROP COLUMN search_vector"))
            row = None
        if not row:
            # raw SQL: tools.sql.create_column() makes no generated column
            cr.execute(
                SQL(
                    "ALTER TABLE helpdesk_article ADD COLUMN search_vector tsvector "
                    "GENERATED ALWAYS AS (%s) STORED",
                    self._tsvector_sql(),
                )
            )
        sql.create_index(
            cr,
            "helpdesk_article_search_vector_idx",
            self._table,
            ["search_vector"],
            method="gin",
        )

    @api.depends("body")
    def _compute_body_text(self):
        # every language version of the body, read in one query, so that a
        # search finds the article by the words of any of its translations
        stored = self.filtered(lambda article: isinstance(article.id, int))
        translations = {}
        if stored:
            stored.flush_recordset(["body"])
            translations = dict(
                self.env.execute_query(
                    SQL(
                        "SELECT id, body FROM helpdesk_article WHERE id IN %s",
                        tuple(stored.ids),
                    )
                )
            )
        for article in self:
            versions = (translations.get(article.id) or {}).values() or [article.body]
            texts = dict.fromkeys(
                html2plaintext(version) for version in versions if version
            )
            article.body_text = "\n\n".join(texts)

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
    def _title_sql(self, alias=None):
        """The text of every language version of the title, as Odoo's own
        trigram index on a translated field (index="trigram") reads it."""
        return self.env.registry.unaccent(
            SQL(
                "jsonb_path_query_array(%s, '$.*')::text",
                SQL.identifier(alias or self._table, "name"),
            )
        )

    @api.model
    def _tsvector_sql(self):
        """The words and CJK bigrams of the title (weight A) and body (weight
        D), in all languages: the expression of the search_vector column."""
        title = SQL("jsonb_path_query_array(name, '$.*')::text")
        parts = [
            SQL(
                "setweight(to_tsvector('simple', coalesce(%s, '')), %s)",
                text,
                weight,
            )
            for column, weight in ((title, "A"), (SQL("body_text"), "D"))
            for text in (column, SQL("helpdesk_cjk_bigrams(%s)", column))
        ]
        return SQL(" || ").join(parts)

    @api.model
    def _cjk_bigrams(self, word):
        """The bigrams of the word's runs of CJK characters (as the SQL
        function helpdesk_cjk_bigrams)."""
        return [
            run[i : i + 2]
            for run in CJK_RUN_RE.findall(word)
            for i in range(len(run) - 1)
        ]

    @api.model
    def _split_search_text(self, text):
        """The query's words (at most MAX_SEARCH_WORDS), as (words matched by
        prefix in the word index, Chinese/Japanese/Korean words matched as
        substrings)."""
        words = re.findall(r"\w+", (text or "").lower())[:MAX_SEARCH_WORDS]
        cjk = [word for word in words if CJK_RE.search(word)]
        return [word for word in words if word not in cjk], cjk

    @api.model
    def _tsquery_sql(self, words, weight=""):
        """Every word as a prefix; a Russian word also by its stem, so that
        «принтера» finds «принтер» and «принтеры». With ``weight`` "A": in
        the title only."""
        # only \w characters reach to_tsquery: no query-syntax injection
        russian = [f"{word}:*{weight}" for word in words if CYRILLIC_RE.search(word)]
        others = [f"{word}:*{weight}" for word in words if not CYRILLIC_RE.search(word)]
        terms = [SQL("to_tsquery('simple', %s)", " & ".join(others))] if others else []
        terms += [
            SQL("(to_tsquery('russian', %s) || to_tsquery('simple', %s))", w, w)
            for w in russian
        ]
        return SQL("(%s)", SQL(" && ").join(terms))

    @api.model
    def _like_pattern(self, word, translated=False):
        """An ILIKE pattern finding ``word`` anywhere (its wildcards escaped);
        ``translated``: in the JSON text of a translated field."""
        if translated:  # as the word appears in the jsonb text of the title
            word = json.dumps(word, ensure_ascii=False)[1:-1]
        return "%" + re.sub(r"([_%\\])", r"\\\1", word) + "%"

    @api.model
    def _fulltext_query(self, text, limit=10, domain=None):
        """Articles matching every word of ``text`` in any language version of
        the title or body, title matches first, among those the current user
        may read. Words are word prefixes (the client may still be typing);
        Chinese/Japanese/Korean words, which spaces do not delimit, are
        substrings, found in the word index by their bigrams."""
        query = self._fulltext_search_query(text, domain)
        if query is None:
            return self.browse()
        query.limit = limit
        return self.browse(query.get_result_ids())

    @api.model
    def _fulltext_search_query(self, text, domain=None):
        """The ordered query of ``_fulltext_query``, None for a query without
        any word."""
        words, cjk_words = self._split_search_text(text)
        if not words and not cjk_words:
            return None
        self.flush_model(["name", "body_text"])
        query = self._search(domain or [])
        table = query.table
        title = self._title_sql(table)
        body = self.env.registry.unaccent(SQL.identifier(table, "body_text"))
        in_title = []
        ranks = []
        vector = SQL.identifier(table, "search_vector")
        if words:
            tsquery = self._tsquery_sql(words)
            query.add_where(SQL("%s @@ %s", vector, tsquery))
            in_title.append(SQL("%s @@ %s", vector, self._tsquery_sql(words, "A")))
            ranks.append(SQL("ts_rank(%s, %s) DESC", vector, tsquery))
        unaccent = self.env.registry.unaccent
        for word in cjk_words:
            title_match = SQL(
                "%s ILIKE %s",
                title,
                unaccent(SQL("%s", self._like_pattern(word, True))),
            )
            query.add_where(
                SQL(
                    "(%s OR %s ILIKE %s)",
                    title_match,
                    body,
                    unaccent(SQL("%s", self._like_pattern(word))),
                )
            )
            in_title.append(title_match)
            if bigrams := self._cjk_bigrams(word):
                # served by the word index; ILIKE above keeps them contiguous
                grams = SQL("to_tsquery('simple', %s)", " & ".join(bigrams))
                query.add_where(SQL("%s @@ %s", vector, grams))
                ranks.append(SQL("ts_rank(%s, %s) DESC", vector, grams))
        query.order = SQL(", ").join(
            [
                SQL("(%s) DESC", SQL(" AND ").join(in_title)),
                *ranks,
                SQL("%s DESC", SQL.identifier(table, "id")),
            ]
        )
        return query

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
        a write() (no tracking, no write date); safe with many readers at once:
        a view is not worth a wait, so it is not counted while an editor holds
        the article's row (increment_fields_skiplock)."""
        self.ensure_one()
        if not self.env["helpdesk.article.reading"]._record_reading(
            self, reader_key, fields.Date.context_today(self)
        ):
            return False
        self.flush_recordset(["view_count"])
        sql.increment_fields_skiplock(self, "view_count")
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
