from odoo.tests import HttpCase, new_test_user, tagged

from .common import MONDAY, HelpdeskFieldCommon


@tagged("post_install", "-at_install", "helpdesk_field")
class TestPortalVisits(HelpdeskFieldCommon, HttpCase):
    """The client's contacts see the visits of their tickets on the ticket
    page: date, engineer, status, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.visit = cls._create_visit(
            start=MONDAY.replace(hour=9),
            instructions="<p>Key under the doormat</p>",
            note="Internal remark",
        )
        cls.cancelled = cls._create_visit(start=MONDAY.replace(hour=14))
        cls.cancelled.action_cancel()
        cls.client_user = new_test_user(
            cls.env, login="hf_client", name="Clara Client", groups="base.group_portal"
        )
        cls.client_user.partner_id.write(
            {"parent_id": cls.client.id, "helpdesk_portal_scope": "company"}
        )
        other_client = cls.env["res.partner"].create(
            {"name": "Other Bakery", "is_company": True}
        )
        cls.stranger = new_test_user(
            cls.env,
            login="hf_stranger",
            name="Sam Stranger",
            groups="base.group_portal",
        )
        cls.stranger.partner_id.parent_id = other_client

    def test_client_sees_visits_on_ticket_page(self):
        self.authenticate("hf_client", "hf_client")
        page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_helpdesk_field_portal_visits", page.text)
        self.assertEqual(page.text.count('o_helpdesk_field_portal_visit"'), 1)
        self.assertIn("Tom Field", page.text)
        self.assertIn("Planned", page.text)
        # in the client's language format, here in UTC (he has no zone)
        self.assertIn("03/02/2026 09:00", page.text)
        # only date, engineer and status
        for hidden in ("Key under the doormat", "Internal remark", self.visit.name):
            self.assertNotIn(hidden, page.text)

    def test_portal_has_no_access_to_visits(self):
        self.assertFalse(
            self.env["helpdesk.visit"].with_user(self.client_user).has_access("read")
        )

    def test_other_client_sees_nothing(self):
        self.authenticate("hf_stranger", "hf_stranger")
        page = self.url_open(f"/my/tickets/{self.ticket.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        page = self.url_open(
            f"/my/visits/{self.visit.id}/report", allow_redirects=False
        )
        self.assertEqual(page.status_code, 303)

    def test_ticket_without_visit(self):
        self.visit.unlink()
        self.authenticate("hf_client", "hf_client")
        page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertNotIn("o_helpdesk_field_portal_visits", page.text)
