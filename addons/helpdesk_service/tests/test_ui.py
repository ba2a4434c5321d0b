from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "helpdesk_service")
class TestUi(HttpCase):
    def test_backend_menu_tour(self):
        """Log in to the backend, open the Helpdesk app: overview and tickets."""
        self.start_tour("/odoo", "helpdesk_service_menu_tour", login="admin")

    def test_create_and_resolve_ticket_tour(self):
        self.start_tour("/odoo", "helpdesk_service_ticket_tour", login="admin")
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour: the scanner is offline")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.stage_kind, "resolved")
        self.assertIn("Restarted the scanner", str(ticket.resolution))
        self.assertTrue(ticket.date_ack)
        self.assertTrue(ticket.date_resolved)
