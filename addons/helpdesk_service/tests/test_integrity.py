from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import HelpdeskCommonMixin
from .test_knowledge import KnowledgeMixin

T0 = datetime(2026, 3, 2, 9, 0)
FAKE = datetime(2026, 3, 2, 9, 1)


@tagged("helpdesk_service")
class TestRecordedFacts(HelpdeskCommonMixin, TransactionCase):
    """Timestamps and counters the SLA and KPI figures come from are set by
    the actions that record them, never written directly by an agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_agent_cannot_write_the_facts(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_a.id)
        as_agent = ticket.with_user(self.agent_a)
        for vals in (
            {"date_received": FAKE},
            {"date_ack": FAKE},
            {"date_first_response": FAKE},
            {"agent_reply_count": 3},
            {"client_message_count": 3},
            {"date_resolved": FAKE},
            # stored figures computed from them
            {"time_ack_minutes": 1.0},
            {"sla_status": "met"},
            {"contact_count": 9},
            # a normal field along with a fact: nothing is written
            {"name": "Renamed", "date_ack": FAKE},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_agent.write(vals)
        self.assertEqual(ticket.date_received, T0)
        self.assertFalse(ticket.date_ack)
        self.assertFalse(ticket.date_first_response)
        self.assertEqual(ticket.agent_reply_count, 0)
        self.assertEqual(ticket.name, "Printer does not print")
        self.assertFalse(self._events(ticket, "corrected"))

    def test_agent_cannot_create_with_facts(self):
        Ticket = self.Ticket.with_user(self.agent_a)
        values = {"name": "Fake", "team_id": self.team.id}
        with self.assertRaises(AccessError):
            Ticket.create(dict(values, date_ack=FAKE))
        with self.assertRaises(AccessError):
            Ticket.with_context(default_date_first_response=FAKE).create(values)
        with self.assertRaises(AccessError):
            Ticket.create(dict(values, date_received=FAKE))
        ticket = Ticket.create(values)
        self.assertFalse(ticket.date_ack)

    def test_actions_still_record_the_facts(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_a.id)
        with freeze_time(FAKE):
            ticket.with_user(self.agent_a).action_acknowledge()
            self._post_as(ticket, user=self.agent_a, body="On it")
            self._post_as(ticket, partner=self.contact, body="Thanks")
        self.assertEqual(ticket.date_ack, FAKE)
        self.assertEqual(ticket.date_first_response, FAKE)
        self.assertEqual(ticket.agent_reply_count, 1)
        self.assertEqual(ticket.client_message_count, 1)
        self.assertEqual(ticket.time_ack_minutes, 1.0)
        # the agent's form: the received date is read-only there
        with Form(ticket.with_user(self.agent_a)) as form:
            form.name = "Printer broken"
            with self.assertRaises(AssertionError):
                form.date_received = T0
        self.assertEqual(ticket.name, "Printer broken")
        self.assertFalse(self._events(ticket, "corrected"))

    def test_merge_by_an_agent_still_archives_the_duplicate(self):
        keep = self._ticket(name="Jam")
        dup = self._ticket(name="Jam again")
        wizard = (
            self.env["helpdesk.ticket.merge"]
            .with_user(self.agent_a)
            .create({"ticket_ids": [(6, 0, (keep | dup).ids)], "target_id": keep.id})
        )
        wizard.action_merge()
        self.assertEqual(dup.merged_into_id, keep)
        self.assertFalse(dup.active)
        with self.assertRaises(AccessError):
            keep.with_user(self.agent_a).write({"merged_into_id": False})

    def test_administrator_correction_is_logged(self):
        with freeze_time(T0):
            ticket = self._ticket(user_id=self.agent_a.id)
        ticket.with_user(self.manager).write({"date_ack": FAKE})
        self.assertEqual(ticket.date_ack, FAKE)
        event = self._events(ticket, "corrected")
        self.assertEqual(len(event), 1)
        self.assertEqual(event.user_id, self.manager)
        self.assertFalse(event.old_value)
        self.assertEqual(event.new_value, "2026-03-02 09:01:00")
        self.assertIn("Acknowledged on", event.note)
        # the same value again is no correction
        ticket.with_user(self.manager).write({"date_ack": FAKE})
        self.assertEqual(len(self._events(ticket, "corrected")), 1)

    def test_helpdesk_ratings_are_the_clients(self):
        ticket = self._ticket(user_id=self.agent_a.id)
        message = self._post_as(ticket, user=self.agent_a, body="Fixed")
        rating = self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )
        self.assertEqual(rating.helpdesk_user_id, self.agent_a)
        with self.assertRaises(AccessError):
            rating.with_user(self.agent_a).write({"rating": 5, "consumed": True})
        self.assertFalse(rating.consumed)
        # the client rates through his token: recorded
        ticket.rating_apply(5, token=rating.access_token)
        self.assertEqual((rating.rating, rating.consumed), (5, True))


@tagged("helpdesk_service")
class TestPortalRequestTeam(TransactionCase):
    """Portal and web requests go to the company's default team, else to its
    first team that all agents see, never to a members-only team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env["res.company"].create({"name": "Request Routing Co"})
        Team = cls.env["helpdesk.team"].with_company(cls.company)
        common = {"company_id": cls.company.id, "sequence": 10}
        # first by sequence and name, but hidden from most agents
        cls.members_team = Team.create(
            dict(common, name="A field team", visibility="members")
        )
        cls.desk = Team.create(dict(common, name="B service desk", visibility="all"))
        cls.second = Team.create(dict(common, name="C second line", visibility="all"))
        cls.partner = cls.env["res.partner"].create(
            {"name": "Routed client", "company_id": cls.company.id}
        )

    def _portal_team(self):
        return self.env["helpdesk.team"].browse(
            self.env["helpdesk.ticket"]._prepare_portal_ticket_vals(
                self.partner, "Help", False
            )["team_id"]
        )

    def test_fallback_skips_members_only_teams(self):
        self.assertFalse(self.company.helpdesk_portal_team_id)
        self.assertEqual(self._portal_team(), self.desk)

    def test_configured_team(self):
        self.company.helpdesk_portal_team_id = self.second
        self.assertEqual(self._portal_team(), self.second)
        # an archived default team: back to the fallback
        self.second.active = False
        self.assertEqual(self._portal_team(), self.desk)

    def test_team_of_another_company_is_refused(self):
        other = self.env["helpdesk.team"].create(
            {"name": "Elsewhere", "company_id": self.env.ref("base.main_company").id}
        )
        with self.assertRaises(ValidationError):
            self.company.helpdesk_portal_team_id = other

    def test_settings(self):
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.helpdesk_portal_team_id = self.second
        settings.save().execute()
        self.assertEqual(self.company.helpdesk_portal_team_id, self.second)


@tagged("helpdesk_service")
class TestReopenMerged(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_merged_duplicate_cannot_be_reopened(self):
        keep = self._ticket(name="Jam")
        dup = self._ticket(name="Jam again")
        self.env["helpdesk.ticket.merge"].create(
            {"ticket_ids": [(6, 0, (keep | dup).ids)], "target_id": keep.id}
        ).action_merge()
        self.assertTrue(dup.is_closed)
        self.assertFalse(dup._portal_can_reopen())
        with self.assertRaisesRegex(UserError, keep.ticket_ref):
            dup._portal_reopen(self.contact, "Still jammed")
        self.assertEqual(dup.stage_kind, "closed")
        self.assertEqual(dup.reopen_count, 0)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestIntegrityPortal(KnowledgeMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls._setup_articles()
        cls.portal_user = new_test_user(
            cls.env, login="hd_integrity_portal", groups="base.group_portal"
        )
        client = cls.env["res.partner"].create(
            {"name": "Integrity Client", "is_company": True}
        )
        cls.portal_user.partner_id.parent_id = client
        cls.team = cls.env["helpdesk.team"].create({"name": "Integrity desk"})

    def _csrf(self, url):
        page = self.url_open(url).text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def test_reopen_of_merged_duplicate_is_refused(self):
        Ticket = self.env["helpdesk.ticket"]
        partner = self.portal_user.partner_id
        common = {"partner_id": partner.id, "team_id": self.team.id}
        keep = Ticket.create(dict(common, name="Scanner"))
        dup = Ticket.create(dict(common, name="Scanner again"))
        self.env["helpdesk.ticket.merge"].create(
            {"ticket_ids": [(6, 0, (keep | dup).ids)], "target_id": keep.id}
        ).action_merge()
        self.authenticate("hd_integrity_portal", "hd_integrity_portal")
        page = self.url_open(f"/my/tickets/{dup.id}").text
        self.assertIn("merged into", page)
        self.assertNotIn("o_helpdesk_service_reopen", page)
        response = self.url_open(
            f"/my/tickets/{dup.id}/reopen",
            data={"csrf_token": self._csrf("/web/login"), "reason": "x"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("error=archived", response.url)
        self.assertIn(keep.ticket_ref, response.text)
        self.assertEqual(dup.stage_kind, "closed")
        self.assertFalse(dup.active)
        self.assertEqual(dup.reopen_count, 0)

    def test_votes_need_a_login_and_count_once(self):
        url = f"/helpdesk/kb/article/{self.a_public.id}"
        csrf = self._csrf("/web/login")
        response = self.url_open(
            f"{url}/vote",
            data={"helpful": "yes", "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self.a_public.vote_ids)
        self.assertIn("Log in", self.url_open(url).text)
        # a client votes; a new session of his votes again: still one vote
        for _session in range(2):
            self.authenticate("hd_integrity_portal", "hd_integrity_portal")
            self.url_open(
                f"{url}/vote", data={"helpful": "yes", "csrf_token": self._csrf(url)}
            )
        self.a_public.invalidate_recordset()
        self.assertEqual(self.a_public.helpful_count, 1)
        self.assertEqual(self.a_public.vote_ids.partner_id, self.portal_user.partner_id)

    def test_views_count_each_reader_once(self):
        article = self.a_public
        url = f"/helpdesk/kb/article/{article.id}"
        # an anonymous reader: new sessions (cookies dropped) are the same reader
        for _visit in range(3):
            self.opener.cookies.clear()
            self.assertEqual(self.url_open(url).status_code, 200)
        article.invalidate_recordset(["view_count"])
        self.assertEqual(article.view_count, 1)
        self.authenticate("hd_integrity_portal", "hd_integrity_portal")
        self.url_open(url)
        self.url_open(url)
        article.invalidate_recordset(["view_count"])
        self.assertEqual(article.view_count, 2)
