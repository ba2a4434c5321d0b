from odoo import fields, models


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    is_helpdesk_tariff = fields.Boolean(
        "Helpdesk tariff",
        help="Clients carrying this tag are served under this tariff: helpdesk "
        "reports group tickets by it.",
    )
