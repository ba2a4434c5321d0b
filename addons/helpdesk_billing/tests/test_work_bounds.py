from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestWorkBounds(HelpdeskBillingCommon):
    """Absurd values never reach an invoice: quantities, prices and dates of
    work lines are bounded, from the form as from RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket()
        cls.no_contract_ticket = cls._ticket(partner=cls.other_contact)
        cls.rebate = cls._create_product(
            name="Goodwill rebate",
            type="service",
            lst_price=0.0,
            is_helpdesk_work=True,
            is_helpdesk_credit=True,
        )

    def test_quantity_and_price_bounded(self):
        with self.assertRaisesRegex(ValidationError, "not plausible"):
            self._work(self.ticket, self.drum, quantity=1e20)
        with self.assertRaisesRegex(ValidationError, "not plausible"):
            self._work(self.ticket, self.drum, price_unit=1e12)
        work = self._work(self.ticket, self.drum, quantity=3.0)
        with self.assertRaises(ValidationError):
            work.write({"quantity": 1e20})
        # the form says the same
        form = Form(self.ticket)
        with form.work_ids.new() as line:
            line.product_id = self.drum
            line.quantity = 1e20
        with self.assertRaisesRegex(ValidationError, "not plausible"):
            form.save()

    def test_negative_price_only_for_credit_products_with_approval(self):
        self.assertFalse(self.contract.helpdesk_approval_required)
        with self.assertRaisesRegex(ValidationError, "negative price"):
            self._work(self.ticket, self.drum, price_unit=-50.0)
        rebate = self._work(self.ticket, self.rebate, price_unit=-50.0)
        drum = self._work(self.ticket, self.drum)
        invoice = self._run_wizard(contract_ids=[Command.set(self.contract.ids)])
        self.assertEqual(
            self._invoice_lines(invoice, "work").helpdesk_work_id,
            drum,
            "the credit waits for its approval",
        )
        rebate.action_approve()
        self._run_wizard(contract_ids=[Command.set(self.contract.ids)])
        self.assertRecordValues(
            self._invoice_lines(invoice, "work").filtered(
                lambda line: line.helpdesk_work_id == rebate
            ),
            [{"price_unit": -50.0, "product_id": self.rebate.id}],
        )

    @freeze_time("2025-03-15")
    def test_dates_within_the_contract_or_a_sane_window(self):
        with self.assertRaisesRegex(ValidationError, "outside contract"):
            self._work(self.ticket, self.drum, day=date(1900, 1, 1))
        with self.assertRaisesRegex(ValidationError, "outside contract"):
            self._work(self.ticket, self.drum, day=date(2024, 12, 31))
        self.contract.date_end = date(2025, 6, 30)
        with self.assertRaisesRegex(ValidationError, "outside contract"):
            self._work(self.ticket, self.drum, day=date(2025, 7, 1))
        self._work(self.ticket, self.drum, day=date(2025, 6, 30))
        # without contract: around the ticket's arrival (Jan 10, 2025) and today
        self.assertFalse(self.no_contract_ticket.contract_id)
        with self.assertRaisesRegex(ValidationError, "a year before its ticket"):
            self._work(self.no_contract_ticket, self.drum, day=date(1900, 1, 1))
        with self.assertRaises(ValidationError):
            self._work(self.no_contract_ticket, self.drum, day=date(2026, 3, 16))
        work = self._work(self.no_contract_ticket, self.drum, day=date(2024, 2, 1))
        with self.assertRaises(ValidationError):
            work.date = date(1900, 1, 1)

    def test_impossible_date_is_a_validation_error(self):
        # what an RPC client sends: a string that is no date
        with self.assertRaisesRegex(ValidationError, "2026-02-30 is not a valid"):
            self.Work.create(
                {
                    "ticket_id": self.ticket.id,
                    "product_id": self.drum.id,
                    "date": "2026-02-30",
                }
            )
        work = self._work(self.ticket, self.drum)
        with self.assertRaisesRegex(ValidationError, "not a valid date"):
            work.write({"date": "2025-13-01"})
