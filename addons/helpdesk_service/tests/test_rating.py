import re

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestRating(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.team.user_id = cls.manager

    def _answer(self, ticket, user, body="Restarted the router, please check"):
        return (
            ticket.with_user(user)
            .with_context(mail_notify_force_send=False)
            .message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        )

    def _answer_rating(self, message):
        return self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )

    def test_each_answer_is_rated_and_attributed_to_its_author(self):
        ticket = self._ticket()
        first = self._answer(ticket, self.agent_a)
        second = self._answer(ticket, self.agent_b, body="Replaced the cable")
        rating_a, rating_b = self._answer_rating(first), self._answer_rating(second)
        self.assertEqual(rating_a.helpdesk_kind, "answer")
        self.assertEqual(rating_a.helpdesk_user_id, self.agent_a)
        self.assertEqual(rating_a.rated_partner_id, self.agent_a.partner_id)
        self.assertEqual(rating_b.helpdesk_user_id, self.agent_b)
        self.assertEqual(rating_a.partner_id, self.contact)
        self.assertEqual(rating_a.helpdesk_team_id, self.team)
        # the client's notification e-mail carries the good / bad links
        mail = self.env["mail.mail"].search(
            [
                ("mail_message_id", "=", first.id),
                ("recipient_ids", "in", self.contact.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(f"/rate/{rating_a.access_token}/5", mail.body_html)
        self.assertIn(f"/rate/{rating_a.access_token}/1", mail.body_html)
        # internal notes are not rated
        note = ticket.with_user(self.agent_a).message_post(
            body="note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(self._answer_rating(note))
        # the ticket's own rating (resolution survey) is a separate one
        token = ticket._rating_get_access_token()
        self.assertNotIn(token, (rating_a | rating_b).mapped("access_token"))
        ticket_rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual(ticket_rating.helpdesk_kind, "ticket")
        self.assertEqual(ticket._rating_get_access_token(), token, "reused until rated")

    def test_good_and_bad_ratings_and_complaints(self):
        ticket = self._ticket()
        good = self._answer_rating(self._answer(ticket, self.agent_a))
        bad = self._answer_rating(self._answer(ticket, self.agent_b, body="Try again"))
        contacts = ticket.contact_count
        ticket.rating_apply(5, token=good.access_token)
        self.assertTrue(good.helpdesk_is_good)
        self.assertEqual(good.helpdesk_good_percent, 100)
        self.assertFalse(ticket.is_complaint)
        ticket.rating_apply(1, token=bad.access_token, feedback="Nobody called me back")
        self.assertTrue(bad.helpdesk_is_bad)
        self.assertEqual(bad.helpdesk_good_percent, 0)
        self.assertEqual(ticket.contact_count, contacts, "a rating is not a contact")
        self.assertTrue(ticket.is_complaint)
        activity = ticket.activity_ids.filtered(
            lambda a: "Complaint" in (a.summary or "")
        )
        self.assertEqual(activity.user_id, self.manager, "the team lead follows up")
        event = ticket.event_ids.filtered(lambda e: e.event_type == "complaint")
        self.assertEqual(event.note, "Nobody called me back")
        # ratings per agent, as the reports read them
        groups = self.env["rating.rating"]._read_group(
            [
                ("res_id", "=", ticket.id),
                ("res_model", "=", "helpdesk.ticket"),
                ("consumed", "=", True),
            ],
            ["helpdesk_user_id"],
            ["helpdesk_good_percent:avg"],
        )
        self.assertEqual(dict(groups), {self.agent_a: 100.0, self.agent_b: 0.0})

    def test_bad_rating_without_comment_is_not_a_complaint(self):
        ticket = self._ticket()
        bad = self._answer_rating(self._answer(ticket, self.agent_a))
        ticket.rating_apply(1, token=bad.access_token)
        self.assertFalse(ticket.is_complaint)

    def test_tariff_from_client_tags(self):
        gold = self.env["res.partner.category"].create(
            {"name": "Gold", "is_helpdesk_tariff": True}
        )
        vip_tag = self.env["res.partner.category"].create({"name": "Newsletter"})
        self.client.category_id = vip_tag | gold
        self.assertEqual(self._ticket().tariff_id, gold)
        self.assertFalse(self._ticket(partner_id=self.other_client.id).tariff_id)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestRatingLinks(HttpCase):
    def test_client_rates_an_answer_from_the_mail_link(self):
        agent = new_test_user(
            self.env,
            login="hd_rate_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        client = self.env["res.partner"].create(
            {"name": "Rita Rater", "email": "rita@example.com"}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Scanner", "partner_id": client.id}
        )
        message = ticket.with_user(agent).message_post(
            body="Driver reinstalled",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        rating = self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )
        page = self.url_open(f"/rate/{rating.access_token}/1")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={"rate": 1, "feedback": "Still broken", "csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 1)
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(self.url_open("/rate/not-a-token/5").status_code, 404)
