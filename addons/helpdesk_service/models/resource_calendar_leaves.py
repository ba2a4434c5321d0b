from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    # the working intervals the SLA clocks read are kept until a leave changes
    # (resource.calendar._helpdesk_work_intervals)
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "helpdesk.cache.source.mixin"]

    is_public_holiday = fields.Boolean(
        "Public holiday",
        readonly=True,
        help="Filled from the public holidays of the working hours' country: "
        "filling them again updates or removes it.",
    )
