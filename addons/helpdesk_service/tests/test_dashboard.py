from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, TransactionCase, tagged

from .common import HelpdeskCommonMixin
from .common_dashboard import DashboardTestMixin
from .common_kpi import KpiDatasetMixin

DASHBOARD = "helpdesk_service.spreadsheet_dashboard_helpdesk"
MONDAY = date(2026, 3, 2)
# weeks start on Sunday in English (US), the language of the tests
WEEK_10, WEEK_11 = date(2026, 3, 1), date(2026, 3, 8)


@tagged("helpdesk_service")
class TestDashboard(
    DashboardTestMixin, KpiDatasetMixin, HelpdeskCommonMixin, TransactionCase
):
    """The Helpdesk dashboard (Dashboards > Helpdesk > Tickets and SLA): its data
    sources are valid, and on a known dataset show the expected figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls._setup_kpi_policy()
        Category = cls.env["res.partner.category"]
        cls.gold = Category.create({"name": "Gold", "is_helpdesk_tariff": True})
        cls.silver = Category.create({"name": "Silver", "is_helpdesk_tariff": True})
        cls.client.category_id = cls.gold
        cls.other_client.category_id = cls.silver
        cls.dashboard = cls.env.ref(DASHBOARD)
        cls.teams = cls.team | cls.team_private

    def _build_dataset(self):
        """Week 10: three tickets resolved (T1, T2 Gold for agent A, T3 Silver
        for agent B), T2 late on both targets; week 11: two open tickets."""
        t1, t2, t3 = self._build_week_dataset(self.other_client)
        with freeze_time("2026-03-09 09:00"):
            t4 = self._ticket(name="T4", user_id=self.agent_b.id)
            t5 = self._ticket(name="T5", team_id=self.team_private.id)
        self.assertFalse(any((t4 | t5).mapped("date_ack")))
        return t1, t2, t3, t4, t5

    def _show(self, name, period=(MONDAY, date(2026, 3, 15)), kind=None):
        """The figures of a data source for our teams over the period."""
        return self._figures(
            self.json, name, {"Period": period, "Team": self.teams}, kind=kind
        )

    @property
    def json(self):
        return self._dashboard_json(DASHBOARD)

    def test_data_sources_are_valid(self):
        sources = self._assert_sources_valid(self.json)
        self.assertEqual(
            {(s["kind"], s["model"]) for s in sources},
            {
                ("chart", "helpdesk.backlog.report"),
                ("chart", "helpdesk.ticket"),
                ("chart", "helpdesk.ticket.sla"),
                ("chart", "rating.rating"),
                ("pivot", "helpdesk.ticket"),
                ("pivot", "helpdesk.ticket.sla"),
                ("pivot", "rating.rating"),
            },
        )

    def test_visible_to_managers_only(self):
        manager_group = self.env.ref("helpdesk_service.group_helpdesk_manager")
        self.assertEqual(self.dashboard.group_ids, manager_group)
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("helpdesk_service.spreadsheet_dashboard_group_helpdesk"),
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.manager).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.agent_a).search([]))

    def test_figures(self):
        t1, _t2, t3, _t4, _t5 = self._build_dataset()
        self.assertEqual((t1.tariff_id, t3.tariff_id), (self.gold, self.silver))
        new = self.stage_new.id
        team, private = self.team.id, self.team_private.id
        # backlog: the open tickets, by team and stage and by week received
        self.assertEqual(
            self._show("Open tickets by team and stage"),
            {(team, new): 1, (private, new): 1},
        )
        self.assertEqual(
            self._show("Open tickets by week received"),
            {(WEEK_11, new): 2},
        )
        # SLA met: 4 of 6 finished targets in week 10 (T2 failed both);
        # per tariff, Gold has T1 (met twice) and T2 (failed twice)
        self.assertEqual(self._show("SLA met (%) per week"), {(WEEK_10,): 66.67})
        self.assertEqual(
            self._show("SLA met (%) per tariff"),
            {(self.gold.id,): 50.0, (self.silver.id,): 100.0},
        )
        self.assertEqual(self._show("SLA met (%)", kind="pivot"), {(): 66.67})
        # times: acknowledged after 4, 20 and 5 minutes, resolved after 1, 3
        # and 0.5 hours
        self.assertEqual(
            self._show("Time to acknowledge (min) per week"), {(WEEK_10,): 9.67}
        )
        self.assertEqual(self._show("Time to resolve (h) per week"), {(WEEK_10,): 1.5})
        self.assertEqual(
            self._show("Resolved tickets per team", kind="pivot"),
            {(team,): (3, 9.67, 15.33, 1.5, 1.33)},
        )
        # ratings: agent A one good and one bad, agent B one good (the period
        # applies to the day of rating, which the database clock sets)
        self.assertEqual(
            self._show("Ratings per agent", period=None, kind="chart"),
            {
                (self.agent_a.id, "top"): 1,
                (self.agent_a.id, "ko"): 1,
                (self.agent_b.id, "top"): 1,
            },
        )
        self.assertEqual(
            self._show("Ratings per agent", period=None, kind="pivot"),
            {(self.agent_a.id,): (2, 50.0), (self.agent_b.id,): (1, 100.0)},
        )
        # contacts: Gold T1 1, T2 2 (a reply and the client's message), T4
        # and T5 none; Silver T3 1
        self.assertEqual(
            self._show("Contacts per ticket per tariff"),
            {(self.gold.id,): 0.75, (self.silver.id,): 1.0},
        )
        self.assertEqual(
            self._show(
                "Contacts per ticket per tariff", period=(MONDAY, date(2026, 3, 8))
            ),
            {(self.gold.id,): 1.5, (self.silver.id,): 1.0},
        )
        self.assertEqual(self._show("Open tickets", kind="pivot"), {(): 2})
        # the team filter narrows every source
        only_private = self._figures(
            self.json, "Open tickets by team and stage", {"Team": self.team_private}
        )
        self.assertEqual(only_private, {(private, new): 1})
        # the dashboard agrees with the stored KPI scores of the team
        with freeze_time("2026-03-02 13:00"):
            self.env["helpdesk.kpi"]._cron_refresh()
        kpi = self.env["helpdesk.kpi"].search(
            [("scope", "=", "team"), ("team_id", "=", self.team.id)]
        )
        self.assertEqual(
            (kpi.resolved_count, kpi.avg_ack_minutes, kpi.avg_resolve_hours),
            (3, 9.67, 1.5),
        )
        self.assertEqual(kpi.sla_met_percent, 66.7)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestDashboardUi(HttpCase):
    def test_manager_opens_the_helpdesk_dashboard(self):
        manager = self.env["res.users"].create(
            {
                "name": "Dashboard Manager",
                "login": "hd_dashboard_manager",
                "password": "hd_dashboard_manager",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("helpdesk_service.group_helpdesk_manager").id,
                        ],
                    )
                ],
            }
        )
        # read the addons' manifests in one request first: the browser's
        # parallel first requests would otherwise parse them in several threads
        # at once, which Python 3.11's ast module does not always survive
        self.url_open("/web/static/img/favicon.ico")
        self.start_tour(
            "/odoo/dashboards",
            "helpdesk_service_dashboard_tour",
            login=manager.login,
        )
