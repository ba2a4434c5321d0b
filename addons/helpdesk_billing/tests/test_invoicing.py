from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import JAN_END, JAN_START, HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestInvoicing(HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # no hours billing here: see test_overage_credit
        cls.contract.write(
            {"helpdesk_included_hours": 0.0, "helpdesk_overage_rate": 0.0}
        )
        cls.ticket = cls._ticket()
        cls.drum_work = cls._work(cls.ticket, cls.drum)
        cls.toner_work = cls._work(cls.ticket, cls.toner, quantity=2.0, discount=10.0)
        cls.included = cls._work(cls.ticket, cls.visit, is_billable=False)
        cls.february = cls._work(cls.ticket, cls.visit, day=date(2025, 2, 3))

    def _cron(self, day=date(2025, 2, 1)):
        with freeze_time(day):
            self.Contract.with_context(
                queue_job__no_delay=True
            ).cron_recurring_create_invoice()
        return self.env["account.move"].search(
            [("helpdesk_contract_id", "=", self.contract.id)], order="id"
        )

    def test_monthly_run_bills_fee_and_work_on_one_invoice(self):
        invoice = self._cron()
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.client)
        self.assertEqual(
            (invoice.helpdesk_period_start, invoice.helpdesk_period_end),
            (JAN_START, JAN_END),
        )
        lines = self._invoice_lines(invoice)
        self.assertEqual(len(lines), 3)
        common = ["product_id", "quantity", "price_unit", "discount", "price_subtotal"]
        common += ["helpdesk_kind", "helpdesk_ticket_id", "helpdesk_work_id", "tax_ids"]
        self.assertEqual(
            [[line[f] for f in common] for line in lines],
            [
                [self.fee_product, 1.0, 500.0, 0.0, 500.0]
                + [False, self.Ticket, self.Work, self.tax_sale_a],
                [self.drum, 1.0, 60.0, 0.0, 60.0]
                + ["work", self.ticket, self.drum_work, self.tax_sale_a],
                [self.toner, 2.0, 30.0, 10.0, 54.0]
                + ["work", self.ticket, self.toner_work, self.tax_sale_a],
            ],
        )
        self.assertEqual(lines[1].account_id, self.drum.property_account_income_id)
        self.assertIn(self.ticket.ticket_ref, lines[1].name)
        section = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "line_section"
        )
        self.assertEqual(len(section), 1)
        self.assertEqual(invoice.amount_untaxed, 614.0)
        tax_rate = self.tax_sale_a.amount / 100
        self.assertAlmostEqual(invoice.amount_tax, round(614.0 * tax_rate, 2))
        self.assertEqual(invoice.currency_id, self.contract.currency_id)
        # links both ways, and invoiced flags
        self.assertEqual(self.drum_work.invoice_line_id, lines[1])
        self.assertEqual(self.drum_work.invoice_id, invoice)
        self.assertTrue(self.toner_work.is_invoiced)
        self.assertFalse(self.included.is_invoiced, "included in the fee")
        self.assertFalse(self.february.is_invoiced, "after the period")
        self.assertEqual(invoice.helpdesk_ticket_count, 1)
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                invoice.action_view_helpdesk_tickets()["domain"]
            ),
            self.ticket,
        )
        # invoiced lines are frozen
        with self.assertRaises(UserError):
            self.drum_work.quantity = 2.0
        with self.assertRaises(UserError):
            self.drum_work.unlink()

    def test_run_twice_adds_nothing(self):
        invoice = self._cron()
        line_count = len(invoice.invoice_line_ids)
        # the cron again: the fee's next date is March 1
        self.assertEqual(self._cron(), invoice)
        # the wizard for the same period: nothing new
        moves = self._run_wizard()
        self.assertEqual(moves, invoice)
        self.assertEqual(len(invoice.invoice_line_ids), line_count)
        invoice.action_post()
        with self.assertRaises(UserError):
            self._run_wizard(include_without_contract=False)

    def test_cancel_and_rerun_invoices_again_exactly_once(self):
        invoice = self._cron()
        invoice.action_post()
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertFalse(self.drum_work.is_invoiced, "released by the cancellation")
        self.assertFalse(self.drum_work.invoice_line_id)
        self.assertEqual(len(self.drum_work.invoice_line_ids), 1, "history kept")
        again = self._run_wizard()
        self.assertNotEqual(again, invoice)
        self.assertEqual(
            self._invoice_lines(again).helpdesk_work_id,
            self.drum_work | self.toner_work,
        )
        self.assertEqual(
            self._invoice_lines(again).product_id,
            self.fee_product | self.drum | self.toner,
            "the fee again too: the cancellation released its period",
        )
        self.assertEqual(self.drum_work.invoice_id, again)
        self.assertEqual(self._run_wizard(), again)
        self.assertEqual(len(self._invoice_lines(again)), 3)
        # the cancelled invoice cannot come back while its work is billed again
        with self.assertRaises(UserError):
            invoice.button_draft()
        # deleting the new draft releases the work again
        again.unlink()
        self.assertFalse(self.drum_work.is_invoiced)
        invoice.button_draft()
        self.assertTrue(self.drum_work.is_invoiced)
        self.assertEqual(self.drum_work.invoice_id, invoice)

    def test_approval_required_blocks_invoicing(self):
        self.contract.helpdesk_approval_required = True
        invoice = self._cron()
        self.assertFalse(self._invoice_lines(invoice, "work"), "nothing approved")
        self.assertFalse(self.drum_work.is_invoiced)
        self.drum_work.action_approve()
        moves = self._run_wizard()
        self.assertEqual(moves, invoice, "the same draft invoice of the period")
        self.assertEqual(
            self._invoice_lines(invoice, "work").helpdesk_work_id, self.drum_work
        )
        self.assertFalse(self.toner_work.is_invoiced)

    def test_wizard_before_the_cron_bills_the_fee_once(self):
        with freeze_time(JAN_END):
            invoice = self._run_wizard(partner_ids=[Command.set(self.client.ids)])
        self.assertEqual(invoice.helpdesk_contract_id, self.contract)
        self.assertEqual(invoice.invoice_date, date(2025, 2, 1), "dated as OCA says")
        self.assertEqual(
            self._invoice_lines(invoice).product_id,
            self.fee_product | self.drum | self.toner,
        )
        self.assertEqual(self._cron(), invoice, "the cron finds nothing due")
        self.assertEqual(self.contract.recurring_next_date, date(2025, 3, 1))

    def test_prepaid_fee_joins_the_usage_draft(self):
        contract = self._contract(
            partner=self.other_client,
            name="Prepaid",
            recurring_invoicing_type="pre-paid",
        )
        ticket = self._ticket(partner=self.other_contact)
        work = self._work(ticket, self.drum)
        self.assertEqual(ticket.contract_id, contract)
        Move = self.env["account.move"]
        with freeze_time(JAN_START):
            contract._recurring_create_invoice()
        january_fee = Move.search([("invoice_origin", "=", contract.name)])
        self.assertEqual(len(january_fee), 1)
        self.assertFalse(january_fee.helpdesk_period_start, "no usage before the start")
        # the wizard for January: fee paid already, January's work on a new draft
        usage = self._run_wizard(contract_ids=[Command.set(contract.ids)])
        self.assertNotEqual(usage, january_fee)
        self.assertEqual(self._invoice_lines(usage).helpdesk_work_id, work)
        # February's pre-paid fee bills January's usage: it joins that draft
        with freeze_time(date(2025, 2, 1)):
            self.Contract.with_context(
                queue_job__no_delay=True
            ).cron_recurring_create_invoice()
        invoices = Move.search([("helpdesk_contract_id", "=", contract.id)])
        self.assertEqual(invoices, usage)
        self.assertEqual(
            self._invoice_lines(usage).product_id, self.drum | self.fee_product
        )

    def test_client_without_contract_at_standard_prices(self):
        ticket = self._ticket(partner=self.other_contact)
        work = self._work(ticket, self.drum)
        self.assertEqual(work.price_unit, 90.0)
        moves = self._run_wizard(partner_ids=[Command.set(self.other_client.ids)])
        self.assertEqual(len(moves), 1)
        self.assertFalse(moves.helpdesk_contract_id)
        self.assertEqual(moves.partner_id, self.other_client)
        self.assertRecordValues(
            self._invoice_lines(moves),
            [
                {
                    "product_id": self.drum.id,
                    "price_unit": 90.0,
                    "helpdesk_work_id": work.id,
                }
            ],
        )
        self.assertEqual(
            self._run_wizard(partner_ids=[Command.set(self.other_client.ids)]), moves
        )
        self.assertEqual(len(self._invoice_lines(moves)), 1)

    def test_client_fiscal_position_maps_the_taxes(self):
        self.client.property_account_position_id = self.fiscal_pos_a
        invoice = self._cron()
        self.assertEqual(invoice.fiscal_position_id, self.fiscal_pos_a)
        work_lines = self._invoice_lines(invoice, "work")
        self.assertEqual(work_lines.tax_ids, self.tax_sale_b)

    def test_analytic_distribution_models_apply_to_work_lines(self):
        plan = self.env["account.analytic.plan"].create({"name": "Helpdesk"})
        parts, client = self.env["account.analytic.account"].create(
            [
                {"name": "Spare parts", "plan_id": plan.id},
                {"name": "Client", "plan_id": plan.id},
            ]
        )
        self.env["account.analytic.distribution.model"].create(
            [
                {
                    "product_id": self.drum.id,
                    "analytic_distribution": {str(parts.id): 100},
                },
                {
                    "partner_id": self.other_client.id,
                    "analytic_distribution": {str(client.id): 100},
                },
            ]
        )
        lines = self._invoice_lines(self._cron(), "work")
        self.assertEqual(
            {line.product_id: line.analytic_distribution for line in lines},
            {self.drum: {str(parts.id): 100}, self.toner: False},
        )
        # the client's own model, for a client without contract
        work = self._work(self._ticket(partner=self.other_contact), self.toner)
        moves = self._run_wizard(partner_ids=[Command.set(self.other_client.ids)])
        line = self._invoice_lines(moves).filtered(lambda l: l.helpdesk_work_id == work)
        self.assertEqual(line.analytic_distribution, {str(client.id): 100})
        # as on account's invoice lines: the models of the contact's company
        self.assertEqual(
            self.Work._get_analytic_distribution(
                self.toner, self.other_contact, self.env.company, self.fiscal_pos_a
            ),
            {str(client.id): 100},
        )

    def test_accountant_runs_the_wizard(self):
        wizard = self._wizard().with_user(self.accountant)
        action = wizard.action_invoice()
        invoice = self.env["account.move"].search(action["domain"])
        self.assertEqual(
            self._invoice_lines(invoice, "work").helpdesk_work_id,
            self.drum_work | self.toner_work,
        )
        annex = invoice.with_user(self.accountant)._helpdesk_get_annex()
        self.assertEqual(len(annex), 1)
        self.assertEqual(annex[0]["ticket"], self.ticket)
        self.assertEqual(annex[0]["works"], self.drum_work | self.toner_work)

    def test_invoice_pdf_has_the_ticket_annex(self):
        invoice = self._cron()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", invoice.ids)[0]
            .decode()
        )
        self.assertIn("o_helpdesk_billing_annex", html)
        self.assertIn(self.ticket.ticket_ref, html)
        self.assertIn("Replace printer drum", html)
        plain = self.init_invoice("out_invoice", products=self.product_a)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", plain.ids)[0]
            .decode()
        )
        self.assertNotIn("o_helpdesk_billing_annex", html)

    def test_work_is_billed_once_by_the_database(self):
        # skipping the contracts another run holds is tested with two real
        # connections in tests/test_invoicing_concurrency.py
        invoice = self._cron()
        # a second live invoice line for the same work line is refused by the DB
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            invoice.write(
                {
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.drum.id,
                                "price_unit": 1.0,
                                "helpdesk_kind": "work",
                                "helpdesk_work_id": self.drum_work.id,
                            }
                        )
                    ]
                }
            )
            self.env["account.move.line"].flush_model()
