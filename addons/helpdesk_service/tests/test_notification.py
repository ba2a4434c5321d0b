from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestRatingLinkRecipients(HelpdeskCommonMixin, TransactionCase):
    """The rating links of an answer reach the ticket's client only, and only
    the client's partners can rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        (cls.agent_a | cls.agent_b).notification_type = "email"
        cls.outsider = cls.env["res.partner"].create(
            {
                "name": "Supplier Sam",
                "email": "sam@supplier.example.com",
                "parent_id": cls.other_client.id,
            }
        )

    def _answer(self, ticket, user):
        return (
            ticket.with_user(user)
            .with_context(mail_notify_force_send=False)
            .message_post(
                body="Restarted the spooler",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )

    def _mail_to(self, message, partner):
        return self.env["mail.mail"].search(
            [("mail_message_id", "=", message.id), ("recipient_ids", "in", partner.ids)]
        )

    def test_rating_links_only_in_the_clients_copies(self):
        ticket = self._ticket()
        ticket.message_subscribe(
            partner_ids=(
                self.contact | self.executive | self.outsider | self.agent_b.partner_id
            ).ids
        )
        message = self._answer(ticket, self.agent_a)
        rating = self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )
        link = f"/rate/{rating.access_token}/"
        self.assertIn(link, self._mail_to(message, self.contact).body_html)
        # another contact of the client company may rate for it
        self.assertIn(link, self._mail_to(message, self.executive).body_html)
        # the colleague and an outside follower get the answer without the links
        colleague_mail = self._mail_to(message, self.agent_b.partner_id)
        self.assertEqual(len(colleague_mail), 1)
        self.assertIn("Restarted the spooler", colleague_mail.body_html)
        self.assertNotIn(link, colleague_mail.body_html)
        self.assertNotIn(link, self._mail_to(message, self.outsider).body_html)
        # the client's mail is not shared with anybody else
        self.assertEqual(
            self._mail_to(message, self.contact).recipient_ids, self.contact
        )

    def test_only_the_client_rates(self):
        ticket = self._ticket()
        rating = self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", self._answer(ticket, self.agent_a).id)]
        )
        # an agent rating the ticket from its chatter
        with self.assertRaises(ValidationError):
            ticket.with_user(self.agent_b).message_post(
                body="Great answer", message_type="comment", rating_value=5
            )
        # the ticket went to another client: the first client's link is void
        ticket.partner_id = self.outsider
        with self.assertRaises(ValidationError):
            ticket.rating_apply(5, token=rating.access_token)
        ticket.partner_id = self.contact
        ticket.rating_apply(5, token=rating.access_token)
        self.assertTrue(rating.consumed)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestRatingSubmitSignedIn(HttpCase):
    def test_an_agent_cannot_submit_the_clients_rating(self):
        agent = new_test_user(
            self.env,
            login="hd_rate_colleague",
            password="hd_rate_colleague",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        client = self.env["res.partner"].create(
            {"name": "Rosa Rater", "email": "rosa@example.com"}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Badge reader", "partner_id": client.id}
        )
        message = ticket.with_user(agent).message_post(
            body="Badge re-encoded",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        rating = self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )
        self.authenticate("hd_rate_colleague", "hd_rate_colleague")
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={"rate": 5, "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(rating.consumed)


@tagged("helpdesk_service")
class TestNewTicketNotices(HelpdeskCommonMixin, TransactionCase):
    """Agents following a team: the client's acknowledgement is never copied to
    them; 'Ticket created' follows the team's setting and each agent's
    notification preference."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.agent_a.notification_type = "email"
        (cls.agent_b | cls.manager).notification_type = "inbox"
        # mail as in production: creation messages, followers
        cls.live_env = cls.env(context={})

    def _portal_ticket(self):
        ticket = self.live_env["helpdesk.ticket"].create(
            {
                "name": "Cannot log in",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
                "channel": "portal",
            }
        )
        # the commit's pre-commit hooks queue the e-mails for the job
        self.env.cr.flush()
        self.env["mail.message.schedule"].sudo()._send_notifications_cron()
        ack = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_service.mt_ticket_ack")
        )
        created = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_service.mt_ticket_new")
        )
        self.assertEqual((len(ack), len(created)), (1, 1))
        return ticket, ack, created

    def test_acknowledgement_to_the_client_only(self):
        agents = (self.agent_a | self.agent_b).partner_id
        self.assertEqual(agents & self.team.message_partner_ids, agents)
        ticket, ack, created = self._portal_ticket()
        self.assertEqual(agents & ticket.message_partner_ids, agents)
        self.assertEqual(ack.notification_ids.res_partner_id, self.contact)
        self.assertEqual(ack.notification_ids.notification_type, "email")
        self.assertIn(ticket.ticket_ref, ack.subject)
        # the team does not tell of new tickets: nobody is notified
        self.assertFalse(created.notification_ids)

    def test_new_ticket_notice_follows_each_preference(self):
        self.team.notify_new_tickets = True
        _ticket, ack, created = self._portal_ticket()
        by_partner = {
            n.res_partner_id: n.notification_type for n in created.notification_ids
        }
        self.assertEqual(
            by_partner,
            {
                self.agent_a.partner_id: "email",
                self.agent_b.partner_id: "inbox",
                self.manager.partner_id: "inbox",  # the team lead follows it too
            },
        )
        self.assertEqual(ack.notification_ids.res_partner_id, self.contact)
