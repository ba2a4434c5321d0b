from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestOverageAndSlaCredit(HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Engineer", "user_id": cls.env.user.id, "hourly_cost": 25.0}
        )
        cls.ticket_a = cls._ticket(name="Till down")
        cls.ticket_b = cls._ticket(name="Printer offline", day=date(2025, 1, 20))

    def _timesheet(self, ticket, hours, day=date(2025, 1, 15)):
        return self.env["account.analytic.line"].create(
            {
                "helpdesk_ticket_id": ticket.id,
                "employee_id": self.employee.id,
                "name": "Work",
                "date": day,
                "unit_amount": hours,
            }
        )

    def _cron(self, day=date(2025, 2, 1)):
        with freeze_time(day):
            self.Contract.with_context(
                queue_job__no_delay=True
            ).cron_recurring_create_invoice()
        return self.env["account.move"].search(
            [("helpdesk_contract_id", "=", self.contract.id)], order="id"
        )

    # ------------------------------------------------------------ hours
    def test_hours_beyond_the_included_ones(self):
        jan = self._timesheet(self.ticket_a, 6.0) | self._timesheet(self.ticket_b, 7.0)
        feb = self._timesheet(self.ticket_a, 2.0, day=date(2025, 2, 2))
        invoice = self._cron()
        hours = self._invoice_lines(invoice, "hours")
        self.assertRecordValues(
            hours,
            [
                {
                    "product_id": self.hour_product.id,
                    "quantity": 3.0,
                    "price_unit": 40.0,
                    "price_subtotal": 120.0,
                    "helpdesk_hours": 13.0,
                }
            ],
        )
        self.assertIn("13.00 h worked, 10.00 h included, 3.00 h beyond", hours.name)
        self.assertEqual(hours.tax_ids, self.tax_sale_a)
        self.assertEqual(hours.helpdesk_timesheet_ids, jan)
        self.assertEqual(jan.helpdesk_invoice_line_id, hours)
        self.assertFalse(feb.helpdesk_invoice_line_id)
        self.assertEqual(invoice.amount_untaxed, 620.0)
        self.assertEqual(invoice.helpdesk_ticket_count, 2)
        annex = invoice._helpdesk_get_annex()
        self.assertEqual(
            [(entry["ticket"], entry["hours"]) for entry in annex],
            sorted(
                [(self.ticket_a, 6.0), (self.ticket_b, 7.0)],
                key=lambda e: e[0].ticket_ref,
            ),
        )
        # run again: nothing new
        self._run_wizard()
        self.assertEqual(len(self._invoice_lines(invoice, "hours")), 1)
        self.assertEqual(hours.quantity, 3.0)
        # counted hours are frozen; deleting the draft invoice releases them
        with self.assertRaises(UserError):
            jan[0].unit_amount = 1.0
        with self.assertRaises(UserError):
            jan[0].unlink()
        feb.unit_amount = 3.0
        invoice.unlink()
        self.assertFalse(jan.helpdesk_invoice_line_id)
        jan[0].unit_amount = 1.0

    def test_within_the_included_hours(self):
        self._timesheet(self.ticket_a, 4.0)
        invoice = self._cron()
        hours = self._invoice_lines(invoice, "hours")
        self.assertEqual(hours.quantity, 0.0)
        self.assertEqual(hours.price_subtotal, 0.0)
        self.assertIn("4.00 h worked, 10.00 h included, 0.00 h beyond", hours.name)

    def test_late_hours_and_cancellations(self):
        self._timesheet(self.ticket_a, 12.0)
        first = self._cron()
        self.assertEqual(self._invoice_lines(first, "hours").quantity, 2.0)
        # more January hours on the same draft: its line grows
        late = self._timesheet(self.ticket_b, 1.5)
        self._run_wizard()
        hours = self._invoice_lines(first, "hours")
        self.assertEqual(len(hours), 1)
        self.assertEqual(hours.quantity, 3.5)
        self.assertEqual(hours.helpdesk_hours, 13.5)
        self.assertEqual(late.helpdesk_invoice_line_id, hours)
        # after posting, later hours go to a new draft of the same period
        first.action_post()
        later = self._timesheet(self.ticket_b, 1.0)
        second = self._run_wizard() - first
        self.assertEqual(len(second), 1)
        extra = self._invoice_lines(second, "hours")
        self.assertEqual(extra.quantity, 1.0)
        self.assertIn("14.50 h worked", extra.name)
        self.assertIn("3.50 h invoiced before", extra.name)
        self.assertEqual(later.helpdesk_invoice_line_id, extra)
        # cancelling the first invoice releases its hours: billed once again
        first.button_cancel()
        self.assertFalse(late.helpdesk_invoice_line_id)
        self._run_wizard()
        hours = self._invoice_lines(second, "hours")
        self.assertEqual(hours.quantity, 4.5, "14.5 h worked - 10 included")
        self.assertEqual(hours.helpdesk_hours, 14.5)
        self._run_wizard()
        self.assertEqual(self._invoice_lines(second, "hours").quantity, 4.5)

    def test_contract_without_hours_terms_ignores_timesheets(self):
        self.contract.write(
            {"helpdesk_included_hours": 0.0, "helpdesk_overage_rate": 0.0}
        )
        sheet = self._timesheet(self.ticket_a, 15.0) | self._timesheet(
            self.ticket_a, 15.0, day=date(2025, 1, 16)
        )
        invoice = self._cron()
        self.assertFalse(self._invoice_lines(invoice, "hours"))
        self.assertFalse(sheet.helpdesk_invoice_line_id)

    # ------------------------------------------------------------ SLA credit
    def _failed_targets(self):
        # tickets received in January 2025 missed the default policy's targets
        targets = (self.ticket_a | self.ticket_b).sla_line_ids
        self.assertEqual(set(targets.mapped("status")), {"failed"})
        self.assertTrue(
            all(
                datetime(2025, 1, 1) <= deadline < datetime(2025, 2, 1)
                for deadline in targets.mapped("deadline")
            )
        )
        return targets

    def test_sla_credit_percent_of_the_fee(self):
        targets = self._failed_targets()
        self.contract.write(
            {"helpdesk_sla_credit_type": "percent", "helpdesk_sla_credit_value": 5.0}
        )
        invoice = self._cron()
        credit = self._invoice_lines(invoice, "sla_credit")
        expected = 500.0 * 0.05 * len(targets)
        self.assertRecordValues(
            credit,
            [
                {
                    "product_id": self.credit_product.id,
                    "quantity": 1.0,
                    "price_unit": -expected,
                    "price_subtotal": -expected,
                }
            ],
        )
        self.assertEqual(credit.helpdesk_sla_line_ids, targets)
        self.assertIn(self.ticket_a.ticket_ref, credit.name)
        self.assertIn(self.ticket_b.ticket_ref, credit.name)
        self.assertEqual(credit.tax_ids, self.tax_sale_a)
        self.assertEqual(invoice.amount_untaxed, 500.0 - expected)
        self.assertEqual(targets.helpdesk_invoice_line_id, credit)
        # once only; a cancellation gives it back to the next run
        self._run_wizard()
        self.assertEqual(len(self._invoice_lines(invoice, "sla_credit")), 1)
        invoice.button_cancel()
        again = self._run_wizard()
        self.assertEqual(self._invoice_lines(again, "sla_credit").price_unit, -expected)

    def test_sla_credit_fixed_and_capped(self):
        targets = self._failed_targets()
        self.contract.write(
            {"helpdesk_sla_credit_type": "fixed", "helpdesk_sla_credit_value": 200.0}
        )
        invoice = self._cron()
        credit = self._invoice_lines(invoice, "sla_credit")
        self.assertEqual(len(targets), 4)
        self.assertEqual(credit.price_unit, -500.0, "at most the period's fee")

    def test_no_credit_without_terms(self):
        self._failed_targets()
        invoice = self._cron()
        self.assertFalse(self._invoice_lines(invoice, "sla_credit"))
