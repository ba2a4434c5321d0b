import re

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalBadInput(HttpCase):
    """What no form of ours sends (NUL bytes, unknown choices, ids and page
    numbers out of range, too long texts, too large uploads) gets a clear
    error, never a 500, and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        cls.client = env["res.partner"].create(
            {"name": "Input Client Co", "is_company": True}
        )
        cls.user = new_test_user(
            env, login="hd_input_portal", groups="base.group_portal"
        )
        cls.partner = cls.user.partner_id
        cls.partner.parent_id = cls.client
        cls.ticket = env["helpdesk.ticket"].create(
            {"name": "Input printer", "partner_id": cls.partner.id}
        )
        cls.ticket_type = env["helpdesk.ticket.type"].create({"name": "Input type"})

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _submit(self, data, files=None):
        csrf = self._csrf("/my/tickets/new")
        return self.url_open(
            "/my/tickets/submit",
            data=dict(data, csrf_token=csrf),
            files=files,
            allow_redirects=False,
        )

    def _new_tickets(self):
        return self.env["helpdesk.ticket"].search(
            [("partner_id", "=", self.partner.id), ("id", "!=", self.ticket.id)]
        )

    def test_control_characters_in_searches_are_refused(self):
        self.authenticate("hd_input_portal", "hd_input_portal")
        for url in (
            "/my/tickets?search=a%00b",
            "/my/equipment?search=a%00b",
            "/helpdesk/kb?search=a%00b",
            "/my/tickets?search=%01",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 400, url)
            self.assertIn("characters that are not allowed", response.text, url)
        page = self.url_open("/my/tickets?search=Input&filterby=all")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.ticket.ticket_ref, page.text)

    def test_pagers_and_ids_out_of_range(self):
        self.authenticate("hd_input_portal", "hd_input_portal")
        for url in (
            "/my/tickets?page=%C2%B2",  # a superscript 2: a digit int() refuses
            "/my/tickets?page=abc",
            "/my/tickets?page=-1",
            "/my/tickets/page/99999999999999",
            "/my/equipment?page=%C2%B2",
            "/my/tickets?equipment_id=99999999999999999",
            "/helpdesk/kb?search=printer&page=%C2%B2",
        ):
            self.assertEqual(self.url_open(url).status_code, 200, url)
        for url in ("/my/tickets/99999999999999999", "/my/equipment/99999999999999"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)

    def test_ticket_form_refuses_bad_values(self):
        self.authenticate("hd_input_portal", "hd_input_portal")
        for data, message in (
            ({"name": "a\x00b"}, "The subject contains characters"),
            ({"name": "Nul", "description": "x\x00y"}, "The description contains"),
            ({"name": "Type", "type_id": "99999999999"}, "Choose one of the categor"),
            ({"name": "Type", "type_id": "abc"}, "Choose one of the categor"),
            ({"name": "Urgent", "priority": "3"}, "Choose one of the priorities"),
        ):
            response = self._submit(data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn(message, response.text, data)
            self.assertNotIn("\x00", response.text)
        # a file field sent under the subject's name
        csrf = self._csrf("/my/tickets/new")
        response = self.url_open(
            "/my/tickets/submit",
            data={"csrf_token": csrf},
            files={"name": ("name.txt", b"x")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_tickets())
        # valid values go through; a file name loses its control characters
        response = self._submit(
            {"name": "Valid", "type_id": str(self.ticket_type.id), "priority": "2"},
            files={"attachments": ("scan\x1b.txt", b"scan", "text/plain")},
        )
        self.assertEqual(response.status_code, 303)
        ticket = self._new_tickets()
        self.assertEqual(
            (ticket.name, ticket.type_id, ticket.priority),
            ("Valid", self.ticket_type, "2"),
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "scan.txt")

    def test_reopen_reason_over_the_limit_is_refused(self):
        self.ticket.stage_id = self.env.ref("helpdesk_service.helpdesk_stage_closed")
        self.authenticate("hd_input_portal", "hd_input_portal")
        url = f"/my/tickets/{self.ticket.id}"
        csrf = self._csrf(url)
        for reason, error in (
            ("x" * 2001, "reason_length"),
            ("a\x00b", "reason_invalid"),
        ):
            response = self.url_open(
                f"{url}/reopen",
                data={"csrf_token": csrf, "reason": reason},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 303)
            self.assertIn(f"error={error}", response.headers["Location"])
            self.assertEqual(self.ticket.stage_kind, "closed")
        page = self.url_open(f"{url}?error=reason_length")
        self.assertIn("longer than 2,000 characters", page.text)
        # 2,000 characters are kept whole
        self.url_open(f"{url}/reopen", data={"csrf_token": csrf, "reason": "y" * 2000})
        self.assertEqual(self.ticket.reopen_count, 1)
        self.assertIn("y" * 2000, str(self.ticket.message_ids.mapped("body")))

    def test_upload_over_the_request_limit_is_a_413(self):
        """werkzeug refuses a file part holding more than 10 MB after its last
        line break while parsing the form: a 413 page that says so (it was a
        418 page), no ticket."""
        self.authenticate("hd_input_portal", "hd_input_portal")
        response = self._submit(
            {"name": "Huge file"},
            files={"attachments": ("huge.bin", b"\n" + b"0" * 10 * 1024 * 1024)},
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("too large to be received", response.text)
        self.assertFalse(self._new_tickets())
