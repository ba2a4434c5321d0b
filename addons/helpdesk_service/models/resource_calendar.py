import logging
from datetime import date, datetime, time, timedelta

import holidays
import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class ResourceCalendar(models.Model):
    """Working hours whose public holidays (global leaves, which stop the SLA
    clocks) are filled from the `holidays` library for the calendar's
    country."""

    # a change clears _helpdesk_work_intervals
    _name = "resource.calendar"
    _inherit = ["resource.calendar", "helpdesk.cache.source.mixin"]

    country_id = fields.Many2one(
        "res.country",
        "Public holidays of",
        help="The country whose public holidays are days off on these working "
        "hours: 'Fill public holidays' and a yearly job add them as time off "
        "for everybody.",
    )

    # ------------------------------------------------------------ SLA clocks
    @api.model
    @tools.ormcache("calendar_id", "start", "end")
    def _helpdesk_work_intervals(self, calendar_id, start, end):
        """The working intervals of the calendar in [start, end) (naive UTC
        datetimes), attendances less the leaves of everybody, as a tuple of
        (start, end) in naive UTC. The SLA clocks of every ticket read them
        from here: kept until working hours or their leaves change (see the
        write, create and unlink of resource.calendar,
        resource.calendar.attendance and resource.calendar.leaves)."""
        aware = (
            self.browse(calendar_id)
            .sudo()
            ._work_intervals_batch(pytz.utc.localize(start), pytz.utc.localize(end))[
                False
            ]
        )
        return tuple(
            (
                a.astimezone(pytz.utc).replace(tzinfo=None),
                b.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for a, b, _recs in aware
        )

    # ------------------------------------------------------------ actions
    def action_fill_public_holidays(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Fill public holidays"),
            "res_model": "resource.calendar.holidays",
            "view_mode": "form",
            "target": "new",
            "context": {"default_calendar_id": self.id},
        }

    # ------------------------------------------------------------ business
    @api.model
    def _cron_fill_public_holidays(self):
        """Every year: the public holidays of this year and the next one, for
        each calendar with a country (a few records: no batching needed)."""
        year = fields.Date.context_today(self).year
        for calendar in self.search([("country_id", "!=", False)]):
            try:
                with self.env.cr.savepoint():
                    calendar._fill_public_holidays([year, year + 1])
            except UserError as error:
                _logger.warning(
                    "Public holidays of %s not filled: %s", calendar.name, error
                )
        return True

    def _fill_public_holidays(self, years=None):
        """Create the public holidays of the calendars' countries for `years`
        (default: this year and the next) as whole days off in each calendar's
        timezone, for everybody (no resource). Idempotent: a day that is
        already there is kept (its name updated), and the holidays filled
        before that the library no longer has for these years are removed.
        Returns the number of days created."""
        if not years:
            year = fields.Date.context_today(self).year
            years = [year, year + 1]
        Leave = self.env["resource.calendar.leaves"]
        created = []
        for calendar in self:
            if not calendar.country_id:
                raise UserError(
                    self.env._(
                        "Choose the country of the working hours %(calendar)s first.",
                        calendar=calendar.name,
                    )
                )
            days = calendar._get_public_holidays(years)
            tz = pytz.timezone(calendar.tz or "UTC")

            def utc(day, tz=tz):
                local = tz.localize(datetime.combine(day, time.min))
                return local.astimezone(pytz.utc).replace(tzinfo=None)

            start = utc(date(min(years), 1, 1))
            end = utc(date(max(years) + 1, 1, 1))
            existing = Leave.search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                    ("date_from", ">=", start),
                    ("date_from", "<", end),
                ]
            )
            by_range = {(leave.date_from, leave.date_to): leave for leave in existing}
            kept = Leave
            for day, name in sorted(days.items()):
                date_from, date_to = utc(day), utc(day + timedelta(days=1))
                leave = by_range.get((date_from, date_to))
                if not leave:
                    created.append(
                        {
                            "name": name,
                            "calendar_id": calendar.id,
                            "date_from": date_from,
                            "date_to": date_to,
                            "time_type": "leave",
                            "is_public_holiday": True,
                        }
                    )
                    continue
                kept |= leave
                if leave.is_public_holiday and leave.name != name:
                    leave.name = name
            # the days filled before that are no public holidays any more
            (existing.filtered("is_public_holiday") - kept).unlink()
        Leave.create(created)
        return len(created)

    def _get_public_holidays(self, years):
        """{date: name} of the public holidays of the calendar's country, named
        in its company's language when the library knows it (else in the
        country's own language)."""
        self.ensure_one()
        code = self.country_id.code
        try:
            country = holidays.country_holidays(code)
        except NotImplementedError:
            raise UserError(
                self.env._(
                    "No public holidays are known for %(country)s.",
                    country=self.country_id.name,
                )
            ) from None
        lang = self.company_id.partner_id.lang or self.env.lang or "en_US"
        supported = country.supported_languages
        language = next(
            (
                candidate
                for candidate in (lang, lang.split("_")[0])
                if candidate in supported
            ),
            None,
        )
        return dict(holidays.country_holidays(code, years=years, language=language))
