from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestSlaMaintenance(HelpdeskCommonMixin, TransactionCase):
    """Issue #22: the working time of an announced planned maintenance does not
    count against the SLA of the tickets about it; the client's other tickets
    keep their clocks. Office calendar Monday to Friday 8:00-17:00 UTC;
    2026-03-02 is a Monday, the maintenance runs from 9:00 to 12:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.env["helpdesk.sla"].search([]).active = False
        cls.office_hours = cls.env["resource.calendar"].create(
            {
                "name": "Office 8-17 UTC",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 17,
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.policy = cls.env["helpdesk.sla"].create(
            {
                "name": "Office hours",
                "sequence": 1,
                "ack_minutes": 60,
                "resolve_hours": 8,
                "resource_calendar_id": cls.office_hours.id,
                "pause_stage_ids": [Command.set(cls.stage_waiting.ids)],
            }
        )
        cls.maintenance = cls.env["helpdesk.announcement"].create(
            {
                "name": "Mail server upgrade",
                "kind": "maintenance",
                "date_start": "2026-03-02 09:00:00",
                "date_end": "2026-03-02 12:00:00",
                "partner_ids": [Command.set(cls.client.ids)],
                "state": "published",
            }
        )

    def _line(self, ticket, target):
        return ticket.sla_line_ids.filtered(lambda line: line.target == target)

    def test_window_does_not_count_for_the_ticket_about_it(self):
        with freeze_time("2026-03-02 09:30:00"):
            about = self._ticket(maintenance_announcement_id=self.maintenance.id)
            other = self._ticket(name="Scanner is offline")
        ack, other_ack = self._line(about, "ack"), self._line(other, "ack")
        # the 150 working minutes of 9:30-12:00 are skipped: 60 minutes from 12:00
        self.assertEqual(ack.deadline, datetime(2026, 3, 2, 13, 0))
        self.assertEqual(other_ack.deadline, datetime(2026, 3, 2, 10, 30))
        with freeze_time("2026-03-02 12:30:00"):
            escalated = self.env["helpdesk.ticket.sla"]._cron_escalate()
            (about | other)._sla_sync()
        self.assertEqual(escalated, 1)
        self.assertEqual(other_ack.status, "failed", "the client's other ticket")
        self.assertEqual(other_ack.paused_minutes, 0)
        self.assertEqual(ack.status, "ongoing")
        self.assertFalse(ack.is_escalated)
        self.assertEqual(ack.spent_minutes, 30)
        self.assertEqual(ack.paused_minutes, 150)
        with freeze_time("2026-03-02 12:45:00"):
            about.action_acknowledge()
        self.assertEqual(ack.status, "met")
        self.assertEqual(ack.spent_minutes, 45)
        self.assertEqual(ack.paused_minutes, 150, "suppressed time kept when reached")
        self.assertEqual(about.time_ack_work_minutes, 45)
        self.assertEqual(about.time_ack_minutes, 195, "wall-clock time unchanged")
        # the resolution target does not count the window either
        self.assertEqual(
            self._line(about, "resolve").deadline, datetime(2026, 3, 3, 11, 0)
        )
        # the KPI scores exclude the window and show it
        with freeze_time("2026-03-02 13:00:00"):
            self.env["helpdesk.kpi"]._cron_refresh(full=True)
        team_kpi = self.env["helpdesk.kpi"].search(
            [("scope", "=", "team"), ("team_id", "=", self.team.id)]
        )
        self.assertEqual(team_kpi.sla_target_count, 2)
        self.assertEqual(team_kpi.sla_met_percent, 50.0)
        self.assertEqual(team_kpi.sla_suppressed_minutes, 150)

    def test_timeline_names_the_maintenance_once(self):
        with freeze_time("2026-03-02 09:30:00"):
            ticket = self._ticket()
            self.assertEqual(ticket.maintenance_proposal_id, self.maintenance)
            ticket.action_link_maintenance()
        self.assertEqual(ticket.maintenance_announcement_id, self.maintenance)
        self.assertFalse(ticket.maintenance_proposal_id, "no longer proposed")
        self.assertEqual(self._line(ticket, "ack").deadline, datetime(2026, 3, 2, 13))
        with freeze_time("2026-03-02 09:40:00"):
            ticket.priority = "2"
            ticket.maintenance_announcement_id = self.maintenance
        (event,) = self._events(ticket, "maintenance")
        self.assertEqual(event.new_value, "Mail server upgrade")
        self.assertIn("2026-03-02 09:00:00", event.note)
        self.assertIn("2026-03-02 12:00:00", event.note)
        # unlinked: the clock counts the window again, the timeline says so
        with freeze_time("2026-03-02 09:50:00"):
            ticket.maintenance_announcement_id = False
        unlinked = self._events(ticket, "maintenance") - event
        self.assertEqual(unlinked.old_value, "Mail server upgrade")
        self.assertFalse(unlinked.new_value)
        self.assertEqual(
            self._line(ticket, "ack").deadline, datetime(2026, 3, 2, 10, 30)
        )
        self.assertEqual(self._line(ticket, "ack").paused_minutes, 0)

    def test_proposal_only_for_the_clients_in_the_window(self):
        with freeze_time("2026-03-02 08:30:00"):
            early = self._ticket(name="Before the window")
        with freeze_time("2026-03-02 10:00:00"):
            during = self._ticket(name="During the window")
            stranger = self._ticket(
                name="Other client",
                partner_id=self.other_client.id,
            )
        self.assertFalse(early.maintenance_proposal_id)
        self.assertEqual(during.maintenance_proposal_id, self.maintenance)
        self.assertFalse(stranger.maintenance_proposal_id)
        # nothing is linked without the agent's confirmation
        self.assertFalse((early | during | stranger).maintenance_announcement_id)
        self.assertEqual(
            self._line(during, "ack").deadline, datetime(2026, 3, 2, 11, 0)
        )
        with Form(during) as form:
            form.maintenance_announcement_id = self.maintenance
        self.assertEqual(self._line(during, "ack").deadline, datetime(2026, 3, 2, 13))
        # only a planned maintenance pauses the clock
        change = self.env["helpdesk.announcement"].create(
            {
                "name": "New phones",
                "kind": "change",
                "partner_ids": [Command.set(self.client.ids)],
            }
        )
        with self.assertRaises(ValidationError):
            during.maintenance_announcement_id = change

    def test_window_outside_the_ticket_changes_nothing(self):
        with freeze_time("2026-03-02 07:30:00"):
            # arrives before the office opens, acknowledged before the window
            linked = self._ticket(maintenance_announcement_id=self.maintenance.id)
            plain = self._ticket(name="Not linked")
        with freeze_time("2026-03-02 08:50:00"):
            (linked | plain).action_acknowledge()
        self.assertEqual(self._line(linked, "ack").status, "met")
        self.assertEqual(self._line(linked, "ack").paused_minutes, 0)
        self.assertEqual(
            self._line(linked, "ack").spent_minutes,
            self._line(plain, "ack").spent_minutes,
        )
        # a window that ended before the ticket arrived
        with freeze_time("2026-03-02 13:00:00"):
            late = self._ticket(maintenance_announcement_id=self.maintenance.id)
            late_plain = self._ticket(name="Not linked either")
        self.assertEqual(
            self._line(late, "ack").deadline, self._line(late_plain, "ack").deadline
        )
        self.assertEqual(self._line(late, "ack").deadline, datetime(2026, 3, 2, 14))

    def test_the_window_of_the_announcement_moves_the_deadlines(self):
        with freeze_time("2026-03-02 09:30:00"):
            ticket = self._ticket(maintenance_announcement_id=self.maintenance.id)
            ack = self._line(ticket, "ack")
            self.maintenance.date_end = "2026-03-02 11:00:00"
            self.assertEqual(ack.deadline, datetime(2026, 3, 2, 12, 0))
            # a cancelled maintenance did not happen: the clock counts it
            self.maintenance.action_cancel()
            self.assertEqual(ack.deadline, datetime(2026, 3, 2, 10, 30))
            self.assertEqual(self.maintenance.maintenance_ticket_count, 1)
        action = self.maintenance.action_open_maintenance_tickets()
        self.assertEqual(self.Ticket.search(action["domain"]), ticket)

    def test_countdown_skips_the_window(self):
        with freeze_time("2026-03-02 09:45:00"):
            ticket = self._ticket(maintenance_announcement_id=self.maintenance.id)
            countdown = ticket.sla_countdown
        self.assertEqual(countdown["state"], "running")
        # 60 working minutes left, from 12:00
        self.assertEqual(countdown["remaining"], 3600)
        # the working intervals sent to the browser leave the window out
        self.assertEqual(countdown["work"][0], [8100, 26100])


@tagged("post_install", "-at_install", "helpdesk_service")
class TestSlaSyncWrites(HelpdeskCommonMixin, TransactionCase):
    """Issue #19: re-synchronising the SLA targets writes the lines and the
    tickets' KPI figures in one write per distinct set of values, and its
    queries do not grow with the tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.env["helpdesk.sla"].search([]).active = False
        cls.env["helpdesk.sla"].create(
            {"name": "24/7", "sequence": 1, "ack_minutes": 10, "report_minutes": 20}
        )

    def _tickets(self, count):
        """`count` tickets, half received at 9:00, half at 9:30."""
        tickets = self.Ticket
        for received in ("2026-03-02 09:00:00", "2026-03-02 09:30:00"):
            with freeze_time(received):
                tickets |= self.Ticket.create(
                    [
                        {
                            "name": f"Sync {i}",
                            "partner_id": self.contact.id,
                            "team_id": self.team.id,
                        }
                        for i in range(count // 2)
                    ]
                )
        return tickets

    def _resync(self, tickets, calls):
        """Queries of a re-sync at 12:00, when every target has failed; the
        sizes of the line writes are appended to `calls`."""
        calls.clear()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with freeze_time("2026-03-02 12:00:00"):
            tickets._sla_sync()
            self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_resync_writes_grouped_by_values(self):
        Line = self.env["helpdesk.ticket.sla"]
        write = type(Line).write
        calls = []

        def counted(records, vals):
            calls.append(len(records))
            return write(records, vals)

        self.patch(type(Line), "write", counted)
        tickets = self._tickets(20)
        queries = self._resync(tickets, calls)
        lines = tickets.sla_line_ids
        self.assertEqual(len(lines), 40)
        self.assertEqual(set(lines.mapped("status")), {"failed"})
        self.assertEqual(sorted(set(lines.mapped("spent_minutes"))), [150.0, 180.0])
        # two sets of values (failed after 180 or 150 minutes): two writes
        self.assertEqual(calls, [20, 20])
        more_queries = self._resync(self._tickets(40), calls)
        self.assertEqual(calls, [40, 40])
        self.assertLessEqual(more_queries, queries, "queries do not grow")
        self.assertLessEqual(queries, 15)
