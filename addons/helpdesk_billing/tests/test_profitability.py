import ast
from datetime import date

from lxml import etree

from odoo import Command
from odoo.osv import expression
from odoo.tests import tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestProfitability(HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cheap_and_quiet()
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

    def _search_with_filters(self, names):
        """Search the report as the web client does with these filters on:
        filters of one group (between separators) are ORed, groups ANDed."""
        arch = etree.fromstring(self.Report.get_view(view_type="search")["arch"])
        groups, current = [], []
        for node in arch:
            if node.tag == "separator" or node.tag == "group":
                groups.append(current)
                current = []
            elif node.tag == "filter" and node.get("name") in names:
                current.append(ast.literal_eval(node.get("domain")))
        groups.append(current)
        domain = expression.AND(
            [expression.OR(domains) for domains in groups if domains] + [self.january]
        )
        return self.Report.search(domain)

    def test_filters_narrow(self):
        both = self._search_with_filters({"filter_unprofitable", "filter_contract"})
        self.assertTrue(both)
        self.assertEqual(both.contract_id, self.cheap, "only the unprofitable one")
        self.assertTrue(all(both.mapped("is_unprofitable")))
        action = self.env.ref(
            "helpdesk_billing.helpdesk_profitability_report_action_unprofitable"
        )
        self.assertEqual(
            ast.literal_eval(action.context), {"search_default_filter_unprofitable": 1}
        )
        menu = self.env.ref(
            "helpdesk_billing.helpdesk_profitability_report_menu_unprofitable"
        )
        self.assertEqual(menu.action, action)


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestProfitabilityDataset(HelpdeskBillingCommon):
    """Two contracts, two engineers, two months: every figure is known."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.senior = Employee.create(
            {"name": "Senior", "user_id": cls.env.user.id, "hourly_cost": 40.0}
        )
        cls.junior = Employee.create(
            {"name": "Junior", "user_id": cls.agent.id, "hourly_cost": 60.0}
        )
        cls.cheap = cls._contract(
            partner=cls.other_client, name="Cheap", fee=90.0, helpdesk_included_hours=0
        )
        cls.ticket = cls._ticket()  # cls.contract: fee 500, 10 h included
        cls.cheap_ticket = cls._ticket(partner=cls.other_contact)
        cls.env["account.analytic.line"].create(
            [
                {
                    "helpdesk_ticket_id": ticket.id,
                    "employee_id": employee.id,
                    "name": "Work",
                    "date": day,
                    "unit_amount": hours,
                }
                for ticket, employee, day, hours in (
                    (cls.ticket, cls.senior, date(2025, 1, 20), 3.0),
                    (cls.ticket, cls.junior, date(2025, 1, 21), 2.0),
                    (cls.ticket, cls.senior, date(2025, 2, 10), 1.0),
                    (cls.cheap_ticket, cls.junior, date(2025, 1, 22), 4.0),
                )
            ]
        )
        cls.Report = cls.env["helpdesk.profitability.report"]
        cls.ours = [
            ("date", ">=", date(2025, 1, 1)),
            ("date", "<=", date(2025, 2, 1)),
            "|",
            ("contract_id", "in", (cls.contract | cls.cheap).ids),
            ("employee_id", "in", (cls.senior | cls.junior).ids),
        ]

    def _groups(self, groupby, fields=("revenue", "labour_cost", "hours_worked")):
        groups = self.Report.read_group(
            self.ours,
            [f"{name}:sum" for name in fields] + ["margin:sum"],
            groupby,
            lazy=False,
        )
        return {
            tuple(g[k][0] if isinstance(g[k], tuple) else g[k] for k in groupby): tuple(
                round(g[name], 2) for name in (*fields, "margin")
            )
            for g in groups
        }

    def test_per_contract_and_month(self):
        self.assertEqual(
            self._groups(["contract_id", "date:month"]),
            {
                # revenue, labour cost, hours, margin
                (self.contract.id, "January 2025"): (500.0, 240.0, 5.0, 260.0),
                (self.contract.id, "February 2025"): (500.0, 40.0, 1.0, 460.0),
                (self.cheap.id, "January 2025"): (90.0, 240.0, 4.0, -150.0),
                (self.cheap.id, "February 2025"): (90.0, 0.0, 0.0, 90.0),
            },
        )

    def test_per_client_and_per_employee(self):
        january = self.ours + [("date", "=", date(2025, 1, 1))]
        clients = self.Report.read_group(
            january, ["labour_cost:sum", "margin:sum"], ["partner_id"]
        )
        self.assertEqual(
            {g["partner_id"][0]: (g["labour_cost"], g["margin"]) for g in clients},
            {self.client.id: (240.0, 260.0), self.other_client.id: (240.0, -150.0)},
        )
        self.assertEqual(
            self._groups(
                ["employee_id", "date:month"], ("labour_cost", "hours_worked")
            ),
            {
                (False, "January 2025"): (0.0, 0.0, 590.0),
                (False, "February 2025"): (0.0, 0.0, 590.0),
                (self.senior.id, "January 2025"): (120.0, 3.0, -120.0),
                (self.senior.id, "February 2025"): (40.0, 1.0, -40.0),
                (self.junior.id, "January 2025"): (360.0, 6.0, -360.0),
            },
        )

    def _invoice_hours(self):
        """Invoice the cheap contract's January: 4 h beyond none included."""
        self.cheap.helpdesk_overage_rate = 60.0
        invoice = self._run_wizard(contract_ids=[(6, 0, self.cheap.ids)])
        self.assertEqual(
            invoice.invoice_line_ids.filtered(
                lambda line: line.helpdesk_kind == "hours"
            ).price_subtotal,
            240.0,
        )
        return invoice

    def _cheap_january(self):
        (totals,) = self.Report.read_group(
            [("contract_id", "=", self.cheap.id), ("date", "=", date(2025, 1, 1))],
            ["revenue:sum", "revenue_overage:sum", "revenue_credit:sum"],
            [],
        )
        return totals["revenue"], totals["revenue_overage"], totals["revenue_credit"]

    def test_cancelled_invoice_brings_no_revenue(self):
        invoice = self._invoice_hours()
        self.assertEqual(self._cheap_january(), (90.0 + 240.0, 240.0, 0.0))
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(self._cheap_january(), (90.0, 0.0, 0.0))

    def test_sla_credit_reduces_revenue(self):
        invoice = self._invoice_hours()
        invoice.write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.credit_product.id,
                            "quantity": 1.0,
                            "price_unit": -25.0,
                            "helpdesk_kind": "sla_credit",
                        }
                    )
                ]
            }
        )
        self.assertEqual(self._cheap_january(), (90.0 + 240.0 - 25.0, 240.0, -25.0))
