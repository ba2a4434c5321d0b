from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin
from .common_kpi import KpiDatasetMixin


@tagged("helpdesk_service")
class TestKpi(KpiDatasetMixin, HelpdeskCommonMixin, TransactionCase):
    """KPI figures on a known dataset, with exact expected values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls._setup_kpi_policy()
        cls.team.user_id = cls.manager

    def _build_dataset(self):
        t1, t2, t3 = self._build_week_dataset(self.contact)
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
