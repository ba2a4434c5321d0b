from odoo import api, fields, models
from odoo.exceptions import UserError


class ResourceCalendarHolidays(models.TransientModel):
    """Fill the public holidays of a country into working hours, for a range
    of years."""

    _name = "resource.calendar.holidays"
    _description = "Fill public holidays"

    calendar_id = fields.Many2one("resource.calendar", "Working hours", required=True)
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    year_from = fields.Integer(
        "From year", default=lambda self: fields.Date.context_today(self).year
    )
    year_to = fields.Integer(
        "To year", default=lambda self: fields.Date.context_today(self).year + 1
    )

    @api.depends("calendar_id")
    def _compute_country_id(self):
        for wizard in self:
            wizard.country_id = (
                wizard.calendar_id.country_id
                or wizard.calendar_id.company_id.country_id
                or self.env.company.country_id
            )

    def action_fill(self):
        self.ensure_one()
        if not 1900 < self.year_from <= self.year_to < self.year_from + 20:
            raise UserError(
                self.env._("Choose up to 20 years, the first one before the last one.")
            )
        calendar = self.calendar_id
        calendar.check_access("write")
        if calendar.country_id != self.country_id:
            calendar.country_id = self.country_id
        calendar._fill_public_holidays(range(self.year_from, self.year_to + 1))
        return {"type": "ir.actions.act_window_close"}
