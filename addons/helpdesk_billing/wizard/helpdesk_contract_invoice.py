from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_date


class HelpdeskContractInvoice(models.TransientModel):
    """Invoice the helpdesk work of a period: the selected contracts (or those
    of the selected clients, or all) get one draft invoice each for the
    period, with their fee when due; clients without a contract get their
    billable work at the standard price list."""

    _name = "helpdesk.contract.invoice"
    _description = "Invoice Helpdesk Work of a Period"

    def _default_date_start(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    def _default_date_end(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(
        "From", required=True, default=lambda self: self._default_date_start()
    )
    date_end = fields.Date(
        "To", required=True, default=lambda self: self._default_date_end()
    )
    date_invoice = fields.Date(
        "Invoice date",
        required=True,
        default=fields.Date.context_today,
        help="Date of the new invoices that carry no fee (a fee invoice is dated "
        "as its contract says).",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        domain="[('is_company', '=', True)]",
        help="Only these clients. Empty: all.",
    )
    contract_ids = fields.Many2many(
        "contract.contract",
        string="Contracts",
        domain="[('contract_type', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Only these contracts. Empty: every contract of the clients.",
    )
    include_without_contract = fields.Boolean(
        "Tickets without contract",
        default=True,
        help="Also invoice the billable work on tickets of clients without a "
        "contract, at the standard price list.",
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_start > wizard.date_end:
                raise ValidationError(self.env._("The period ends before it starts."))

    def _get_contracts(self):
        self.ensure_one()
        if self.contract_ids:
            return self.contract_ids
        domain = [
            ("contract_type", "=", "sale"),
            ("company_id", "=", self.company_id.id),
            ("date_start", "<=", self.date_end),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", self.date_start),
        ]
        if self.partner_ids:
            domain.append(
                (
                    "commercial_partner_id",
                    "in",
                    self.partner_ids.commercial_partner_id.ids,
                )
            )
        return self.env["contract.contract"].search(domain)

    def action_invoice(self):
        self.ensure_one()
        Move = self.env["account.move"].with_company(self.company_id)
        Move.check_access("create")
        contracts = self._get_contracts()
        contracts.check_access("read")
        # invoicing a contract moves its next dates (contract lines), which only
        # contract managers may write: OCA's cron does it as superuser too
        contracts = (
            contracts.sudo().with_company(self.company_id)._helpdesk_lock(nowait=True)
        )
        contracts._helpdesk_invoice_period(
            self.date_start, self.date_end, self.date_invoice
        )
        if self.include_without_contract and not self.contract_ids:
            self._invoice_without_contract()
        moves = Move.search(self._get_drafts_domain(contracts))
        if not moves:
            raise UserError(
                self.env._(
                    "Nothing to invoice from %(start)s to %(end)s.",
                    start=format_date(self.env, self.date_start),
                    end=format_date(self.env, self.date_end),
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(domain=[("id", "in", moves.ids)], context={})
        return action

    def _get_drafts_domain(self, contracts):
        """The draft invoices of the period for the contracts (and for the
        selected clients without contract)."""
        self.ensure_one()
        without = [("helpdesk_contract_id", "=", False)]
        if self.partner_ids:
            without.append(
                (
                    "commercial_partner_id",
                    "in",
                    self.partner_ids.commercial_partner_id.ids,
                )
            )
        if not self.include_without_contract or self.contract_ids:
            without = [(0, "=", 1)]
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "draft"),
            ("company_id", "=", self.company_id.id),
            ("helpdesk_period_start", "=", self.date_start),
            ("helpdesk_period_end", "=", self.date_end),
            "|",
            ("helpdesk_contract_id", "in", contracts.ids),
            *expression.AND([without]),
        ]

    def _invoice_without_contract(self):
        """One draft invoice per client and period with the billable work of
        its tickets without contract up to the period end."""
        self.ensure_one()
        Work = self.env["helpdesk.ticket.work"]
        Move = self.env["account.move"].with_company(self.company_id)
        domain = [
            *Work._get_to_invoice_domain(),
            ("contract_id", "=", False),
            ("company_id", "=", self.company_id.id),
            ("date", "<=", self.date_end),
        ]
        if self.partner_ids:
            domain.append(
                ("partner_id", "in", self.partner_ids.commercial_partner_id.ids)
            )
        works = Work.sudo().search(domain, order="date, ticket_id, id")
        if not works:
            return Move
        by_client = works.grouped("partner_id")
        drafts = Move.search(
            [
                ("helpdesk_contract_id", "=", False),
                ("partner_id", "in", [p.id for p in by_client]),
                ("helpdesk_period_start", "=", self.date_start),
                ("helpdesk_period_end", "=", self.date_end),
                ("state", "=", "draft"),
                ("move_type", "=", "out_invoice"),
            ]
        ).grouped("partner_id")
        moves = Move
        to_create = []
        for client, client_works in by_client.items():
            invoice_partner = client.address_get(["invoice"])["invoice"]
            partner = self.env["res.partner"].browse(invoice_partner)
            draft = drafts.get(partner, Move)[:1]
            currency = draft.currency_id or client_works[:1].currency_id
            fiscal_position = draft.fiscal_position_id or self.env[
                "account.fiscal.position"
            ].with_company(self.company_id)._get_fiscal_position(partner)
            commands = client_works._prepare_invoice_line_commands(
                currency, self.date_invoice, client, fiscal_position
            )
            if draft:
                draft.write({"invoice_line_ids": commands})
                moves |= draft
                continue
            commands.insert(
                0,
                Command.create(
                    self.env["contract.contract"]._helpdesk_prepare_section_vals(
                        self.date_start, self.date_end, client.lang
                    )
                ),
            )
            to_create.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "invoice_date": self.date_invoice,
                    "invoice_origin": self.env._("Helpdesk"),
                    "helpdesk_period_start": self.date_start,
                    "helpdesk_period_end": self.date_end,
                    "invoice_line_ids": commands,
                }
            )
        if to_create:
            moves |= Move.create(to_create)
        return moves
