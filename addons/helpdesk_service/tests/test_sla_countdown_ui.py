from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

NOW = datetime(2026, 3, 2, 9, 0)


class CountdownCommon(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        cls.stage_new = env.ref("helpdesk_service.helpdesk_stage_new")
        cls.stage_progress = env.ref("helpdesk_service.helpdesk_stage_in_progress")
        cls.stage_waiting = env.ref("helpdesk_service.helpdesk_stage_waiting")
        cls.agent = new_test_user(
            env,
            login="hd_countdown_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.team = env["helpdesk.team"].create(
            {
                "name": "Countdown Desk",
                "member_ids": [(6, 0, cls.agent.ids)],
                "stage_ids": [
                    (6, 0, (cls.stage_new | cls.stage_progress | cls.stage_waiting).ids)
                ],
            }
        )
        # 24/7: the working time left is the wall-clock time left
        cls.sla = env["helpdesk.sla"].create(
            {
                "name": "Countdown policy",
                "sequence": 1,
                "team_ids": [(6, 0, cls.team.ids)],
                "ack_minutes": 30,
                "report_minutes": 120,
                "warning_percent": 80,
                "pause_stage_ids": [(6, 0, cls.stage_waiting.ids)],
            }
        )

    def _ticket(self, name, **vals):
        return self.env["helpdesk.ticket"].create(
            dict({"name": name, "team_id": self.team.id}, **vals)
        )


@tagged("post_install", "-at_install", "helpdesk_service")
class TestSlaCountdownUi(CountdownCommon):
    def test_agent_countdown_turns_red_tour(self):
        """The agent lands on the overview, opens his team's tickets and sees a
        card's countdown turn amber, then red when its deadline passes: the
        server's clock is frozen, the tour moves the widget's clock forward
        (25 min, then 30 min) instead of waiting."""
        # the ack target (1 h, warning at 50 %) is due 50 min after NOW,
        # its warning threshold passes 20 min after NOW
        self.sla.write({"ack_minutes": 60, "warning_percent": 50})
        with freeze_time(NOW - timedelta(minutes=10)):
            ticket = self._ticket("Tour deadline: mail server down")
            waiting = self._ticket("Tour deadline: waiting for logs")
            waiting.stage_id = self.stage_waiting
        self.assertEqual(ticket.sla_next_deadline, NOW + timedelta(minutes=50))
        with freeze_time(NOW):
            self.start_tour(
                "/odoo",
                "helpdesk_service_sla_countdown_tour",
                login="hd_countdown_agent",
            )


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalPhoneList(CountdownCommon):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        client = cls.env["res.partner"].create(
            {"name": "Phone Client Co", "is_company": True}
        )
        cls.user = new_test_user(
            cls.env, login="hd_portal_phone", groups="base.group_portal"
        )
        cls.user.partner_id.write({"parent_id": client.id, "lang": "en_US"})
        cls.user.tz = "Asia/Tokyo"

    def _rows(self):
        self.authenticate("hd_portal_phone", "hd_portal_phone")
        page = self.url_open("/my/tickets")
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.text)
        return {
            row.xpath("string(./td[2]/a)"): row
            for row in tree.xpath(
                "//table[hasclass('o_portal_my_doc_table')]//tbody/tr"
            )
        }

    def test_due_in_contact_zone(self):
        partner = self.user.partner_id
        with freeze_time(NOW):
            self._ticket("Phone: printer offline", partner_id=partner.id)
            paused = self._ticket("Phone: need the logs", partner_id=partner.id)
            paused.stage_id = self.stage_waiting
            rows = self._rows()
        (due,) = rows["Phone: printer offline"].xpath(
            "./td[5]//*[hasclass('o_helpdesk_service_due')]"
        )
        # 09:30 UTC in Tokyo, without seconds, not late
        self.assertEqual(" ".join(due.text_content().split()), "03/02/2026 18:30")
        self.assertNotIn("text-danger", due.get("class"))
        (waiting,) = rows["Phone: need the logs"].xpath(
            "./td[5]//*[hasclass('o_helpdesk_service_due_paused')]"
        )
        self.assertIn("Waiting for your reply", waiting.text_content())
        with freeze_time(NOW + timedelta(hours=1)):
            rows = self._rows()
        (late,) = rows["Phone: printer offline"].xpath(
            "./td[5]//*[hasclass('o_helpdesk_service_due')]"
        )
        self.assertIn("text-danger", late.get("class"))

    def test_phone_list_fits_tour(self):
        partner = self.user.partner_id
        with freeze_time(NOW):
            ticket = self._ticket(
                "Tour phone: the VPN drops every hour at the branch office",
                partner_id=partner.id,
            )
            # a long stage name: its badge used to push the table sideways
            stage = self.env["helpdesk.stage"].create(
                {
                    "name": "Waiting for spare parts from the manufacturer",
                    "kind": "in_progress",
                    "team_ids": [(6, 0, self.team.ids)],
                }
            )
            ticket.stage_id = stage
            self.start_tour(
                "/my/tickets",
                "helpdesk_service_portal_phone_tour",
                login="hd_portal_phone",
            )
