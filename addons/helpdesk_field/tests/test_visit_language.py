import io

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.sms.tests.common import SMSCase

from .common import MONDAY, HelpdeskFieldCommon

# a phrase of each SMS, in English and as ja.po / ru.po say it
SMS_PHRASES = {
    "en_US": ("is on the way", "has arrived at Main shop", "is done"),
    "ja_JP": (
        "がそちらへ向かっております",
        "がMain shopに到着しました",
        "訪問作業が完了しました",
    ),
    "ru_RU": ("выехал по заявке", "прибыл на место (Main shop)", "завершен"),
}


@tagged("post_install", "-at_install", "helpdesk_field")
class TestVisitLanguage(HelpdeskFieldCommon, SMSCase):
    """The client reads the visit's SMS and its report in his own language,
    whatever the engineer's; the PDF shows Japanese glyphs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        for code in ("ja_JP", "ru_RU"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_field"], ["ja_JP", "ru_RU"]
        )
        cls.tickets = {}
        for code in ("ja_JP", "ru_RU"):
            contact = cls.env["res.partner"].create(
                {
                    "name": f"Contact {code}",
                    "parent_id": cls.client.id,
                    "mobile": "+32 470 12 34 57",
                    "lang": code,
                }
            )
            cls.site.contact_ids = [Command.link(contact.id)]
            cls.tickets[code] = cls.env["helpdesk.ticket"].create(
                {
                    "name": "Till #3 does not print",
                    "partner_id": contact.id,
                    "team_id": cls.team.id,
                    "site_id": cls.site.id,
                }
            )

    def _visit(self, code):
        return self._create_visit(ticket_id=self.tickets[code].id)

    def _sms_bodies(self, visit):
        return (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "helpdesk.visit"),
                    ("mail_message_id.res_id", "=", visit.id),
                ],
                order="id",
            )
            .mapped("body")
        )

    def test_sms_in_the_contacts_language(self):
        for code in ("ja_JP", "ru_RU"):
            # an English-speaking engineer works through the visit
            visit = self._visit(code).with_user(self.engineer)
            self.assertEqual(visit.partner_id.lang, code)
            with self.mockSMSGateway(), freeze_time(MONDAY.replace(hour=9)):
                visit.action_on_my_way(eta_minutes=30)
                visit.action_arrived()
                visit.action_depart()
                visit.action_confirm_done(labour_minutes=30)
            bodies = self._sms_bodies(visit)
            self.assertEqual(len(bodies), 3, code)
            for body, phrase, english in zip(
                bodies, SMS_PHRASES[code], SMS_PHRASES["en_US"], strict=True
            ):
                with self.subTest(lang=code, sms=english):
                    self.assertIn(phrase, body)
                    self.assertNotIn(english, body)
                    self.assertIn(visit.ticket_id.ticket_ref, body)

    def test_company_template_without_language(self):
        """A company's own template with no language: the client's all the
        same."""
        template = self.env.ref("helpdesk_field.sms_template_visit_arrived").copy(
            {"lang": False}
        )
        self.company.helpdesk_visit_sms_arrived_template_id = template
        visit = self._visit("ja_JP")
        self.assertIn("に到着しました", visit._render_client_text("arrived"))

    def test_report_in_the_clients_language(self):
        visit = self._visit("ja_JP")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.engineer)
            ._render_qweb_html(
                "helpdesk_field.action_report_helpdesk_visit", visit.ids
            )[0]
            .decode()
        )
        for label in ("作業報告書", "顧客", "エンジニア"):
            self.assertIn(label, html)
        self.assertNotIn("Engineer", html)
        # dates in the language's own format (2026年11月29日), not a fixed pattern
        self.assertRegex(html, r"\d{4}年\d{2}月\d{2}日")

    def test_report_pdf_shows_japanese_glyphs(self):
        """wkhtmltopdf finds a CJK font (the setup installs fonts-noto-cjk):
        the PDF embeds it and its text reads in Japanese."""
        visit = self._visit("ja_JP")
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("helpdesk_field.action_report_helpdesk_visit", visit.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertIn(b"NotoSansCJK", content)
        reader = PdfFileReader(io.BytesIO(content))
        # the PDF's words come out one per line: compare without white space
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        for label in ("作業報告書", "顧客", "エンジニア", "顧客の署名はありません。"):
            self.assertIn(label, text)
