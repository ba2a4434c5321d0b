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
        cls.env["helpdesk.ticket"].create(
            {"name": "Printer jam", "partner_id": user.partner_id.id}
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
