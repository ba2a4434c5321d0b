from odoo.tests import tagged
from odoo.tools import format_date

from .common import JAN_END, JAN_START, HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestInvoicingPerformance(HelpdeskBillingCommon):
    """The invoicing run's queries grow with the contracts, not with the work
    lines and timesheets they bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Engineer", "user_id": cls.env.user.id, "hourly_cost": 25.0}
        )
        cls.contract.active = False

    def _batch(self, contracts, lines):
        """`contracts` contracts, each with a ticket, `lines` work lines and as
        many timesheets, hours beyond the included ones and failed SLA
        targets."""
        clients = self.env["res.partner"].create(
            [{"name": f"Client {i}", "is_company": True} for i in range(contracts)]
        )
        batch = self.Contract.browse()
        for client in clients:
            batch |= self._contract(
                partner=client,
                helpdesk_sla_credit_type="fixed",
                helpdesk_sla_credit_value=1.0,
            )
        tickets = self.Ticket.create(
            [
                {
                    "name": "Ticket",
                    "partner_id": client.id,
                    "team_id": self.team.id,
                    "date_received": "2025-01-10 09:00:00",
                }
                for client in clients
            ]
        )
        products = [self.drum, self.visit, self.toner]
        self.Work.create(
            [
                {
                    "ticket_id": ticket.id,
                    "product_id": products[i % 3].id,
                    "date": "2025-01-15",
                }
                for ticket in tickets
                for i in range(lines)
            ]
        )
        self.env["account.analytic.line"].create(
            [
                {
                    "helpdesk_ticket_id": ticket.id,
                    "employee_id": self.employee.id,
                    "name": "Work",
                    "date": "2025-01-16",
                    "unit_amount": 1.0,
                }
                for ticket in tickets
                for _i in range(lines)
            ]
        )
        self.assertEqual(tickets.contract_id, batch)
        return batch

    def _count(self, contracts):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        contracts._helpdesk_invoice_period(JAN_START, JAN_END, JAN_END)
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        moves = self.env["account.move"].search(
            [("helpdesk_contract_id", "in", contracts.ids)]
        )
        self.assertEqual(len(moves), len(contracts))
        return count, moves

    def test_queries_grow_with_contracts_not_lines(self):
        # warm-up: caches of the first run (xml ids, sequences, taxes...)
        self._count(self._batch(1, 2))
        small, _moves = self._count(self._batch(1, 20))
        large, moves = self._count(self._batch(1, 40))
        self.assertEqual(len(moves.invoice_line_ids.filtered("helpdesk_work_id")), 40)
        many, moves = self._count(self._batch(5, 20))
        self.assertEqual(len(moves.invoice_line_ids.filtered("helpdesk_work_id")), 100)
        # about 126 queries for one contract and its ~18 lines of each kind
        self.assertEqual(large, small, "twice the lines, same queries")
        self.assertLessEqual(small, 135)
        # each further contract costs a bounded number of queries (~16)
        self.assertLessEqual(many - small, 4 * 20)

    def test_one_creation_message_per_contract_invoice(self):
        # account's "Invoice Created" names the contract and the service
        # period: OCA contract's second "created by contract" message is not
        # posted (one message_post per invoice instead of two)
        contract = self._batch(1, 2)
        moves = contract._recurring_create_invoice()
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.helpdesk_contract_id, contract)
        created = moves.message_ids.filtered(lambda m: "Invoice Created" in m.body)
        self.assertEqual(len(created), 1)
        self.assertIn(contract.name, created.body)
        self.assertIn(format_date(self.env, JAN_START), created.body)
        self.assertIn(format_date(self.env, JAN_END), created.body)

    def test_creation_message_without_creation_log(self):
        # when the invoice is created without its creation message, the
        # contract still tells where the invoice comes from, once
        contract = self._batch(1, 2)
        moves = contract.with_context(
            mail_create_nolog=True
        )._recurring_create_invoice()
        created = moves.message_ids.filtered(lambda m: "Invoice Created" in m.body)
        self.assertEqual(len(created), 1)
        self.assertIn(contract.name, created.body)
