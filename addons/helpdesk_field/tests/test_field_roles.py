import importlib.util

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import file_path

from .common import MONDAY, HelpdeskFieldCommon


def _load_migration(name):
    path = file_path(f"helpdesk_field/migrations/18.0.1.4.0/{name}.py")
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("helpdesk_field")
class TestFieldRoles(HelpdeskFieldCommon, TransactionCase):
    """The visits' scopes are groups that add up: engineer = own visits,
    dispatcher = the visits of the teams he sees, administrator = all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.both = new_test_user(
            cls.env,
            login="hf_roles_both",
            tz="UTC",
            groups="base.group_user,helpdesk_field.group_field_engineer,"
            "helpdesk_field.group_field_dispatcher",
        )
        cls.agent = new_test_user(
            cls.env,
            login="hf_roles_agent",
            tz="UTC",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.team.member_ids = [Command.link(cls.both.id), Command.link(cls.agent.id)]
        # a members-only team he is not in, with one visit of his and one of
        # another engineer
        cls.other_team = cls.env["helpdesk.team"].create(
            {"name": "Other field team", "visibility": "members"}
        )
        cls.other_ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Other team's scale",
                "partner_id": cls.contact.id,
                "team_id": cls.other_team.id,
            }
        )
        cls.visit = cls._create_visit()
        cls.visit2 = cls._create_visit(
            start=MONDAY.replace(hour=14), user_id=cls.engineer2.id
        )
        cls.own_elsewhere = cls._create_visit(
            start=MONDAY.replace(hour=9, day=3),
            ticket_id=cls.other_ticket.id,
            user_id=cls.both.id,
        )
        cls.foreign_elsewhere = cls._create_visit(
            start=MONDAY.replace(hour=14, day=3),
            ticket_id=cls.other_ticket.id,
            user_id=cls.engineer2.id,
        )

    def test_dispatcher_who_is_also_an_engineer_works_both_roles(self):
        both = self.both
        self.assertFalse(both.has_group("helpdesk_service.group_helpdesk_manager"))
        Visit = self.Visit.with_user(both)
        mine = self.visit | self.visit2 | self.own_elsewhere | self.foreign_elsewhere
        # dispatcher: the team's visits, engineer: his own of another team
        self.assertEqual(
            Visit.search([("id", "in", mine.ids)]),
            self.visit | self.visit2 | self.own_elsewhere,
        )
        self.visit2.with_user(both).write({"note": "Bring a ladder"})
        with self.assertRaises(AccessError):
            self.foreign_elsewhere.with_user(both).read(["name"])
        # as an engineer: the ticket of his visit in the other team
        self.other_ticket.with_user(both).check_access("read")
        # he can be sent on site and plans his team's visits
        visit = Visit.create(
            {
                "ticket_id": self.ticket.id,
                "user_id": both.id,
                "date_planned": MONDAY.replace(hour=9, day=4),
                "planned_hours": 1.0,
            }
        )
        self.assertEqual(visit.user_id, both)
        overview = self.env.ref("helpdesk_service.helpdesk_team_action_overview")
        self.assertEqual(both.action_id.id, overview.id)

    def test_engineer_alone_keeps_his_own_visits(self):
        Visit = self.Visit.with_user(self.engineer2)
        everything = self.visit | self.visit2 | self.own_elsewhere
        self.assertEqual(
            Visit.search([("id", "in", (everything | self.foreign_elsewhere).ids)]),
            self.visit2 | self.foreign_elsewhere,
        )

    def test_agent_without_field_role_sees_no_visit(self):
        """The agents' rule gives no visit: without it, the agents' read
        access would reach every visit (no group rule of theirs)."""
        self.assertFalse(
            self.Visit.with_user(self.agent).search(
                [("ticket_id", "=", self.ticket.id)]
            )
        )
        with self.assertRaises(AccessError):
            self.visit.with_user(self.agent).read(["name"])
        self.agent.groups_id = [
            Command.link(self.env.ref("helpdesk_field.group_field_dispatcher").id)
        ]
        self.assertEqual(
            self.Visit.with_user(self.agent).search(
                [("ticket_id", "=", self.ticket.id)]
            ),
            self.visit | self.visit2,
        )

    def test_administrators_are_dispatchers(self):
        manager = new_test_user(
            self.env,
            login="hf_roles_manager",
            groups="base.group_user,helpdesk_service.group_helpdesk_manager",
        )
        self.assertTrue(manager.has_group("helpdesk_field.group_field_dispatcher"))

    def test_migration_makes_the_other_agents_dispatchers(self):
        migration = _load_migration("post-visit_dispatcher_group")
        dispatcher = self.env.ref("helpdesk_field.group_field_dispatcher")
        self.assertNotIn(dispatcher, self.agent.groups_id)
        moved = migration._make_dispatchers(self.env)
        self.assertIn(self.agent, moved)
        self.assertIn(dispatcher, self.agent.groups_id)
        self.assertNotIn(self.engineer, moved)
        self.assertNotIn(dispatcher, self.engineer.groups_id)
        self.assertNotIn(self.both, moved)
        # the shipped noupdate rule of 18.0.1.3.0 gets its plain domain
        rule = self.env.ref("helpdesk_field.helpdesk_visit_rule_user")
        rule.domain_force = migration.OLD_USER
        migration._update_user_rule(self.env)
        self.assertEqual(rule.domain_force, migration.NEW_USER)
        # a rule changed by an administrator is left as it is
        rule.domain_force = "[('user_id', '=', user.id)]"
        with self.assertLogs(migration.__name__, "WARNING"):
            migration._update_user_rule(self.env)
        self.assertEqual(rule.domain_force, "[('user_id', '=', user.id)]")
