from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin

T0 = datetime(2026, 3, 2, 9, 0)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@tagged("helpdesk_service")
class TestFollowup(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        # only the team of these tests follows up
        cls.env["helpdesk.team"].with_context(active_test=False).search([]).write(
            {"followup_agent_hours": 0, "followup_client_hours": 0, "autoclose_days": 0}
        )
        cls.team.write(
            {
                "followup_agent_hours": 24,
                "followup_client_hours": 48,
                "autoclose_days": 7,
            }
        )
        cls.env["ir.config_parameter"].set_param(
            "helpdesk_service.portal_reopen_days", "10"
        )
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.mt_comment = cls.env.ref("mail.mt_comment")

    def _run(self, at, **kwargs):
        with freeze_time(at):
            return self.Ticket._cron_followup(**kwargs)

    def _messages(self, ticket, text):
        return ticket.message_ids.filtered(lambda m: text in (m.body or ""))

    def _contact_figures(self, ticket):
        return (
            ticket.agent_reply_count,
            ticket.client_message_count,
            ticket.date_ack,
            ticket.date_last_contact,
            ticket.date_first_response,
        )

    def test_team_settings(self):
        form = Form(self.env["helpdesk.team"])
        form.name = "Second line"
        self.assertEqual(form.followup_agent_hours, 24)
        self.assertEqual(form.followup_client_hours, 48)
        self.assertEqual(form.autoclose_days, 7)
        form.autoclose_days = 0
        team = form.save()
        self.assertEqual(team.autoclose_days, 0)
        self.assertEqual(self.Ticket._get_followup_jobs(team), ["agent", "client"])

    # ------------------------------------------------------------ assignee
    def test_agent_reminder(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_a.id)
            # not reminded: no assignee / waiting for the client (no contact,
            # so that the client reminder leaves it alone too)
            unassigned = self._ticket()
            waiting = self._ticket(user_id=self.agent_a.id, partner_id=False)
            waiting.stage_id = self.stage_waiting
        self.assertEqual(ticket.date_last_agent_update, T0)
        figures = self._contact_figures(ticket)

        self.assertEqual(self._run(T0 + 24 * HOUR - MINUTE), 0)
        self.assertFalse(ticket.activity_ids)

        at = T0 + 24 * HOUR + MINUTE
        self.assertEqual(self._run(at), 1)
        activity = ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.agent_a)
        self.assertEqual(activity.activity_type_id, self.todo)
        self.assertEqual(activity.summary, "No update for 24 hours")
        self.assertEqual(activity.date_deadline, at.date())
        self.assertEqual(ticket.date_followup_agent, at)
        self.assertEqual(self._contact_figures(ticket), figures)
        self.assertFalse(unassigned.activity_ids)
        self.assertFalse(waiting.activity_ids)

        # no second reminder while nothing happens
        self.assertEqual(self._run(at), 0)
        self.assertEqual(self._run(at + 5 * HOUR), 0)
        self.assertEqual(len(ticket.activity_ids), 1)

        # a public reply restarts the clock
        replied = T0 + 30 * HOUR
        with freeze_time(replied):
            self._post_as(ticket, user=self.agent_a, body="We are looking into it")
        self.assertEqual(ticket.date_last_agent_update, replied)
        self.assertEqual(ticket.agent_reply_count, 1)
        self.assertEqual(self._run(replied + 24 * HOUR - MINUTE), 0)
        self.assertEqual(self._run(replied + 24 * HOUR + MINUTE), 1)
        self.assertEqual(len(ticket.activity_ids), 2)

        # so does a change of stage
        moved = T0 + 60 * HOUR
        with freeze_time(moved):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.date_last_agent_update, moved)
        self.assertEqual(self._run(moved + 23 * HOUR), 0)
        # an internal note is not an update for the client
        with freeze_time(moved + 2 * HOUR):
            self._post_as(ticket, user=self.agent_a, internal=True, body="note")
        self.assertEqual(ticket.date_last_agent_update, moved)
        self.assertEqual(self._run(moved + 24 * HOUR + MINUTE), 1)
        self.assertEqual(len(ticket.activity_ids), 3)

    def test_agent_reminder_falls_back_to_date_received(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_b.id, date_received=T0 - DAY)
        self.assertEqual(ticket.date_last_agent_update, T0 - DAY)
        # a ticket from before the field existed
        ticket.write({"date_last_agent_update": False})
        self.assertEqual(self._run(T0 + MINUTE), 1)
        self.assertEqual(ticket.activity_ids.user_id, self.agent_b)
        self.assertEqual(self._run(T0 + 2 * MINUTE), 0)

    # ------------------------------------------------------------ client
    def test_client_reminder(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_a.id)
            ticket.stage_id = self.stage_waiting
        figures = self._contact_figures(ticket)
        text = "We are still waiting for your answer"

        self.assertEqual(self._run(T0 + 48 * HOUR - MINUTE), 0)
        self.assertFalse(self._messages(ticket, text))

        at = T0 + 48 * HOUR + MINUTE
        self.assertEqual(self._run(at), 1)
        message = self._messages(ticket, text)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.mt_comment)
        self.assertEqual(message.message_type, "auto_comment")
        self.assertIn(ticket.ticket_ref, message.subject)
        self.assertIn(ticket.ticket_ref, message.body)
        self.assertIn(f"/my/tickets/{ticket.id}", message.body)
        self.assertIn(self.contact, message.notified_partner_ids)
        self.assertEqual(ticket.date_followup_client, at)
        # not a contact with the client, not an agent update
        self.assertEqual(self._contact_figures(ticket), figures)
        self.assertEqual(ticket.agent_reply_count, 0)
        self.assertEqual(ticket.date_last_agent_update, T0)
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertFalse(ticket.activity_ids)

        # once per waiting period
        self.assertEqual(self._run(at), 0)
        self.assertEqual(self._run(at + 5 * DAY), 0)
        self.assertEqual(len(self._messages(ticket, text)), 1)

        # the client answers: the ticket is back in progress, no reminder
        answered = T0 + 50 * HOUR
        with freeze_time(answered):
            self._post_as(ticket, partner=self.contact, body="Here is the log")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.client_message_count, 1)
        self.assertEqual(ticket.date_last_agent_update, answered)
        # the agent asks again: a new waiting period, a new reminder
        asked = T0 + 51 * HOUR
        with freeze_time(asked):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(self._run(asked + 48 * HOUR - MINUTE), 0)
        self.assertEqual(self._run(asked + 48 * HOUR + MINUTE), 1)
        self.assertEqual(len(self._messages(ticket, text)), 2)
        self.assertEqual(ticket.date_followup_client, asked + 48 * HOUR + MINUTE)

    def test_client_message_while_waiting(self):
        """A team without an 'In progress' stage keeps the ticket waiting when
        the client answers: his answer still stops the reminder."""
        team = self.env["helpdesk.team"].create(
            {
                "name": "Short desk",
                "stage_ids": [
                    (
                        6,
                        0,
                        (
                            self.stage_new
                            | self.stage_waiting
                            | self.stage_resolved
                            | self.stage_closed
                        ).ids,
                    )
                ],
            }
        )
        with freeze_time(T0):
            ticket = self._ticket(team_id=team.id)
            ticket.stage_id = self.stage_waiting
        with freeze_time(T0 + HOUR):
            self._post_as(ticket, partner=self.contact, body="Here it is")
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertEqual(self._run(T0 + 49 * HOUR), 0)
        self.assertFalse(ticket.date_followup_client)

    # ------------------------------------------------------------ auto-close
    def test_autoclose(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_a.id)
            ticket.stage_id = self.stage_resolved
        self.assertEqual(ticket.date_resolved, T0)
        figures = self._contact_figures(ticket)
        text = "closed automatically"

        self.assertEqual(self._run(T0 + 7 * DAY - MINUTE), 0)
        self.assertEqual(ticket.stage_id, self.stage_resolved)

        at = T0 + 7 * DAY + MINUTE
        self.assertEqual(self._run(at), 1)
        self.assertEqual(ticket.stage_id, self.stage_closed)
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.date_closed, at)
        self.assertEqual(ticket.date_resolved, T0)
        message = self._messages(ticket, text)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.mt_comment)
        self.assertIn(ticket.ticket_ref, message.body)
        self.assertIn("within 10 days", message.body)
        self.assertIn(f"/my/tickets/{ticket.id}", message.body)
        self.assertIn(self.contact, message.notified_partner_ids)
        self.assertEqual(self._contact_figures(ticket), figures)
        self.assertFalse(ticket.activity_ids)

        self.assertEqual(self._run(at), 0)
        self.assertEqual(self._run(at + 30 * DAY), 0)
        self.assertEqual(len(self._messages(ticket, text)), 1)

        # the client can reopen it from the portal for 10 days
        with freeze_time(at + 10 * DAY + MINUTE):
            self.assertFalse(ticket._portal_can_reopen())
        with freeze_time(at + 10 * DAY - MINUTE):
            self.assertTrue(ticket._portal_can_reopen())
            ticket._portal_reopen(self.contact, "Still broken")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertFalse(ticket.date_closed)

    def test_autoclose_without_reopen_window(self):
        self.env["ir.config_parameter"].set_param(
            "helpdesk_service.portal_reopen_days", "0"
        )
        with freeze_time(T0):
            ticket = self._ticket()
            ticket.stage_id = self.stage_resolved
        self.assertEqual(self._run(T0 + 8 * DAY), 1)
        self.assertEqual(ticket.stage_id, self.stage_closed)
        message = self._messages(ticket, "closed automatically")
        self.assertIn("please open a new request", message.body)
        self.assertNotIn("within", message.body)

    # ------------------------------------------------------------ settings, batches
    def test_settings_at_zero_turn_it_off(self):
        self.team.write(
            {"followup_agent_hours": 0, "followup_client_hours": 0, "autoclose_days": 0}
        )
        with freeze_time(T0):
            assigned = self._ticket(user_id=self.agent_a.id)
            waiting = self._ticket(user_id=self.agent_a.id)
            waiting.stage_id = self.stage_waiting
            resolved = self._ticket(user_id=self.agent_a.id)
            resolved.stage_id = self.stage_resolved
        tickets = assigned | waiting | resolved
        messages = tickets.message_ids
        self.assertEqual(self._run(T0 + 60 * DAY), 0)
        self.assertFalse(tickets.activity_ids)
        self.assertEqual(tickets.message_ids, messages)
        self.assertEqual(resolved.stage_id, self.stage_resolved)
        self.assertFalse(tickets.filtered("date_followup_agent"))
        self.assertFalse(tickets.filtered("date_followup_client"))

        # each setting on its own
        self.team.followup_client_hours = 48
        self.assertEqual(self._run(T0 + 60 * DAY), 1)
        self.assertTrue(waiting.date_followup_client)
        self.assertFalse(assigned.activity_ids)
        self.assertEqual(resolved.stage_id, self.stage_resolved)

    def test_batches(self):
        with freeze_time(T0):
            tickets = self._ticket(user_id=self.agent_a.id) | self._ticket(
                user_id=self.agent_b.id
            )
        at = T0 + 25 * HOUR
        IrCron = self.registry["ir.cron"]
        with patch.object(IrCron, "_notify_progress", autospec=True) as notify:
            self.assertEqual(self._run(at, batch_size=1), 1)
            self.assertEqual(notify.call_args.kwargs, {"done": 1, "remaining": 1})
            self.assertEqual(self._run(at, batch_size=1), 1)
            self.assertEqual(notify.call_args.kwargs, {"done": 1, "remaining": 0})
            self.assertEqual(self._run(at, batch_size=1), 0)
            self.assertEqual(notify.call_args.kwargs, {"done": 0, "remaining": 0})
        self.assertEqual(tickets.activity_ids.user_id, self.agent_a | self.agent_b)
        self.assertEqual(len(tickets.activity_ids), 2)
