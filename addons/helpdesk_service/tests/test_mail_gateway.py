from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

INCOMING = """Return-Path: <{return_path}>
To: {to}
cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 10 Aug 2026 16:16:39 +0200 (CEST)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
Date: Fri, 10 Aug 2026 14:16:26 +0000
Message-ID: {msg_id}
{extra}
The label printer in the warehouse prints blank labels since this morning.
Model LP-200, serial 4711.
"""


@tagged("helpdesk_service")
class TestMailGateway(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages = cls.env["helpdesk.stage"].search([])
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Gateway Agent",
                "login": "gw_agent",
                "email": "gw.agent@example.com",
                "groups_id": [
                    (6, 0, [cls.env.ref("helpdesk_service.group_helpdesk_user").id])
                ],
            }
        )
        cls.team = cls.env["helpdesk.team"].create(
            {
                "name": "Mail Desk",
                "alias_name": "help",
                "member_ids": [(6, 0, cls.agent.ids)],
                "assign_method": "round_robin",
            }
        )
        cls.known = cls.env["res.partner"].create(
            {"name": "Known Client", "email": "known@client.example.com"}
        )
        cls.to = f"help@{cls.alias_domain}"

    def _process(self, email_from, subject, **kw):
        with self.mock_mail_gateway():
            ticket = self.format_and_process(
                INCOMING,
                email_from,
                self.to,
                subject=subject,
                target_model="helpdesk.ticket",
                **kw,
            )
            # the notices of a new ticket (acknowledgement to a known client,
            # assignment) are sent by the scheduled-messages job the commit
            # (its pre-commit hooks) triggers
            self.env.cr.flush()
            self.env["mail.message.schedule"].sudo()._send_notifications_cron()
        return ticket

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.models.unlink")
    def test_new_ticket_from_unknown_sender(self):
        ticket = self._process(
            '"Rita Stores" <rita@stores.example.com>', "Labels print blank"
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.user_id, self.agent, "assigned by the team's method")
        self.assertIn("blank labels", str(ticket.description))
        partner = ticket.partner_id
        self.assertEqual(
            (partner.name, partner.email), ("Rita Stores", "rita@stores.example.com")
        )
        self.assertIn(partner, ticket.message_partner_ids)
        self.assertEqual(
            ticket.client_message_count, 1, "the request is the first contact"
        )
        # acknowledgement with the ticket number, not counted as an agent reply
        ack = self._new_mails.filtered(
            lambda m: (
                ticket.ticket_ref in (m.subject or "") and partner in m.recipient_ids
            )
        )
        self.assertEqual(len(ack), 1)
        self.assertIn("We have received your request", ack.subject)
        self.assertFalse(ticket.date_first_response)
        self.assertEqual(ticket.agent_reply_count, 0)

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.models.unlink")
    def test_reply_lands_in_the_same_ticket(self):
        ticket = self._process(
            self.known.email_formatted, "VPN down", msg_id="<vpn-1@client>"
        )
        self.assertEqual(ticket.partner_id, self.known)
        ticket.with_user(self.agent).message_post(
            body="Which office?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.stage_id = self.env.ref("helpdesk_service.helpdesk_stage_waiting")
        with self.mock_mail_gateway():
            self.format_and_process(
                INCOMING,
                self.known.email_formatted,
                self.to,
                subject="Re: VPN down",
                extra="In-Reply-To: <vpn-1@client>\nReferences: <vpn-1@client>\n",
                msg_id="<vpn-2@client>",
                target_model="helpdesk.ticket",
            )
        # the reply joined the ticket: no second ticket of this client
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                [("partner_id", "=", self.known.id), ("name", "ilike", "VPN down")]
            ),
            ticket,
        )
        self.assertEqual(ticket.client_message_count, 2)
        self.assertEqual(ticket.agent_reply_count, 1)
        self.assertEqual(ticket.contact_count, 3)
        self.assertEqual(
            ticket.stage_kind, "in_progress", "a client's answer resumes the work"
        )

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.models.unlink")
    def test_unknown_sender_kept_as_address_when_configured(self):
        self.team.create_unknown_partner = False
        count = self.env["res.partner"].search_count([])
        ticket = self._process("nobody@unknown.example.com", "Who am I")
        self.assertFalse(ticket.partner_id)
        self.assertEqual(ticket.partner_email, "nobody@unknown.example.com")
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        ack = self._new_mails.filtered(lambda m: ticket.ticket_ref in (m.subject or ""))
        self.assertEqual(ack.email_to, "nobody@unknown.example.com")

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.models.unlink")
    def test_known_partners_only_refuses_strangers(self):
        self.team.alias_id.alias_contact = "partners"
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(
                None,
                self.format(
                    INCOMING,
                    to=self.to,
                    subject="Spam offer",
                    email_from="spam@nowhere.example.com",
                ),
            )
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Spam offer")])
        )
        ticket = self._process(self.known.email_formatted, "Real request")
        self.assertEqual(ticket.partner_id, self.known)
