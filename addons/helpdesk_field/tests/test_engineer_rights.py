from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import MONDAY, HelpdeskFieldCommon


@tagged("helpdesk_field")
class TestEngineerRights(HelpdeskFieldCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.visit = cls._create_visit()
        cls.visit2 = cls._create_visit(
            start=MONDAY.replace(hour=14), user_id=cls.engineer2.id
        )

    def test_engineer_works_on_tickets_like_an_agent(self):
        self.assertTrue(self.engineer.has_group("helpdesk_service.group_helpdesk_user"))
        ticket = self.ticket.with_user(self.engineer)
        ticket.action_assign_to_me()
        self.assertEqual(ticket.user_id, self.engineer)

    def test_engineer_is_not_a_manager(self):
        self.assertFalse(
            self.engineer.has_group("helpdesk_service.group_helpdesk_manager")
        )
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.engineer).unlink()

    def test_engineer_sees_only_his_visits(self):
        Visit = self.Visit.with_user(self.engineer)
        self.assertEqual(Visit.search([]), self.visit)
        self.visit.with_user(self.engineer).check_access("write")
        with self.assertRaises(AccessError):
            self.visit2.with_user(self.engineer).read(["name"])
        with self.assertRaises(AccessError):
            self.visit2.with_user(self.engineer).write({"note": "not mine"})
        with self.assertRaises(AccessError):
            self.visit.with_user(self.engineer).unlink()
        self.assertEqual(self.ticket.with_user(self.engineer).visit_count, 1)

    def test_engineer_sees_the_tickets_of_his_visits(self):
        """engineer2 is not in the team (members only): his visit opens the
        ticket, its work lines, site and equipment to him."""
        ticket = self.ticket.with_user(self.engineer2)
        ticket.check_access("read")
        self.assertEqual(ticket.site_id.name, "Main shop")
        self.assertEqual(ticket.equipment_ids.serial_number, "CR-0002")
        self.visit2.action_arrived()
        work = self.visit2.with_user(self.engineer2)._add_work(self.work_diag, 1)
        self.assertEqual(work.visit_id, self.visit2)
        # without a visit, the team's ticket stays hidden
        other = self.env["helpdesk.ticket"].create(
            {"name": "Not his", "partner_id": self.contact.id, "team_id": self.team.id}
        )
        with self.assertRaises(AccessError):
            other.with_user(self.engineer2).read(["name"])

    def test_dispatchers_see_their_teams_visits(self):
        on_ticket = [("ticket_id", "=", self.ticket.id)]
        self.assertEqual(
            self.Visit.with_user(self.dispatcher).search(on_ticket),
            self.visit | self.visit2,
        )
        self.visit2.with_user(self.dispatcher).write({"note": "Bring a ladder"})
        # not in the team (members only): nothing
        self.assertFalse(self.Visit.with_user(self.outsider).search(on_ticket))
        with self.assertRaises(AccessError):
            self.visit.with_user(self.outsider).read(["name"])
