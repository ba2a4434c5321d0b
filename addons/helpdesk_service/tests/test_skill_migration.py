from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, sql

from .common import HelpdeskCommonMixin, load_migration


@tagged("helpdesk_service")
class TestSkillMigration(HelpdeskCommonMixin, TransactionCase):
    """18.0.1.5.0 moves the helpdesk's own skills (helpdesk.skill,
    helpdesk.agent.skill) to hr_skills. Records made here in the tables of
    18.0.1.4.0 (raw SQL, rolled back with the test) come out as skills of the
    Helpdesk type on the agents' employees, and route tickets as before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.migration = load_migration("18.0.1.5.0", "pre-helpdesk_skills_to_hr_skills")
        cls.other_company = cls.env["res.company"].create({"name": "Other (test)"})
        cls.no_employee = new_test_user(
            cls.env,
            login="hd_skill_no_employee",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        company = cls.team.company_id
        cls.env["hr.employee"].create(
            [
                {"name": "A here", "user_id": cls.agent_a.id, "company_id": company.id},
                {
                    "name": "A elsewhere",
                    "user_id": cls.agent_a.id,
                    "company_id": cls.other_company.id,
                },
                {"name": "B here", "user_id": cls.agent_b.id, "company_id": company.id},
            ]
        )
        cls.type_network, cls.type_printer = cls.env["helpdesk.ticket.type"].create(
            [{"name": "Network (old)"}, {"name": "Printer (old)"}]
        )

    def _make_old_shape(self):
        """The 18.0.1.4.0 tables and a few records in them; returns the ids of
        the old skills and agent skills."""
        cr = self.env.cr
        self.env.flush_all()
        self.assertFalse(sql.table_exists(cr, "helpdesk_skill"))
        cr.execute(
            SQL(
                """
                CREATE TABLE helpdesk_skill (
                    id serial PRIMARY KEY, name jsonb NOT NULL,
                    description jsonb, active boolean
                );
                -- ids far from the new hr.skill ones
                ALTER SEQUENCE helpdesk_skill_id_seq RESTART WITH 900001;
                CREATE TABLE helpdesk_agent_skill (
                    id serial PRIMARY KEY,
                    user_id int NOT NULL REFERENCES res_users ON DELETE CASCADE,
                    skill_id int NOT NULL REFERENCES helpdesk_skill ON DELETE CASCADE,
                    level varchar NOT NULL
                );
                ALTER TABLE helpdesk_ticket_type
                    ADD COLUMN IF NOT EXISTS skill_level varchar;
                ALTER TABLE helpdesk_ticket_type
                    DROP CONSTRAINT IF EXISTS helpdesk_ticket_type_skill_id_fkey;
                ALTER TABLE helpdesk_ticket_type
                    ADD CONSTRAINT helpdesk_ticket_type_skill_id_fkey
                    FOREIGN KEY (skill_id) REFERENCES helpdesk_skill
                    ON DELETE SET NULL NOT VALID;
                """
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO helpdesk_skill (name, active) VALUES
                    ('{"en_US": "Networks (old)", "ja_JP": "ネットワーク"}', true),
                    ('{"en_US": "Printers (old)"}', false)
                RETURNING id
                """
            )
        )
        network, printer = (row[0] for row in cr.fetchall())
        cr.execute(
            SQL(
                """
                INSERT INTO helpdesk_agent_skill (user_id, skill_id, level) VALUES
                    (%(a)s, %(network)s, '3'), (%(a)s, %(printer)s, '1'),
                    (%(b)s, %(printer)s, '2'), (%(nobody)s, %(network)s, '2')
                RETURNING id
                """,
                a=self.agent_a.id,
                b=self.agent_b.id,
                nobody=self.no_employee.id,
                network=network,
                printer=printer,
            )
        )
        agent_skills = [row[0] for row in cr.fetchall()]
        cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket_type
                   SET skill_id = CASE id WHEN %(t1)s THEN %(network)s
                                          ELSE %(printer)s END,
                       skill_level = CASE id WHEN %(t1)s THEN '2' END,
                       skill_level_id = NULL
                 WHERE id IN (%(t1)s, %(t2)s);
                ALTER TABLE helpdesk_ticket_type DROP COLUMN skill_level_id;
                INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
                VALUES ('helpdesk_service', 'helpdesk_skill_net_test_demo',
                        'helpdesk.skill', %(network)s, true),
                       ('helpdesk_service', 'helpdesk_agent_skill_a_net_test_demo',
                        'helpdesk.agent.skill', %(a_net)s, true),
                       ('helpdesk_service', 'helpdesk_agent_skill_nobody_test_demo',
                        'helpdesk.agent.skill', %(nobody_net)s, true);
                """,
                t1=self.type_network.id,
                t2=self.type_printer.id,
                network=network,
                printer=printer,
                a_net=agent_skills[0],
                nobody_net=agent_skills[3],
            )
        )
        self.env.invalidate_all()
        return (network, printer), agent_skills

    def test_migrate_skills(self):
        (old_network, old_printer), __ = self._make_old_shape()
        env = self.env
        with self.assertLogs(self.migration._logger.name, "WARNING") as logs:
            skill_map = self.migration.migrate_skills(env)
        env.invalidate_all()
        self.assertIn("hd_skill_no_employee", "\n".join(logs.output))
        self.assertIn("Networks (old)", "\n".join(logs.output))

        # one hr.skill per old skill, of the Helpdesk type, translations kept
        helpdesk = env.ref("helpdesk_service.hr_skill_type_helpdesk")
        network, printer = skill_map[old_network], skill_map[old_printer]
        self.assertEqual((network | printer).skill_type_id, helpdesk)
        env.cr.execute(SQL("SELECT name FROM hr_skill WHERE id = %s", network.id))
        self.assertEqual(
            env.cr.fetchone()[0],
            {"en_US": "Networks (old)", "ja_JP": "ネットワーク"},
        )
        self.assertEqual(printer.name, "Printers (old)")
        junior, confirmed, expert = (
            env.ref(f"helpdesk_service.hr_skill_level_helpdesk_{name}")
            for name in ("junior", "confirmed", "expert")
        )

        # agent skills on every employee of the user, levels mapped
        employee_skills = env["hr.employee.skill"].search(
            [("skill_id", "in", (network | printer).ids)]
        )
        found = {
            (s.employee_id.name, s.skill_id.name, s.skill_level_id)
            for s in employee_skills
        }
        self.assertEqual(
            found,
            {
                ("A here", "Networks (old)", expert),
                ("A elsewhere", "Networks (old)", expert),
                ("A here", "Printers (old)", junior),
                ("A elsewhere", "Printers (old)", junior),
                ("B here", "Printers (old)", confirmed),
            },
        )

        # the ticket types' required skills and levels
        self.assertEqual(self.type_network.skill_id, network)
        self.assertEqual(self.type_network.skill_level_id, confirmed)
        self.assertEqual(self.type_printer.skill_id, printer)
        self.assertEqual(self.type_printer.skill_level_id, junior, "old default")

        # external ids follow the records; the one left without record goes
        self.assertEqual(env.ref("helpdesk_service.hr_skill_net_test_demo"), network)
        moved = env.ref("helpdesk_service.hr_employee_skill_a_net_test_demo")
        self.assertEqual(moved._name, "hr.employee.skill")
        self.assertEqual(moved.employee_id.user_id, self.agent_a)
        self.assertEqual(moved.skill_id, network)
        self.assertFalse(
            env["ir.model.data"].search_count(
                [("model", "in", ("helpdesk.skill", "helpdesk.agent.skill"))]
            )
        )

        # the old tables are gone
        self.assertFalse(sql.table_exists(env.cr, "helpdesk_skill"))
        self.assertFalse(sql.table_exists(env.cr, "helpdesk_agent_skill"))

        # and the tickets are routed as before: A is the network expert here
        self.team.write(
            {
                "assign_method": "skill",
                "member_ids": [Command.link(self.no_employee.id)],
            }
        )
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Old network {i}",
                    "team_id": self.team.id,
                    "partner_id": self.contact.id,
                    "type_id": self.type_network.id,
                }
                for i in range(2)
            ]
        )
        self.assertEqual(tickets.user_id, self.agent_a)

    def test_no_old_tables_no_change(self):
        """A database that never had the old tables (or was migrated) is left
        alone."""
        self.env.flush_all()
        before = self.env["hr.skill"].search_count([])
        self.migration.migrate(self.env.cr, "18.0.1.4.0")
        self.assertEqual(self.env["hr.skill"].search_count([]), before)
