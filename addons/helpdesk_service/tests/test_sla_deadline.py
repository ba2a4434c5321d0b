from datetime import datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from .common import HelpdeskCommonMixin, load_migration


@tagged("helpdesk_service")
class TestSlaDeadline(HelpdeskCommonMixin, TransactionCase):
    """The next SLA deadline on cards and list rows: stored for sorting and
    filtering, with the remaining working time for the live countdown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.env["helpdesk.sla"].search([]).active = False
        cls.office_hours = cls.env["resource.calendar"].create(
            {
                "name": "Office 8-17 UTC",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 17,
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.sla = cls.env["helpdesk.sla"].create(
            {
                "name": "Office hours",
                "ack_minutes": 30,
                "report_minutes": 120,
                "warning_percent": 80,
                "resource_calendar_id": cls.office_hours.id,
                "pause_stage_ids": [(6, 0, cls.stage_waiting.ids)],
            }
        )

    def test_countdown_in_working_time(self):
        # Friday 16:45: 15 working minutes today, 15 more on Monday from 8:00
        with freeze_time("2026-03-06 16:45:00"):
            ticket = self._ticket()
            self.assertEqual(ticket.sla_next_deadline, datetime(2026, 3, 9, 8, 15))
            countdown = ticket.sla_countdown
        self.assertEqual(countdown["state"], "running")
        self.assertEqual(countdown["remaining"], 30 * 60)
        # warning at 80 % of 30 minutes: 6 working minutes before the deadline
        self.assertEqual(countdown["warn"], 6 * 60)
        # the clock runs until 17:00, stands still over the weekend
        self.assertEqual(countdown["work"], [[0, 15 * 60]])
        with freeze_time("2026-03-07 12:00:00"):
            ticket.invalidate_recordset(["sla_countdown"])
            self.assertEqual(ticket.sla_countdown["remaining"], 15 * 60)
            self.assertEqual(ticket.sla_countdown["work"], [])

    def test_overdue_stays_next_until_reached(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
        deadline = datetime(2026, 3, 2, 9, 30)
        self.assertEqual(ticket.sla_next_deadline, deadline)
        with freeze_time("2026-03-02 09:50:00"):
            self.env["helpdesk.ticket.sla"]._cron_escalate()
            ticket.invalidate_recordset(["sla_countdown"])
            ack = ticket.sla_line_ids.filtered(lambda line: line.target == "ack")
            self.assertEqual(ack.status, "failed")
            # the escalated target leaves sla_deadline, not the next deadline
            self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 2, 11, 0))
            self.assertEqual(ticket.sla_next_deadline, deadline)
            self.assertEqual(ticket.sla_countdown["state"], "overdue")
            self.assertEqual(ticket.sla_countdown["remaining"], -20 * 60)
            overdue = self.Ticket.search(
                [
                    ("id", "=", ticket.id),
                    ("sla_next_deadline", "<", datetime(2026, 3, 2, 9, 50)),
                ]
            )
            self.assertEqual(overdue, ticket)
            ticket.action_acknowledge()
        self.assertEqual(ticket.sla_next_deadline, datetime(2026, 3, 2, 11, 0))

    def test_paused_and_closed(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-02 09:05:00"):
            ticket.stage_id = self.stage_waiting
            self.assertFalse(ticket.sla_next_deadline)
            self.assertEqual(ticket.sla_countdown, {"state": "paused"})
        with freeze_time("2026-03-02 09:10:00"):
            ticket.stage_id = self.stage_closed
            self.assertFalse(ticket.sla_next_deadline)
            self.assertFalse(ticket.sla_countdown)

    def test_countdown_queries_do_not_grow_with_tickets(self):
        with freeze_time("2026-03-02 09:00:00"):
            tickets = self.Ticket.create(
                [
                    {"name": f"Batch {i}", "partner_id": self.contact.id}
                    for i in range(6)
                ]
            )
            tickets[:3].action_acknowledge()

        def queries(ids):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time("2026-03-02 10:00:00"):
                self.Ticket.browse(ids).mapped("sla_countdown")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(tickets[2:4].ids), queries(tickets.ids))

    def test_migration_fills_the_next_deadline(self):
        with freeze_time("2026-03-02 09:00:00"):
            running = self._ticket()
            paused = self._ticket(name="Paused")
            paused.stage_id = self.stage_waiting
        tickets = running | paused
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET sla_next_deadline = NULL WHERE id IN %s",
                tuple(tickets.ids),
            )
        )
        tickets.invalidate_recordset(["sla_next_deadline"])
        load_migration("18.0.1.4.0", "pre-sla_next_deadline").migrate(
            self.env.cr, "18.0.1.3.0"
        )
        self.assertEqual(running.sla_next_deadline, datetime(2026, 3, 2, 9, 30))
        self.assertFalse(paused.sla_next_deadline)


@tagged("helpdesk_service")
class TestHomeAction(TransactionCase):
    """Helpdesk users land on the overview unless they chose another home."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overview = cls.env.ref("helpdesk_service.helpdesk_team_action_overview")
        cls.other = cls.env.ref("helpdesk_service.helpdesk_ticket_action")

    def test_new_users(self):
        agent = new_test_user(
            self.env,
            login="hd_home_agent",
            groups="helpdesk_service.group_helpdesk_user",
        )
        self.assertEqual(agent.action_id.id, self.overview.id)
        employee = new_test_user(
            self.env, login="hd_home_emp", groups="base.group_user"
        )
        self.assertFalse(employee.action_id)
        chooser = self.env["res.users"].create(
            {
                "name": "Chooser",
                "login": "hd_home_chooser",
                "action_id": self.other.id,
                "groups_id": [
                    (6, 0, self.env.ref("helpdesk_service.group_helpdesk_user").ids)
                ],
            }
        )
        self.assertEqual(chooser.action_id.id, self.other.id)
        portal = new_test_user(
            self.env, login="hd_home_portal", groups="base.group_portal"
        )
        self.assertFalse(portal.action_id)

    def test_group_assignment_keeps_a_chosen_home(self):
        group = self.env.ref("helpdesk_service.group_helpdesk_user")
        plain, chooser = (
            new_test_user(self.env, login=login, groups="base.group_user")
            for login in ("hd_home_plain", "hd_home_chooser2")
        )
        chooser.action_id = self.other.id
        (plain | chooser).write({"groups_id": [(4, group.id)]})
        self.assertEqual(plain.action_id.id, self.overview.id)
        self.assertEqual(chooser.action_id.id, self.other.id)

    def test_migration_of_existing_users(self):
        agent, chooser = (
            new_test_user(
                self.env, login=login, groups="helpdesk_service.group_helpdesk_user"
            )
            for login in ("hd_home_old", "hd_home_old_chooser")
        )
        agent.action_id = False
        chooser.action_id = self.other.id
        load_migration("18.0.1.4.0", "end-helpdesk_home_action").migrate(
            self.env.cr, "18.0.1.3.0"
        )
        self.assertEqual(agent.action_id.id, self.overview.id)
        self.assertEqual(chooser.action_id.id, self.other.id)


@tagged("helpdesk_service")
class TestTeamMyKpi(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_my_kpi_on_one_card(self):
        Team = self.env["helpdesk.team"]
        for user, mine in (
            (self.agent_a, self.team),
            (self.agent_c, self.team_private),
            (self.manager, self.team),
        ):
            teams = Team.with_user(user).search([])
            self.assertEqual(teams.filtered("is_my_kpi_team"), mine.with_user(user))
