from odoo.tests import tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestInvoiceLanguage(HelpdeskBillingCommon):
    """The invoice's ticket annex is printed in the client's language, like
    the rest of Odoo's invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.write(
            {"helpdesk_included_hours": 0.0, "helpdesk_overage_rate": 0.0}
        )
        cls.ticket = cls._ticket()
        cls._work(cls.ticket, cls.drum)
        for code in ("ja_JP", "ru_RU"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_billing"], ["ja_JP", "ru_RU"]
        )

    def test_annex_in_the_clients_language(self):
        invoice = self._run_wizard()
        self.assertEqual(invoice.partner_id, self.client)
        expected = {
            "ja_JP": "別紙：サービスデスクチケット",
            "ru_RU": "Приложение: заявки службы поддержки",
        }
        for code, heading in expected.items():
            with self.subTest(lang=code):
                self.client.lang = code
                # printed by an English-speaking accountant
                html = (
                    self.env["ir.actions.report"]
                    .with_context(lang="en_US")
                    ._render_qweb_html("account.report_invoice", invoice.ids)[0]
                    .decode()
                )
                self.assertIn(heading, html)
                self.assertNotIn("Annex: service desk tickets", html)
                self.assertIn(self.ticket.ticket_ref, html)
