import json

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalLanguage(HttpCase):
    """A Japanese or Russian client reads the portal in his language: the
    addon's own labels come from its ja.po / ru.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        for code in ("ja_JP", "ru_RU"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_service"], ["ja_JP", "ru_RU"]
        )
        client = cls.env["res.partner"].create(
            {"name": "Lang Client Co", "is_company": True}
        )
        cls.users = {}
        for code in ("ja_JP", "ru_RU"):
            login = f"hd_portal_{code.lower()}"
            user = new_test_user(cls.env, login=login, groups="base.group_portal")
            user.partner_id.write({"parent_id": client.id, "lang": code})
            user.lang = code
            cls.users[code] = login
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Printer jam", "partner_id": user.partner_id.id}
        )
        # a knowledge-base article translated into Japanese, none in Russian
        cls.article = cls.env["helpdesk.article"].create(
            {
                "name": "Clearing a paper jam",
                "summary": "Open the tray and pull the sheet.",
                "body": "<p>Open the rear door and pull the sheet out.</p>",
                "state": "published",
                "visibility": "portal",
            }
        )
        cls.article.update_field_translations("name", {"ja_JP": "紙詰まりの解消"})
        cls.article.update_field_translations(
            "summary", {"ja_JP": "トレイを開けて用紙を取り除きます。"}
        )
        cls.article.update_field_translations(
            "body",
            {
                "ja_JP": {
                    "Open the rear door and pull the sheet out.": (
                        "背面のドアを開けて、用紙を引き抜いてください。"
                    )
                }
            },
        )

    def _texts(self, code, url):
        login = self.users[code]
        self.authenticate(login, login)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return " ".join(html.fromstring(page.text).text_content().split())

    def test_ticket_pages_in_the_clients_language(self):
        # the addon's own labels in each language (from its ja.po / ru.po)
        expected = {
            "ja_JP": ["新規お問い合わせ", "件名"],
            "ru_RU": ["Новая заявка"],
        }
        for code, labels in expected.items():
            for url in ("/my/tickets", "/my/tickets/new"):
                text = self._texts(code, url)
                for label in labels:
                    self.assertIn(label, text, f"{code} {url}")
                self.assertNotIn("New request", text, f"{code} {url}")

    def _partner(self, code):
        login = self.users[code]
        return self.env["res.users"].search([("login", "=", login)]).partner_id

    def test_home_and_ticket_page_in_the_clients_language(self):
        ticket = self.ticket.copy({"partner_id": self._partner("ja_JP").id})
        ticket_url = f"/my/tickets/{ticket.id}"
        expected = {
            "ja_JP": {
                "/my": ["ナレッジベース", "トピック別の回答、手順、FAQ"],
                ticket_url: ["ステータス:", "やり取り", "Printer jam"],
            },
            "ru_RU": {
                "/my": ["База знаний", "Ответы и инструкции, FAQ по темам"],
                f"/my/tickets/{self.ticket.id}": [
                    "Статус:",
                    "Переписка",
                    "Printer jam",
                ],
            },
        }
        english = ["Knowledge base", "Answers and how-tos", "Status:", "Conversation"]
        for code, pages in expected.items():
            for url, labels in pages.items():
                text = self._texts(code, url)
                for label in labels:
                    self.assertIn(label, text, f"{code} {url}")
                for label in english:
                    self.assertNotIn(label, text, f"{code} {url}")

    def test_knowledge_base_in_the_readers_language(self):
        article_url = self.article.portal_url
        # Japanese: our labels and the article's Japanese version
        text = self._texts("ja_JP", "/helpdesk/kb")
        self.assertIn("ナレッジベース", text)
        self.assertNotIn("Knowledge base", text)
        text = self._texts("ja_JP", "/helpdesk/kb?search=紙詰まり")
        self.assertIn("紙詰まりの解消", text)
        self.assertIn("トレイを開けて用紙を取り除きます。", text)
        self.assertNotIn("Clearing a paper jam", text)
        # the Japanese word is found in the English reader's search too
        text = self._texts("ru_RU", "/helpdesk/kb?search=用紙")
        self.assertIn("Clearing a paper jam", text)
        text = self._texts("ja_JP", article_url)
        for label in ("紙詰まりの解消", "背面のドアを開けて", "まだお困りですか?"):
            self.assertIn(label, text)
        for label in ("Clearing a paper jam", "Open the rear door", "Still need help"):
            self.assertNotIn(label, text)
        # Russian: no translation, the source text with Russian labels
        text = self._texts("ru_RU", article_url)
        for label in (
            "Clearing a paper jam",
            "Open the rear door and pull the sheet out.",
            "Была ли эта статья полезна?",
        ):
            self.assertIn(label, text)
        self.assertNotIn("Was this article helpful?", text)
        # the suggestions of the new-request form, in the reader's language
        self.authenticate(self.users["ja_JP"], self.users["ja_JP"])
        response = self.url_open(
            "/helpdesk/kb/suggest",
            data=json.dumps({"params": {"query": "紙詰まり"}}),
            headers={"Content-Type": "application/json"},
        )
        names = [item["name"] for item in response.json()["result"]]
        self.assertIn("紙詰まりの解消", names)

    def test_ticket_search_by_part_of_a_japanese_subject(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "レジのプリンターで印刷できない",
                "partner_id": self._partner("ja_JP").id,
            }
        )
        other = self.ticket.copy({"partner_id": self._partner("ja_JP").id})
        text = self._texts("ja_JP", "/my/tickets?search=印刷&filterby=all")
        self.assertIn(ticket.ticket_ref, text)
        self.assertNotIn(other.ticket_ref, text)
