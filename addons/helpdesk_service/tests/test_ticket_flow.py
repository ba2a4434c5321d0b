from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestTicketFlow(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_number_stage_company_defaults(self):
        ticket = self._ticket()
        self.assertRegex(ticket.ticket_ref, r"^HD-\d{6}$")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.company_id, self.team.company_id)
        self.assertEqual(ticket.commercial_partner_id, self.client)
        self.assertEqual(ticket.partner_email, "john@acme.example.com")
        self.assertEqual(
            ticket.display_name, f"{ticket.ticket_ref} Printer does not print"
        )
        self.assertIn(
            self.contact, ticket.message_partner_ids, "the client follows his ticket"
        )
        other = self._ticket()
        self.assertNotEqual(ticket.ticket_ref, other.ticket_ref)
        found = self.Ticket.name_search(ticket.ticket_ref)
        self.assertEqual([r[0] for r in found], [ticket.id])

    def test_vip_and_executive_raise_effective_priority(self):
        normal = self._ticket(priority="1")
        self.assertFalse(normal.is_vip)
        self.assertEqual(normal.priority_effective, 1)
        boss = self._ticket(priority="1", partner_id=self.executive.id)
        self.assertTrue(boss.is_vip)
        self.assertEqual(boss.priority_effective, 2)
        self.client.is_helpdesk_vip = True
        vip = self._ticket(priority="3")
        self.assertTrue(vip.is_vip)
        self.assertEqual(vip.priority_effective, 3, "capped at urgent")
        # served first: default order is by effective priority
        tickets = self.Ticket.search([("id", "in", (normal | boss | vip).ids)])
        self.assertEqual(tickets.ids, [vip.id, boss.id, normal.id])
        # the agent can still lower the flag by hand
        boss.is_vip = False
        self.assertEqual(boss.priority_effective, 1)
        self.assertEqual(self._events(boss, "priority").new_value, "Normal")

    def test_batch_create_writes_the_timeline_in_one_go(self):
        vals = [
            {
                "name": f"Batch {i}",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
            }
            for i in range(20)
        ]
        self.Ticket.create(vals[:1])  # warm caches (sequence, stages)
        self.env.flush_all()
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        self.Ticket.create(vals[1:2])
        self.env.flush_all()
        one = self.cr.sql_log_count - queries_before
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        tickets = self.Ticket.create(vals[2:])
        self.env.flush_all()
        eighteen = self.cr.sql_log_count - queries_before
        self.assertEqual(len(tickets.event_ids), 18)
        self.assertEqual(set(tickets.event_ids.mapped("event_type")), {"received"})
        # only the ticket number costs a query per ticket (the sequence's nextval)
        self.assertLessEqual(
            eighteen, one + 2 * 17, f"1 ticket: {one} queries, 18: {eighteen}"
        )

    def test_stage_flow_timeline_and_dates(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket(user_id=self.agent_a.id)
        self.assertFalse(ticket.date_ack)
        with freeze_time("2026-03-02 09:04:00"):
            ticket.with_user(self.agent_a).stage_id = self.stage_progress
        self.assertEqual(ticket.date_ack, datetime(2026, 3, 2, 9, 4))
        self.assertEqual(len(self._events(ticket, "acknowledged")), 1)
        self.assertEqual(self._events(ticket, "work_started").user_id, self.agent_a)
        with freeze_time("2026-03-02 09:30:00"):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(len(self._events(ticket, "waiting")), 1)
        # the client answers: back to work, counted as a contact
        with freeze_time("2026-03-02 10:00:00"):
            self._post_as(ticket, partner=self.contact, body="Here is the photo")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.client_message_count, 1)
        self.assertEqual(self._events(ticket, "client_message").author_id, self.contact)
        with freeze_time("2026-03-02 11:00:00"):
            ticket.stage_id = self.stage_resolved
        self.assertEqual(ticket.date_resolved, datetime(2026, 3, 2, 11, 0))
        self.assertTrue(ticket.is_closed)
        # reopening clears the resolution date and counts
        with freeze_time("2026-03-03 08:00:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.reopen_count, 1)
        self.assertFalse(ticket.date_resolved)
        self.assertEqual(len(self._events(ticket, "reopened")), 1)
        with freeze_time("2026-03-03 09:00:00"):
            ticket.stage_id = self.stage_closed
        self.assertEqual(ticket.date_closed, datetime(2026, 3, 3, 9, 0))
        self.assertEqual(
            self._events(ticket).sorted("id").mapped("event_type"),
            [
                "received",
                "acknowledged",
                "work_started",
                "waiting",
                "client_message",
                "stage",
                "resolved",
                "reopened",
                "closed",
            ],
        )

    def test_replies_calls_and_contacts(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
            self._post_as(
                ticket, user=self.agent_a, internal=True, body="internal note"
            )
        self.assertEqual(ticket.contact_count, 0, "internal notes are not contacts")
        self.assertFalse(ticket.date_first_response)
        with freeze_time("2026-03-02 09:07:00"):
            self._post_as(ticket, user=self.agent_a, body="We are on it, ETA 11:00")
        self.assertEqual(ticket.date_received, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(ticket.date_first_response, datetime(2026, 3, 2, 9, 7))
        self.assertEqual(ticket.date_ack, datetime(2026, 3, 2, 9, 7))
        self.assertEqual(self._events(ticket, "first_reply").user_id, self.agent_a)
        self._post_as(ticket, user=self.agent_b, body="Update: part ordered")
        self.assertEqual(len(self._events(ticket, "reply")), 1)
        with freeze_time("2026-03-02 10:30:00"):
            self._post_as(ticket, partner=self.contact, body="Thanks")
        self.assertEqual(ticket.date_last_contact, datetime(2026, 3, 2, 10, 30))
        start = datetime(2026, 3, 2, 10, 0)
        call = self.env["helpdesk.ticket.call"].create(
            {
                "ticket_id": ticket.id,
                "phone": "+1 555 1000",
                "date_start": start,
                "date_answer": start + timedelta(seconds=12),
                "date_end": start + timedelta(minutes=5, seconds=12),
                "user_id": self.agent_b.id,
            }
        )
        self.assertEqual(
            ticket.date_last_contact,
            datetime(2026, 3, 2, 10, 30),
            "a call logged afterwards for an earlier time is not the last contact",
        )
        self.assertEqual(call.pickup_seconds, 12)
        self.assertEqual(call.duration_seconds, 300)
        self.assertFalse(call.is_missed)
        self.assertEqual(ticket.call_count, 1)
        self.assertEqual(ticket.agent_reply_count, 2)
        self.assertEqual(ticket.client_message_count, 1)
        self.assertEqual(ticket.contact_count, 4)
        self.assertEqual(self._events(ticket, "call").user_id, self.agent_b)
        with self.assertRaises(ValidationError):
            self.env["helpdesk.ticket.call"].create(
                {
                    "ticket_id": ticket.id,
                    "date_start": start,
                    "date_answer": start - timedelta(1),
                }
            )
        with self.assertRaises(ValidationError):
            call.recording_url = "javascript:alert(1)"
        missed = self.env["helpdesk.ticket.call"].create(
            {
                "ticket_id": ticket.id,
                "date_start": start,
                "date_end": start + timedelta(seconds=30),
            }
        )
        self.assertTrue(missed.is_missed)

    def test_assignment_events_and_acknowledge_button(self):
        ticket = self._ticket()
        ticket.with_user(self.agent_a).action_acknowledge()
        self.assertTrue(ticket.date_ack)
        self.assertEqual(ticket.user_id, self.agent_a, "acknowledging takes the ticket")
        self.assertEqual(self._events(ticket, "assigned").new_value, "Agent A")
        with self.assertRaises(UserError):
            ticket.action_acknowledge()
        ticket.user_id = self.agent_b
        event = self._events(ticket, "reassigned")
        self.assertEqual((event.old_value, event.new_value), ("Agent A", "Agent B"))

    def test_ticket_created_in_progress_is_acknowledged(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket(stage_id=self.stage_progress.id, channel="phone")
        self.assertEqual(ticket.date_ack, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(
            self._events(ticket).sorted("id").mapped("event_type"),
            ["received", "acknowledged"],
        )

    def test_stage_must_belong_to_the_team(self):
        other_stage = self.env["helpdesk.stage"].create({"name": "Other team only"})
        ticket = self._ticket()
        with self.assertRaises(ValidationError) as error:
            ticket.stage_id = other_stage
        self.assertIn("is not used by team Test Desk", str(error.exception))
        # tickets without a team may use any stage
        loose = self.Ticket.create({"name": "No team", "stage_id": other_stage.id})
        self.assertEqual(loose.stage_id, other_stage)

    def test_timeline_is_read_only(self):
        ticket = self._ticket()
        event = ticket.event_ids.with_user(self.agent_a)
        self.assertEqual(event.event_type, "received")
        with self.assertRaises(AccessError):
            event.write({"event_type": "closed"})
        with self.assertRaises(AccessError):
            event.unlink()
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket.event"].with_user(self.manager).create(
                {"ticket_id": ticket.id, "event_type": "closed"}
            )

    def test_tickets_with_history_cannot_be_deleted(self):
        ticket = self._ticket()
        self._post_as(ticket, partner=self.contact)
        with self.assertRaises(UserError):
            ticket.with_user(self.manager).unlink()
        fresh = self._ticket()
        fresh.with_user(self.manager).unlink()
        self.assertFalse(fresh.exists())

    def test_client_history_from_partner_and_ticket(self):
        first = self._ticket(name="First")
        first.stage_id = self.stage_closed
        second = self._ticket(name="Second", partner_id=self.executive.id)
        self._ticket(name="Elsewhere", partner_id=self.other_client.id)
        self.assertEqual(self.client.helpdesk_ticket_count, 2)
        self.assertEqual(self.client.helpdesk_open_ticket_count, 1)
        self.assertEqual(self.contact.helpdesk_ticket_count, 1)
        action = self.client.action_open_helpdesk_tickets()
        self.assertEqual(self.Ticket.search(action["domain"]), first | second)
        self.assertEqual(second.client_ticket_count, 2)
        self.assertEqual(second.client_ticket_ids, first)
        action = second.action_open_client_tickets()
        self.assertEqual(self.Ticket.search(action["domain"]), first | second)

    def test_form_creates_ticket_like_a_user(self):
        form = Form(self.Ticket.with_user(self.agent_a))
        form.name = "Mouse broken"
        form.partner_id = self.executive
        form.team_id = self.team
        self.assertTrue(
            form.is_vip, "executives are flagged when the contact is chosen"
        )
        self.assertEqual(form.partner_email, "jane@acme.example.com")
        ticket = form.save()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.priority_effective, 2)
