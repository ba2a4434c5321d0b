from datetime import date

from odoo.tests import tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestProfitability(HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Engineer", "user_id": cls.env.user.id, "hourly_cost": 40.0}
        )
        # a cheap contract with much work, and a well-paid quiet one
        cls.cheap = cls._contract(
            partner=cls.other_client, name="Cheap", fee=90.0, helpdesk_included_hours=40
        )
        cls.ticket = cls._ticket(partner=cls.other_contact)
        cls.quiet_ticket = cls._ticket()
        cls.env["account.analytic.line"].create(
            [
                {
                    "helpdesk_ticket_id": ticket.id,
                    "employee_id": cls.employee.id,
                    "name": "Work",
                    "date": date(2025, 1, 20),
                    "unit_amount": hours,
                }
                for ticket, hours in ((cls.ticket, 5.0), (cls.quiet_ticket, 1.0))
            ]
        )
        cls.part = cls._work(cls.ticket, cls.toner, quantity=2.0)  # 60, cost 24
        cls.Report = cls.env["helpdesk.profitability.report"]
        cls.january = [("date", "=", date(2025, 1, 1))]

    def _totals(self, contract):
        groups = self.Report.read_group(
            [*self.january, ("contract_id", "=", contract.id)],
            ["revenue:sum", "cost:sum", "margin:sum", "margin_percent", "hours_worked"],
            ["contract_id"],
        )
        self.assertEqual(len(groups), 1)
        return groups[0]

    def test_revenue_cost_and_margin_per_contract_and_month(self):
        cheap = self._totals(self.cheap)
        self.assertEqual(self.ticket.contract_id, self.cheap)
        self.assertAlmostEqual(cheap["revenue"], 90.0 + 60.0)
        self.assertAlmostEqual(cheap["cost"], 5 * 40.0 + 24.0)
        self.assertAlmostEqual(cheap["margin"], 150.0 - 224.0)
        self.assertAlmostEqual(cheap["margin_percent"], (150.0 - 224.0) / 150.0 * 100)
        self.assertAlmostEqual(cheap["hours_worked"], 5.0)
        quiet = self._totals(self.contract)
        self.assertAlmostEqual(quiet["revenue"], 500.0)
        self.assertAlmostEqual(quiet["margin"], 460.0)
        rows = self.Report.search([*self.january, ("contract_id", "=", self.cheap.id)])
        self.assertEqual(sum(rows.mapped("hours_included")), 40.0)
        self.assertEqual(rows.filtered("ticket_id").ticket_id, self.ticket)
        self.assertEqual(rows.filtered("employee_id").employee_id, self.employee)

    def test_unprofitable_filter(self):
        unprofitable = self.Report.search(
            [*self.january, ("is_unprofitable", "=", True)]
        )
        self.assertEqual(unprofitable.contract_id, self.cheap)
        # invoiced extra hours count as revenue of their service month
        self.cheap.helpdesk_included_hours = 0.0
        self.cheap.helpdesk_overage_rate = 60.0
        self._run_wizard(contract_ids=[(6, 0, self.cheap.ids)])
        cheap = self._totals(self.cheap)
        self.assertAlmostEqual(cheap["revenue"], 150.0 + 5 * 60.0)
        self.assertFalse(
            self.Report.search([*self.january, ("is_unprofitable", "=", True)])
        )
