from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestSla(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        # only the policies of these tests
        cls.env["helpdesk.sla"].search([]).active = False
        cls.standard = cls.env["helpdesk.sla"].create(
            {
                "name": "Standard",
                "sequence": 100,
                "ack_minutes": 10,
                "report_minutes": 20,
                "pause_stage_ids": [(6, 0, cls.stage_waiting.ids)],
            }
        )
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
        cls.gold = cls.env["res.partner.category"].create({"name": "Gold tariff"})
        cls.gold_sla = cls.env["helpdesk.sla"].create(
            {
                "name": "Gold, office hours",
                "sequence": 10,
                "partner_category_ids": [(6, 0, cls.gold.ids)],
                "ack_minutes": 10,
                "resolve_hours": 2,
                "resource_calendar_id": cls.office_hours.id,
            }
        )
        cls.urgent_sla = cls.env["helpdesk.sla"].create(
            {
                "name": "Urgent",
                "sequence": 20,
                "priority": "3",
                "ack_minutes": 5,
                "report_minutes": 15,
                "resolve_hours": 4,
            }
        )

    def _line(self, ticket, target):
        return ticket.sla_line_ids.filtered(lambda line: line.target == target)

    # ------------------------------------------------------------ policies
    def test_default_policy_and_met_targets(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket(user_id=self.agent_a.id)
        self.assertEqual(ticket.sla_id, self.standard)
        ack, report = self._line(ticket, "ack"), self._line(ticket, "report")
        self.assertEqual(ack.deadline, datetime(2026, 3, 2, 9, 10))
        self.assertEqual(ack.date_warning, datetime(2026, 3, 2, 9, 8))
        self.assertEqual(report.deadline, datetime(2026, 3, 2, 9, 20))
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 2, 9, 10))
        self.assertEqual(ticket.sla_status, "ongoing")
        self.assertFalse(self._line(ticket, "resolve"))
        with freeze_time("2026-03-02 09:04:00"):
            ticket.with_user(self.agent_a).action_acknowledge()
        self.assertEqual(ack.status, "met")
        self.assertEqual(ack.spent_minutes, 4)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 2, 9, 20))
        with freeze_time("2026-03-02 09:18:00"):
            self._post_as(ticket, user=self.agent_a, body="Done so far: ...; ETA 11:00")
        self.assertEqual(report.status, "met")
        self.assertEqual(ticket.sla_status, "met")
        self.assertEqual(ticket.sla_line_ids.mapped("met_percent"), [100.0, 100.0])
        self.assertEqual(ticket.time_ack_minutes, 4)
        self.assertEqual(ticket.time_ack_work_minutes, 4)
        self.assertEqual(ticket.time_report_minutes, 18)

    def test_resolution_stops_every_clock(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-02 09:08:00"):
            ticket.stage_id = self.stage_resolved
        self.assertEqual(ticket.sla_status, "met", "no report needed once resolved")
        self.assertEqual(
            self._line(ticket, "report").date_reached, datetime(2026, 3, 2, 9, 8)
        )
        with freeze_time("2026-03-02 12:00:00"):
            self.assertEqual(self.env["helpdesk.ticket.sla"]._cron_escalate(), 0)
        done = self._ticket(stage_id=self.stage_closed.id)
        self.assertTrue(done.date_resolved and done.date_closed)
        self.assertEqual(done.sla_status, "met")

    def test_late_acknowledgement_fails(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-02 09:15:00"):
            ticket.action_acknowledge()
        self.assertEqual(self._line(ticket, "ack").status, "failed")
        self.assertTrue(ticket.sla_failed)
        compliance = self.env["helpdesk.ticket.sla"]._read_group(
            [("ticket_id", "=", ticket.id), ("status", "!=", "ongoing")],
            [],
            ["met_percent:avg"],
        )
        self.assertEqual(compliance, [(0.0,)], "one failed target: 0 % compliance")

    def test_client_tariff_and_priority_choose_the_policy(self):
        self.client.category_id = self.gold
        ticket = self._ticket()
        self.assertEqual(ticket.sla_id, self.gold_sla)
        self.assertEqual(set(ticket.sla_line_ids.mapped("target")), {"ack", "resolve"})
        other = self._ticket(partner_id=self.other_client.id)
        self.assertEqual(other.sla_id, self.standard)
        # a priority change moves the ticket to the urgent policy and its targets
        other.priority = "3"
        self.assertEqual(other.sla_id, self.urgent_sla)
        self.assertEqual(
            set(other.sla_line_ids.mapped("target")), {"ack", "report", "resolve"}
        )
        self.assertEqual(self._line(other, "ack").target_minutes, 5)
        # an executive's normal request is urgent once raised by the VIP flag
        boss = self._ticket(partner_id=self.executive.id, priority="2")
        self.assertEqual(boss.priority_effective, 3)
        self.assertEqual(boss.sla_id, self.gold_sla, "tariff policy comes first")
        self.client.category_id = False
        boss.priority = "1"  # effective priority 2 now, and no tariff any more
        self.assertEqual(boss.sla_id, self.standard)
        self.assertEqual(set(boss.sla_line_ids.mapped("target")), {"ack", "report"})

    def test_policy_needs_a_target(self):
        with self.assertRaises(ValidationError):
            self.env["helpdesk.sla"].create({"name": "Empty promise"})

    # ------------------------------------------------------------ calendars
    def test_business_hours_weekend_and_holiday(self):
        self.client.category_id = self.gold
        # Friday 16:55: 5 minutes left today, then Monday
        with freeze_time("2026-03-06 16:55:00"):
            ticket = self._ticket()
        self.assertEqual(self._line(ticket, "ack").deadline, datetime(2026, 3, 9, 8, 5))
        self.assertEqual(
            self._line(ticket, "resolve").deadline, datetime(2026, 3, 9, 9, 55)
        )
        # Monday is a public holiday: everything moves to Tuesday
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.office_hours.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59, 59),
            }
        )
        with freeze_time("2026-03-06 16:55:00"):
            holiday_ticket = self._ticket()
        self.assertEqual(
            self._line(holiday_ticket, "ack").deadline, datetime(2026, 3, 10, 8, 5)
        )
        # acknowledged on Tuesday 8:03: 5 + 3 working minutes, not 4 days
        with freeze_time("2026-03-10 08:03:00"):
            holiday_ticket.action_acknowledge()
        line = self._line(holiday_ticket, "ack")
        self.assertEqual(line.status, "met")
        self.assertEqual(line.spent_minutes, 8)
        self.assertEqual(holiday_ticket.time_ack_work_minutes, 8)
        # wall clock: Friday 16:55 to Tuesday 08:03
        self.assertEqual(holiday_ticket.time_ack_minutes, 4 * 24 * 60 - 532)

    def test_ticket_created_outside_working_hours(self):
        self.client.category_id = self.gold
        with freeze_time("2026-03-07 10:00:00"):  # Saturday
            ticket = self._ticket()
        self.assertEqual(
            self._line(ticket, "ack").deadline, datetime(2026, 3, 9, 8, 10)
        )
        with freeze_time("2026-03-09 08:30:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self._line(ticket, "ack").status, "failed")
        self.assertEqual(self._line(ticket, "ack").spent_minutes, 30)

    # ------------------------------------------------------------ pauses
    def test_waiting_for_client_pauses_the_clock(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-02 09:05:00"):
            ticket.stage_id = self.stage_waiting  # acknowledges, pauses the report
        report = self._line(ticket, "report")
        self.assertTrue(report.is_paused)
        self.assertFalse(report.deadline)
        self.assertEqual(self._line(ticket, "ack").status, "met")
        with freeze_time("2026-03-02 10:05:00"):
            self._post_as(ticket, partner=self.contact, body="Here is the log file")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertFalse(report.is_paused)
        # 5 minutes used before the pause, 15 left from 10:05
        self.assertEqual(report.deadline, datetime(2026, 3, 2, 10, 20))
        with freeze_time("2026-03-02 10:12:00"):
            self._post_as(ticket, user=self.agent_a, body="Fixed, please check")
        self.assertEqual(report.status, "met")
        self.assertEqual(report.spent_minutes, 12)
        self.assertEqual(ticket.time_report_minutes, 72, "wall time counts the pause")
        self.assertEqual(ticket.time_report_work_minutes, 12)

    # ------------------------------------------------------------ escalation
    def test_escalation_once_per_target(self):
        self.team.user_id = self.manager
        self.standard.escalate_user_id = self.agent_b
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket(user_id=self.agent_a.id)
        Line = self.env["helpdesk.ticket.sla"]
        Activity = self.env["mail.activity"]
        activities = Activity.search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertFalse(activities)
        # 09:09: the acknowledgement is at risk (80 % of 10 min)
        with freeze_time("2026-03-02 09:09:00"):
            self.assertEqual(Line._cron_escalate(), 1)
            self.assertEqual(Line._cron_escalate(), 0, "warned once")
        ack = self._line(ticket, "ack")
        self.assertTrue(ack.is_warned)
        self.assertEqual(ack.status, "ongoing")
        activities = Activity.search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.agent_a)
        # the agent's e-mail about the activity waits for the scheduled-messages
        # job: the escalation's batch renders none
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.agent_a.partner_id.ids),
            ]
        )
        self.assertEqual(len(notice), 1)
        self.assertTrue(
            self.env["mail.message.schedule"].search(
                [("mail_message_id", "=", notice.id)]
            )
        )
        self.assertFalse(notice.notification_ids)
        self.env["mail.message.schedule"]._send_notifications_cron()
        self.assertEqual(
            notice.notification_ids.res_partner_id, self.agent_a.partner_id
        )
        # 09:21: both targets breached
        with freeze_time("2026-03-02 09:21:00"):
            self.assertEqual(Line._cron_escalate(), 2)
            self.assertEqual(Line._cron_escalate(), 0, "escalated once")
        self.assertEqual(set(ticket.sla_line_ids.mapped("status")), {"failed"})
        self.assertTrue(all(ticket.sla_line_ids.mapped("is_escalated")))
        self.assertEqual(ticket.user_id, self.agent_b, "reassigned by the policy")
        activities = Activity.search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(activities), 3)
        notes = ticket.message_ids.filtered(lambda m: "SLA breached" in str(m.body))
        self.assertEqual(len(notes), 1, "one note for both targets")
        mail = self.env["mail.mail"].search(
            [("subject", "=", "SLA breached on 1 tickets")]
        )
        self.assertEqual(mail.recipient_ids, self.manager.partner_id)
        self.assertIn(ticket.ticket_ref, mail.body_html)
        # replying late afterwards keeps the failure
        with freeze_time("2026-03-02 09:30:00"):
            self._post_as(ticket, user=self.agent_b, body="Sorry for the wait")
        self.assertEqual(self._line(ticket, "report").status, "failed")

    def test_escalated_rows_are_not_taken_again(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
        lines = ticket.sla_line_ids
        # rows already escalated or met by another worker are not taken again
        lines.write({"is_escalated": True, "status": "failed"})
        with freeze_time("2026-03-02 10:00:00"):
            self.assertEqual(self.env["helpdesk.ticket.sla"]._cron_escalate(), 0)
        self.assertEqual(lines._lock_rows(), lines)

    def test_batch_escalation(self):
        with freeze_time("2026-03-02 09:00:00"):
            tickets = self.Ticket.create(
                [
                    {
                        "name": f"Batch {i}",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                    }
                    for i in range(30)
                ]
            )
        Line = self.env["helpdesk.ticket.sla"]
        with freeze_time("2026-03-02 12:00:00"):
            self.assertEqual(Line._cron_escalate(batch_size=25), 25)
            self.assertEqual(Line._cron_escalate(batch_size=25), 25)
            self.assertEqual(Line._cron_escalate(batch_size=25), 10)
            self.assertEqual(Line._cron_escalate(batch_size=25), 0)
        self.assertEqual(set(tickets.sla_line_ids.mapped("status")), {"failed"})

    def test_policy_form(self):
        form = Form(self.env["helpdesk.sla"])
        form.name = "Silver"
        form.ack_minutes = 15
        form.resolve_hours = 8
        policy = form.save()
        self.assertEqual(policy._get_target_minutes(), {"ack": 15, "resolve": 480})

    def test_readme_example(self):
        """The example of the README, step by step."""
        service_hours = self.env["resource.calendar"].create(
            {
                "name": "Service hours 8-18 UTC",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"D{d}",
                            "dayofweek": str(d),
                            "hour_from": 8,
                            "hour_to": 18,
                        },
                    )
                    for d in range(5)
                ],
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": service_hours.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59, 59),
            }
        )
        self.gold_sla.write(
            {
                "ack_minutes": 10,
                "resolve_hours": 8,
                "resource_calendar_id": service_hours.id,
                "pause_stage_ids": [(6, 0, self.stage_waiting.ids)],
            }
        )
        self.client.category_id = self.gold
        with freeze_time("2026-03-06 17:55:00"):  # Friday, 5 minutes before closing
            ticket = self._ticket()
        resolve = self._line(ticket, "resolve")
        self.assertEqual(
            self._line(ticket, "ack").deadline, datetime(2026, 3, 10, 8, 5)
        )
        self.assertEqual(resolve.deadline, datetime(2026, 3, 10, 15, 55))
        with freeze_time("2026-03-10 09:00:00"):
            ticket.stage_id = self.stage_waiting
        self.assertTrue(resolve.is_paused)
        self.assertEqual(resolve.spent_minutes, 65, "6 h 55 min left")
        with freeze_time("2026-03-10 14:00:00"):
            self._post_as(ticket, partner=self.contact, body="Here is the answer")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(resolve.deadline, datetime(2026, 3, 11, 10, 55))
