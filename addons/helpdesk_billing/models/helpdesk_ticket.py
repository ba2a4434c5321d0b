from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.helpdesk_service.const import SLA_TRIGGER_FIELDS

# changes that may give the ticket another contract, hence another SLA policy
CONTRACT_TRIGGER_FIELDS = {"contract_id", "site_id", "equipment_ids"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # precomputed: inserted with the ticket, so that neither its tracking nor
    # the contract constraint reads the new row back
    contract_id = fields.Many2one(
        "contract.contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        domain="[('contract_type', '=', 'sale'), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="The client's contract the ticket is served and billed under: the one "
        "covering its equipment, else its site, else the client's general "
        "contract. Change it if needed.",
    )
    is_without_contract = fields.Boolean(
        "No contract",
        compute="_compute_is_without_contract",
        store=True,
        groups="base.group_user",
        help="The client has no running contract covering this ticket: its work is "
        "billed at the standard price list.",
    )
    work_ids = fields.One2many(
        "helpdesk.ticket.work", "ticket_id", "Work and parts", groups="base.group_user"
    )
    has_work_to_approve = fields.Boolean(
        compute="_compute_has_work_to_approve", groups="base.group_user"
    )
    client_contract_count = fields.Integer(
        "Client contracts",
        compute="_compute_client_contract_count",
        groups="base.group_user",
    )

    @api.depends(
        "commercial_partner_id",
        "site_id",
        "equipment_ids",
        "company_id",
        "date_received",
    )
    def _compute_contract_id(self):
        best = self._get_best_contracts()
        for ticket in self:
            ticket.contract_id = best[ticket]

    def _get_best_contracts(self):
        """{ticket: the contract it should have} among the running sale
        contracts of its client on the day it arrived (see _pick_contract)."""
        no_contract = self.env["contract.contract"]
        result = dict.fromkeys(self, no_contract)
        tickets = self.filtered("commercial_partner_id")
        if not tickets:
            return result
        candidates = no_contract._helpdesk_get_candidates(tickets)
        today = fields.Date.context_today(self)
        for ticket in tickets:
            day = (
                fields.Date.context_today(self, ticket.date_received)
                if ticket.date_received
                else today
            )
            contracts = candidates.get(ticket.commercial_partner_id, no_contract)
            contracts = contracts.filtered(
                lambda c, t=ticket, d=day: (
                    c.company_id == t.company_id and c._helpdesk_is_active_on(d)
                )
            )
            result[ticket] = ticket._pick_contract(contracts)
        return result

    def _pick_contract(self, contracts):
        """The contract among the client's running ones that fits the ticket
        best: covering its equipment, else its site, else a general one (the
        current contract wins a tie); a ticket without site and equipment
        takes the first one."""
        self.ensure_one()
        if not contracts:
            return contracts
        scores = {contract: contract._helpdesk_covers(self) for contract in contracts}
        best = max(scores.values())
        if not best:
            if not self.site_id and not self.equipment_ids:
                current = self.contract_id
                return current if current in contracts else contracts[:1]
            return contracts.browse()
        if scores.get(self.contract_id) == best:
            return self.contract_id
        return contracts.filtered(lambda c: scores[c] == best)[:1]

    @api.depends("contract_id", "commercial_partner_id")
    def _compute_is_without_contract(self):
        for ticket in self:
            ticket.is_without_contract = bool(
                ticket.commercial_partner_id and not ticket.contract_id
            )

    @api.depends("work_ids.state")
    def _compute_has_work_to_approve(self):
        for ticket in self:
            ticket.has_work_to_approve = any(
                work.state == "draft" and not work.is_invoiced
                for work in ticket.work_ids
            )

    @api.depends("commercial_partner_id")
    def _compute_client_contract_count(self):
        Contract = self.env["contract.contract"]
        if not Contract.has_access("read"):
            self.client_contract_count = 0
            return
        counts = {
            partner.id: count
            for partner, count in Contract._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("contract_type", "=", "sale"),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        }
        for ticket in self:
            ticket.client_contract_count = counts.get(
                ticket.commercial_partner_id.id, 0
            )

    @api.depends(
        "team_id",
        "type_id",
        "priority_effective",
        "partner_id",
        "company_id",
        "contract_id.helpdesk_sla_ids",
    )
    def _compute_sla_id(self):  # pylint: disable=missing-return
        # the contract's service level comes first (helpdesk.sla._get_policy)
        super()._compute_sla_id()

    @api.constrains("contract_id", "partner_id")
    def _check_contract_client(self):
        for ticket in self.sudo():
            contract = ticket.contract_id
            if contract and contract.commercial_partner_id != (
                ticket.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s is not a contract of %(client)s, the "
                        "client of ticket %(ticket)s.",
                        contract=contract.display_name,
                        client=ticket.commercial_partner_id.display_name,
                        ticket=ticket.display_name,
                    )
                )

    def write(self, vals):
        resync = CONTRACT_TRIGGER_FIELDS & set(vals) and not (
            SLA_TRIGGER_FIELDS & set(vals)
        )
        before = {ticket.id: ticket.sla_id for ticket in self} if resync else {}
        res = super().write(vals)
        if resync:
            # a new contract may bring another service level
            self.filtered(lambda t: t.sla_id != before[t.id])._sla_sync()
        return res

    def action_open_client_contracts(self):
        self.ensure_one()
        return self.commercial_partner_id.with_context(
            contract_type="sale"
        ).act_show_contract()

    def action_approve_work(self):
        """Approve the ticket's work lines waiting for approval."""
        if not self.env.user.has_group("helpdesk_service.group_helpdesk_manager"):
            raise AccessError(self.env._("Only helpdesk managers approve work lines."))
        self.work_ids.filtered(
            lambda work: work.state == "draft" and not work.is_invoiced
        ).action_approve()
        return True
