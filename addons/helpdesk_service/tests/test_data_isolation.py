"""No client ever sees another client's data; agents only handle the calls of
the tickets they see; only administrators publish announcements."""

from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

from .common import HelpdeskCommonMixin
from .test_knowledge import KnowledgeMixin
from .test_mail_gateway import INCOMING


@tagged("helpdesk_service")
class TestCallIsolation(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.private_ticket = cls.Ticket.create(
            {
                "name": "Board room screen",
                "partner_id": cls.contact.id,
                "team_id": cls.team_private.id,
            }
        )
        cls.ticket = cls.Ticket.create(
            {
                "name": "Printer",
                "partner_id": cls.contact.id,
                "team_id": cls.team.id,
            }
        )
        cls.Call = cls.env["helpdesk.ticket.call"]
        cls.private_call, cls.call = cls.Call.create(
            [
                {
                    "ticket_id": ticket.id,
                    "phone": "+1 555 0100",
                    "date_start": datetime(2026, 3, 2, 9, 0),
                }
                for ticket in (cls.private_ticket, cls.ticket)
            ]
        )

    def test_calls_follow_the_ticket_visibility(self):
        Call = self.Call.with_user(self.agent_a)
        calls = self.private_call | self.call
        self.assertEqual(Call.search([("id", "in", calls.ids)]), self.call)
        with self.assertRaises(AccessError):
            self.private_call.with_user(self.agent_a).read(["phone"])
        with self.assertRaises(AccessError):
            self.private_call.with_user(self.agent_a).write({"note": "seen"})
        # the members of the private team and the managers see its calls
        self.assertEqual(
            self.Call.with_user(self.agent_c).search([("id", "in", calls.ids)]), calls
        )
        self.assertEqual(
            self.Call.with_user(self.manager).search([("id", "in", calls.ids)]), calls
        )

    def test_no_call_logged_or_moved_onto_a_hidden_ticket(self):
        before = self.private_ticket.date_last_contact
        with self.assertRaises(AccessError):
            self.Call.with_user(self.agent_a).create(
                {
                    "ticket_id": self.private_ticket.id,
                    "phone": "+1 555 0199",
                    "date_start": datetime(2026, 3, 3, 9, 0),
                }
            )
        self.assertEqual(self.private_ticket.date_last_contact, before)
        with self.assertRaises(AccessError):
            self.call.with_user(self.agent_a).write(
                {"ticket_id": self.private_ticket.id}
            )
        self.assertEqual(self.call.ticket_id, self.ticket)
        # on his own team's tickets the agent logs and edits calls as before
        call = self.Call.with_user(self.agent_a).create(
            {
                "ticket_id": self.ticket.id,
                "phone": "+1 555 0142",
                "date_start": datetime(2026, 3, 3, 10, 0),
            }
        )
        call.write({"note": "called back"})
        self.assertEqual(call.ticket_id, self.ticket)
        events = self.ticket.event_ids.filtered(lambda e: e.event_type == "call")
        self.assertIn("+1 555 0142", events.mapped("new_value"))


@tagged("helpdesk_service")
class TestMergeClients(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.other_contact = cls.env["res.partner"].create(
            {
                "name": "Olga Other",
                "parent_id": cls.other_client.id,
                "email": "olga@other.example.com",
            }
        )

    def _merge(self, tickets):
        action = tickets.with_user(self.agent_a).action_merge()
        wizard = (
            self.env["helpdesk.ticket.merge"]
            .with_user(self.agent_a)
            .with_context(**action["context"])
            .create({})
        )
        return wizard.action_merge()

    def test_tickets_of_different_clients_are_not_merged(self):
        mine = self._ticket(name="Printer jams")
        theirs = self._ticket(name="Printer jams too", partner_id=self.other_contact.id)
        with self.assertRaisesRegex(UserError, "different clients"):
            self._merge(mine | theirs)
        self.assertTrue(theirs.active)
        self.assertNotIn(self.other_contact, mine.message_partner_ids)

    def test_no_follower_of_another_client_carried_over(self):
        mine = self._ticket(name="Printer jams")
        # a ticket without client, followed by another client's contact
        loose = self._ticket(name="Printer jams (phone)", partner_id=False)
        loose.message_subscribe(partner_ids=self.other_contact.ids)
        self._merge(mine | loose)
        self.assertFalse(loose.active)
        self.assertNotIn(self.other_contact, mine.message_partner_ids)
        self.assertIn(self.contact, mine.message_partner_ids)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestAnnouncementPublishRights(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.announcement = cls.env["helpdesk.announcement"].create(
            {"name": "Mail server move", "audience": "all"}
        )

    def test_agents_cannot_publish(self):
        as_agent = self.announcement.with_user(self.agent_a)
        as_agent.write({"body": "<p>Sunday night</p>"})  # preparing is fine
        with self.assertRaises(AccessError):
            as_agent.action_publish()
        with self.assertRaises(AccessError):
            as_agent.write({"state": "published"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.announcement"].with_user(self.agent_a).create(
                {"name": "Direct", "audience": "all", "state": "published"}
            )
        self.assertEqual(self.announcement.state, "draft")
        self.assertFalse(self.announcement.date_sent)
        self.announcement.with_user(self.manager).action_publish()
        self.assertEqual(self.announcement.state, "published")


@tagged("helpdesk_service")
class TestMailGatewayClients(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.team = cls.env["helpdesk.team"].create(
            {"name": "Isolated Desk", "alias_name": "iso-help"}
        )
        client_a = Partner.create({"name": "Client A", "is_company": True})
        client_b = Partner.create({"name": "Client B", "is_company": True})
        cls.contact_a = Partner.create(
            {"name": "Anna A", "email": "anna@a.example.com", "parent_id": client_a.id}
        )
        cls.contact_b = Partner.create(
            {"name": "Bert B", "email": "bert@b.example.com", "parent_id": client_b.id}
        )
        cls.colleague_b = Partner.create(
            {"name": "Bea B", "email": "bea@b.example.com", "parent_id": client_b.id}
        )
        cls.to = f"iso-help@{cls.alias_domain}"

    def _mail(self, partner, subject, msg_id, reply_to=None):
        extra = f"In-Reply-To: {reply_to}\nReferences: {reply_to}\n" if reply_to else ""
        with self.mock_mail_gateway():
            self.format_and_process(
                INCOMING,
                partner.email_formatted,
                self.to,
                subject=subject,
                extra=extra,
                msg_id=msg_id,
                target_model="helpdesk.ticket",
            )

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.models.unlink")
    def test_reply_of_another_client_opens_its_own_ticket(self):
        Ticket = self.env["helpdesk.ticket"]
        self._mail(self.contact_b, "Server room too hot", "<hot-1@b>")
        ticket_b = Ticket.search([("name", "=", "Server room too hot")])
        self.assertEqual(ticket_b.partner_id, self.contact_b)
        # a colleague of the same client answers in the same ticket
        self._mail(
            self.colleague_b, "Re: Server room too hot", "<hot-2@b>", "<hot-1@b>"
        )
        self.assertIn(self.colleague_b, ticket_b.message_partner_ids)
        # a contact of client A answers the forwarded mail
        self._mail(self.contact_a, "Re: Server room too hot", "<hot-3@a>", "<hot-1@b>")
        self.assertNotIn(self.contact_a, ticket_b.message_partner_ids)
        self.assertNotIn(self.contact_a, ticket_b.message_ids.author_id)
        ticket_a = Ticket.search([("partner_id", "=", self.contact_a.id)])
        self.assertEqual(len(ticket_a), 1, "his message opened a ticket of his own")
        self.assertEqual(ticket_a.team_id, self.team)
        self.assertEqual(ticket_a.name, "Re: Server room too hot")


@tagged("post_install", "-at_install", "helpdesk_service")
class TestKnowledgeFiles(HelpdeskCommonMixin, KnowledgeMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls._setup_articles()
        Attachment = cls.env["ir.attachment"]
        cls.own_file = Attachment.create(
            {
                "name": "jam-steps.pdf",
                "raw": b"public steps",
                "res_model": "helpdesk.article",
                "res_id": cls.a_public.id,
            }
        )
        cls.note_file = Attachment.create(
            {
                "name": "supplier-contract.pdf",
                "raw": b"supplier prices",
                "res_model": "helpdesk.article",
                "res_id": cls.a_public.id,
            }
        )
        cls.a_public.message_post(
            body="Supplier contract for the escalation",
            attachment_ids=cls.note_file.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def test_only_the_article_files_are_listed_and_served(self):
        page = self.url_open(f"/helpdesk/kb/article/{self.a_public.id}").text
        self.assertIn("jam-steps.pdf", page)
        self.assertNotIn("supplier-contract.pdf", page)
        self.assertNotIn(f"/web/content/{self.note_file.id}?", page)
        self.note_file.invalidate_recordset(["access_token"])
        self.assertFalse(self.note_file.access_token, "no token handed out")
        response = self.url_open(f"/web/content/{self.note_file.id}?download=true")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"supplier prices", response.content)
        link = page.split(f'href="/web/content/{self.own_file.id}?')[1].split('"')[0]
        download = self.url_open(
            f"/web/content/{self.own_file.id}?" + link.replace("&amp;", "&")
        )
        self.assertEqual(download.content, b"public steps")
