from odoo import api, fields, models


class HelpdeskSla(models.Model):
    _inherit = "helpdesk.sla"

    contract_ids = fields.Many2many(
        "contract.contract",
        "contract_contract_helpdesk_sla_rel",
        "sla_id",
        "contract_id",
        string="Contracts",
        help="The contracts whose service level this policy is: it covers only "
        "their tickets, before any other policy. Empty: any ticket.",
    )

    def _matches(self, ticket):
        self.ensure_one()
        if self.contract_ids and ticket.contract_id not in self.contract_ids:
            return False
        return super()._matches(ticket)

    @api.model
    def _get_policy(self, ticket, policies=None):
        """The policies of the ticket's contract come first."""
        if policies is None:
            policies = self.search([])  # pylint: disable=no-search-all
        own = policies.filtered(
            lambda policy: policy in ticket.contract_id.helpdesk_sla_ids
        )
        return super()._get_policy(ticket, own + (policies - own))
