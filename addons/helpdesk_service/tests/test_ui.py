from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "helpdesk_service")
class TestUi(HttpCase):
    def test_backend_menu_tour(self):
        """An agent logs in to the backend and opens the Helpdesk app: the
        overview counts his team's tickets and none of a team he is not in."""
        agent = new_test_user(
            self.env,
            login="hd_tour_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        Team = self.env["helpdesk.team"]
        team = Team.create({"name": "Tour Desk", "member_ids": [(6, 0, agent.ids)]})
        lab = Team.create({"name": "Private Lab", "visibility": "members"})
        self.env["helpdesk.ticket"].create(
            [
                {"name": "Tour menu: toner empty", "team_id": team.id},
                {"name": "Tour menu: paper jam", "team_id": team.id},
                {"name": "Tour menu: lab secret", "team_id": lab.id},
            ]
        )
        self.start_tour("/odoo", "helpdesk_service_menu_tour", login="hd_tour_agent")

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
