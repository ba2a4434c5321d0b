"""Delivery through a real SMTP server on 127.0.0.1 (aiosmtpd): the client's
acknowledgement arrives; mails that fail for a transient reason are retried
until the server is back, permanent failures are not."""

from email import message_from_bytes
from email.header import decode_header, make_header

from freezegun import freeze_time

from odoo import modules
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import HelpdeskCommonMixin
from .smtp_server import LocalSmtpServer


@tagged("helpdesk_service")
class TestMailDelivery(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.env.company.email = "desk@helpdesk.example.com"
        cls.smtp = LocalSmtpServer()
        cls.env["ir.mail_server"].search([]).active = False
        cls.mail_server = cls.env["ir.mail_server"].create(
            {
                "name": "Local test server",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.smtp.port,
                "smtp_encryption": "none",
            }
        )
        cls.env["ir.config_parameter"].set_param(
            "helpdesk_service.mail_retry_hours", "2"
        )

    def setUp(self):
        super().setUp()
        # Odoo sends nothing while testing: these tests really do
        self.patch(modules.module, "current_test", False)
        self.addCleanup(self.smtp.stop)
        self.smtp.envelopes.clear()

    def _mail(self, email_to, ticket=None):
        return self.env["mail.mail"].create(
            {
                "email_from": "desk@helpdesk.example.com",
                "email_to": email_to,
                "subject": "Your request",
                "body_html": "<p>We are on it.</p>",
                "model": ticket and ticket._name,
                "res_id": ticket and ticket.id,
            }
        )

    def _received(self, address):
        return [
            message_from_bytes(envelope.original_content)
            for envelope in self.smtp.envelopes
            if address in envelope.rcpt_tos
        ]

    def test_acknowledgement_arrives(self):
        self.smtp.start()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Printer jammed",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
                "channel": "email",
            }
        )
        # the commit's pre-commit hooks queue the e-mails for the job
        self.env.cr.flush()
        self.env["mail.message.schedule"].sudo()._send_notifications_cron()
        self.env["mail.mail"].process_email_queue()
        received = self._received(self.contact.email)
        self.assertEqual(len(received), 1)
        subject = str(make_header(decode_header(received[0]["Subject"])))
        self.assertIn(ticket.ticket_ref, subject)
        self.assertIn("We have received your request", subject)
        # none of the team's agents got a copy
        agents = (self.team.member_ids | self.team.user_id).mapped("email")
        delivered_to = {rcpt for env in self.smtp.envelopes for rcpt in env.rcpt_tos}
        self.assertFalse(delivered_to & set(agents))

    def test_transient_failures_are_retried_until_delivered(self):
        ticket = self._ticket()
        mail = self._mail("client@example.com", ticket)
        # the server is down: connection refused, a new try in 1 minute
        with freeze_time("2026-03-02 09:00:00"):
            mail.send()
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("refused", mail.failure_reason.lower())
        self.assertEqual(mail.helpdesk_retry_count, 1)
        self.assertEqual(str(mail.scheduled_date), "2026-03-02 09:01:00")
        self.assertEqual(self.team.mail_stuck_count, 1, "shown on the overview")
        with freeze_time("2026-03-02 09:00:30"):
            self.env["mail.mail"].process_email_queue()
        self.assertEqual(mail.helpdesk_retry_count, 1, "not due yet")
        # still down at 09:01: next try 2 minutes later
        with freeze_time("2026-03-02 09:01:00"):
            self.env["mail.mail"].process_email_queue()
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.helpdesk_retry_count, 2)
        self.assertEqual(str(mail.scheduled_date), "2026-03-02 09:03:00")
        # the server is back
        self.smtp.start()
        with freeze_time("2026-03-02 09:03:00"):
            self.env["mail.mail"].process_email_queue()
        self.assertEqual(mail.state, "sent")
        self.assertEqual(
            len(self._received("client@example.com")),
            1,
            [(e.mail_from, e.rcpt_tos) for e in self.smtp.envelopes],
        )
        self.team.invalidate_recordset(["mail_stuck_count"])
        self.assertEqual(self.team.mail_stuck_count, 0)

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_4xx_is_retried_5xx_is_not(self):
        self.smtp.start()
        busy, unknown = (
            self._mail("busy@example.com"),
            self._mail("unknown@example.com"),
        )
        with freeze_time("2026-03-02 09:00:00"):
            (busy | unknown).send()
        self.assertEqual(busy.state, "outgoing")
        self.assertEqual(busy.helpdesk_retry_count, 1)
        self.assertIn("451", busy.failure_reason)
        self.assertEqual(unknown.state, "exception")
        self.assertEqual(unknown.helpdesk_retry_count, 0)
        self.assertIn("550", unknown.failure_reason)

    def test_no_retry_after_the_window(self):
        ticket = self._ticket()
        mail = self._mail("client@example.com", ticket)
        mail.write({"helpdesk_retry_count": 6})
        with freeze_time("2026-03-02 09:00:00"):
            mail.helpdesk_date_first_failure = "2026-03-02 07:00:00"
            mail.send()  # server down, the 2 hours are over
        self.assertEqual(mail.state, "exception")
        self.assertEqual(mail.helpdesk_retry_count, 6)
        self.assertEqual(self.team.mail_stuck_count, 1)
        self.team.action_view_stuck_mails()
        with self.assertRaises(AccessError):
            self.team.with_user(self.manager).action_view_stuck_mails()
