from odoo import models


class ResourceCalendarAttendance(models.Model):
    # the working intervals the SLA clocks read are kept until working hours
    # change (resource.calendar._helpdesk_work_intervals)
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "helpdesk.cache.source.mixin"]
