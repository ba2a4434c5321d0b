from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import format_date

from .common import JAN_END, HelpdeskBillingCommon

FEB_1 = date(2025, 2, 1)


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestInvoicingBatch(HelpdeskBillingCommon):
    """An invoicing job bills its contracts in one batch: one
    account.move.create, the creation messages logged together. Its invoices
    are those OCA contract's run makes one contract at a time: same lines,
    amounts, taxes, analytic distribution, links to the work lines,
    timesheets and SLA failures, same state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Engineer", "user_id": cls.env.user.id, "hourly_cost": 25.0}
        )
        plan = cls.env["account.analytic.plan"].create({"name": "Service desk"})
        cls.analytic = cls.env["account.analytic.account"].create(
            {"name": "Printers", "plan_id": plan.id}
        )
        cls.env["account.analytic.distribution.model"].create(
            {
                "product_id": cls.drum.id,
                "analytic_distribution": {str(cls.analytic.id): 100},
            }
        )
        Partner = cls.env["res.partner"]
        cls.contract.write(
            {"helpdesk_sla_credit_type": "percent", "helpdesk_sla_credit_value": 5.0}
        )
        cls.contracts = cls.contract
        cls.tickets = {}
        for name in ("Twin", "Triplet"):
            client = Partner.create({"name": f"{name} Test", "is_company": True})
            Partner.create({"name": f"{name} Contact", "parent_id": client.id})
            cls.contracts |= cls._contract(
                partner=client,
                name=f"{name} contract",
                helpdesk_sla_credit_type="percent",
                helpdesk_sla_credit_value=5.0,
            )
        # the same work for each: a drum (contract price 60) twice, a visit
        # at 10 % off, 13 h worked (3 beyond the 10 included), the default
        # policy's targets failed (tickets received in January 2025)
        for contract in cls.contracts:
            ticket = cls._ticket(partner=contract.partner_id.child_ids[:1])
            cls.tickets[contract] = ticket
            cls._work(ticket, cls.drum, quantity=2.0)
            cls._work(ticket, cls.visit, discount=10.0)
            cls.env["account.analytic.line"].create(
                [
                    {
                        "helpdesk_ticket_id": ticket.id,
                        "employee_id": cls.employee.id,
                        "name": "Work",
                        "date": day,
                        "unit_amount": hours,
                    }
                    for day, hours in (
                        (date(2025, 1, 15), 6.0),
                        (date(2025, 1, 16), 7.0),
                    )
                ]
            )

    def _live(self, contracts):
        """The contracts in a context that creates the messages a real run
        creates (the test classes mute mail: DISABLED_MAIL_CONTEXT)."""
        return contracts.with_context(
            tracking_disable=False,
            mail_create_nolog=False,
            mail_create_nosubscribe=False,
            mail_notrack=False,
        )

    def _shape(self, move):
        """What the invoice bills, without what names its client: its values,
        and those of each line (ticket numbers in line labels replaced)."""
        ref = self.tickets[move.helpdesk_contract_id].ticket_ref
        line_fields = [
            "display_type",
            "sequence",
            "product_id",
            "quantity",
            "price_unit",
            "discount",
            "price_subtotal",
            "price_total",
            "balance",
            "amount_currency",
            "tax_ids",
            "tax_tag_ids",
            "tax_line_id",
            "account_id",
            "analytic_distribution",
            "helpdesk_kind",
            "helpdesk_hours",
            "helpdesk_fee_period_start",
            "helpdesk_fee_period_end",
            "date_maturity",
        ]
        lines = [
            [line[f] for f in line_fields]
            + [
                (line.name or "").replace(ref, "REF"),
                bool(line.contract_line_id),
                bool(line.helpdesk_work_id),
                len(line.helpdesk_timesheet_ids),
                len(line.helpdesk_sla_line_ids),
            ]
            for line in move.line_ids
        ]
        move_fields = [
            "state",
            "move_type",
            "invoice_date",
            "invoice_date_due",
            "currency_id",
            "journal_id",
            "fiscal_position_id",
            "invoice_payment_term_id",
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "helpdesk_period_start",
            "helpdesk_period_end",
        ]
        return [move[f] for f in move_fields], sorted(lines, key=repr)

    def _check_links(self, contract, move):
        """The invoice's lines bill the contract's work, hours and failures."""
        ticket = self.tickets[contract]
        works = ticket.work_ids
        self.assertEqual(len(works), 2)
        self.assertEqual(works.invoice_line_id.move_id, move)
        self.assertEqual(works.invoice_line_id, self._invoice_lines(move, "work"))
        hours = self._invoice_lines(move, "hours")
        self.assertEqual(ticket.timesheet_ids.helpdesk_invoice_line_id, hours)
        self.assertEqual(hours.helpdesk_timesheet_ids, ticket.timesheet_ids)
        credit = self._invoice_lines(move, "sla_credit")
        self.assertEqual(credit.helpdesk_sla_line_ids, ticket.sla_line_ids)
        self.assertEqual(ticket.sla_line_ids.helpdesk_invoice_line_id, credit)

    def test_batch_makes_the_invoices_of_one_by_one(self):
        first, batch = self.contracts[0], self.contracts[1:]
        Move = self.env["account.move"]
        with freeze_time(FEB_1):
            # OCA contract's run for one contract, account's own creation
            # message posted with the invoice
            before = Move.create(first._prepare_recurring_invoices_values(FEB_1))
            first._compute_recurring_next_date()
            batch._helpdesk_job_invoice(FEB_1)
        moves = Move.search([("helpdesk_contract_id", "in", batch.ids)])
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.helpdesk_contract_id, batch)
        # the exact invoice: fee 500, drums 2 x 60, visit 50 - 10 %, 3 h x 40,
        # 5 % of the fee per failed target; tax_sale_a (15 %) on every line
        targets = self.tickets[first].sla_line_ids
        self.assertTrue(targets)
        self.assertEqual(set(targets.mapped("status")), {"failed"})
        credit = 25.0 * len(targets)
        untaxed = 500.0 + 120.0 + 45.0 + 120.0 - credit
        self.assertRecordValues(
            before,
            [
                {
                    "state": "draft",
                    "invoice_date": FEB_1,
                    "amount_untaxed": untaxed,
                    "amount_tax": untaxed * 0.15,
                    "amount_total": untaxed * 1.15,
                }
            ],
        )
        self.assertEqual(
            self._invoice_lines(before, "work")
            .filtered(lambda line: line.product_id == self.drum)
            .analytic_distribution,
            {str(self.analytic.id): 100},
            "the drum's line: the distribution model's analytic account",
        )
        self._check_links(first, before)
        for move in moves:
            contract = move.helpdesk_contract_id
            self.assertEqual(self._shape(move), self._shape(before), contract.name)
            self._check_links(contract, move)
            self.assertEqual(contract.recurring_next_date, date(2025, 3, 1))
        self.assertEqual(first.recurring_next_date, date(2025, 3, 1))

    def test_one_creation_message_per_invoice_of_the_batch(self):
        with freeze_time(FEB_1):
            self._live(self.contracts)._helpdesk_job_invoice(FEB_1)
        moves = self.env["account.move"].search(
            [("helpdesk_contract_id", "in", self.contracts.ids)]
        )
        self.assertEqual(len(moves), 3)
        for move in moves:
            contract = move.helpdesk_contract_id
            messages = move.message_ids.filtered(
                lambda m: "Invoice Created" in (m.body or "")
            )
            self.assertEqual(len(messages), 1, "one creation message, no second one")
            self.assertIn(contract.name, messages.body)
            self.assertIn("contract.contract", messages.body)
            self.assertIn(format_date(self.env, JAN_END), messages.body)
            self.assertEqual(messages.author_id, self.env.user.partner_id)
            self.assertEqual(messages.model, "account.move")
            self.assertEqual(messages.res_id, move.id)

    def test_creation_messages_logged_in_one_batch(self):
        # the job's invoices get their creation message without a
        # message_post each (its recipients, notifications and alias look-ups)
        Move = type(self.env["account.move"])
        message_post = Move.message_post
        posted = []

        def counting(moves, *args, **kwargs):
            posted.append(moves.ids)
            return message_post(moves, *args, **kwargs)

        self.patch(Move, "message_post", counting)
        with freeze_time(FEB_1):
            self._live(self.contracts)._helpdesk_job_invoice(FEB_1)
        moves = self.env["account.move"].search(
            [("helpdesk_contract_id", "in", self.contracts.ids)]
        )
        self.assertEqual(len(moves), 3)
        self.assertEqual(posted, [])
        for move in moves:
            self.assertEqual(len(move.message_ids), 1, "one creation message each")

    def _fresh(self, count):
        """`count` contracts of new clients, each with a ticket and a work line
        to bill."""
        Partner = self.env["res.partner"]
        contracts = self.Contract.browse()
        for i in range(count):
            client = Partner.create({"name": f"Client {i}", "is_company": True})
            contact = Partner.create({"name": f"Contact {i}", "parent_id": client.id})
            contracts |= self._contract(partner=client, name=f"Contract {i}")
            self._work(self._ticket(partner=contact), self.drum)
        return contracts

    def _job_queries(self, contracts):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(FEB_1):
            self._live(contracts)._helpdesk_job_invoice(FEB_1)
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        moves = self.env["account.move"].search(
            [("helpdesk_contract_id", "in", contracts.ids)]
        )
        self.assertEqual(len(moves), len(contracts))
        return count

    def test_queries_per_contract_of_a_job(self):
        # each further contract of a job costs a few queries: its invoice is
        # created with the others', its creation message logged with theirs
        # (no message_post per invoice)
        self._job_queries(self._fresh(1))  # warm-up: caches of the first run
        few = self._job_queries(self._fresh(2))
        many = self._job_queries(self._fresh(6))
        # about 4 queries per further contract (11 with one message_post each)
        self.assertLessEqual(many - few, 4 * 7)

    def test_queries_per_invoice_of_a_job(self):
        # a job of 8 contracts, each invoice with its fee, a section and a
        # work line: a bounded number of queries per invoice, the job's own
        # included (locks, period look-ups, creation messages): 18.4
        self._job_queries(self._fresh(1))  # warm-up: caches of the first run
        count = self._job_queries(self._fresh(8))
        self.assertLessEqual(count / 8, 20)

    def _without_amounts(self, invoices_values):
        """The invoices' values without the amounts given to their lines up
        front: account computes them after the create, its own way."""
        for vals in invoices_values:
            for command in vals["invoice_line_ids"]:
                for fname in ("amount_currency", "balance", "tax_tag_ids"):
                    command[2].pop(fname, None)
        return invoices_values

    def test_line_amounts_given_up_front_are_accounts_own(self):
        # the job gives the invoice lines the amounts and tax tags account's
        # tax sync computes for them: the sync finds nothing to write (it
        # wrote each line after the create before), the invoices are those
        # account makes without them
        country = self.env.company.account_fiscal_country_id
        tag = self.env["account.account.tag"].create(
            {"name": "Base", "applicability": "taxes", "country_id": country.id}
        )
        self.tax_sale_a.invoice_repartition_line_ids.filtered(
            lambda rep: rep.repartition_type == "base"
        ).tag_ids = tag
        first, batch = self.contracts[0], self.contracts[1:]
        Move = self.env["account.move"]
        Line = type(self.env["account.move.line"])
        write = Line.write
        written = []

        def recording(lines, vals):
            amounts = {"amount_currency", "balance", "tax_tag_ids"} & set(vals)
            products = lines.filtered(lambda line: line.display_type == "product")
            if amounts and products:
                written.append((products.ids, vals))
            return write(lines, vals)

        with freeze_time(FEB_1):
            values = first._prepare_recurring_invoices_values(FEB_1)
            self.assertTrue(
                all(
                    "balance" in command[2]
                    for command in values[0]["invoice_line_ids"]
                    if command[2].get("display_type") == "product"
                )
            )
            before = Move.create(self._without_amounts(values))
            first._compute_recurring_next_date()
            self.patch(Line, "write", recording)
            batch._helpdesk_job_invoice(FEB_1)
        self.assertEqual(written, [])
        products = before.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        self.assertEqual(products.tax_tag_ids, tag)
        moves = Move.search([("helpdesk_contract_id", "in", batch.ids)])
        self.assertEqual(len(moves), 2)
        for move in moves:
            self.assertEqual(self._shape(move), self._shape(before))
            self._check_links(move.helpdesk_contract_id, move)

    def test_lines_synced_once_at_the_create(self):
        # account's create ends by resetting the invoices' "manually
        # modified" flag: that write does not sync their taxes and payment
        # terms a second time
        Move = type(self.env["account.move"])
        sync = Move._sync_tax_lines
        synced = []

        def counting(moves, container):
            synced.append(container)
            return sync(moves, container)

        self.patch(Move, "_sync_tax_lines", counting)
        with freeze_time(FEB_1):
            self.contracts._helpdesk_job_invoice(FEB_1)
        moves = self.env["account.move"].search(
            [("helpdesk_contract_id", "in", self.contracts.ids)]
        )
        self.assertEqual(len(moves), 3)
        self.assertEqual(len(synced), 1)
        self.assertEqual(synced[0]["records"], moves)
        self.assertFalse(any(moves.mapped("is_manually_modified")))
