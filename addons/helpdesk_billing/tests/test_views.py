from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import JAN_END, JAN_START, HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestViews(HelpdeskBillingCommon):
    def test_contract_form_helpdesk_page(self):
        view = "contract.contract_contract_customer_form_view"
        with Form(self.contract, view=view) as form:
            # with included hours, the overage product is required
            form.helpdesk_overage_product_id = self.env["product.product"]
            with self.assertRaisesRegex(AssertionError, "helpdesk_overage_product_id"):
                form.save()
            form.helpdesk_overage_product_id = self.hour_product
            # no compensation: its value is hidden
            form.helpdesk_sla_credit_type = "none"
            with self.assertRaisesRegex(AssertionError, "invisible field"):
                form.helpdesk_sla_credit_value = 3.0
            form.helpdesk_sla_credit_type = "percent"
            form.helpdesk_sla_credit_value = 3.0
            form.helpdesk_site_ids.add(self.site_a)
        self.assertEqual(self.contract.helpdesk_sla_credit_value, 3.0)
        self.assertEqual(self.contract.helpdesk_site_ids, self.site_a)
        # without hours nor rate, the overage product is neither shown nor asked
        with Form(self.contract, view=view) as form:
            form.helpdesk_included_hours = 0.0
            form.helpdesk_overage_rate = 0.0
            with self.assertRaisesRegex(AssertionError, "invisible field"):
                form.helpdesk_overage_product_id = self.env["product.product"]

    @freeze_time("2025-03-10 10:00:00")
    def test_wizard_form(self):
        with Form(self.env["helpdesk.contract.invoice"]) as form:
            # the previous month, invoiced today
            self.assertEqual(form.date_start, JAN_START.replace(month=2))
            self.assertEqual(form.date_end, date(2025, 2, 28))
            self.assertEqual(form.date_invoice, date(2025, 3, 10))
            form.include_without_contract = False
            form.contract_ids.add(self.contract)
            # chosen contracts: the tickets without contract are not asked about
            with self.assertRaisesRegex(AssertionError, "invisible field"):
                form.include_without_contract = True
            form.date_start = JAN_START
            form.date_end = JAN_END
        self.assertEqual(form.record.contract_ids, self.contract)
        self.assertEqual(form.record.date_start, JAN_START)

    def test_views_load_for_each_role(self):
        for user in (self.agent, self.env.user):
            Ticket = self.Ticket.with_user(user)
            arch = Ticket.get_views(
                [(False, "form"), (False, "list"), (False, "search")]
            )
            self.assertIn("contract_id", arch["views"]["form"]["arch"])
        arch = self.Work.with_user(self.agent).get_views(
            [(False, "list"), (False, "pivot"), (False, "search")]
        )
        self.assertIn("filter_to_invoice", arch["views"]["search"]["arch"])
        Report = self.env["helpdesk.profitability.report"].with_user(self.accountant)
        views = Report.get_views([(False, "pivot"), (False, "graph"), (False, "list")])
        pivot = views["views"]["pivot"]["arch"]
        for measure in ("revenue", "cost", "margin"):
            self.assertIn(f'name="{measure}"', pivot)
        self.assertIn('name="margin"', views["views"]["graph"]["arch"])
        self.assertIn('name="employee_id"', views["views"]["list"]["arch"])
        move = self.env["account.move"].with_user(self.accountant)
        arch = move.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="helpdesk_contract_id"', arch)
        self.assertIn('name="helpdesk_period_start"', arch)
