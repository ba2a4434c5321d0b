from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    is_public_holiday = fields.Boolean(
        "Public holiday",
        readonly=True,
        help="Filled from the public holidays of the working hours' country: "
        "filling them again updates or removes it.",
    )
