from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestAssignment(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        # hr_skills: a skill type with its levels, a skill, the agents' employees
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Tills (test)",
                "skill_level_ids": [
                    Command.create({"name": "Beginner", "level_progress": 20}),
                    Command.create({"name": "Advanced", "level_progress": 60}),
                    Command.create({"name": "Master", "level_progress": 100}),
                ],
            }
        )
        cls.beginner, cls.advanced, cls.master = cls.skill_type.skill_level_ids.sorted(
            "level_progress"
        )
        cls.skill = cls.env["hr.skill"].create(
            {"name": "Till repair (test)", "skill_type_id": cls.skill_type.id}
        )
        cls.type_cash = cls.env["helpdesk.ticket.type"].create(
            {
                "name": "Till repair",
                "skill_id": cls.skill.id,
                "skill_level_id": cls.advanced.id,
            }
        )
        cls.team.member_ids |= cls.agent_c
        cls.other_company = cls.env["res.company"].create({"name": "Other (test)"})
        cls.employee_a, cls.employee_b, cls.employee_c = cls.env["hr.employee"].create(
            [
                {
                    "name": agent.name,
                    "user_id": agent.id,
                    "company_id": cls.team.company_id.id,
                }
                for agent in (cls.agent_a, cls.agent_b, cls.agent_c)
            ]
        )

    def _give_skill(self, employee, level, skill=None):
        return self.env["hr.employee.skill"].create(
            {
                "employee_id": employee.id,
                "skill_type_id": self.skill_type.id,
                "skill_id": (skill or self.skill).id,
                "skill_level_id": level.id,
            }
        )

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
        self._give_skill(self.employee_a, self.beginner)
        self._give_skill(self.employee_c, self.master)
        tickets = self._batch(3, type_id=self.type_cash.id)
        self.assertEqual(tickets.user_id, self.agent_c, "only C has the level required")
        # a type without skill falls back to the least loaded member
        other = self._batch(1)
        self.assertIn(other.user_id, self.agent_a | self.agent_b)

    def test_by_skill_level_reached_exactly(self):
        """The minimum level counts by progress: the level itself is enough,
        and among the skilled agents the least loaded comes first."""
        self.team.assign_method = "skill"
        self._give_skill(self.employee_a, self.advanced)
        self._give_skill(self.employee_b, self.beginner)
        self._give_skill(self.employee_c, self.master)
        tickets = self._batch(4, type_id=self.type_cash.id)
        self.assertEqual(
            [t.user_id for t in tickets],
            [self.agent_a, self.agent_c, self.agent_a, self.agent_c],
        )
        # without a minimum level, any level of the skill will do
        self.type_cash.skill_level_id = False
        self.assertIn(self._batch(1, type_id=self.type_cash.id).user_id, self.agent_b)

    def test_by_skill_employee_of_the_ticket_company(self):
        """The skills of the agent's employee in the team's company count, not
        those of an employee in another company nor of an archived one."""
        self.team.assign_method = "skill"
        elsewhere = self.env["hr.employee"].create(
            {
                "name": "Agent B elsewhere",
                "user_id": self.agent_b.id,
                "company_id": self.other_company.id,
            }
        )
        self._give_skill(elsewhere, self.master)
        self._give_skill(self.employee_c, self.master)
        self.employee_c.active = False
        self._give_skill(self.employee_a, self.advanced)
        tickets = self._batch(2, type_id=self.type_cash.id)
        self.assertEqual(tickets.user_id, self.agent_a)

    def test_by_skill_nobody_skilled_falls_back(self):
        self.team.assign_method = "skill"
        self._give_skill(self.employee_a, self.beginner)
        tickets = self._batch(3, type_id=self.type_cash.id)
        self.assertEqual(
            tickets.user_id, self.team.member_ids, "the least loaded members in turn"
        )

    def test_skill_lookup_is_one_read_for_all_agents(self):
        """The skills of every member are read at once: one query for a team
        of three as for a team of six (no query per agent)."""
        self._give_skill(self.employee_a, self.advanced)
        self._give_skill(self.employee_c, self.master)
        more = self.env["res.users"].create(
            [
                {"name": f"Agent {i} (test)", "login": f"hd_skill_agent_{i}"}
                for i in range(3)
            ]
        )
        employees = self.env["hr.employee"].create(
            [{"name": user.name, "user_id": user.id} for user in more]
        )
        for employee in employees:
            self._give_skill(employee, self.master)
        members = self.team.member_ids
        for users, expected in ((members, 2), (members | more, 5)):
            self.env.flush_all()
            self.env.invalidate_all()
            self.team.fetch(["company_id"])  # read before counting
            with self.assertQueryCount(1):
                progress = self.team._get_agent_skill_progress(users, self.skill)
            self.assertEqual(len(progress), expected)
        self.assertEqual(progress[(self.agent_a.id, self.skill.id)], 60)
        self.assertEqual(progress[(self.agent_c.id, self.skill.id)], 100)

    def test_helpdesk_manager_configures_skills(self):
        """Helpdesk administrators maintain the skill types and levels from the
        helpdesk's configuration without HR rights; agents only read them."""
        self.assertFalse(self.manager.has_group("hr.group_hr_user"))
        skill_type = (
            self.env["hr.skill.type"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Printers (test)",
                    "skill_level_ids": [
                        Command.create({"name": "Basic", "level_progress": 50})
                    ],
                    "skill_ids": [Command.create({"name": "Laser printers (test)"})],
                }
            )
        )
        self.assertEqual(len(skill_type.skill_ids), 1)
        with self.assertRaises(AccessError):
            self.env["hr.skill.type"].with_user(self.agent_a).create({"name": "No"})
        with self.assertRaises(AccessError):
            skill_type.skill_level_ids.with_user(self.agent_a).level_progress = 10

    def test_ticket_type_minimum_level(self):
        """The minimum level is a level of the required skill's type: the
        lowest one by default, another type's level is refused."""
        ticket_type = self.env["helpdesk.ticket.type"].create(
            {"name": "Till check", "skill_id": self.skill.id}
        )
        self.assertEqual(ticket_type.skill_level_id, self.beginner)
        other_type = self.env["hr.skill.type"].create(
            {
                "name": "Other (test)",
                "skill_level_ids": [Command.create({"name": "Any"})],
            }
        )
        other_skill = self.env["hr.skill"].create(
            {"name": "Other skill (test)", "skill_type_id": other_type.id}
        )
        # another skill brings the lowest level of its own type
        ticket_type.skill_id = other_skill
        self.assertEqual(ticket_type.skill_level_id, other_type.skill_level_ids)
        ticket_type.skill_id = False
        self.assertFalse(ticket_type.skill_level_id)
        with self.assertRaises(ValidationError):
            self.type_cash.skill_level_id = other_type.skill_level_ids
