from odoo import api, fields, models


class HelpdeskAnnouncement(models.Model):
    _inherit = "helpdesk.announcement"

    contract_ids = fields.Many2many(
        "contract.contract",
        string="Contracts",
        domain="[('contract_type', '=', 'sale')]",
        groups="base.group_user",
        help="Announce to the clients of these contracts.",
    )

    @api.depends("contract_ids.partner_id")
    def _compute_client_ids(self):  # pylint: disable=missing-return
        super()._compute_client_ids()

    def _get_target_clients(self):
        clients = super()._get_target_clients()
        return clients | self.contract_ids.partner_id.commercial_partner_id
