import re

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    helpdesk_contract_id = fields.Many2one(
        "contract.contract",
        "Service contract",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The contract whose period this invoice bills.",
    )
    helpdesk_period_start = fields.Date(
        "Service period from", copy=False, readonly=True
    )
    helpdesk_period_end = fields.Date("Service period to", copy=False, readonly=True)
    helpdesk_ticket_count = fields.Integer(
        "Tickets", compute="_compute_helpdesk_ticket_count"
    )
    helpdesk_is_releasable = fields.Boolean(
        "Can bill again",
        compute="_compute_helpdesk_is_releasable",
        help="Fully reversed by a credit note, this invoice still holds helpdesk "
        "work or a contract fee period: Bill again makes them billable again.",
    )

    @api.depends("invoice_line_ids.helpdesk_kind")
    def _compute_helpdesk_ticket_count(self):
        for move in self:
            move.helpdesk_ticket_count = len(move._helpdesk_get_tickets())

    @api.depends(
        "state",
        "payment_state",
        "invoice_line_ids.helpdesk_kind",
        "invoice_line_ids.contract_line_id",
        "invoice_line_ids.helpdesk_is_released",
    )
    def _compute_helpdesk_is_releasable(self):
        for move in self:
            move.helpdesk_is_releasable = (
                move.state == "posted"
                and move.payment_state == "reversed"
                and any(
                    (line.helpdesk_kind or line.contract_line_id)
                    and not line.helpdesk_is_released
                    for line in move.sudo().invoice_line_ids
                )
            )

    def _creation_message(self):
        # one message at the creation of a contract's invoice, not two: the
        # contract and the service period join account's "Invoice Created"
        # (OCA contract's origin message is not posted then, see
        # contract.contract._add_contract_origin)
        message = super()._creation_message()
        if not self.is_invoice(include_receipts=True):
            return message
        contract = self._helpdesk_get_origin_contract()
        if not contract:
            return message
        body = Markup("{created} {by} {link}.").format(
            created=message,
            by=self.env._("by contract"),
            link=contract._get_html_link(title=contract.display_name),
        )
        if self.helpdesk_period_start and self.helpdesk_period_end:
            body += Markup(" ") + self.env._(
                "Service period %(start)s - %(end)s.",
                start=format_date(self.env, self.helpdesk_period_start),
                end=format_date(self.env, self.helpdesk_period_end),
            )
        return body

    def _helpdesk_get_origin_contract(self):
        """The contract that made the invoice: the one whose period it bills,
        else that of its contract lines (sudo record, empty if none)."""
        self.ensure_one()
        move = self.sudo()
        return (
            move.helpdesk_contract_id
            or move.invoice_line_ids.contract_line_id.contract_id[:1]
        )

    def _helpdesk_get_tickets(self):
        """Tickets billed on the invoice: its work lines', those of the hours
        counted and of the SLA failures credited (sudo records)."""
        lines = self.sudo().invoice_line_ids.filtered("helpdesk_kind")
        return (
            lines.helpdesk_ticket_id
            | lines.helpdesk_timesheet_ids.helpdesk_ticket_id
            | lines.helpdesk_sla_line_ids.ticket_id
        )

    def _helpdesk_statement_months(self):
        """First days of the months of the invoice's service period that have
        a statement of work (see contract.contract._helpdesk_get_statement);
        empty for an invoice that bills no contract period."""
        self.ensure_one()
        move = self.sudo()
        contract = move.helpdesk_contract_id
        start, end = move.helpdesk_period_start, move.helpdesk_period_end
        if move.move_type != "out_invoice" or not (contract and start and end):
            return []
        months = []
        month = start.replace(day=1)
        while month <= end:
            if contract._helpdesk_has_statement(month):
                months.append(month)
            month += relativedelta(months=1)
        return months

    def _helpdesk_statement_filename(self):
        """File name of the invoice's statement of work, in the client's
        language."""
        self.ensure_one()
        months = self._helpdesk_statement_months()
        first, last = months[0].strftime("%Y-%m"), months[-1].strftime("%Y-%m")
        period = first if first == last else f"{first}_{last}"
        contract = self.sudo().helpdesk_contract_id
        label = self.with_context(lang=contract.partner_id.lang).env._(
            "Statement of work"
        )
        name = re.sub(r"[^\w\- ]+", "_", f"{label} {contract.name} {period}")
        return f"{name}.pdf"

    def _helpdesk_get_summary_line(self, kind):
        """The invoice's line of `kind` ("hours" or "sla_credit", one of each
        at most); empty without one (or without invoice)."""
        lines = self.invoice_line_ids.filtered(lambda line: line.helpdesk_kind == kind)
        return lines[:1]

    @api.model
    def _helpdesk_get_drafts(self, periods):
        """{contract: its draft invoice of the period} for {contract: (start,
        end)}: the invoice new helpdesk lines of that period go to."""
        if not periods:
            return {}
        contract_ids = [contract.id for contract in periods]
        drafts = self.search(
            [
                ("helpdesk_contract_id", "in", contract_ids),
                ("helpdesk_period_start", "in", [p[0] for p in periods.values()]),
                ("state", "=", "draft"),
                ("move_type", "=", "out_invoice"),
            ],
            order="id",
        )
        result = {}
        for contract, (start, end) in periods.items():
            draft = drafts.filtered(
                lambda m, c=contract, s=start, e=end: (
                    m.helpdesk_contract_id == c
                    and m.helpdesk_period_start == s
                    and m.helpdesk_period_end == e
                )
            )[:1]
            if draft:
                result[contract] = draft
        return result

    def button_draft(self):
        released = self.filtered(
            lambda move: any(move.sudo().line_ids.mapped("helpdesk_is_released"))
        )
        if released:
            raise UserError(
                self.env._(
                    "What %(invoices)s billed was released to be invoiced again: "
                    "they cannot be reset to draft.",
                    invoices=", ".join(released.mapped("display_name")),
                )
            )
        # a cancelled invoice whose helpdesk work was invoiced again since
        # cannot come back: the work would be billed twice
        cancelled = self.filtered(lambda move: move.state == "cancel")
        if cancelled:
            cancelled._helpdesk_check_not_reinvoiced()
            cancelled._helpdesk_claim_fee()
        return super().button_draft()

    def button_cancel(self):
        # what a contract invoice billed becomes billable again: its work,
        # hours and SLA failures (they follow the invoice's state) and the fee
        # period of the contract
        self.filtered(lambda move: move.state != "cancel")._helpdesk_release_fee()
        return super().button_cancel()

    def write(self, vals):
        # account's create ends by resetting is_manually_modified on the new
        # moves, a write that snapshots every line of them before and after to
        # sync taxes and payment terms: a flag none of them depends on, synced
        # a moment before by the create (a tenth of a contract invoice's cost)
        moves = self
        if vals == {"is_manually_modified": False}:
            moves = self.with_context(skip_invoice_sync=True)
        return super(AccountMove, moves).write(vals)

    def unlink(self):
        self.filtered(lambda move: move.state != "cancel")._helpdesk_release_fee()
        return super().unlink()

    def action_helpdesk_release(self):
        """The accountant's choice after a credit note reversed a posted
        invoice in full: its work lines, hours, SLA failures and contract fee
        period become billable again (the next run invoices them anew)."""
        not_reversed = self.filtered(
            lambda move: move.state != "posted" or move.payment_state != "reversed"
        )
        if not_reversed:
            raise UserError(
                self.env._(
                    "Only a posted invoice fully reversed by a credit note can give "
                    "back what it billed; %(invoices)s is not. Cancel a draft "
                    "invoice instead.",
                    invoices=", ".join(not_reversed.mapped("display_name")),
                )
            )
        lines = self.sudo().invoice_line_ids.filtered(
            lambda line: (
                (line.helpdesk_kind or line.contract_line_id)
                and not line.helpdesk_is_released
            )
        )
        if not lines:
            raise UserError(
                self.env._("These invoices bill no helpdesk work or contract fee.")
            )
        self._helpdesk_release_fee()
        lines.write({"helpdesk_is_released": True})
        for move in self:
            move.message_post(
                body=self.env._(
                    "Its helpdesk work, hours, SLA credits and contract fee are "
                    "billable again: the next invoicing run of the period bills "
                    "them."
                )
            )
        return True

    def _helpdesk_release_fee(self):
        """Give the contract fee periods the invoices bill back to their
        contract lines, so that the next run invoices them again. Refused when
        a later period of the contract is invoiced already."""
        invoices = self.filtered(
            lambda move: move.move_type in ("out_invoice", "in_invoice")
        )
        lines = invoices.sudo().invoice_line_ids.filtered(
            lambda line: (
                line.contract_line_id
                and line.display_type == "product"
                and not line.helpdesk_is_released
            )
        )
        if not lines:
            return
        dated = lines.filtered("helpdesk_fee_period_end")
        for line in dated.sorted("helpdesk_fee_period_end", reverse=True):
            start, end = line.helpdesk_fee_period_start, line.helpdesk_fee_period_end
            contract_line = line.contract_line_id
            if not contract_line._helpdesk_release_period(start, end):
                raise UserError(
                    self.env._(
                        "The fee of contract %(contract)s is invoiced beyond "
                        "%(end)s already (up to %(last)s). Cancel or reverse its "
                        "later invoices first, newest first, then %(invoice)s: "
                        "the periods are then invoiced again in order.",
                        contract=contract_line.contract_id.display_name,
                        end=format_date(self.env, end),
                        last=format_date(self.env, contract_line.last_date_invoiced),
                        invoice=line.move_id.display_name,
                    )
                )
            contract_line.contract_id.message_post(
                body=self.env._(
                    "The fee period %(start)s - %(end)s of %(line)s is billable "
                    "again (%(invoice)s cancelled, deleted or reversed): the next "
                    "invoicing run bills it, dated %(date)s.",
                    start=format_date(self.env, start),
                    end=format_date(self.env, end),
                    line=contract_line.name,
                    invoice=line.move_id.display_name,
                    date=format_date(self.env, contract_line.recurring_next_date),
                )
            )
        # as OCA contract does after moving its lines' dates
        dated.contract_line_id.contract_id._compute_recurring_next_date()
        for line in lines - dated:
            # an invoice made before the fee periods were recorded
            line.contract_line_id.contract_id.message_post(
                body=self.env._(
                    "%(invoice)s was cancelled, deleted or reversed, but the fee "
                    "period it billed is unknown: set the Date of next invoice of "
                    "%(line)s by hand if that period must be invoiced again.",
                    invoice=line.move_id.display_name,
                    line=line.contract_line_id.name,
                )
            )

    def _helpdesk_claim_fee(self):
        """A cancelled invoice back to draft bills its contract fee periods
        again: refused when they were invoiced again since (or when an earlier
        period is open)."""
        lines = self.sudo().invoice_line_ids.filtered(
            lambda line: line.contract_line_id and line.helpdesk_fee_period_end
        )
        for line in lines.sorted("helpdesk_fee_period_start"):
            contract_line = line.contract_line_id
            start, end = line.helpdesk_fee_period_start, line.helpdesk_fee_period_end
            if contract_line.next_period_date_start != start:
                raise UserError(
                    self.env._(
                        "%(invoice)s billed the fee of %(contract)s for %(start)s - "
                        "%(end)s, but the contract's next period to invoice starts "
                        "on %(next)s: cancel the invoice that billed this period "
                        "again, or reset the earlier invoices first.",
                        invoice=line.move_id.display_name,
                        contract=contract_line.contract_id.display_name,
                        start=format_date(self.env, start),
                        end=format_date(self.env, end),
                        next=format_date(
                            self.env, contract_line.next_period_date_start
                        ),
                    )
                )
            contract_line.write({"last_date_invoiced": end})
        lines.contract_line_id.contract_id._compute_recurring_next_date()

    def _helpdesk_check_not_reinvoiced(self):
        lines = self.sudo().invoice_line_ids.filtered("helpdesk_kind")
        others = (
            lines.helpdesk_work_id.invoice_line_ids
            | lines.helpdesk_timesheet_ids.helpdesk_invoice_line_ids
            | lines.helpdesk_sla_line_ids.helpdesk_invoice_line_ids
        ).filtered(
            lambda aml: (
                aml.move_id not in self
                and aml.parent_state != "cancel"
                and not aml.helpdesk_is_released
            )
        )
        if others:
            raise UserError(
                self.env._(
                    "The helpdesk work of these invoices has been invoiced again on "
                    "%(invoices)s: cancel those first.",
                    invoices=", ".join(others.move_id.mapped("display_name")),
                )
            )

    def action_view_helpdesk_tickets(self):
        self.ensure_one()
        tickets = self._helpdesk_get_tickets().with_env(self.env)
        tickets = tickets._filtered_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(domain=[("id", "in", tickets.ids)], context={})
        return action

    def _helpdesk_get_annex(self):
        """The per-ticket annex of the invoice PDF: [{ticket, works, hours}],
        hours being those of the timesheets counted on this invoice. Empty when
        the invoice has no helpdesk line. Readable by whoever may read the
        invoice (its client on the portal too)."""
        self.ensure_one()
        self.check_access("read")
        lines = self.sudo().invoice_line_ids.filtered("helpdesk_kind")
        if not lines:
            return []
        tickets = self._helpdesk_get_tickets()
        works = lines.helpdesk_work_id.grouped("ticket_id")
        timesheets = lines.helpdesk_timesheet_ids.grouped("helpdesk_ticket_id")
        failures = lines.helpdesk_sla_line_ids.grouped("ticket_id")
        annex = []
        for ticket in tickets.sorted(lambda t: (t.ticket_ref or "", t.id)):
            ticket_timesheets = timesheets.get(
                ticket, self.env["account.analytic.line"]
            )
            annex.append(
                {
                    "ticket": ticket,
                    "works": works.get(ticket, self.env["helpdesk.ticket.work"]),
                    "hours": sum(ticket_timesheets.mapped("unit_amount")),
                    "sla_failures": failures.get(
                        ticket, self.env["helpdesk.ticket.sla"]
                    ),
                }
            )
        return annex
