from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import HelpdeskCommonMixin


class KbI18nMixin:
    """Japanese and Russian knowledge-base articles, with the languages on."""

    @classmethod
    def _setup_i18n_articles(cls):
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        for code in ("ja_JP", "ru_RU"):
            cls.env["res.lang"]._activate_lang(code)
        Article = cls.env["helpdesk.article"]
        common = {"state": "published", "visibility": "portal"}
        # written in English, translated into Japanese by an agent
        cls.a_print = Article.create(
            dict(
                common,
                name="Printing problems on the office printer",
                summary="What to try before calling us.",
                body="<p>Turn the power off and on, then print again.</p>",
            )
        )
        cls.a_print.update_field_translations(
            "name", {"ja_JP": "オフィスプリンターの印刷トラブル"}
        )
        cls.a_print.update_field_translations(
            "summary", {"ja_JP": "お問い合わせの前にお試しください。"}
        )
        cls.a_print.update_field_translations(
            "body",
            {
                "ja_JP": {
                    "Turn the power off and on, then print again.": (
                        "電源を入れ直してから、もう一度印刷してください。"
                    )
                }
            },
        )
        # written in Japanese: 電源 in the title here, in the body above
        cls.a_power = Article.create(
            dict(
                common,
                name="電源ユニットの交換",
                body="<p>交換用のユニットは倉庫にあります。</p>",
            )
        )
        cls.a_russian = Article.create(
            dict(
                common,
                name="Замена картриджа принтера",
                body="<p>Если принтер не печатает, проверьте картриджи.</p>",
            )
        )
        # what a client must not find
        cls.a_internal = Article.create(
            dict(common, name="印刷サーバーの管理者手順", visibility="internal")
        )
        cls.a_draft = Article.create(
            {"name": "印刷の新しい手順（下書き）", "visibility": "portal"}
        )
        cls.other_company = cls.env["res.company"].create({"name": "他社"})
        cls.a_other_company = Article.create(
            dict(
                common,
                name="他社の印刷マニュアル",
                company_id=cls.other_company.id,
            )
        )
        cls.articles = (
            cls.a_print
            | cls.a_power
            | cls.a_russian
            | cls.a_internal
            | cls.a_draft
            | cls.a_other_company
        )


@tagged("post_install", "-at_install", "helpdesk_service")
class TestKbSearchI18n(HelpdeskCommonMixin, KbI18nMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls._setup_i18n_articles()
        cls.portal_user = new_test_user(
            cls.env, login="hd_kb_i18n_portal", groups="base.group_portal"
        )

    def _find(self, text, user=None):
        Article = self.env["helpdesk.article"]
        if user:
            Article = Article.with_user(user)
        # only the articles of this test, in the order of the search
        return Article._fulltext_query(
            text, limit=None, domain=[("id", "in", self.articles.ids)]
        )

    def test_japanese_two_character_words(self):
        # the Japanese translation of the title and of the body is searched,
        # whatever the reader's language
        self.assertEqual(
            self._find("印刷"),
            self.a_print | self.a_internal | self.a_draft | self.a_other_company,
        )
        self.assertEqual(self._find("トラブル"), self.a_print)
        # 電源: in the title of one, in the body of the other: title first
        self.assertEqual(self._find("電源").ids, [self.a_power.id, self.a_print.id])
        self.assertEqual(
            self.env["helpdesk.article"]
            .with_context(lang="ja_JP")
            ._fulltext_query("電源", domain=[("id", "in", self.articles.ids)])
            .ids,
            [self.a_power.id, self.a_print.id],
        )
        # every word must match; punctuation and spaces separate words
        self.assertEqual(self._find("印刷　電源"), self.a_print)
        self.assertEqual(self._find("印刷、電源。"), self.a_print)
        self.assertFalse(self._find("印刷 倉庫"))
        # Japanese and English words together
        self.assertEqual(self._find("office 印刷"), self.a_print)
        # a LIKE wildcard is a plain character ("_" is part of a word)
        self.assertFalse(self._find("印_"))
        # the backend search view's "Content" field
        self.assertEqual(
            self.env["helpdesk.article"].search(
                [("search_text", "ilike", "倉庫"), ("id", "in", self.articles.ids)]
            ),
            self.a_power,
        )

    def test_title_matches_first(self):
        Article = self.env["helpdesk.article"]
        in_body = Article.create(
            {"name": "Spare parts", "body": "<p>Zorbex and картридж spares.</p>"}
        )
        in_title = Article.create(
            {"name": "Zorbex картриджи", "body": "<p>Where they are.</p>"}
        )
        for text in ("zorbex", "картриджей"):
            found = Article._fulltext_query(
                text, domain=[("id", "in", (in_body | in_title).ids)]
            )
            self.assertEqual(found.ids, [in_title.id, in_body.id], text)

    def test_russian_inflected_words(self):
        # «принтер» / «принтера» / «принтеры»: the stem is searched as a prefix
        for word in ("принтер", "принтера", "Принтеры", "принтеров", "картриджи"):
            self.assertEqual(self._find(word), self.a_russian, word)
        self.assertEqual(self._find("замена картриджей"), self.a_russian)
        self.assertFalse(self._find("сканер"))
        # a stop word alone does not empty the query
        self.assertFalse(self._find("не сканер"))
        self.assertEqual(self._find("не печатает"), self.a_russian)

    def test_record_rules_still_apply(self):
        found = self._find("印刷", user=self.portal_user)
        self.assertEqual(found, self.a_print, "no internal, draft, other-company")
        suggested = (
            self.env["helpdesk.article"]
            .with_user(self.portal_user)
            ._portal_suggest("印刷", limit=20)
        )
        self.assertIn(self.a_print, suggested)
        self.assertFalse(suggested & (self.a_internal | self.a_draft))
        self.assertFalse(suggested & self.a_other_company)

    def test_translations_and_fallback(self):
        article = self.a_print
        ja = article.with_context(lang="ja_JP")
        self.assertEqual(ja.name, "オフィスプリンターの印刷トラブル")
        self.assertEqual(ja.summary, "お問い合わせの前にお試しください。")
        self.assertIn("電源を入れ直してから", ja.body)
        # no Russian version: the source text
        ru = article.with_context(lang="ru_RU")
        self.assertEqual(ru.name, "Printing problems on the office printer")
        self.assertIn("Turn the power off and on", ru.body)
        self.assertEqual(
            article.with_context(lang="en_US").name,
            "Printing problems on the office printer",
        )
        # the searched text holds every language version of the body
        self.assertIn("Turn the power off and on", article.body_text)
        self.assertIn("電源を入れ直してから", article.body_text)
        # a new Russian translation is searched at once
        article.update_field_translations(
            "body",
            {
                "ru_RU": {
                    "Turn the power off and on, then print again.": (
                        "Выключите и включите питание, затем повторите печать."
                    )
                }
            },
        )
        self.assertEqual(self._find("питания"), article)

    def test_indexes_serve_the_search(self):
        """The word index serves every query, Japanese words of two
        characters included (through their bigrams): no table scan."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SET LOCAL enable_seqscan = off")
        Article = self.env["helpdesk.article"].with_context(active_test=False)
        for text, index in (
            ("プリンター", "helpdesk_article_search_vector_idx"),
            ("印刷", "helpdesk_article_search_vector_idx"),
            ("printing", "helpdesk_article_search_vector_idx"),
            ("принтера", "helpdesk_article_search_vector_idx"),
        ):
            sql = Article._fulltext_search_query(text).select()
            cr.execute(SQL("EXPLAIN %s", sql))
            plan = "\n".join(row[0] for row in cr.fetchall())
            self.assertIn(index, plan, text)

    def test_ticket_subject_by_part_of_a_word(self):
        tickets = self.Ticket.create(
            [
                {"name": "事務所のプリンターで印刷できない", "team_id": self.team.id},
                {"name": "Принтер не печатает счета", "team_id": self.team.id},
            ]
        )
        Ticket = self.Ticket.with_user(self.agent_a)
        mine = [("id", "in", tickets.ids)]
        self.assertEqual(Ticket.search(mine + [("name", "ilike", "印刷")]), tickets[0])
        self.assertEqual(
            Ticket.search(mine + [("name", "ilike", "печата")]), tickets[1]
        )
        self.assertIn(tickets[0].id, [r[0] for r in Ticket.name_search("プリンター")])
        # the subject's trigram index serves it
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        query = (
            Ticket.sudo()
            .with_context(active_test=False)
            ._search([("name", "ilike", "プリンター")])
        )
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("helpdesk_ticket__name_index", plan)
