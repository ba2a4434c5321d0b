from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import HelpdeskCommonMixin

T0 = datetime(2026, 3, 2, 9, 0, 0)


@tagged("helpdesk_service")
class TestTimesheet(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.Line = cls.env["account.analytic.line"]
        Employee = cls.env["hr.employee"]
        cls.employee_manager, cls.employee_a, cls.employee_b = Employee.create(
            [
                {"name": "Helpdesk Manager", "user_id": cls.manager.id},
                {"name": "Agent A", "user_id": cls.agent_a.id},
                {"name": "Agent B", "user_id": cls.agent_b.id},
            ]
        )
        cls.employee_manager.hourly_cost = 45.0
        cls.employee_a.hourly_cost = 30.0
        cls.employee_b.hourly_cost = 35.0
        cls.portal = new_test_user(
            cls.env,
            login="hd_ts_portal",
            name="Portal Client",
            email="portal.client@acme.example.com",
            groups="base.group_portal",
        )
        cls.portal.partner_id.parent_id = cls.client
        cls.ticket = cls._ticket(cls, user_id=cls.agent_a.id)

    def _line(self, ticket=None, user=None, hours=1.0, **vals):
        values = {
            "helpdesk_ticket_id": (ticket or self.ticket).id,
            "name": "Work",
            "unit_amount": hours,
        }
        values.update(vals)
        Line = self.Line.with_user(user) if user else self.Line
        if not user and "employee_id" not in values:
            values["employee_id"] = self.employee_a.id
        return Line.create(values)

    def _run_timer(self, ticket, user, minutes):
        ticket = ticket.with_user(user)
        with freeze_time(T0):
            ticket.action_timer_start()
        ticket.invalidate_recordset(["timer_running"])
        self.assertTrue(ticket.timer_running)
        with freeze_time(T0 + timedelta(minutes=minutes)):
            self.assertTrue(ticket.action_timer_stop())
        ticket.invalidate_recordset(["timer_running"])
        self.assertFalse(ticket.timer_running)
        return self.Line.search(
            [("helpdesk_ticket_id", "=", ticket.id)], order="id desc", limit=1
        )

    # ------------------------------------------------------------ projects
    def test_team_creates_its_project(self):
        project = self.team.project_id
        self.assertTrue(project)
        self.assertEqual(project.name, "Test Desk")
        self.assertTrue(project.allow_timesheets)
        self.assertTrue(project.account_id)
        self.assertEqual(project.company_id, self.team.company_id)
        self.assertEqual(project.privacy_visibility, "employees")
        teams = self.env["helpdesk.team"].create([{"name": "One"}, {"name": "Two"}])
        self.assertEqual(teams.project_id.mapped("name"), ["One", "Two"])
        # a project named after its team follows a rename
        teams[0].name = "Uno"
        self.assertEqual(teams[0].project_id.name, "Uno")
        # the shipped team got its project at install
        self.assertTrue(
            self.env.ref("helpdesk_service.helpdesk_team_support").project_id
        )
        # a team given a project keeps it
        team = self.env["helpdesk.team"].create(
            {"name": "Three", "project_id": project.id}
        )
        self.assertEqual(team.project_id, project)

    def test_negative_minutes_refused(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.team.timesheet_rounding_minutes = -5
            self.team.flush_recordset()

    def test_line_goes_to_team_project(self):
        line = self._line(hours=2)
        self.assertEqual(line.project_id, self.team.project_id)
        self.assertEqual(line.employee_id, self.employee_a)
        self.assertEqual(line.user_id, self.agent_a)
        self.assertEqual(line.helpdesk_team_id, self.team)
        # linking an existing timesheet to a ticket moves it to the team's project
        other = self._ticket(team_id=self.team_private.id)
        line.helpdesk_ticket_id = other
        self.assertEqual(line.project_id, self.team_private.project_id)
        self.assertEqual(line.helpdesk_team_id, self.team_private)
        # time on a ticket without a team has no project to go to
        no_team = self._ticket(team_id=False)
        with self.assertRaises(UserError):
            self._line(ticket=no_team)

    def test_line_company_is_ticket_company(self):
        line = self._line()
        company2 = self.env["res.company"].create({"name": "Other company"})
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET company_id = %s WHERE id = %s",
            (company2.id, self.ticket.id),
        )
        self.ticket.invalidate_recordset(["company_id"])
        with self.assertRaises(ValidationError):
            line._check_helpdesk_ticket_company()

    # ------------------------------------------------------------ timer
    def test_timer_minimum_and_rounding(self):
        self.assertEqual(self.team.timesheet_min_minutes, 15)
        self.assertEqual(self.team.timesheet_rounding_minutes, 15)
        # 7 minutes: the 15-minute minimum
        line = self._run_timer(self.ticket, self.agent_a, 7)
        self.assertAlmostEqual(line.unit_amount, 0.25)
        self.assertEqual(line.employee_id, self.employee_a)
        self.assertEqual(line.user_id, self.agent_a)
        self.assertEqual(line.project_id, self.team.project_id)
        self.assertEqual(line.date, T0.date())
        self.assertIn(self.ticket.ticket_ref, line.name)
        # 22 minutes: rounded up to 30
        line = self._run_timer(self.ticket, self.agent_a, 22)
        self.assertAlmostEqual(line.unit_amount, 0.5)
        # exactly 30 minutes stays 30
        line = self._run_timer(self.ticket, self.agent_a, 30)
        self.assertAlmostEqual(line.unit_amount, 0.5)
        # no rounding and no minimum: the exact duration
        self.team.write({"timesheet_rounding_minutes": 0, "timesheet_min_minutes": 0})
        line = self._run_timer(self.ticket, self.agent_a, 22)
        self.assertAlmostEqual(line.unit_amount, 22 / 60)
        # a minimum without rounding
        self.team.timesheet_min_minutes = 10
        line = self._run_timer(self.ticket, self.agent_a, 7)
        self.assertAlmostEqual(line.unit_amount, 10 / 60)
        self.assertEqual(len(self.ticket.timesheet_ids), 5)
        self.assertFalse(self.env["helpdesk.ticket.timer"].search([]))

    def test_timer_errors(self):
        ticket = self.ticket.with_user(self.agent_a)
        with self.assertRaises(UserError):
            ticket.action_timer_stop()
        ticket.action_timer_start()
        with self.assertRaises(UserError):
            ticket.action_timer_start()
        # timers are per user: agent B's state is his own
        ticket_b = self.ticket.with_user(self.agent_b)
        self.assertFalse(ticket_b.timer_running)
        ticket_b.action_timer_start()
        self.assertEqual(
            self.env["helpdesk.ticket.timer"]
            .with_user(self.agent_b)
            .search([])
            .user_id,
            self.agent_b,
        )
        # cancel drops the timer and records nothing
        ticket.action_timer_cancel()
        ticket.invalidate_recordset(["timer_running"])
        self.assertFalse(ticket.timer_running)
        self.assertFalse(self.ticket.timesheet_ids)
        # a user without an employee is told what to do
        with self.assertRaisesRegex(UserError, "no employee"):
            self.ticket.with_user(self.agent_c).action_timer_start()
        # a ticket without a team has no project for the time
        no_team = self._ticket(team_id=False)
        with self.assertRaises(UserError):
            no_team.with_user(self.agent_a).action_timer_start()

    # ------------------------------------------------------------ figures
    def test_cost_and_ticket_totals(self):
        ticket = self.ticket
        ticket.planned_hours = 5
        line_a = self._line(user=self.agent_a, hours=2)
        self.assertEqual(line_a.employee_id, self.employee_a)
        self.assertAlmostEqual(line_a.amount, -60.0)
        self.assertAlmostEqual(line_a.labour_cost, 60.0)
        self.assertEqual(line_a.currency_id, ticket.company_id.currency_id)
        self.assertAlmostEqual(ticket.effective_hours, 2.0)
        self.assertAlmostEqual(ticket.remaining_hours, 3.0)
        self.assertAlmostEqual(ticket.labour_cost, 60.0)
        line_b = self._line(user=self.agent_b, hours=1.5)
        self.assertAlmostEqual(line_b.labour_cost, 52.5)
        self.assertAlmostEqual(ticket.effective_hours, 3.5)
        self.assertAlmostEqual(ticket.remaining_hours, 1.5)
        self.assertAlmostEqual(ticket.labour_cost, 112.5)
        line_a.with_user(self.agent_a).unit_amount = 4
        self.assertAlmostEqual(line_a.labour_cost, 120.0)
        self.assertAlmostEqual(ticket.effective_hours, 5.5)
        self.assertAlmostEqual(ticket.remaining_hours, -0.5)
        self.assertAlmostEqual(ticket.labour_cost, 172.5)
        line_b.with_user(self.agent_b).unlink()
        self.assertAlmostEqual(ticket.effective_hours, 4.0)
        self.assertAlmostEqual(ticket.labour_cost, 120.0)
        # without allocated hours, nothing remains to count down
        ticket.planned_hours = 0
        self.assertEqual(ticket.remaining_hours, 0.0)
        # a ticket with time spent cannot be deleted
        with self.assertRaises(UserError):
            ticket.unlink()

    def test_merge_moves_time(self):
        line = self._line(hours=1)
        duplicate = self._ticket(name="Printer again", team_id=self.team_private.id)
        line_dup = self._line(ticket=duplicate, hours=0.5)
        wizard = (
            self.env["helpdesk.ticket.merge"]
            .with_user(self.manager)
            .with_context(
                active_model="helpdesk.ticket",
                active_ids=(self.ticket | duplicate).ids,
            )
            .create({"target_id": self.ticket.id})
        )
        wizard.action_merge()
        self.assertEqual(self.ticket.timesheet_ids, line | line_dup)
        self.assertEqual(line_dup.project_id, self.team.project_id)
        self.assertAlmostEqual(self.ticket.effective_hours, 1.5)
        self.assertFalse(duplicate.effective_hours)

    def test_agent_logs_time_in_the_ticket_form(self):
        ticket = self.ticket.with_user(self.agent_a)
        with Form(ticket) as form, form.timesheet_ids.new() as line:
            line.name = "Called the client back"
            line.unit_amount = 1.25
        self.assertEqual(ticket.timesheet_ids.employee_id, self.employee_a)
        self.assertEqual(ticket.timesheet_ids.project_id, self.team.project_id)
        self.assertAlmostEqual(self.ticket.effective_hours, 1.25)
        self.assertAlmostEqual(self.ticket.labour_cost, 37.5)

    def test_hours_per_line_bounded(self):
        for hours in (-3.0, 0.0, 24.5):
            with self.assertRaisesRegex(ValidationError, "at most 24 hours"):
                self._line(hours=hours)
        line = self._line(hours=24.0)
        with self.assertRaises(ValidationError):
            line.unit_amount = -1.0
        # the ticket form says the same
        form = Form(self.ticket.with_user(self.agent_a))
        with form.timesheet_ids.new() as new_line:
            new_line.name = "Typo"
            new_line.unit_amount = -3.0
        with self.assertRaisesRegex(ValidationError, "at most 24 hours"):
            form.save()
        # lines without ticket are not helpdesk time: no bound here
        other = self.Line.create(
            {
                "name": "Accounting entry",
                "account_id": self.team.project_id.account_id.id,
                "unit_amount": -3.0,
            }
        )
        self.assertEqual(other.unit_amount, -3.0)

    def test_totals_queries_bounded(self):
        tickets = self.Ticket.create(
            [{"name": f"Ticket {i}", "team_id": self.team.id} for i in range(20)]
        )
        self.Line.create(
            [
                {
                    "helpdesk_ticket_id": ticket.id,
                    "employee_id": self.employee_a.id,
                    "name": "Work",
                    "unit_amount": 1.0,
                }
                for ticket in tickets
            ]
        )
        self.env.flush_all()
        Ticket = self.env["helpdesk.ticket"]
        tickets.invalidate_recordset(["effective_hours", "labour_cost"])
        for fname in ("effective_hours", "labour_cost"):
            self.env.add_to_compute(Ticket._fields[fname], tickets)
        # one aggregate query, then the UPDATE (flush=False: the context manager
        # would otherwise recompute before counting)
        with self.assertQueryCount(2, flush=False):
            tickets.mapped("effective_hours")
            tickets.mapped("labour_cost")
            tickets.flush_recordset(["effective_hours", "labour_cost"])
        self.assertEqual(set(tickets.mapped("effective_hours")), {1.0})
        self.assertEqual(set(tickets.mapped("labour_cost")), {30.0})

    # ------------------------------------------------------------ rights
    def test_agents_own_lines_only(self):
        line_a = self._line(user=self.agent_a, hours=1)
        # hr_timesheet: a plain timesheet user edits his own lines only
        with self.assertRaises(AccessError):
            line_a.with_user(self.agent_b).write({"unit_amount": 3})
        with self.assertRaises(AccessError):
            line_a.with_user(self.agent_b).unlink()
        self.assertFalse(
            self.Line.with_user(self.agent_b).search([("id", "=", line_a.id)])
        )
        # he cannot log time for a colleague
        with self.assertRaises(AccessError):
            self.Line.with_user(self.agent_b).create(
                {
                    "helpdesk_ticket_id": self.ticket.id,
                    "employee_id": self.employee_a.id,
                    "name": "Not mine",
                    "unit_amount": 1,
                }
            )
        # the manager (timesheet approver) sees and edits all
        line_a.with_user(self.manager).write({"unit_amount": 2})
        self.assertEqual(line_a.unit_amount, 2)

    def test_labour_cost_hidden_from_agents(self):
        line = self._line(user=self.agent_a, hours=1)
        with self.assertRaises(AccessError):
            line.with_user(self.agent_a).read(["labour_cost"])
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.agent_a).read(["labour_cost"])
        self.assertEqual(
            self.ticket.with_user(self.agent_a).read(["effective_hours"])[0][
                "effective_hours"
            ],
            1.0,
        )
        self.assertEqual(
            line.with_user(self.manager).read(["labour_cost"])[0]["labour_cost"], 30.0
        )
        self.assertEqual(
            self.ticket.with_user(self.manager).read(["labour_cost"])[0]["labour_cost"],
            30.0,
        )
        # the agent's ticket form and reporting list carry no cost
        for view in (
            self.env["helpdesk.ticket"].with_user(self.agent_a).get_view(),
            self.Line.with_user(self.agent_a).get_view(
                self.env.ref("helpdesk_service.account_analytic_line_view_list").id
            ),
        ):
            self.assertNotIn("labour_cost", view["arch"])
            self.assertNotIn('name="amount"', view["arch"])

    def test_portal_cannot_read_ticket_time(self):
        line = self._line(hours=1)
        Line = self.Line.with_user(self.portal)
        with self.assertRaises(AccessError):
            Line.search([("id", "=", line.id)])
        # project sharing turns hr_timesheet's portal access on (collaborators of
        # a portal project who follow it read its timesheets): still not those of
        # tickets
        project = self.team.project_id
        project.privacy_visibility = "portal"
        project.write(
            {
                "collaborator_ids": [
                    Command.create({"partner_id": self.portal.partner_id.id})
                ]
            }
        )
        project.message_subscribe(partner_ids=self.portal.partner_id.ids)
        other = self.Line.create(
            {
                "project_id": project.id,
                "employee_id": self.employee_a.id,
                "name": "Project work",
                "unit_amount": 1,
            }
        )
        self.env.flush_all()
        self.assertEqual(Line.search([("project_id", "=", project.id)]), other)
        with self.assertRaises(AccessError):
            line.with_user(self.portal).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.portal).read(["timesheet_ids"])
        # our global rule is what hides it: without it, hr_timesheet's would not
        rule = self.env.ref("helpdesk_service.account_analytic_line_rule_portal")
        rule.active = False
        self.assertEqual(Line.search([("project_id", "=", project.id)]), line | other)
