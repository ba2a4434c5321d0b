from datetime import timedelta

from freezegun import freeze_time
from lxml import html

from odoo.tests import new_test_user, tagged

from .test_sla_countdown_ui import NOW, CountdownCommon


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalDue(CountdownCommon):
    """The client's deadlines on the portal: the data the live countdown
    reads, the "Due date" sort of the list, and the countdown in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        client = cls.env["res.partner"].create(
            {"name": "Due Client Co", "is_company": True}
        )
        rival = cls.env["res.partner"].create({"name": "Due Rival Co"})
        cls.user = new_test_user(
            cls.env, login="hd_portal_due", groups="base.group_portal"
        )
        cls.user.partner_id.write({"parent_id": client.id, "lang": "en_US"})
        cls.user.tz = "UTC"
        # the acknowledgement is due 60 min after the ticket comes in, 24/7
        cls.sla.ack_minutes = 60
        partner = cls.user.partner_id

        def received(minutes_ago, name, client):
            with freeze_time(NOW - timedelta(minutes=minutes_ago)):
                return cls.env["helpdesk.ticket"].create(
                    {"name": name, "team_id": cls.team.id, "partner_id": client.id}
                )

        cls.paused = received(40, "Tour due: paused", partner)
        with freeze_time(NOW - timedelta(minutes=40)):
            cls.paused.stage_id = cls.stage_waiting
        cls.sooner = received(30, "Tour due: sooner", partner)
        cls.later = received(10, "Tour due: later", partner)
        # another client's ticket, due first: never in his list
        cls.rival = received(59, "Tour due: rival", rival)

    def _rows(self, url):
        self.authenticate("hd_portal_due", "hd_portal_due")
        with freeze_time(NOW):
            page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.text)
        return tree, tree.xpath("//table[hasclass('o_portal_my_doc_table')]//tbody/tr")

    def _names(self, rows):
        return [row.xpath("string(./td[2]/a)") for row in rows]

    def test_deadlines(self):
        self.assertEqual(self.sooner.sla_next_deadline, NOW + timedelta(minutes=30))
        self.assertEqual(self.later.sla_next_deadline, NOW + timedelta(minutes=50))
        self.assertFalse(self.paused.sla_next_deadline)
        self.assertEqual(self.rival.sla_next_deadline, NOW + timedelta(minutes=1))

    def test_sort_by_due_date(self):
        tree, rows = self._rows("/my/tickets")
        # newest first by default
        self.assertEqual(
            self._names(rows),
            ["Tour due: later", "Tour due: sooner", "Tour due: paused"],
        )
        labels = tree.xpath(
            "//*[@aria-labelledby='portal_searchbar_sortby']//a[contains(@href, "
            "'sortby=due')]"
        )
        self.assertEqual([a.text_content().strip() for a in labels], ["Due date"])
        tree, rows = self._rows("/my/tickets?sortby=due")
        # the nearest deadline first, those without one last; the rival's not
        self.assertEqual(
            self._names(rows),
            ["Tour due: sooner", "Tour due: later", "Tour due: paused"],
        )
        self.assertIn(
            "Due date", tree.xpath("string(//*[@id='portal_searchbar_sortby'])")
        )

    def test_countdown_data(self):
        _tree, rows = self._rows("/my/tickets?sortby=due")
        relative = rows[0].xpath(
            "./td[5]//*[hasclass('o_helpdesk_service_due_relative')]"
        )
        self.assertEqual(len(relative), 1)
        self.assertEqual(relative[0].get("data-deadline"), "2026-03-02T09:30:00")
        self.assertEqual(relative[0].get("data-now"), "2026-03-02T09:00:00")
        # a paused ticket has no countdown
        self.assertFalse(
            rows[2].xpath(".//*[hasclass('o_helpdesk_service_due_relative')]")
        )
        # the ticket page: the same deadline as the list, ticking
        self.authenticate("hd_portal_due", "hd_portal_due")
        with freeze_time(NOW):
            page = self.url_open(f"/my/tickets/{self.sooner.id}")
        (relative,) = html.fromstring(page.text).xpath(
            "//*[hasclass('o_helpdesk_service_page_due')]"
            "//*[hasclass('o_helpdesk_service_due_relative')]"
        )
        self.assertEqual(relative.get("data-deadline"), "2026-03-02T09:30:00")

    def test_portal_due_tour(self):
        with freeze_time(NOW, tick=True):
            self.start_tour(
                "/my/tickets", "helpdesk_service_portal_due_tour", login="hd_portal_due"
            )
