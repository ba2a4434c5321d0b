# the invoicing concern of contract.contract in a file of its own (STYLE 1:
# a model's file stays readable; contract_contract.py has the service terms
# and the ticket matching, contract_contract_job.py the invoicing jobs)
# pylint: disable=consider-merging-classes-inherited
from datetime import datetime, time, timedelta

import psycopg2.errors

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date


class ContractContract(models.Model):
    """Invoicing of the helpdesk work with the contract's fee: the row lock of
    a run, the period an invoice bills, its work lines, the hours beyond the
    included ones and the SLA credit (OCA contract's invoice hooks)."""

    _inherit = "contract.contract"

    def _helpdesk_lock(self, nowait=False):
        """Lock the contracts' rows for this transaction (one invoicing run at a
        time per contract). With `nowait`, a contract another run holds raises a
        UserError; otherwise it is skipped. Returns the locked contracts."""
        if not self:
            return self
        query = SQL(
            "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR NO KEY UPDATE %s",
            SQL.identifier(self._table),
            tuple(self.ids),
            SQL("NOWAIT") if nowait else SQL("SKIP LOCKED"),
        )
        if nowait:
            try:
                with self.env.cr.savepoint(flush=False):
                    rows = self.env.execute_query(query)
            except psycopg2.errors.LockNotAvailable:
                raise UserError(
                    self.env._(
                        "Another invoicing run is working on these contracts right "
                        "now. Try again in a minute."
                    )
                ) from None
        else:
            rows = self.env.execute_query(query)
        locked = {row[0] for row in rows}
        return self.filtered(lambda contract: contract.id in locked)

    def recurring_create_invoice(self):
        # the contract form's button: tell the user when another run holds it
        self._helpdesk_lock(nowait=True)
        return super().recurring_create_invoice()

    def _recurring_create_invoice(self, date_ref=False):
        # the OCA cron, jobs and buttons: skip the contracts another run is
        # invoicing; the invoices' creation messages are logged in one batch
        # (_add_contract_origin) instead of one message_post per invoice
        contracts = self._helpdesk_lock().with_context(mail_create_nolog=True)
        moves = super(ContractContract, contracts)._recurring_create_invoice(
            date_ref=date_ref
        )
        return moves.with_env(self.env)

    @api.model
    def _add_contract_origin(self, invoices):
        # one creation message per invoice, account's "Invoice Created" naming
        # the contract and the period (account.move._creation_message), logged
        # for the whole batch; OCA contract's second "by contract" message is
        # not posted. Without mail_create_nolog, account posted it already.
        context = self.env.context
        if not (context.get("mail_create_nolog") or context.get("tracking_disable")):
            return
        moves = invoices.filtered(
            lambda move: move._helpdesk_get_origin_contract() in self
        )
        moves._message_log_batch(
            bodies={move.id: move._creation_message() for move in moves}
        )

    def _helpdesk_get_period(self, date_ref):
        """(start, end) of the helpdesk work an invoice of the contract dated
        `date_ref` bills: the period given in the context (wizard), else the
        fee's period for post-paid contracts and the previous one for pre-paid
        contracts (their fee is invoiced before the work is done). None when
        there is no such period."""
        self.ensure_one()
        if self.env.context.get("helpdesk_period"):
            return self.env.context["helpdesk_period"]
        if self.contract_type != "sale":
            return None
        # the product lines _get_lines_to_invoice would give, without its
        # sorting query (contract_line_ids come in the lines' order already)
        lines = self.contract_line_ids.filtered(
            lambda line: not line.display_type and line._can_be_invoiced(date_ref)
        )
        starts = [d for d in lines.mapped("next_period_date_start") if d]
        ends = [d for d in lines.mapped("next_period_date_end") if d]
        if not starts or not ends:
            return None
        start, end = min(starts), max(ends)
        line = lines[:1]
        if line.recurring_invoicing_type != "post-paid":
            delta = self.get_relative_delta(
                line.recurring_rule_type, line.recurring_interval
            )
            start, end = start - delta, start - timedelta(days=1)
            contract_start = min(lines.mapped("date_start"))
            if end < contract_start:
                return None
            start = max(start, contract_start)
        return start, end

    def _prepare_invoice(self, date_invoice, journal=None):
        vals = super()._prepare_invoice(date_invoice, journal=journal)
        period = self._helpdesk_get_period(date_invoice)
        if period:
            vals.update(
                helpdesk_contract_id=self.id,
                helpdesk_period_start=period[0],
                helpdesk_period_end=period[1],
            )
        return vals

    def _prepare_recurring_invoices_values(self, date_ref=False):
        """OCA contract's cron and buttons: the invoice of each contract's fee also
        gets the helpdesk lines of its period. When a draft invoice of the
        contract and period exists (made by the helpdesk invoicing wizard), the
        fee goes into it rather than into a new invoice."""
        next_dates = {contract.id: contract.recurring_next_date for contract in self}
        invoices_values = super()._prepare_recurring_invoices_values(date_ref=date_ref)
        for vals in invoices_values:
            # a late run (the cron after a cancelled or deleted invoice, or after
            # a pause) dates the period's invoice as the contract says, as the
            # contract's button and the helpdesk wizard do
            next_date = next_dates.get(vals.get("helpdesk_contract_id"))
            if (
                next_date
                and vals.get("invoice_date")
                and next_date < vals["invoice_date"]
            ):
                vals["invoice_date"] = next_date
        periods = {
            vals["helpdesk_contract_id"]: (
                vals["helpdesk_period_start"],
                vals["helpdesk_period_end"],
            )
            for vals in invoices_values
            if vals.get("helpdesk_contract_id")
        }
        if not periods:
            return invoices_values
        contracts = self.browse(list(periods))
        periods = {contract: periods[contract.id] for contract in contracts}
        drafts = self.env["account.move"]._helpdesk_get_drafts(periods)
        commands = contracts._helpdesk_prepare_invoice_lines(periods, drafts)
        result = []
        for vals in invoices_values:
            contract = self.browse(vals.get("helpdesk_contract_id"))
            if contract:
                vals["invoice_line_ids"] += commands.get(contract, [])
                draft = drafts.get(contract)
                if draft:
                    draft.write({"invoice_line_ids": vals["invoice_line_ids"]})
                    continue
            result.append(vals)
        self._helpdesk_add_line_amounts(result)
        return result

    @api.model
    def _helpdesk_add_line_amounts(self, invoices_values):
        """Give the product lines of new customer invoices in the company's
        currency the amounts account's tax sync sets on them after the create
        (amount_currency, balance, tax tags), from account.tax's base line
        helpers on the taxes account will choose (the product's, mapped by the
        fiscal position). Account still computes the taxes and corrects any
        amount that differs; given, they spare the two or three writes per line
        that set them otherwise (a quarter of the invoice's cost). Invoices
        with a line without taxes, with a price-included tax or without a
        price keep account's way."""
        AccountTax = self.env["account.tax"]
        # the products of all the invoices, read together
        products = self.env["product.product"].browse(
            {
                command[2]["product_id"]
                for vals in invoices_values
                for command in vals.get("invoice_line_ids", [])
                if command[0] == Command.CREATE and command[2].get("product_id")
            }
        )
        products = {product.id: product for product in products}
        for vals in invoices_values:
            company = self.env["res.company"].browse(vals.get("company_id"))
            currency = self.env["res.currency"].browse(vals.get("currency_id"))
            if (
                vals.get("move_type") != "out_invoice"
                or not currency
                or currency != company.currency_id
            ):
                continue
            lines = [
                command[2]
                for command in vals.get("invoice_line_ids", [])
                if command[0] == Command.CREATE
                and command[2].get("display_type", "product") == "product"
            ]
            base_lines = self._helpdesk_prepare_base_lines(
                vals, company, lines, products
            )
            if not base_lines:
                continue
            AccountTax._add_tax_details_in_base_lines(base_lines, company)
            AccountTax._round_base_lines_tax_details(base_lines, company)
            AccountTax._add_accounting_data_in_base_lines_tax_details(
                base_lines, company
            )
            results = AccountTax._prepare_tax_lines(base_lines, company)
            for line, (base_line, amounts) in zip(
                lines, results["base_lines_to_update"], strict=True
            ):
                if not base_line["tax_tag_ids"]:
                    # a new line has none: not reading them back after the
                    # create saves a query per invoice
                    del amounts["tax_tag_ids"]
                line.update(amounts)

    @api.model
    def _helpdesk_prepare_base_lines(self, vals, company, lines, products):
        """account.tax base lines of the invoice's product `lines` (dicts of
        values), as account.move makes them from its lines; None when a line
        has no product, price or quantity, no taxes or a price-included tax.
        `products`: {id: product} of the lines."""
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        Position = self.env["account.fiscal.position"].with_company(company)
        position = Position.browse(vals.get("fiscal_position_id"))
        if not vals.get("fiscal_position_id"):
            position = Position._get_fiscal_position(partner)
        company_domain = self.env["account.tax"]._check_company_domain(company)
        base_lines = []
        for line in lines:
            if not (line.get("product_id") and {"price_unit", "quantity"} <= set(line)):
                return None
            product = products[line["product_id"]]
            taxes = product.taxes_id.filtered_domain(company_domain)
            taxes = position.map_tax(taxes._filter_taxes_by_company(company))
            if not taxes or any(taxes.mapped("price_include")):
                return None
            base_lines.append(
                self.env["account.tax"]._prepare_base_line_for_taxes_computation(
                    None,
                    product_id=product,
                    tax_ids=taxes,
                    price_unit=line["price_unit"],
                    quantity=line["quantity"],
                    discount=line.get("discount") or 0.0,
                    currency_id=company.currency_id,
                    partner_id=partner.commercial_partner_id,
                    rate=1.0,
                    sign=-1,
                    special_mode=False,
                )
            )
        return base_lines

    def _helpdesk_invoice_period(self, date_start, date_end, date_invoice):
        """Invoice the contracts' helpdesk work of the period (start, end): one
        draft invoice per contract and period. A contract whose fee for an
        overlapping period is due gets it on the same invoice (OCA contract);
        the others get their helpdesk lines on the draft invoice of the period,
        created when needed. Returns the invoices created or completed (but
        the drafts OCA contract's run completed with a fee)."""
        period = (date_start, date_end)
        Move = self.env["account.move"]
        contracts = self._helpdesk_lock().with_context(helpdesk_period=period)
        due = contracts.filtered(lambda c: c._helpdesk_fee_due_in(date_start, date_end))
        moves = due._recurring_create_invoice() if due else Move
        others = contracts - due
        periods = dict.fromkeys(others, period)
        drafts = Move._helpdesk_get_drafts(periods)
        commands = others._helpdesk_prepare_invoice_lines(periods, drafts)
        to_create = []
        for contract in others:
            lines = commands.get(contract)
            if not lines:
                continue
            draft = drafts.get(contract)
            if draft:
                draft.write({"invoice_line_ids": lines})
                moves |= draft
            else:
                vals = contract._prepare_invoice(date_invoice)
                vals["invoice_line_ids"] = lines
                to_create.append(vals)
        if to_create:
            self._helpdesk_add_line_amounts(to_create)
            moves |= Move.create(to_create)
        return moves

    def _helpdesk_get_fiscal_position(self):
        """The fiscal position of the contract's invoices (account's choice when
        the contract has none)."""
        self.ensure_one()
        return self.fiscal_position_id or self.env[
            "account.fiscal.position"
        ].with_company(self.company_id)._get_fiscal_position(self.invoice_partner_id)

    def _helpdesk_fee_due_in(self, date_start, date_end):
        """Whether the contract's next fee period is due and overlaps the
        period."""
        self.ensure_one()
        if not self.recurring_next_date:
            return False
        if self.date_end and self.recurring_next_date > self.date_end:
            return False
        lines = self._get_lines_to_invoice(self.recurring_next_date).filtered(
            lambda line: not line.display_type
        )
        return any(
            line.next_period_date_start
            and line.next_period_date_start <= date_end
            and (
                not line.next_period_date_end or line.next_period_date_end >= date_start
            )
            for line in lines
        )

    def _helpdesk_get_fee(self):
        """The contract's fee for one period (its recurring lines)."""
        self.ensure_one()
        lines = self.contract_line_ids.filtered(
            lambda line: not line.display_type and not line.is_canceled
        )
        return sum(lines.mapped("price_subtotal"))

    def _helpdesk_prepare_invoice_lines(self, periods, drafts):
        """{contract: [Command]} adding to each contract's invoice the helpdesk
        work of its period not invoiced yet: billable work lines (approved when
        the contract says so) up to the period end, the hours beyond the
        included ones, the SLA credit. `periods`: {contract: (start, end)};
        `drafts`: {contract: draft invoice receiving the lines}. The number of
        queries depends on the number of distinct periods, not on the lines."""
        contracts = self.filtered(lambda c: c.contract_type == "sale")
        if not contracts:
            return {}
        Work = self.env["helpdesk.ticket.work"]
        works = Work._helpdesk_get_to_invoice(contracts, periods)
        hours = contracts._helpdesk_get_hours(periods)
        failures = contracts._helpdesk_get_sla_failures(periods)
        billed = contracts._helpdesk_get_billed(periods, hours, failures)
        result = {}
        for contract in contracts:
            start, end = periods[contract]
            draft = drafts.get(contract, self.env["account.move"])
            currency = draft.currency_id or contract.currency_id
            partner = contract.invoice_partner_id.commercial_partner_id
            commands = works.get(contract, Work)._prepare_invoice_line_commands(
                currency,
                start,
                partner,
                draft.fiscal_position_id or contract._helpdesk_get_fiscal_position(),
            )
            billed_hours, billed_credit = billed.get(contract, (0.0, 0.0))
            extra = (
                contract._helpdesk_prepare_hours_line(
                    start, end, hours.get(contract), billed_hours, draft
                ),
                contract._helpdesk_prepare_credit_line(
                    failures.get(contract), billed_credit, draft
                ),
            )
            commands += [command for command in extra if command]
            if not commands:
                continue
            if not draft.invoice_line_ids.filtered("helpdesk_kind"):
                commands.insert(
                    0,
                    Command.create(
                        self._helpdesk_prepare_section_vals(
                            start, end, contract.partner_id.lang
                        )
                    ),
                )
            result[contract] = commands
        return result

    def _helpdesk_get_billed(self, periods, hours, failures):
        """{contract: (hours beyond the included ones, SLA credit)} already on
        live invoices for each contract's period; only for the contracts with
        new hours or failures."""
        todo = self.filtered(lambda c: hours.get(c) or failures.get(c))
        by_period = todo.grouped(lambda contract: periods[contract])
        result = {}
        for (start, end), period_contracts in by_period.items():
            lines = self.env["account.move.line"].search(
                [
                    ("helpdesk_kind", "in", ("hours", "sla_credit")),
                    ("move_id.helpdesk_contract_id", "in", period_contracts.ids),
                    ("move_id.helpdesk_period_start", "=", start),
                    ("move_id.helpdesk_period_end", "=", end),
                    ("parent_state", "!=", "cancel"),
                    ("helpdesk_is_released", "=", False),
                ]
            )
            for line in lines:
                contract = line.move_id.helpdesk_contract_id
                billed_hours, billed_credit = result.get(contract, (0.0, 0.0))
                if line.helpdesk_kind == "hours":
                    billed_hours += line.quantity
                else:
                    billed_credit -= line.price_unit * line.quantity
                result[contract] = (billed_hours, billed_credit)
        return result

    @api.model
    def _helpdesk_prepare_section_vals(self, start, end, lang=None):
        return {
            "display_type": "line_section",
            "sequence": 1000,
            "name": self.env._(
                "Service desk %(start)s - %(end)s",
                start=format_date(self.env, start, lang_code=lang),
                end=format_date(self.env, end, lang_code=lang),
            ),
        }

    # ------------------------------------------------------------ labour hours
    def _helpdesk_get_hours(self, periods):
        """{contract: (hours worked, new timesheets)}: the hours of all the
        timesheets on the contracts' tickets dated in each contract's period,
        and those of them no live invoice line counts yet. Only contracts that
        bill hours and have new timesheets."""
        contracts = self.filtered(
            lambda c: c.helpdesk_included_hours or c.helpdesk_overage_rate
        )
        by_period = contracts.grouped(lambda contract: periods[contract])
        Line = self.env["account.analytic.line"].sudo()
        result = {}
        for (start, end), period_contracts in by_period.items():
            lines = Line.search_fetch(
                [
                    ("helpdesk_ticket_id.contract_id", "in", period_contracts.ids),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                ["unit_amount", "helpdesk_ticket_id", "helpdesk_invoice_line_id"],
            )
            # the tickets' contract only, not their wide rows
            lines.helpdesk_ticket_id.fetch(["contract_id"])
            by_contract = lines.grouped(
                lambda line: line.helpdesk_ticket_id.contract_id
            )
            for contract, contract_lines in by_contract.items():
                new = contract_lines.filtered(
                    lambda line: not line.helpdesk_invoice_line_id
                )
                if new:
                    worked = sum(contract_lines.mapped("unit_amount"))
                    result[contract.with_env(self.env)] = (worked, new)
        return result

    def _helpdesk_prepare_hours_line(self, start, end, hours, billed, draft):
        """Command for the line counting the new timesheets of the period:
        quantity = the hours worked beyond the included ones not invoiced yet
        (`billed`), at the contract's rate; 0 within the included hours. On a
        draft that has this line already, the line grows."""
        self.ensure_one()
        if not hours:
            return None
        worked, new = hours
        new_hours = sum(new.mapped("unit_amount"))
        included = self.helpdesk_included_hours
        beyond = max(0.0, worked - included)
        quantity = max(0.0, beyond - billed)
        lang = self.partner_id.lang
        name = self.env._(
            "Labour %(start)s - %(end)s: %(worked).2f h worked, %(included).2f h "
            "included, %(beyond).2f h beyond",
            start=format_date(self.env, start, lang_code=lang),
            end=format_date(self.env, end, lang_code=lang),
            worked=worked,
            included=included,
            beyond=beyond,
        )
        existing = draft._helpdesk_get_summary_line("hours")
        if billed - existing.quantity > 0:
            name += self.env._(
                " (%(billed).2f h invoiced before)", billed=billed - existing.quantity
            )
        return self._helpdesk_prepare_summary_line(
            existing,
            "hours",
            {
                "name": name,
                "quantity": existing.quantity + quantity,
                "helpdesk_hours": existing.helpdesk_hours + new_hours,
                "helpdesk_timesheet_ids": [Command.link(i) for i in new.ids],
            },
            {
                "sequence": 3000,
                "name": name,
                "quantity": quantity,
                "price_unit": self.helpdesk_overage_rate,
                "helpdesk_hours": new_hours,
                "helpdesk_timesheet_ids": [Command.set(new.ids)],
            },
        )

    def _helpdesk_prepare_summary_line(self, existing, kind, update, vals):
        """Command for the contract's invoice line of `kind` ("hours" or
        "sla_credit", one of each per invoice): `update` for the draft's line
        of that kind (`existing`), else a new line of the contract's product
        for that kind with `vals`."""
        self.ensure_one()
        if existing:
            return Command.update(existing.id, update)
        product = self._helpdesk_get_summary_product(kind)
        return Command.create(
            dict(
                vals,
                display_type="product",
                product_id=product.id,
                product_uom_id=product.uom_id.id,
                helpdesk_kind=kind,
            )
        )

    def _helpdesk_get_summary_product(self, kind):
        """The contract's product of its invoice line of `kind` (its taxes and
        income account); a UserError when the contract has none."""
        self.ensure_one()
        if kind == "hours":
            product = self.helpdesk_overage_product_id
            if not product:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s bills hours beyond the included "
                        "ones: set its product for extra hours.",
                        contract=self.display_name,
                    )
                )
            return product
        product = self.helpdesk_sla_credit_product_id
        if not product:
            raise UserError(
                self.env._(
                    "Contract %(contract)s compensates SLA breaches: set its "
                    "product for SLA credits.",
                    contract=self.display_name,
                )
            )
        return product

    # ------------------------------------------------------------ SLA credits
    def _helpdesk_get_sla_failures(self, periods):
        """{contract: failed SLA targets not credited yet} of the contracts'
        tickets whose deadline falls in each contract's period."""
        contracts = self.filtered(
            lambda c: (
                c.helpdesk_sla_credit_type != "none" and c.helpdesk_sla_credit_value
            )
        )
        by_period = contracts.grouped(lambda contract: periods[contract])
        Target = self.env["helpdesk.ticket.sla"].sudo()
        result = {}
        for (start, end), period_contracts in by_period.items():
            targets = Target.search(
                [
                    ("ticket_id.contract_id", "in", period_contracts.ids),
                    ("status", "=", "failed"),
                    ("deadline", ">=", datetime.combine(start, time.min)),
                    (
                        "deadline",
                        "<",
                        datetime.combine(end + timedelta(days=1), time.min),
                    ),
                    ("helpdesk_invoice_line_id", "=", False),
                ],
                order="deadline, id",
            )
            # what the grouping and the credit line read of the tickets only
            targets.ticket_id.fetch(["contract_id", "ticket_ref"])
            for contract, contract_targets in targets.grouped(
                lambda t: t.ticket_id.contract_id
            ).items():
                result[contract.with_env(self.env)] = contract_targets
        return result

    def _helpdesk_get_sla_credit(self, targets, billed):
        """Credit (a positive amount) for the failed targets: a share of the
        fee or a fixed amount per target; with what the period got already
        (`billed`), at most the period's fee."""
        self.ensure_one()
        value = self.helpdesk_sla_credit_value
        fee = self._helpdesk_get_fee()
        if self.helpdesk_sla_credit_type == "percent":
            amount = fee * value / 100 * len(targets)
        elif self.helpdesk_sla_credit_type == "fixed":
            amount = value * len(targets)
        else:
            return 0.0
        if fee > 0:
            amount = min(amount, max(0.0, fee - billed))
        return self.currency_id.round(amount)

    def _helpdesk_prepare_credit_line(self, targets, billed, draft):
        """Command for the negative line compensating the new failed targets;
        on a draft that has this line already, the line grows."""
        self.ensure_one()
        if not targets:
            return None
        amount = self._helpdesk_get_sla_credit(targets, billed)
        existing = draft._helpdesk_get_summary_line("sla_credit")
        all_targets = existing.helpdesk_sla_line_ids | targets
        # the targets' labels (Target._target_label), translated once
        labels = dict(targets._fields["target"]._description_selection(self.env))
        name = self.env._(
            "SLA compensation, %(count)s failed targets: %(targets)s",
            count=len(all_targets),
            targets=", ".join(
                f"{t.ticket_id.ticket_ref} {labels[t.target]}" for t in all_targets
            ),
        )
        return self._helpdesk_prepare_summary_line(
            existing,
            "sla_credit",
            {
                "name": name,
                "price_unit": existing.price_unit - amount,
                "helpdesk_sla_line_ids": [Command.link(i) for i in targets.ids],
            },
            {
                "sequence": 4000,
                "name": name,
                "quantity": 1.0,
                "price_unit": -amount,
                "helpdesk_sla_line_ids": [Command.set(targets.ids)],
            },
        )
