from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import HelpdeskCommonMixin


class TicketContextMixin(HelpdeskCommonMixin):
    @classmethod
    def _setup_context(cls):
        cls._setup_helpdesk()
        env = cls.env
        cls.site = env["helpdesk.site"].create(
            {"name": "Context HQ", "partner_id": cls.client.id}
        )
        cls.other_site = env["helpdesk.site"].create(
            {"name": "Context Warehouse", "partner_id": cls.client.id}
        )
        Equipment = env["helpdesk.equipment"]
        cls.printer = Equipment.create(
            {
                "name": "Context printer",
                "serial_number": "HD-CTX-SN1",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "date_warranty_end": date(2026, 12, 31),
            }
        )
        cls.scanner = Equipment.create(
            {
                "name": "Context scanner",
                "serial_number": "HD-CTX-SN2",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "date_warranty_end": date(2025, 1, 31),
            }
        )


@tagged("helpdesk_service")
class TestTicketContext(TicketContextMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_context()

    @freeze_time("2026-06-15 10:00:00")
    def test_equipment_with_warranty_and_last_tickets(self):
        """The block shows the ticket's equipment with its warranty, else the
        site's, and the last other tickets about the same site or equipment,
        newest first."""
        older = self._ticket(
            name="Context: printer jammed last year",
            site_id=self.other_site.id,
            equipment_ids=[(6, 0, self.printer.ids)],
            date_received=datetime(2025, 5, 1),
        )
        newer = self._ticket(
            name="Context: HQ network down",
            site_id=self.site.id,
            date_received=datetime(2026, 5, 1),
        )
        self._ticket(
            name="Context: warehouse door", site_id=self.other_site.id
        )  # neither the site nor the equipment: not listed
        ticket = self._ticket(
            name="Context: printer again",
            site_id=self.site.id,
            equipment_ids=[(6, 0, self.printer.ids)],
        ).with_user(self.agent_a)
        self.assertEqual(ticket.context_equipment_ids, self.printer)
        self.assertTrue(ticket.context_equipment_ids.is_under_warranty)
        self.assertEqual(ticket.context_ticket_ids.ids, (newer | older).ids)

        # no equipment on the ticket: the equipment of its site
        site_only = self._ticket(name="Context: HQ", site_id=self.site.id)
        self.assertEqual(
            site_only.with_user(self.agent_a).context_equipment_ids,
            self.printer | self.scanner,
        )
        self.assertFalse(self.scanner.is_under_warranty)

    def test_client_open_tickets(self):
        """The client's other open tickets the agent may read, and their count."""
        ticket = self._ticket(name="Context: the current one")
        open_one = self._ticket(name="Context: still open")
        closed = self._ticket(name="Context: done")
        closed.stage_id = self.stage_closed
        private = self._ticket(
            name="Context: private desk", team_id=self.team_private.id
        )
        self._ticket(name="Context: another client", partner_id=self.other_client.id)
        as_agent = ticket.with_user(self.agent_a)
        self.assertEqual(as_agent.client_open_ticket_ids, open_one)
        self.assertEqual(as_agent.client_open_ticket_count, 1)
        # a member of the private desk sees its ticket too
        as_member = ticket.with_user(self.agent_c)
        self.assertEqual(as_member.client_open_ticket_ids, open_one | private)
        action = as_member.action_open_client_open_tickets()
        self.assertEqual(
            self.env["helpdesk.ticket"].search(action["domain"]),
            ticket | open_one | private,
        )

    def test_answer_with_article(self):
        """Answer with an article: the full composer of a reply whose article
        picker adds the article's link and summary."""
        article = self.env["helpdesk.article"].create(
            {
                "name": "Clear a paper jam",
                "summary": "Open the back cover and pull the sheet out gently.",
                "state": "published",
                "visibility": "portal",
            }
        )
        ticket = self._ticket(name="Context: paper jam").with_user(self.agent_a)
        action = ticket.action_reply_with_article()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer_form = Form(
            self.env[action["res_model"]]
            .with_user(self.agent_a)
            .with_context(**action["context"])
        )
        composer_form.helpdesk_article_ids.add(article)
        composer = composer_form.save()
        self.assertIn(f"/helpdesk/kb/article/{article.id}", composer.body)
        self.assertIn("Open the back cover", composer.body)
        composer._action_send_mail()
        self.assertIn("Open the back cover", ticket.message_ids[:1].body)

    def test_shared_canned_response_reaches_agents(self):
        """A canned response shared with the helpdesk agents (group_ids) is
        theirs to use, not other employees'."""
        employee = new_test_user(
            self.env, login="hd_ctx_employee", groups="base.group_user"
        )
        canned = (
            self.env["mail.canned.response"]
            .with_user(self.manager)
            .create(
                {
                    "source": "hdctxthanks",
                    "substitution": "Thank you for your patience.",
                    "group_ids": [
                        (6, 0, self.env.ref("helpdesk_service.group_helpdesk_user").ids)
                    ],
                }
            )
        )
        CannedResponse = self.env["mail.canned.response"]
        domain = [("source", "=", "hdctxthanks")]
        self.assertEqual(CannedResponse.with_user(self.agent_a).search(domain), canned)
        self.assertFalse(CannedResponse.with_user(employee).search(domain))


@tagged("post_install", "-at_install", "helpdesk_service")
class TestTicketContextUi(TicketContextMixin, HttpCase):
    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_context()
        cls.env["mail.canned.response"].create(
            {
                "source": "hdtourthanks",
                "substitution": "Thank you for contacting the tour desk.",
                "group_ids": [
                    (6, 0, cls.env.ref("helpdesk_service.group_helpdesk_user").ids)
                ],
            }
        )

    def test_answer_tour(self):
        """At 1440 px an agent sees the chatter beside the ticket, the context
        block, and answers with a canned response typed as :shortcut."""
        self._ticket(name="Tour answer: the other open one")
        ticket = self._ticket(
            name="Tour answer: printer",
            site_id=self.site.id,
            equipment_ids=[(6, 0, self.printer.ids)],
        )
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "helpdesk_service_answer_tour",
            login="hd_agent_a",
        )
        message = ticket.message_ids.filtered(lambda m: "tour desk" in (m.body or ""))
        self.assertEqual(message.author_id, self.agent_a.partner_id)
