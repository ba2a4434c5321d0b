from odoo import api, fields, models
from odoo.exceptions import UserError


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

    @api.depends("invoice_line_ids.helpdesk_kind")
    def _compute_helpdesk_ticket_count(self):
        for move in self:
            move.helpdesk_ticket_count = len(move._helpdesk_get_tickets())

    def _helpdesk_get_tickets(self):
        """Tickets billed on the invoice: its work lines', those of the hours
        counted and of the SLA failures credited (sudo records)."""
        lines = self.sudo().invoice_line_ids.filtered("helpdesk_kind")
        return (
            lines.helpdesk_ticket_id
            | lines.helpdesk_timesheet_ids.helpdesk_ticket_id
            | lines.helpdesk_sla_line_ids.ticket_id
        )

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
        # a cancelled invoice whose helpdesk work was invoiced again since
        # cannot come back: the work would be billed twice
        cancelled = self.filtered(lambda move: move.state == "cancel")
        if cancelled:
            cancelled._helpdesk_check_not_reinvoiced()
        return super().button_draft()

    def _helpdesk_check_not_reinvoiced(self):
        lines = self.sudo().invoice_line_ids.filtered("helpdesk_kind")
        others = (
            lines.helpdesk_work_id.invoice_line_ids
            | lines.helpdesk_timesheet_ids.helpdesk_invoice_line_ids
            | lines.helpdesk_sla_line_ids.helpdesk_invoice_line_ids
        ).filtered(lambda aml: aml.move_id not in self and aml.parent_state != "cancel")
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
