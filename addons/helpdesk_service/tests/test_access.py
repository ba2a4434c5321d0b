from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestAccess(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.public_ticket = cls.Ticket.create(
            {
                "name": "Public team",
                "team_id": cls.team.id,
                "partner_id": cls.contact.id,
            }
        )
        cls.private_ticket = cls.Ticket.create(
            {
                "name": "Private team",
                "team_id": cls.team_private.id,
                "partner_id": cls.contact.id,
            }
        )
        cls.internal_user = cls.env["res.users"].create(
            {
                "name": "Plain employee",
                "login": "hd_plain",
                "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])],
            }
        )

    def test_team_visibility(self):
        Ticket = self.Ticket.with_user(self.agent_a)
        visible = Ticket.search(
            [("id", "in", (self.public_ticket | self.private_ticket).ids)]
        )
        self.assertEqual(visible, self.public_ticket)
        with self.assertRaises(AccessError):
            self.private_ticket.with_user(self.agent_a).read(["name"])
        # members of the private team and managers see it
        self.assertTrue(self.private_ticket.with_user(self.agent_c).read(["name"]))
        self.assertTrue(self.private_ticket.with_user(self.manager).read(["name"]))
        # an agent sees a ticket assigned to him even in a private team
        self.private_ticket.user_id = self.agent_a
        self.assertTrue(self.private_ticket.with_user(self.agent_a).read(["name"]))
        # the timeline follows the ticket's visibility
        self.private_ticket.user_id = False
        Event = self.env["helpdesk.ticket.event"].with_user(self.agent_a)
        self.assertFalse(Event.search([("ticket_id", "=", self.private_ticket.id)]))

    def test_agents_cannot_delete_or_configure(self):
        with self.assertRaises(AccessError):
            self.public_ticket.with_user(self.agent_a).unlink()
        with self.assertRaises(AccessError):
            self.team.with_user(self.agent_a).write({"name": "Hijacked"})
        with self.assertRaises(AccessError):
            self.stage_new.with_user(self.agent_a).write({"name": "Hijacked"})
        self.team.with_user(self.manager).write({"name": "Renamed"})

    def test_employees_without_helpdesk_rights_see_nothing(self):
        with self.assertRaises(AccessError):
            self.Ticket.with_user(self.internal_user).search([])
        self.assertEqual(
            self.client.with_user(self.internal_user).helpdesk_ticket_count, 0
        )

    def test_multi_company(self):
        company2 = self.env["res.company"].create({"name": "Second Co"})
        other = self.Ticket.create(
            {"name": "Second company ticket", "company_id": company2.id}
        )
        self.assertEqual(other.company_id, company2)
        self.assertFalse(
            self.Ticket.with_user(self.manager).search([("id", "=", other.id)]),
            "the manager is not in the second company",
        )
        self.manager.company_ids |= company2
        self.assertEqual(
            self.Ticket.with_user(self.manager)
            .with_context(allowed_company_ids=[company2.id])
            .search([("id", "=", other.id)]),
            other,
        )

    def test_report_models_follow_the_tickets_rights(self):
        Line = self.env["helpdesk.ticket.sla"]
        private_lines = Line.search([("ticket_id", "=", self.private_ticket.id)])
        self.assertTrue(private_lines, "the default policy gives targets")
        self.assertFalse(
            Line.with_user(self.agent_a).search([("id", "in", private_lines.ids)])
        )
        self.assertEqual(
            Line.with_user(self.agent_c).search([("id", "in", private_lines.ids)]),
            private_lines,
        )
        with self.assertRaises(AccessError):
            private_lines.with_user(self.agent_c).write({"status": "met"})
        for model in ("helpdesk.ticket.sla", "helpdesk.kpi", "helpdesk.sla"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.env["helpdesk.sla"].with_user(self.agent_a).create(
                {"name": "Agent's own promise", "ack_minutes": 1}
            )
