# the contract part of the ticket form's context block in a file of its own
# (STYLE 1: a concern of helpdesk.ticket)
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """The contract part of the ticket form's context block: the terms of the
    ticket's contract an agent needs while serving the ticket (service level,
    included hours used and left this month, approval of extra work, name of
    the price list), never prices or invoices. Non-stored."""

    _inherit = "helpdesk.ticket"

    contract_sla_ids = fields.Many2many(
        "helpdesk.sla",
        related="contract_id.helpdesk_sla_ids",
        string="Contract's service level",
        groups="base.group_user",
    )
    contract_included_hours = fields.Float(
        related="contract_id.helpdesk_included_hours",
        string="Hours included per month",
        groups="base.group_user",
    )
    contract_hours_used = fields.Float(
        "Hours used this month",
        compute="_compute_contract_hours",
        groups="base.group_user",
        help="Hours recorded this month on all the tickets of the contract.",
    )
    contract_hours_left = fields.Float(
        "Hours left this month",
        compute="_compute_contract_hours",
        groups="base.group_user",
        help="Included hours not used yet this month; beyond them the work is "
        "billed as extra hours.",
    )
    contract_approval_required = fields.Boolean(
        related="contract_id.helpdesk_approval_required",
        string="Extra work needs approval",
        groups="base.group_user",
    )
    contract_pricelist_name = fields.Char(
        "Price list of extra work",
        compute="_compute_contract_pricelist_name",
        compute_sudo=True,
        groups="base.group_user",
    )

    @api.depends("contract_id")
    @api.depends_context("tz")
    def _compute_contract_hours(self):
        today = fields.Date.context_today(self)
        start = today.replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        contracts = self.contract_id._origin
        hours = defaultdict(float)
        if contracts:
            # the hours of every agent on the contract: an agent reads only his
            # own timesheets, and the totals carry no price
            for ticket, used in (
                self.env["account.analytic.line"]
                .sudo()
                ._read_group(
                    [
                        ("helpdesk_ticket_id.contract_id", "in", contracts.ids),
                        ("date", ">=", start),
                        ("date", "<=", end),
                    ],
                    ["helpdesk_ticket_id"],
                    ["unit_amount:sum"],
                )
            ):
                hours[ticket.contract_id] += used
        for ticket in self:
            contract = ticket.contract_id._origin
            used = hours[contract] if contract else 0.0
            ticket.contract_hours_used = used
            ticket.contract_hours_left = max(
                0.0, contract.sudo().helpdesk_included_hours - used
            )

    @api.depends("contract_id.helpdesk_pricelist_id")
    def _compute_contract_pricelist_name(self):
        for ticket in self:
            ticket.contract_pricelist_name = (
                ticket.contract_id.helpdesk_pricelist_id.display_name or False
            )
