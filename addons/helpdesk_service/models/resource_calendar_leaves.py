from odoo import api, fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    is_public_holiday = fields.Boolean(
        "Public holiday",
        readonly=True,
        help="Filled from the public holidays of the working hours' country: "
        "filling them again updates or removes it.",
    )

    # the working intervals the SLA clocks read are kept until a leave changes
    # (resource.calendar._helpdesk_work_intervals)
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
