from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_pricelist_id = fields.Many2one(
        "product.pricelist",
        "Standard price list of extra works",
        help="Prices of extra works and parts on tickets without a contract, and on "
        "contracts whose price list has no rule for them. Empty: the sales price.",
    )
