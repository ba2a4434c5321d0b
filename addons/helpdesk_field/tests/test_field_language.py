from lxml import html

from odoo.tests import HttpCase, tagged

from .test_field_ui import FieldHttpCommon


@tagged("post_install", "-at_install", "helpdesk_field")
class TestFieldLanguage(FieldHttpCommon, HttpCase):
    """A Japanese engineer works in Japanese on /field: the addons' own
    labels come from their ja.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ja_JP")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_service", "helpdesk_field"], ["ja_JP"]
        )
        cls.engineer.lang = "ja_JP"

    def _texts(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return " ".join(html.fromstring(page.text).text_content().split())

    def test_workspace_in_japanese(self):
        self.authenticate("hf_engineer", "hf_engineer")
        pages = {
            "/field": (["今日の自分の訪問", "予定済"], ["My visits today", "Planned"]),
            f"/field/visit/{self.visit.id}": (
                ["自分の訪問", "到着まで", "移動開始", "到着", "30 分"],
                ["My visits", "I arrive in", "On my way", "Arrived", "30 min"],
            ),
        }
        for url, (japanese, english) in pages.items():
            text = self._texts(url)
            for label in japanese:
                self.assertIn(label, text, url)
            for label in english:
                self.assertNotIn(label, text, url)
