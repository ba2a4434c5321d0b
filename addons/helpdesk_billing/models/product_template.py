from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_helpdesk_work = fields.Boolean(
        "Helpdesk extra work",
        help="A service agents and engineers can add to tickets as extra work, "
        "priced by the contract's or the standard price list.",
    )
    is_helpdesk_credit = fields.Boolean(
        "Helpdesk discount or credit",
        help="Work lines of this product may have a negative price (a discount or "
        "a credit to the client); such lines are invoiced only once a helpdesk "
        "administrator approved them.",
    )
