# the scheduling conflicts of helpdesk.visit in a file of its own
# (STYLE 1: a model's file stays readable; helpdesk_visit.py holds the
# visit's definition)
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict

import pytz

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime
from odoo.tools.sql import create_index

from odoo.addons.resource.models.utils import Intervals, sum_intervals

from .helpdesk_visit import OPEN_STATES


class HelpdeskVisit(models.Model):
    """Conflicts in the engineers' schedule: a visit booked over another one
    of the same engineer, or outside his working hours."""

    _inherit = "helpdesk.visit"

    # ------------------------------------------------------------ computes
    @api.depends("user_id", "date_planned", "date_planned_end", "state", "company_id")
    @api.depends_context("tz")
    def _compute_conflict(self):
        todo = self.filtered(
            lambda v: (
                v.state in OPEN_STATES
                and v.user_id
                and v.date_planned
                and v.date_planned_end
            )
        )
        reasons = defaultdict(list)
        for visit, others in todo._get_double_bookings().items():
            reasons[visit].append(
                self.env._(
                    "Double booking with %(visits)s",
                    visits=", ".join(
                        f"{other.name} ({visit._format_time(other.date_planned)}-"
                        f"{visit._format_time(other.date_planned_end)})"
                        for other in others
                    ),
                )
            )
        for visit in todo._get_outside_working_hours():
            reasons[visit].append(
                self.env._(
                    "Outside %(engineer)s's working hours",
                    engineer=visit.user_id.name,
                )
            )
        for visit in self:
            visit.has_conflict = bool(reasons.get(visit))
            visit.conflict_reason = "; ".join(reasons.get(visit, [])) or False

    def _search_has_conflict(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        # double bookings in the database; the working hours (calendars,
        # holidays, leaves) in Python, for the open visits only
        outside = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("user_id", "!=", False),
                ("date_planned", "!=", False),
                ("date_planned_end", "!=", False),
            ]
        )._get_outside_working_hours()
        positive = (operator == "=") == value
        if positive:
            return [
                "|",
                ("id", "in", self._double_booked_sql()),
                ("id", "in", outside.ids),
            ]
        return [
            ("id", "not in", self._double_booked_sql()),
            ("id", "not in", outside.ids),
        ]

    def init(self):
        res = super().init()
        # serves the overlap search: the open visits of an engineer by start
        create_index(
            self.env.cr,
            "helpdesk_visit_open_user_date_planned_index",
            self._table,
            ["user_id", "date_planned", "date_planned_end"],
            where="state IN ({})".format(
                ", ".join(f"'{state}'" for state in OPEN_STATES)
            ),
        )
        return res

    # ------------------------------------------------------------ conflicts
    def _format_time(self, value):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return format_datetime(self.env, value, tz=tz, dt_format="HH:mm")

    @api.model
    def _double_booked_sql(self):
        """SQL subquery of the ids of the open visits overlapping another open
        visit of their engineer."""
        self.flush_model(["user_id", "state", "date_planned", "date_planned_end"])
        return SQL(
            """(SELECT visit.id FROM helpdesk_visit visit
                 WHERE visit.state IN %(states)s AND EXISTS (
                    SELECT 1 FROM helpdesk_visit other
                     WHERE other.user_id = visit.user_id
                       AND other.state IN %(states)s
                       AND other.date_planned < visit.date_planned_end
                       AND other.date_planned_end > visit.date_planned
                       AND other.id != visit.id))""",
            states=OPEN_STATES,
        )

    def _get_double_bookings(self):
        """{visit: other open visits of its engineer overlapping it}: one
        query joining the visits' own times (also unsaved ones) with the open
        visits of their engineers in the database, so that only the
        overlapping ones are read."""
        if not self:
            return {}
        self.flush_model(["user_id", "state", "date_planned", "date_planned_end"])
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s::timestamp, %s::timestamp, %s)",
                index,
                visit.user_id.id,
                visit.date_planned,
                visit.date_planned_end,
                visit._origin.id or 0,
            )
            for index, visit in enumerate(self)
        )
        # another team's visit blocks the engineer too: every visit, no rules
        pairs = self.env.execute_query(
            SQL(
                """SELECT mine.idx, other.id
                     FROM (VALUES %(rows)s)
                          AS mine(idx, user_id, date_start, date_end, visit_id)
                     JOIN helpdesk_visit other
                       ON other.user_id = mine.user_id
                      AND other.state IN %(states)s
                      AND other.date_planned < mine.date_end
                      AND other.date_planned_end > mine.date_start
                      AND other.id != mine.visit_id
                 ORDER BY other.date_planned, other.id""",
                rows=rows,
                states=OPEN_STATES,
            )
        )
        # sudo: a dispatcher learns the reference and times of a visit of
        # another team, nothing more
        Visit = self.sudo().browse()
        others_of = defaultdict(list)
        for index, other_id in pairs:
            others_of[index].append(other_id)
        return {
            visit: Visit.browse(others_of[index])
            for index, visit in enumerate(self)
            if index in others_of
        }

    def _get_outside_working_hours(self):
        """Visits not fully inside their engineer's working time: the calendar of
        his employee (else of the company), minus public holidays and his
        leaves. One work-interval computation per calendar."""
        result = self.browse()
        if not self:
            return result
        employees = (
            self.env["hr.employee"].sudo().search([("user_id", "in", self.user_id.ids)])
        )
        employee_of = {
            (employee.user_id.id, employee.company_id.id): employee
            for employee in employees
        }
        groups = defaultdict(list)
        for visit in self:
            employee = employee_of.get((visit.user_id.id, visit.company_id.id))
            calendar = (
                employee.resource_calendar_id
                if employee
                else visit.company_id.resource_calendar_id
            )
            if not calendar:
                continue  # no working time defined: any time goes
            groups[calendar].append((visit, employee.resource_id if employee else None))
        for calendar, items in groups.items():
            start = pytz.utc.localize(min(v.date_planned for v, _r in items))
            end = pytz.utc.localize(max(v.date_planned_end for v, _r in items))
            resources = self.env["resource.resource"].union(
                *(resource for _v, resource in items if resource)
            )
            intervals = calendar.sudo()._work_intervals_batch(
                start, end, resources=resources or None
            )
            for visit, resource in items:
                work = intervals[resource.id if resource else False]
                planned = Intervals(
                    [
                        (
                            pytz.utc.localize(visit.date_planned),
                            pytz.utc.localize(visit.date_planned_end),
                            visit,
                        )
                    ]
                )
                # a minute outside the working time is tolerated
                if sum_intervals(planned - work) > 1 / 60:
                    result |= visit
        return result
