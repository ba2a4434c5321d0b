from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestAssignment(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.skill = cls.env["helpdesk.skill"].create(
            {"name": "Till repair skills (test)"}
        )
        cls.type_cash = cls.env["helpdesk.ticket.type"].create(
            {"name": "Till repair", "skill_id": cls.skill.id, "skill_level": "2"}
        )
        cls.team.member_ids |= cls.agent_c

    def _batch(self, count, **vals):
        values = {"partner_id": self.contact.id, "team_id": self.team.id}
        values.update(vals)
        return self.Ticket.create([dict(values, name=f"T{i}") for i in range(count)])

    def test_manual_leaves_tickets_unassigned(self):
        self.team.assign_method = "manual"
        self.assertFalse(self._batch(3).user_id)

    def test_round_robin_in_batch_and_across_calls(self):
        self.team.assign_method = "round_robin"
        tickets = self._batch(4)
        members = self.team.member_ids.sorted("id")
        self.assertEqual(tickets.mapped("user_id").ids, members.ids)
        self.assertEqual(
            [t.user_id for t in tickets],
            [members[0], members[1], members[2], members[0]],
        )
        nxt = self._batch(1)
        self.assertEqual(nxt.user_id, members[1], "continues after the last assignee")
        self.assertEqual(
            nxt.event_ids.filtered(lambda e: e.event_type == "assigned").new_value,
            members[1].name,
        )

    def test_least_open_tickets(self):
        self.team.assign_method = "manual"
        self._batch(2, user_id=self.agent_a.id)
        self._batch(1, user_id=self.agent_b.id)
        closed = self._batch(5, user_id=self.agent_c.id)
        closed.stage_id = self.stage_closed  # closed tickets are no load
        self._batch(1, user_id=self.agent_c.id)
        self.team.assign_method = "least_open"
        tickets = self._batch(3)
        # loads before: a=2, b=1, c=1 (closed tickets are no load); ties go to
        # the lowest id: b, then c, then a, b and c are even and a comes first
        self.assertEqual(
            [t.user_id for t in tickets], [self.agent_b, self.agent_c, self.agent_a]
        )

    def test_by_skill(self):
        self.team.assign_method = "skill"
        self.env["helpdesk.agent.skill"].create(
            [
                {"user_id": self.agent_a.id, "skill_id": self.skill.id, "level": "1"},
                {"user_id": self.agent_c.id, "skill_id": self.skill.id, "level": "3"},
            ]
        )
        tickets = self._batch(3, type_id=self.type_cash.id)
        self.assertEqual(tickets.user_id, self.agent_c, "only C has the level required")
        # a type without skill falls back to the least loaded member
        other = self._batch(1)
        self.assertIn(other.user_id, self.agent_a | self.agent_b)

    def test_skill_unique_per_agent(self):
        self.env["helpdesk.agent.skill"].create(
            {"user_id": self.agent_a.id, "skill_id": self.skill.id}
        )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["helpdesk.agent.skill"].create(
                {"user_id": self.agent_a.id, "skill_id": self.skill.id}
            )
