from odoo import api, fields, models

# changes that may make a contract cover tickets it did not
COVERAGE_FIELDS = {
    "partner_id",
    "active",
    "date_start",
    "helpdesk_site_ids",
    "helpdesk_equipment_ids",
}

SLA_CREDIT_TYPES = [
    ("none", "None"),
    ("percent", "Percent of the fee per failed target"),
    ("fixed", "Fixed amount per failed target"),
]


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # service terms of a helpdesk client
    helpdesk_sla_ids = fields.Many2many(
        "helpdesk.sla",
        "contract_contract_helpdesk_sla_rel",
        "contract_id",
        "sla_id",
        string="Service level",
        groups="base.group_user",
        help="SLA policies of this contract. The contract's tickets are served under "
        "the first of them (by sequence) that covers the ticket, before any other "
        "policy.",
    )
    helpdesk_site_ids = fields.Many2many(
        "helpdesk.site",
        "contract_contract_helpdesk_site_rel",
        "contract_id",
        "site_id",
        string="Covered sites",
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Tickets about these sites get this contract. Empty with no covered "
        "equipment: the contract covers all the client's tickets.",
    )
    helpdesk_equipment_ids = fields.Many2many(
        "helpdesk.equipment",
        "contract_contract_helpdesk_equipment_rel",
        "contract_id",
        "equipment_id",
        string="Covered equipment",
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Tickets about this equipment get this contract first.",
    )
    helpdesk_included_hours = fields.Float(
        "Included hours per period",
        help="Labour hours (timesheets on the contract's tickets) the fee covers in "
        "each invoicing period.",
    )
    helpdesk_overage_rate = fields.Monetary(
        "Rate beyond the included hours",
        currency_field="currency_id",
        help="Price of each hour worked beyond the included hours in a period.",
    )
    helpdesk_overage_product_id = fields.Many2one(
        "product.product",
        "Product for extra hours",
        default=lambda self: self.env.ref(
            "helpdesk_billing.product_product_overage_hour", raise_if_not_found=False
        ),
        domain="[('type', '=', 'service')]",
        check_company=True,
        help="Gives the invoice line of the hours beyond the included ones its "
        "taxes and income account.",
    )
    helpdesk_pricelist_id = fields.Many2one(
        "product.pricelist",
        "Price list of extra works",
        check_company=True,
        help="Prices of extra works and parts on this contract's tickets. Products "
        "it has no rule for keep the standard price list's price.",
    )
    helpdesk_approval_required = fields.Boolean(
        "Work lines need approval",
        help="A manager approves the work lines of the contract's tickets before "
        "they are invoiced.",
    )
    helpdesk_sla_credit_type = fields.Selection(
        SLA_CREDIT_TYPES,
        "SLA breach compensation",
        default="none",
        required=True,
        help="Credit given on the invoice for each SLA target failed in the period.",
    )
    helpdesk_sla_credit_value = fields.Float(
        "Compensation",
        help="Percent of the period's fee, or amount, per failed target.",
    )
    helpdesk_sla_credit_product_id = fields.Many2one(
        "product.product",
        "Product for SLA credits",
        default=lambda self: self.env.ref(
            "helpdesk_billing.product_product_sla_credit", raise_if_not_found=False
        ),
        domain="[('type', '=', 'service')]",
        check_company=True,
    )
    helpdesk_ticket_ids = fields.One2many(
        "helpdesk.ticket", "contract_id", "Helpdesk tickets"
    )
    helpdesk_ticket_count = fields.Integer(
        "Tickets", compute="_compute_helpdesk_ticket_count"
    )

    _sql_constraints = [
        (
            "helpdesk_terms_positive",
            (
                "CHECK(helpdesk_included_hours >= 0 AND helpdesk_overage_rate >= 0 "
                "AND helpdesk_sla_credit_value >= 0)"
            ),
            "Included hours, hourly rate and SLA compensation cannot be negative.",
        ),
    ]

    def _compute_helpdesk_ticket_count(self):
        Ticket = self.env["helpdesk.ticket"]
        counts = {}
        if Ticket.has_access("read"):
            counts = dict(
                Ticket._read_group(
                    [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
                )
            )
        for contract in self:
            contract.helpdesk_ticket_count = counts.get(contract, 0)

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        contracts._helpdesk_assign_tickets()
        return contracts

    def write(self, vals):
        res = super().write(vals)
        if COVERAGE_FIELDS & set(vals):
            self._helpdesk_assign_tickets()
        if "helpdesk_sla_ids" in vals:
            # the open tickets of the contracts follow their new service level
            self.env["helpdesk.ticket"].sudo().search(
                [("contract_id", "in", self.ids), ("is_closed", "=", False)]
            )._sla_sync()
        return res

    def action_view_helpdesk_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(
            domain=[("contract_id", "=", self.id)],
            context={"default_partner_id": self.partner_id.id},
            display_name=self.display_name,
        )
        return action

    def get_formview_id(self, access_uid=None):
        """Helpdesk agents without invoicing rights open a contract (from a
        ticket) in a form showing its service terms only: OCA contract's form
        shows lines, prices and invoices they may not read."""
        user = self.env["res.users"].browse(access_uid) if access_uid else self.env.user
        if not user.has_group("account.group_account_invoice") and user.has_group(
            "helpdesk_service.group_helpdesk_user"
        ):
            return self.env.ref(
                "helpdesk_billing.contract_contract_view_form_helpdesk_agent"
            ).id
        return super().get_formview_id(access_uid=access_uid)

    # ------------------------------------------------------------ ticket matching
    def _helpdesk_assign_tickets(self):
        """Give the client's tickets without contract the contract that now
        covers them (a new contract covers the tickets it runs for)."""
        contracts = self.filtered(lambda c: c.contract_type == "sale")
        if not contracts:
            return
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    (
                        "commercial_partner_id",
                        "in",
                        contracts.commercial_partner_id.ids,
                    ),
                    ("contract_id", "=", False),
                ]
            )
        )
        best = tickets._get_best_contracts()
        for contract, contract_tickets in tickets.grouped(lambda t: best[t]).items():
            if contract:
                contract_tickets.write({"contract_id": contract.id})

    def _helpdesk_is_active_on(self, day):
        """Whether the contract runs on `day` (a date)."""
        self.ensure_one()
        return (
            self.active
            and (not self.date_start or self.date_start <= day)
            and (not self.date_end or self.date_end >= day)
        )

    def _helpdesk_covers(self, ticket):
        """How well the contract covers the ticket: 3 its equipment, 2 its site,
        1 any ticket of the client (no covered site or equipment), 0 not."""
        self.ensure_one()
        # _origin: a ticket being created or edited in a form holds new
        # records of its equipment
        if self.helpdesk_equipment_ids & ticket.equipment_ids._origin:
            return 3
        if ticket.site_id and ticket.site_id._origin in self.helpdesk_site_ids:
            return 2
        if not (self.helpdesk_site_ids or self.helpdesk_equipment_ids):
            return 1
        return 0

    @api.model
    def _helpdesk_get_candidates(self, tickets):
        """{client: contracts} of the running sale contracts of the tickets'
        clients, newest first."""
        contracts = self.search(
            [
                ("commercial_partner_id", "in", tickets.commercial_partner_id.ids),
                ("contract_type", "=", "sale"),
                ("company_id", "in", tickets.company_id.ids),
            ],
            order="date_start desc, id desc",
        )
        return contracts.grouped("commercial_partner_id")
