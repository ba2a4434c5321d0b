from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestKpi(HelpdeskCommonMixin, TransactionCase):
    """KPI figures on a known dataset, with exact expected values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.env["helpdesk.sla"].search([]).active = False
        cls.env["helpdesk.sla"].create(
            {"name": "10/20", "ack_minutes": 10, "report_minutes": 20}
        )
        cls.team.user_id = cls.manager

    def _reply(self, ticket, user, at):
        with freeze_time(at):
            message = ticket.with_user(user).message_post(
                body="Update", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )

    def _build_dataset(self):
        day = "2026-03-02 "
        with freeze_time(day + "09:00"):
            t1, t2, t3 = self.Ticket.create(
                [
                    {
                        "name": "T1",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                    },
                    {
                        "name": "T2",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                        "user_id": self.agent_a.id,
                    },
                    {
                        "name": "T3",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                        "user_id": self.agent_b.id,
                    },
                ]
            )
        # T1, agent A: everything on time, resolved after 1 h, rated good
        with freeze_time(day + "09:04"):
            t1.with_user(self.agent_a).action_acknowledge()
        r1 = self._reply(t1, self.agent_a, day + "09:10")
        with freeze_time(day + "10:00"):
            t1.stage_id = self.stage_resolved
        # T2, agent A: late twice, the client writes once, 3 h, rated bad
        with freeze_time(day + "09:20"):
            t2.with_user(self.agent_a).action_acknowledge()
        r2 = self._reply(t2, self.agent_a, day + "09:30")
        with freeze_time(day + "09:40"):
            self._post_as(t2, partner=self.contact, body="Still down")
        with freeze_time(day + "12:00"):
            t2.stage_id = self.stage_resolved
        # T3, agent B: on time, 30 minutes, rated good
        with freeze_time(day + "09:05"):
            t3.with_user(self.agent_b).action_acknowledge()
        r3 = self._reply(t3, self.agent_b, day + "09:06")
        with freeze_time(day + "09:30"):
            t3.stage_id = self.stage_resolved
        t1.rating_apply(5, token=r1.access_token)
        t2.rating_apply(1, token=r2.access_token, feedback="Took far too long")
        t3.rating_apply(5, token=r3.access_token)
        # one more open ticket for agent B
        self._ticket(name="T4", user_id=self.agent_b.id)
        return t1, t2, t3

    def test_scores_per_agent_and_team(self):
        self._build_dataset()
        with freeze_time("2026-03-02 13:00"):
            self.env["helpdesk.kpi"]._cron_refresh()
        Kpi = self.env["helpdesk.kpi"]
        a = Kpi.search([("scope", "=", "agent"), ("user_id", "=", self.agent_a.id)])
        b = Kpi.search([("scope", "=", "agent"), ("user_id", "=", self.agent_b.id)])
        team = Kpi.search([("scope", "=", "team"), ("team_id", "=", self.team.id)])
        self.assertEqual(
            (a.resolved_count, a.avg_ack_minutes, a.avg_resolve_hours, a.avg_contacts),
            (2, 12.0, 2.0, 1.5),
        )
        self.assertEqual((a.sla_target_count, a.sla_met_percent), (4, 50.0))
        self.assertEqual((a.rating_count, a.good_percent, a.bad_count), (2, 50.0, 1))
        self.assertEqual((a.complaint_count, a.open_ticket_count), (1, 0))
        self.assertEqual(
            (b.resolved_count, b.avg_ack_minutes, b.avg_resolve_hours, b.avg_contacts),
            (1, 5.0, 0.5, 1.0),
        )
        self.assertEqual(
            (b.sla_met_percent, b.good_percent, b.open_ticket_count), (100.0, 100.0, 1)
        )
        self.assertEqual(team.resolved_count, 3)
        self.assertEqual(team.avg_ack_minutes, 9.67)
        self.assertEqual(team.avg_resolve_hours, 1.5)
        self.assertEqual(team.avg_contacts, 1.33)
        self.assertEqual((team.sla_target_count, team.sla_met_percent), (6, 66.7))
        self.assertEqual((team.rating_count, team.good_percent), (3, 66.7))
        self.assertEqual((team.complaint_count, team.open_ticket_count), (1, 1))
        # the overview reads the stored scores
        self.assertEqual(self.team.with_user(self.agent_a).kpi_good_percent, 66.7)
        self.assertEqual(self.team.with_user(self.agent_a).my_sla_met_percent, 50.0)
        self.assertEqual(self.team.with_user(self.agent_b).my_good_percent, 100.0)
        # refreshing again replaces the rows, it does not add to them
        with freeze_time("2026-03-02 14:00"):
            Kpi._cron_refresh()
        self.assertEqual(Kpi.search_count([("user_id", "=", self.agent_a.id)]), 1)

    def test_agents_see_their_own_scores_and_the_teams(self):
        self._build_dataset()
        with freeze_time("2026-03-02 13:00"):
            self.env["helpdesk.kpi"]._cron_refresh()
        visible = self.env["helpdesk.kpi"].with_user(self.agent_a).search([])
        self.assertEqual(
            set(visible.filtered(lambda k: k.scope == "agent").user_id.ids),
            {self.agent_a.id},
        )
        self.assertIn(self.team, visible.team_id)
        everything = self.env["helpdesk.kpi"].with_user(self.manager).search([])
        self.assertIn(self.agent_b, everything.user_id)

    def test_dashboard_sla_counters(self):
        with freeze_time("2026-03-02 09:00"):
            self._ticket()
        with freeze_time("2026-03-02 09:05"):
            self.team.invalidate_recordset()
            self.assertEqual(
                self.team.sla_at_risk_count, 2, "both deadlines within 1 h"
            )
            self.assertEqual(self.team.sla_failed_today_count, 0)
        with freeze_time("2026-03-02 09:30"):
            self.env["helpdesk.ticket.sla"]._cron_escalate()
            self.team.invalidate_recordset()
            self.assertEqual(self.team.sla_failed_today_count, 2)
            self.assertEqual(self.team.sla_at_risk_count, 0)
