from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import JAN_END, JAN_START, HelpdeskBillingCommon

FEB_1, MAR_1 = date(2025, 2, 1), date(2025, 3, 1)


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestInvoiceCancel(HelpdeskBillingCommon):
    """Cancelling, deleting or (by the accountant's choice) fully reversing a
    contract invoice gives back everything it billed: the re-run makes the
    identical invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Engineer", "user_id": cls.env.user.id, "hourly_cost": 25.0}
        )
        cls.contract.write(
            {"helpdesk_sla_credit_type": "fixed", "helpdesk_sla_credit_value": 10.0}
        )
        cls.ticket = cls._ticket()
        cls.work = cls._work(cls.ticket, cls.drum)
        cls.timesheet = cls.env["account.analytic.line"].create(
            {
                "helpdesk_ticket_id": cls.ticket.id,
                "employee_id": cls.employee.id,
                "name": "Work",
                "date": date(2025, 1, 15),
                "unit_amount": 12.0,
            }
        )

    def _cron(self, day=FEB_1):
        with freeze_time(day):
            self.Contract.with_context(
                queue_job__no_delay=True
            ).cron_recurring_create_invoice()
        return self.env["account.move"].search(
            [
                ("helpdesk_contract_id", "=", self.contract.id),
                ("state", "!=", "cancel"),
            ],
            order="id desc",
            limit=1,
        )

    def _rerun(self, day=date(2025, 3, 10)):
        # the wizard run weeks later: the new invoice is still dated as the
        # contract says, not on the day of the run
        with freeze_time(day):
            return self._run_wizard(date_invoice=day)

    @staticmethod
    def _snapshot(invoice):
        return (
            invoice.invoice_date,
            invoice.helpdesk_period_start,
            invoice.helpdesk_period_end,
            invoice.amount_untaxed,
            [
                (
                    line.display_type,
                    line.product_id.id,
                    line.name,
                    line.quantity,
                    line.price_unit,
                    line.helpdesk_kind or False,
                    line.helpdesk_fee_period_start,
                    line.helpdesk_fee_period_end,
                )
                for line in invoice.invoice_line_ids.sorted(
                    lambda x: (x.sequence, x.id)
                )
            ],
        )

    def test_cancel_then_rerun_makes_the_identical_invoice(self):
        invoice = self._cron()
        before = self._snapshot(invoice)
        kinds = {line[5] for line in before[4]}
        self.assertEqual(kinds, {False, "work", "hours", "sla_credit"})
        self.assertEqual(before[0], FEB_1)
        fee_line = self._invoice_lines(invoice).filtered("contract_line_id")
        self.assertEqual(
            (fee_line.helpdesk_fee_period_start, fee_line.helpdesk_fee_period_end),
            (JAN_START, JAN_END),
        )
        self.assertEqual(self.contract.recurring_next_date, MAR_1)
        invoice.action_post()
        invoice.button_cancel()
        self.assertEqual(self.contract.recurring_next_date, FEB_1, "fee released")
        self.assertFalse(self.contract.contract_line_ids.last_date_invoiced)
        self.assertFalse(self.work.is_invoiced)
        self.assertFalse(self.timesheet.helpdesk_invoice_line_id)
        self.assertFalse(self.ticket.sla_line_ids.helpdesk_invoice_line_id)
        again = self._rerun()
        self.assertEqual(len(again), 1)
        self.assertNotEqual(again, invoice)
        self.assertEqual(self._snapshot(again), before)
        self.assertEqual(self.contract.recurring_next_date, MAR_1)
        self.assertEqual(self.work.invoice_id, again)
        # the cancelled invoice cannot come back while its period is billed again
        with self.assertRaises(UserError):
            invoice.button_draft()
        self.assertEqual(invoice.state, "cancel")

    def test_delete_draft_then_cron_makes_the_identical_invoice(self):
        invoice = self._cron()
        before = self._snapshot(invoice)
        invoice.unlink()
        self.assertEqual(self.contract.recurring_next_date, FEB_1)
        again = self._cron(date(2025, 2, 20))
        self.assertEqual(self._snapshot(again), before)

    def test_cancelled_invoice_back_to_draft_takes_its_period_again(self):
        invoice = self._cron()
        invoice.button_cancel()
        self.assertEqual(self.contract.recurring_next_date, FEB_1)
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")
        fee_line = self.contract.contract_line_ids
        self.assertEqual(fee_line.last_date_invoiced, JAN_END)
        self.assertEqual(fee_line.recurring_next_date, MAR_1)
        self.assertEqual(self.contract.recurring_next_date, MAR_1)
        self.assertEqual(self.work.invoice_id, invoice)
        self.assertEqual(self._cron(), invoice, "nothing billed twice")

    def test_cancel_refused_when_a_later_period_is_invoiced(self):
        january = self._cron()
        february = self._cron(MAR_1)
        self.assertNotEqual(january, february)
        with self.assertRaisesRegex(UserError, "newest first"):
            january.button_cancel()
        self.assertEqual(january.state, "draft")
        february.button_cancel()
        january.button_cancel()
        self.assertEqual(self.contract.recurring_next_date, FEB_1)

    def test_credit_note_releases_only_when_the_accountant_asks(self):
        invoice = self._cron()
        before = self._snapshot(invoice)
        invoice.action_post()
        self.assertFalse(invoice.helpdesk_is_releasable, "not reversed")
        with self.assertRaises(UserError):
            invoice.action_helpdesk_release()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Wrong"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        self.assertEqual(invoice.payment_state, "reversed")
        # by default the reversed items stay billed: the re-run adds nothing
        self.assertTrue(self.work.is_invoiced)
        self.assertEqual(self.contract.recurring_next_date, MAR_1)
        with self.assertRaises(UserError):
            self._rerun()
        # the accountant chooses to bill them again
        self.assertTrue(invoice.helpdesk_is_releasable)
        invoice.with_user(self.accountant).action_helpdesk_release()
        self.assertFalse(invoice.helpdesk_is_releasable)
        self.assertFalse(self.work.is_invoiced)
        self.assertFalse(self.timesheet.helpdesk_invoice_line_id)
        self.assertEqual(self.contract.recurring_next_date, FEB_1)
        again = self._rerun()
        self.assertEqual(self._snapshot(again), before)
        self.assertEqual(self.work.invoice_id, again)
        with self.assertRaises(UserError):
            invoice.button_draft()
