from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("post_install", "-at_install", "helpdesk_service")
class TestComposerArticle(HelpdeskCommonMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        Article = cls.env["helpdesk.article"]
        cls.article, cls.other, cls.draft = Article.create(
            [
                {
                    "name": "Tour article: duplex printing",
                    "summary": "Turn on both-sided printing in the driver.",
                    "body": "<p>Open the printer properties, then Layout.</p>",
                    "state": "published",
                    "visibility": "portal",
                },
                {
                    "name": "Tour article: Other toner",
                    "state": "published",
                    "visibility": "public",
                },
                {
                    "name": "Tour draft article",
                    "state": "draft",
                    "visibility": "portal",
                },
            ]
        )

    def test_insert_article_in_chatter_composer_tour(self):
        """An agent inserts an article from the chatter's composer (not the
        full composer): its title, summary and link go into the message."""
        ticket = self._ticket(name="Tour composer: duplex")
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "helpdesk_service_composer_article_tour",
            login="hd_agent_a",
        )
        message = ticket.message_ids.filtered(
            lambda m: "this should help" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.agent_a.partner_id)
        self.assertIn("Tour article: duplex printing", message.body)
        self.assertIn("Turn on both-sided printing", message.body)
        url = f"{self.article.get_base_url()}/helpdesk/kb/article/{self.article.id}"
        self.assertIn(f'href="{url}"', message.body)


@tagged("helpdesk_service")
class TestComposerArticleChoices(HelpdeskCommonMixin, TransactionCase):
    """The chatter composer's picker offers what the ticket's client may
    read: published articles for clients, of the ticket's company or shared,
    even when the agent works in several companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.company = cls.team.company_id
        cls.other_company = cls.env["res.company"].create({"name": "Other (picker)"})
        cls.agent_a.company_ids |= cls.other_company
        Article = cls.env["helpdesk.article"]
        vals = {"state": "published", "visibility": "portal"}
        cls.ours, cls.shared, cls.foreign, cls.internal, cls.draft = Article.create(
            [
                {**vals, "name": "Picker: ours", "company_id": cls.company.id},
                {**vals, "name": "Picker: shared", "company_id": False},
                {**vals, "name": "Picker: foreign", "company_id": cls.other_company.id},
                {**vals, "name": "Picker: internal", "visibility": "internal"},
                {"name": "Picker: draft", "state": "draft", "visibility": "portal"},
            ]
        )

    def test_only_what_the_client_may_read(self):
        ticket = self._ticket(name="Picker ticket")
        self.assertEqual(ticket.company_id, self.company)
        as_agent = ticket.with_user(self.agent_a).with_context(
            allowed_company_ids=[self.company.id, self.other_company.id]
        )
        # the agent himself reads the other company's article
        self.assertTrue(self.foreign.with_env(as_agent.env).has_access("read"))
        choices = as_agent.get_helpdesk_article_choices(limit=50)
        mine = [c for c in choices if c["name"].startswith("Picker: ")]
        self.assertEqual({c["name"] for c in mine}, {"Picker: ours", "Picker: shared"})
        self.assertEqual(
            {c["portal_url"] for c in mine},
            {self.ours.portal_url, self.shared.portal_url},
        )
        # the words typed narrow the same choice
        choices = as_agent.get_helpdesk_article_choices("foreign", limit=50)
        self.assertNotIn("Picker: foreign", [c["name"] for c in choices])
        choices = as_agent.get_helpdesk_article_choices("ours", limit=50)
        self.assertIn("Picker: ours", [c["name"] for c in choices])
        # an agent who may not read the ticket gets nothing
        ticket.team_id = self.team_private
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent_a).get_helpdesk_article_choices("Picker")
