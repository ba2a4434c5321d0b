# the monthly statement of work of contract.contract in a file of its own
# (STYLE 1: one concern per _inherit file)
# pylint: disable=consider-merging-classes-inherited
import re
from datetime import date, datetime, time

from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import babel_locale_parse

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# months the contract's portal page lists (older ones stay reachable by URL)
PORTAL_MONTHS = 24


class ContractContract(models.Model):
    """The monthly statement of work: what the service desk did for the
    contract's client in a calendar month, the evidence behind the invoice.
    Computed from the tickets, SLA targets, work lines, timesheets and
    invoices each time (nothing stored). Month bounds are those of the
    invoicing: dates for work lines and timesheets, UTC midnights for the
    tickets' and SLA targets' times. Only posted invoices are evidence: what
    a draft invoice holds is still "to be invoiced"."""

    _inherit = "contract.contract"

    def action_helpdesk_statement(self):
        """The month picker printing the statement (last closed month by
        default)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_billing.helpdesk_contract_statement_action"
        )
        action["context"] = {"default_contract_id": self.id}
        return action

    # ------------------------------------------------------------ months
    @api.model
    def _helpdesk_parse_month(self, month):
        """First day of the month "YYYY-MM", None when it is not one."""
        match = MONTH_PATTERN.match(month or "")
        if not match:
            return None
        return date(int(match.group(1)), int(match.group(2)), 1)

    @api.model
    def _helpdesk_last_closed_month(self):
        """First day of the month before today's (the user's time zone)."""
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(months=1)

    @api.model
    def _helpdesk_month_label(self, month_start):
        """ "January 2025" in the language of the context."""
        lang = self.env.context.get("lang") or self.env.user.lang or "en_US"
        return format_skeleton("yMMMM", month_start, locale=babel_locale_parse(lang))

    def _helpdesk_statement_month_bounds(self):
        """(first month, last month) a statement exists for: from the
        contract's start to its end, at most the current month; None when the
        contract has not started."""
        self.ensure_one()
        today = fields.Date.context_today(self).replace(day=1)
        first = (self.date_start or self.create_date.date()).replace(day=1)
        last = today
        if self.date_end:
            last = min(last, self.date_end.replace(day=1))
        if first > last:
            return None
        return first, last

    def _helpdesk_has_statement(self, month_start):
        """Whether the contract has a statement for the month (a sale contract
        running during that month, not in the future)."""
        self.ensure_one()
        bounds = self._helpdesk_statement_month_bounds()
        return (
            self.contract_type == "sale"
            and bool(bounds)
            and bounds[0] <= month_start <= bounds[1]
        )

    def _helpdesk_statement_months(self, limit=PORTAL_MONTHS):
        """[("YYYY-MM", label)] of the contract's statements, newest first."""
        self.ensure_one()
        bounds = self._helpdesk_statement_month_bounds()
        if self.contract_type != "sale" or not bounds:
            return []
        first, month = bounds
        months = []
        while month >= first and len(months) < limit:
            months.append((month.strftime("%Y-%m"), self._helpdesk_month_label(month)))
            month -= relativedelta(months=1)
        return months

    # ------------------------------------------------------------ statement
    def _helpdesk_get_statement(self, month_start):
        """The statement of the month starting on `month_start` as a dict
        for the report and the portal page (see the keys below). Reads in
        superuser mode: the caller checked that the user may read the
        contract."""
        self.ensure_one()
        contract = self.sudo()
        start = month_start.replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        moment_start = datetime.combine(start, time.min)
        moment_end = datetime.combine(end + relativedelta(days=1), time.min)
        env = contract.env
        Ticket = env["helpdesk.ticket"]
        Target = env["helpdesk.ticket.sla"]
        works = env["helpdesk.ticket.work"].search(
            [
                ("contract_id", "=", contract.id),
                ("date", ">=", start),
                ("date", "<=", end),
            ],
            order="date, id",
        )
        timesheets = env["account.analytic.line"].search(
            [
                ("helpdesk_ticket_id.contract_id", "=", contract.id),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
        )
        received = [("date_received", ">=", moment_start)]
        tickets = Ticket.search(
            expression.AND(
                [
                    [("contract_id", "=", contract.id)],
                    expression.OR(
                        [
                            received + [("date_received", "<", moment_end)],
                            [
                                ("date_resolved", ">=", moment_start),
                                ("date_resolved", "<", moment_end),
                            ],
                            [
                                (
                                    "id",
                                    "in",
                                    (
                                        works.ticket_id | timesheets.helpdesk_ticket_id
                                    ).ids,
                                )
                            ],
                            [
                                (
                                    "sla_line_ids",
                                    "any",
                                    [
                                        ("deadline", ">=", moment_start),
                                        ("deadline", "<", moment_end),
                                    ],
                                )
                            ],
                        ]
                    ),
                ]
            ),
            order="date_received, id",
        )
        targets = Target.search([("ticket_id", "in", tickets.ids)], order="id")
        targets_by_ticket = targets.grouped("ticket_id")
        invoices = env["account.move"].search(
            [
                ("helpdesk_contract_id", "=", contract.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("helpdesk_period_start", "<=", end),
                ("helpdesk_period_end", ">=", start),
            ],
            order="invoice_date, id",
        )
        live_lines = invoices.invoice_line_ids.filtered(
            lambda line: line.helpdesk_kind and not line.helpdesk_is_released
        )
        currency = contract.currency_id
        hours_by_ticket = {}
        for line in timesheets:
            ticket = line.helpdesk_ticket_id
            hours_by_ticket[ticket] = (
                hours_by_ticket.get(ticket, 0.0) + line.unit_amount
            )
        status_labels = dict(Target._fields["status"]._description_selection(env))
        target_labels = dict(Target._fields["target"]._description_selection(env))
        has_paused = "paused_minutes" in Target._fields
        ticket_rows = []
        for ticket in tickets:
            rows = []
            for target in targets_by_ticket.get(ticket, Target):
                rows.append(
                    {
                        "target": target_labels.get(target.target, target.target),
                        "target_minutes": target.target_minutes,
                        "deadline": target.deadline,
                        "date_reached": target.date_reached,
                        "spent_minutes": target.spent_minutes,
                        "paused_minutes": (
                            target.paused_minutes if has_paused else 0.0
                        ),
                        "status": target.status,
                        "status_label": status_labels.get(target.status, ""),
                        "is_due_in_month": bool(
                            target.deadline
                            and moment_start <= target.deadline < moment_end
                        ),
                    }
                )
            ticket_rows.append(
                {
                    "ticket": ticket,
                    "ref": ticket.ticket_ref,
                    "name": ticket.name,
                    "date_received": ticket.date_received,
                    "date_resolved": ticket.date_resolved,
                    "is_opened": moment_start <= ticket.date_received < moment_end,
                    "is_resolved": bool(
                        ticket.date_resolved
                        and moment_start <= ticket.date_resolved < moment_end
                    ),
                    "hours": hours_by_ticket.get(ticket, 0.0),
                    "targets": rows,
                }
            )
        work_rows = []
        for work in works:
            invoice_line = work.invoice_line_id.filtered(
                lambda line: line.parent_state == "posted"
            )
            if invoice_line:
                quantity = invoice_line.quantity
                amount = invoice_line.price_subtotal
                billing = "invoiced"
            elif not work.is_billable:
                quantity, amount, billing = work.quantity, 0.0, "included"
            else:
                quantity, amount, billing = work.quantity, work.price_subtotal, "open"
            work_rows.append(
                {
                    "work": work,
                    "date": work.date,
                    "ref": work.ticket_id.ticket_ref,
                    "name": work.name,
                    "kind": work.kind,
                    "quantity": quantity,
                    "uom": work.uom_id.name,
                    "amount": amount,
                    "value": work.price_subtotal,
                    "billing": billing,
                    "invoice": invoice_line.move_id.name if invoice_line else "",
                }
            )
        hours_used = sum(timesheets.mapped("unit_amount"))
        included = contract.helpdesk_included_hours
        hours_lines = live_lines.filtered(lambda line: line.helpdesk_kind == "hours")
        credit_lines = live_lines.filtered(
            lambda line: line.helpdesk_kind == "sla_credit"
        )
        failed = targets.filtered(
            lambda t: (
                t.status == "failed"
                and t.deadline
                and moment_start <= t.deadline < moment_end
            )
        )
        return {
            "contract": contract,
            "month": start.strftime("%Y-%m"),
            "month_label": self._helpdesk_month_label(start),
            "date_start": start,
            "date_end": end,
            "currency": currency,
            "partner": contract.partner_id,
            # the times are shown in the client's time zone
            "tz": contract.partner_id.tz
            or contract.company_id.partner_id.tz
            or self.env.context.get("tz")
            or "UTC",
            # the suppressed time (planned maintenance) when there is some
            "has_paused": any(
                target["paused_minutes"]
                for row in ticket_rows
                for target in row["targets"]
            ),
            "tickets": ticket_rows,
            "opened_count": sum(1 for row in ticket_rows if row["is_opened"]),
            "resolved_count": sum(1 for row in ticket_rows if row["is_resolved"]),
            "works": work_rows,
            "works_billed": sum(
                row["amount"] for row in work_rows if row["billing"] != "included"
            ),
            "works_included": sum(
                row["value"] for row in work_rows if row["billing"] == "included"
            ),
            "hours_used": hours_used,
            "hours_included": included,
            "hours_beyond": max(0.0, hours_used - included) if included else 0.0,
            "overage_rate": contract.helpdesk_overage_rate,
            "hours_invoiced": sum(hours_lines.mapped("quantity")),
            "hours_amount": sum(hours_lines.mapped("price_subtotal")),
            "failed_count": len(failed),
            "credits": [
                {
                    "invoice": line.move_id.name,
                    "name": line.name,
                    "count": len(line.helpdesk_sla_line_ids),
                    "amount": -line.price_subtotal,
                }
                for line in credit_lines
            ],
            "credit_total": -sum(credit_lines.mapped("price_subtotal")),
            "invoices": [
                {
                    "name": move.name,
                    "date": move.invoice_date,
                    "state": move.state,
                    "amount": move.amount_total,
                    "currency": move.currency_id,
                }
                for move in invoices
            ],
        }
