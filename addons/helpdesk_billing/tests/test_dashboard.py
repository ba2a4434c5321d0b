from datetime import date

from odoo.tests import new_test_user, tagged

from odoo.addons.helpdesk_service.tests.common_dashboard import DashboardTestMixin

from .common import JAN_END, JAN_START, HelpdeskBillingCommon

DASHBOARD = "helpdesk_billing.spreadsheet_dashboard_helpdesk_profitability"


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestProfitabilityDashboard(DashboardTestMixin, HelpdeskBillingCommon):
    """Dashboards > Helpdesk > Contract profitability: its data sources are
    valid, and show the labour hours, revenue, cost and margin per contract of
    a known dataset; helpdesk agents do not see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cheap_and_quiet()
        cls.contracts = cls.contract | cls.cheap
        cls.helpdesk_agent = new_test_user(
            cls.env,
            login="hb_dashboard_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="hb_dashboard_manager",
            groups="base.group_user,helpdesk_service.group_helpdesk_manager",
        )

    def _show(self, name, kind=None):
        """The figures of a data source for our contracts in January 2025."""
        return self._figures(
            self._dashboard_json(DASHBOARD),
            name,
            {"Period": (JAN_START, JAN_END), "Contract": self.contracts},
            kind=kind,
        )

    def test_data_sources_are_valid(self):
        sources = self._assert_sources_valid(self._dashboard_json(DASHBOARD))
        self.assertEqual(
            {s["model"] for s in sources}, {"helpdesk.profitability.report"}
        )

    def test_figures_per_contract_and_month(self):
        cheap, quiet = self.cheap.id, self.contract.id
        # cheap: fee 90 + part 60, 5 h at 40 + part cost 24; quiet: fee 500,
        # 1 h at 40
        self.assertEqual(self._show("Labour hours per team"), {(self.team.id,): 6.0})
        self.assertEqual(
            self._show("Contracts in loss: margin"), {(cheap,): 150.0 - 224.0}
        )
        self.assertEqual(
            self._show("Profitability per contract", kind="pivot"),
            {
                (cheap,): (5.0, 40.0, 150.0, 224.0, -74.0),
                (quiet,): (1.0, 10.0, 500.0, 40.0, 460.0),
            },
        )
        january = date(2025, 1, 1)
        self.assertEqual(self._show("Revenue per month"), {(january,): 650.0})
        self.assertEqual(self._show("Margin per month"), {(january,): 386.0})
        self.assertEqual(
            self._show("Profitability", kind="pivot"),
            {(): (650.0, 264.0, 386.0, 6.0)},
        )

    def test_report_groups_without_jit(self):
        """PostgreSQL's JIT made each figure of the dashboard take ~20 s at
        20,000 tickets (0.15 s without): grouping the report turns it off."""
        self.env.cr.execute("SET LOCAL jit = on")
        self.env["helpdesk.profitability.report"].read_group(
            [("contract_id", "in", self.contracts.ids)], ["margin:sum"], ["contract_id"]
        )
        self.env.cr.execute("SHOW jit")
        self.assertEqual(self.env.cr.fetchone()[0], "off")

    def test_visible_to_helpdesk_managers_only(self):
        dashboard = self.env.ref(DASHBOARD)
        self.assertEqual(
            dashboard.group_ids,
            self.env.ref("helpdesk_service.group_helpdesk_manager"),
        )
        self.assertEqual(
            dashboard.dashboard_group_id,
            self.env.ref("helpdesk_service.spreadsheet_dashboard_group_helpdesk"),
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(dashboard, Dashboard.with_user(self.helpdesk_manager).search([]))
        self.assertNotIn(dashboard, Dashboard.with_user(self.helpdesk_agent).search([]))
