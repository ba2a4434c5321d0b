import json

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import HelpdeskCommonMixin


class KnowledgeMixin:
    @classmethod
    def _setup_articles(cls):
        Article = cls.env["helpdesk.article"]
        cls.category = cls.env["helpdesk.article.category"].create({"name": "Printing"})
        common = {"category_id": cls.category.id, "state": "published"}
        cls.a_public = Article.create(
            dict(
                common,
                name="Clearing a zorblat jam",
                body="<p>Open the <b>zorblat</b> tray and pull the sheet.</p>",
                visibility="public",
            )
        )
        cls.a_portal = Article.create(
            dict(
                common,
                name="Quuxle toner for clients",
                body="<p>Spare quuxle cartridges are in the cabinet.</p>",
                visibility="portal",
            )
        )
        cls.a_internal = Article.create(
            dict(
                common,
                name="Quuxle supplier escalation",
                body="<p>Call the quuxle supplier hotline.</p>",
                visibility="internal",
            )
        )
        cls.a_draft = Article.create(
            {
                "name": "Quuxle draft",
                "body": "<p>not ready</p>",
                "visibility": "public",
                "category_id": cls.category.id,
            }
        )


@tagged("post_install", "-at_install", "helpdesk_service")
class TestKnowledgeBase(HelpdeskCommonMixin, KnowledgeMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls._setup_articles()
        cls.portal_user = new_test_user(
            cls.env, login="hd_kb_portal", groups="base.group_portal"
        )
        cls.public_user = cls.env.ref("base.public_user")

    def test_fulltext_ranks_and_prefixes(self):
        Article = self.env["helpdesk.article"]
        self.assertEqual(Article._fulltext_query("zorblat jam"), self.a_public)
        # word prefixes: what a client has typed so far
        self.assertEqual(Article._fulltext_query("zorb"), self.a_public)
        found = Article._fulltext_query("quuxle")
        self.assertEqual(
            set(found.ids),
            {self.a_portal.id, self.a_internal.id, self.a_draft.id},
        )
        # the title weighs like the body; every word must match
        self.assertFalse(Article._fulltext_query("zorblat cabinet"))
        # tsquery operators are not passed through
        self.assertEqual(Article._fulltext_query("zorblat & | ! ( :*"), self.a_public)
        self.assertFalse(Article._fulltext_query("  & | ! "))
        # the backend search view's "Full text" field
        self.assertEqual(
            Article.search([("search_text", "ilike", "quuxle cartridges")]),
            self.a_portal,
        )

    def test_visibility_rules(self):
        Article = self.env["helpdesk.article"]
        quuxle_or_zorblat = [("id", "in", (self.a_public | self.a_portal).ids)]
        everything = [
            (
                "id",
                "in",
                (self.a_public | self.a_portal | self.a_internal | self.a_draft).ids,
            )
        ]
        as_portal = Article.with_user(self.portal_user)
        self.assertEqual(as_portal.search(everything), self.a_public | self.a_portal)
        as_public = Article.with_user(self.public_user)
        self.assertEqual(as_public.search(everything), self.a_public)
        self.assertEqual(
            as_public._fulltext_query("quuxle"), Article, "no portal/internal hit"
        )
        with self.assertRaises(AccessError):
            self.a_internal.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.a_draft.with_user(self.public_user).read(["name"])
        with self.assertRaises(AccessError):
            self.a_public.with_user(self.portal_user).write({"name": "x"})
        # agents read everything, internal articles included
        self.assertEqual(
            Article.with_user(self.agent_a).search(everything),
            self.a_public | self.a_portal | self.a_internal | self.a_draft,
        )
        self.assertEqual(
            len(as_portal.search(quuxle_or_zorblat)), 2, "both client articles"
        )

    def test_suggestions_skip_unpublished_and_internal(self):
        Article = self.env["helpdesk.article"]
        self.assertEqual(Article._portal_suggest("quuxle"), self.a_portal)
        ticket_type = self.env["helpdesk.ticket.type"].create({"name": "Toner"})
        self.a_public.type_ids = ticket_type
        # nothing matches the words: the articles of the chosen type help
        self.assertEqual(
            Article._portal_suggest("nothing matches", type_id=ticket_type.id),
            self.a_public,
        )

    def test_schedule_faq_set(self):
        self.a_draft.date_publish = "2030-01-10 06:00:00"
        with freeze_time("2030-01-01"):
            with self.assertRaises(UserError):
                self.a_portal.copy({"date_publish": False}).action_schedule()
            self.category.date_publish = "2030-01-10 06:00:00"
            self.category.action_schedule_set()
            self.assertEqual(self.a_draft.state, "scheduled")
            self.env["helpdesk.article"]._cron_publish_scheduled()
            self.assertEqual(self.a_draft.state, "scheduled")
        with freeze_time("2030-01-10 06:01:00"):
            self.env["helpdesk.article"]._cron_publish_scheduled()
        self.assertEqual(self.a_draft.state, "published")
        self.assertEqual(
            self.a_draft.date_published, fields.Datetime.to_datetime("2030-01-10 06:01")
        )
        self.category.date_publish = False
        with self.assertRaises(UserError):
            self.category.action_schedule_set()

    def test_votes_and_views(self):
        article = self.a_public
        article._portal_vote(True, "partner-1", self.portal_user.partner_id)
        article._portal_vote(True, "partner-2")
        article._portal_vote(False, "partner-3")
        self.assertEqual((article.helpful_count, article.unhelpful_count), (2, 1))
        self.assertAlmostEqual(article.helpful_percent, 66.67, places=2)
        # a reader changes his mind: still one vote
        article._portal_vote(False, "partner-2")
        self.assertEqual((article.helpful_count, article.unhelpful_count), (1, 2))
        self.assertEqual(len(article.vote_ids), 3)
        # a view counts once per reader and day
        with freeze_time("2026-03-02 10:00:00"):
            self.assertTrue(article._portal_register_view("ip-a"))
            self.assertFalse(article._portal_register_view("ip-a"))
            self.assertTrue(article._portal_register_view("partner-1"))
        self.assertEqual(article.view_count, 2)
        with freeze_time("2026-03-03 10:00:00"):
            self.assertTrue(article._portal_register_view("ip-a"))
        self.assertEqual(article.view_count, 3)
        # readings of past days are dropped by the autovacuum
        Reading = self.env["helpdesk.article.reading"]
        mine = [("article_id", "=", article.id)]
        self.assertEqual(Reading.search_count(mine), 3)
        with freeze_time("2026-03-05 10:00:00"):
            Reading._gc_readings()
        self.assertEqual(Reading.search_count(mine), 0)

    def test_views_leave_the_article_untouched(self):
        """A view only adds one to the counter: no write date, no tracking."""
        article = self.a_public
        article.flush_recordset()
        written = (article.write_date, article.write_uid)
        messages = len(article.message_ids)
        with freeze_time("2026-03-02 10:00:00"):
            self.assertTrue(article.sudo()._portal_register_view("reader-p"))
        article.invalidate_recordset()
        self.assertEqual(article.view_count, 1)
        self.assertEqual((article.write_date, article.write_uid), written)
        self.assertEqual(len(article.message_ids), messages)

    def test_article_from_resolved_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Scanner sends nothing",
                "team_id": self.team.id,
                "partner_id": self.contact.id,
                "description": "<p>Scan to e-mail fails.</p>",
            }
        )
        with self.assertRaises(UserError):
            ticket.action_create_article()
        ticket.write(
            {
                "stage_id": self.stage_resolved.id,
                "resolution": "<p>Set the SMTP port to 587.</p>",
            }
        )
        action = ticket.with_user(self.agent_a).action_create_article()
        article = self.env["helpdesk.article"].browse(action["res_id"])
        self.assertEqual(article.name, "Scanner sends nothing")
        self.assertEqual(article.state, "draft")
        self.assertEqual(article.source_ticket_id, ticket)
        self.assertIn("Scan to e-mail fails.", article.body)
        self.assertIn("SMTP port to 587", article.body)
        self.assertEqual(article.author_id, self.agent_a)

    def test_reply_with_canned_response_and_article_link(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Printer jam again",
                "team_id": self.team.id,
                "partner_id": self.contact.id,
            }
        )
        template = self.env["mail.template"].create(
            {
                "name": "Canned: jam",
                "model_id": self.env.ref("helpdesk_service.model_helpdesk_ticket").id,
                "subject": "{{ object.ticket_ref }}: paper jam",
                "body_html": '<p>Hello <t t-out="object.partner_id.name"/>,</p>',
            }
        )
        composer_form = Form(
            self.env["mail.compose.message"]
            .with_user(self.agent_a)
            .with_context(
                default_model="helpdesk.ticket",
                default_res_ids=ticket.ids,
                default_composition_mode="comment",
                default_subtype_xmlid="mail.mt_comment",
            )
        )
        composer_form.template_id = template
        composer_form.helpdesk_article_ids.add(self.a_public)
        composer = composer_form.save()
        self.assertEqual(composer.subject, f"{ticket.ticket_ref}: paper jam")
        self.assertIn(f"Hello {self.contact.name}", composer.body)
        self.assertIn(f"/helpdesk/kb/article/{self.a_public.id}", composer.body)
        self.assertEqual(composer.body.count("/helpdesk/kb/article/"), 1)
        composer._action_send_mail()
        message = ticket.message_ids.filtered(lambda m: m.subject)[:1]
        self.assertIn(f"/helpdesk/kb/article/{self.a_public.id}", message.body)
        self.assertEqual(ticket.agent_reply_count, 1, "a public reply to the client")


@tagged("post_install", "-at_install", "helpdesk_service")
class TestKnowledgePortal(KnowledgeMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls._setup_articles()
        cls.portal_user = new_test_user(
            cls.env, login="hd_kb_portal", groups="base.group_portal"
        )

    def _suggest(self, query):
        response = self.url_open(
            "/helpdesk/kb/suggest",
            data=json.dumps({"params": {"query": query}}),
            headers={"Content-Type": "application/json"},
        )
        return [row["name"] for row in response.json()["result"]]

    def test_pages_follow_visibility(self):
        url = "/helpdesk/kb/article/%s"
        self.assertEqual(self.url_open(url % self.a_public.id).status_code, 200)
        for article in (self.a_portal, self.a_internal, self.a_draft):
            self.assertEqual(self.url_open(url % article.id).status_code, 404)
        self.assertEqual(self.url_open(url % 999999).status_code, 404)
        self.assertEqual(self._suggest("quuxle"), [])
        self.authenticate("hd_kb_portal", "hd_kb_portal")
        page = self.url_open(url % self.a_portal.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Spare quuxle cartridges", page.text)
        self.assertEqual(self.url_open(url % self.a_internal.id).status_code, 404)
        self.assertEqual(self._suggest("quuxle"), [self.a_portal.name])
        self.a_portal.invalidate_recordset(["view_count"])
        self.assertEqual(self.a_portal.view_count, 1)
        # the FAQ page of the category and the search page
        faq = self.url_open(f"/helpdesk/kb/category/{self.category.id}").text
        self.assertIn(self.a_public.name, faq)
        self.assertIn(self.a_portal.name, faq)
        self.assertNotIn(self.a_internal.name, faq)
        results = self.url_open("/helpdesk/kb?search=quuxle").text
        self.assertIn(self.a_portal.name, results)
        self.assertNotIn(self.a_internal.name, results)

    def test_article_files(self):
        Attachment = self.env["ir.attachment"]
        public_file, internal_file = Attachment.create(
            [
                {
                    "name": "jam.pdf",
                    "raw": b"public steps",
                    "res_model": "helpdesk.article",
                    "res_id": self.a_public.id,
                },
                {
                    "name": "escalation.pdf",
                    "raw": b"supplier phone",
                    "res_model": "helpdesk.article",
                    "res_id": self.a_internal.id,
                },
            ]
        )
        page = self.url_open(f"/helpdesk/kb/article/{self.a_public.id}").text
        self.assertIn("jam.pdf", page)
        link = page.split(f'href="/web/content/{public_file.id}?')[1].split('"')[0]
        download = self.url_open(
            f"/web/content/{public_file.id}?" + link.replace("&amp;", "&")
        )
        self.assertEqual(download.content, b"public steps")
        # the internal article's file is not reachable without its token
        response = self.url_open(f"/web/content/{internal_file.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"supplier phone", response.content)

    def test_vote_needs_csrf(self):
        url = f"/helpdesk/kb/article/{self.a_public.id}"
        self.authenticate("hd_kb_portal", "hd_kb_portal")
        response = self.url_open(f"{url}/vote", data={"helpful": "yes"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.a_public.vote_ids)
        page = self.url_open(url).text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = self.url_open(
            f"{url}/vote", data={"helpful": "yes", "csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your feedback", response.text)
        self.a_public.invalidate_recordset()
        self.assertEqual(self.a_public.helpful_count, 1)
        # a vote on an article the visitor cannot read is refused
        response = self.url_open(
            f"/helpdesk/kb/article/{self.a_internal.id}/vote",
            data={"helpful": "yes", "csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.a_internal.vote_ids)

    def test_kb_tour_suggestion_search_and_vote(self):
        self.start_tour(
            "/my/tickets/new", "helpdesk_service_kb_tour", login="hd_kb_portal"
        )
        self.a_portal.invalidate_recordset()
        self.assertEqual(self.a_portal.helpful_count, 1)
        self.assertEqual(self.a_portal.vote_ids.partner_id, self.portal_user.partner_id)
