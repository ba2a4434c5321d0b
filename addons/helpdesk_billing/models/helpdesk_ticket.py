from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    client_contract_count = fields.Integer(
        "Client contracts", compute="_compute_client_contract_count"
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

    def action_open_client_contracts(self):
        self.ensure_one()
        return self.commercial_partner_id.with_context(
            contract_type="sale"
        ).act_show_contract()
