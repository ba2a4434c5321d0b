from datetime import datetime
from unittest.mock import patch

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalDisplay(HttpCase):
    """Portal dates in the contact's zone and format; the new request form's
    errors where the eye is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        client = cls.env["res.partner"].create(
            {"name": "Zone Client Co", "is_company": True}
        )
        cls.user = new_test_user(
            cls.env, login="hd_portal_zone", groups="base.group_portal"
        )
        cls.user.partner_id.write({"parent_id": client.id, "lang": "en_US"})
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Router reboots",
                "partner_id": cls.user.partner_id.id,
                "date_eta": datetime(2026, 11, 30, 9, 0),
            }
        )
        cls.company = cls.ticket.company_id

    def _eta_text(self):
        self.authenticate("hd_portal_zone", "hd_portal_zone")
        page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.text)
        (line,) = tree.xpath("//p[contains(., 'Expected solution')]")
        return " ".join(line.text_content().split())

    def test_date_in_contact_zone_without_seconds(self):
        self.user.tz = "Europe/Brussels"
        self.company.partner_id.tz = "America/New_York"
        self.assertEqual(self._eta_text(), "Expected solution: 11/30/2026 10:00")

    def test_date_in_company_zone_is_labelled(self):
        self.user.tz = False
        self.company.partner_id.tz = "America/New_York"
        self.assertEqual(
            self._eta_text(), "Expected solution: 11/30/2026 04:00 America/New_York"
        )

    def _new_request_page(self, data=None, files=None):
        self.authenticate("hd_portal_zone", "hd_portal_zone")
        page = self.url_open("/my/tickets/new")
        self.assertEqual(page.status_code, 200)
        if data is None:
            return page
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        return self.url_open(
            "/my/tickets/submit",
            data=dict(data, csrf_token=csrf),
            files=files,
            allow_redirects=False,
        )

    def test_file_limits_checked_in_the_browser(self):
        tree = html.fromstring(self._new_request_page().text)
        (form,) = tree.xpath("//form[hasclass('o_helpdesk_service_ticket_form')]")
        (upload,) = form.xpath(".//input[@name='attachments']")
        self.assertEqual(upload.get("data-max-files"), "5")
        self.assertEqual(upload.get("data-max-bytes"), str(10 * 1024 * 1024))
        # the browser's own errors sit right above the Send button
        (button,) = form.xpath(".//button[@type='submit']")
        previous = button.getprevious()
        self.assertIn("o_helpdesk_service_submit_error", previous.get("class"))

    def test_server_errors_above_the_form(self):
        with patch(
            "odoo.addons.helpdesk_service.controllers.portal.MAX_ATTACHMENT_BYTES", 5
        ):
            response = self._new_request_page(
                {"name": "Big file"},
                files={"attachments": ("big.bin", b"0123456789", "text/plain")},
            )
        self.assertEqual(response.status_code, 400)
        tree = html.fromstring(response.text)
        (summary,) = tree.xpath("//*[@id='request_errors']")
        self.assertIn("big.bin is larger than", summary.text_content())
        (form,) = tree.xpath("//form[hasclass('o_helpdesk_service_ticket_form')]")
        self.assertIs(summary.getnext(), form, "the errors open the form")
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Big file")])
        )

    def test_tour_big_file_refused_in_the_browser(self):
        self.start_tour(
            "/my/tickets/new",
            "helpdesk_service_portal_upload_tour",
            login="hd_portal_zone",
        )
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Tour: big scan")])
        )
