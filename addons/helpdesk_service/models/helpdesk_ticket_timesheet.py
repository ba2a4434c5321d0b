"""Labour time on tickets (hr_timesheet): timesheets, totals, the timer."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketTimesheet(models.Model):
    _inherit = "helpdesk.ticket"

    # labour time (hr_timesheet): timesheets and timers
    timesheet_ids = fields.One2many(
        "account.analytic.line",
        "helpdesk_ticket_id",
        "Timesheets",
        groups="base.group_user",
    )
    planned_hours = fields.Float(
        "Allocated hours",
        tracking=True,
        groups="base.group_user",
        help="Time planned for the ticket: the remaining hours count down from it.",
    )
    effective_hours = fields.Float(
        "Hours spent",
        compute="_compute_timesheet_totals",
        store=True,
        groups="base.group_user",
        help="Sum of the ticket's timesheets.",
    )
    remaining_hours = fields.Float(
        compute="_compute_remaining_hours",
        store=True,
        groups="base.group_user",
        help="Allocated hours minus hours spent (0 when no hours are allocated).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    labour_cost = fields.Monetary(
        compute="_compute_timesheet_totals",
        store=True,
        groups="helpdesk_service.group_helpdesk_manager",
        help="Sum of the timesheets' hours times the hourly cost of their employees.",
    )
    timer_running = fields.Boolean(
        compute="_compute_timer",
        groups="base.group_user",
        help="You have a timer running on this ticket.",
    )
    timer_date_start = fields.Datetime(
        "Timer started on", compute="_compute_timer", groups="base.group_user"
    )

    @api.depends("timesheet_ids.unit_amount", "timesheet_ids.labour_cost")
    def _compute_timesheet_totals(self):
        saved = self.filtered("id")
        totals = {}
        if saved:
            totals = {
                ticket.id: (hours, cost)
                for ticket, hours, cost in self.env[
                    "account.analytic.line"
                ]._read_group(
                    [("helpdesk_ticket_id", "in", saved.ids)],
                    ["helpdesk_ticket_id"],
                    ["unit_amount:sum", "labour_cost:sum"],
                )
            }
        for ticket in self:
            if ticket.id:
                hours, cost = totals.get(ticket.id, (0.0, 0.0))
            else:  # a form being edited: its lines are in memory only
                lines = ticket.timesheet_ids
                hours = sum(lines.mapped("unit_amount"))
                cost = sum(lines.mapped("labour_cost"))
            ticket.effective_hours = hours
            ticket.labour_cost = cost

    @api.depends("planned_hours", "effective_hours")
    def _compute_remaining_hours(self):
        for ticket in self:
            ticket.remaining_hours = (
                ticket.planned_hours - ticket.effective_hours
                if ticket.planned_hours > 0
                else 0.0
            )

    @api.depends_context("uid")
    def _compute_timer(self):
        # only the user's own timers, which the record rules let him read anyway
        timers = {
            timer.ticket_id.id: timer
            for timer in self.env["helpdesk.ticket.timer"]
            .sudo()
            .search(
                [
                    ("ticket_id", "in", self._origin.ids),
                    ("user_id", "=", self.env.uid),
                ]
            )
        }
        for ticket in self:
            timer = timers.get(ticket._origin.id)
            ticket.timer_running = bool(timer)
            ticket.timer_date_start = timer.date_start if timer else False

    def action_timer_start(self):
        """Start the current user's timer on the ticket."""
        self.ensure_one()
        timer = self._get_my_timer()
        if timer:
            raise UserError(
                self.env._(
                    "Your timer already runs on %(ticket)s (started on %(start)s).",
                    ticket=self.display_name,
                    start=fields.Datetime.to_string(
                        fields.Datetime.context_timestamp(self, timer.date_start)
                    ),
                )
            )
        # fail now rather than when the timer stops
        self._get_timesheet_employee()
        self._get_timesheet_project()
        self.env["helpdesk.ticket.timer"].create(
            {"ticket_id": self.id, "user_id": self.env.uid}
        )
        return True

    def action_timer_stop(self):
        """Record the time of the current user's timer as one timesheet line of
        the ticket, rounded per the team's rules, and remove the timer."""
        self.ensure_one()
        timer = self._get_my_timer()
        if not timer:
            raise UserError(
                self.env._(
                    "You have no timer running on %(ticket)s.",
                    ticket=self.display_name,
                )
            )
        employee = self._get_timesheet_employee()
        hours = self.team_id._get_timer_hours(timer.date_start, fields.Datetime.now())
        if hours:
            self.env["account.analytic.line"].create(
                self._prepare_timesheet_vals(employee, timer.date_start, hours)
            )
        timer.unlink()
        return True

    def action_timer_cancel(self):
        """Drop the current user's timer without recording any time."""
        self.ensure_one()
        self._get_my_timer().unlink()
        return True

    def _get_my_timer(self):
        self.ensure_one()
        return self.env["helpdesk.ticket.timer"].search(
            [("ticket_id", "=", self.id), ("user_id", "=", self.env.uid)], limit=1
        )

    def _get_timesheet_employee(self, user=None):
        """The employee of ``user`` (default: the current user) in the ticket's
        company, as a sudo record; a clear error when there is none."""
        self.ensure_one()
        user = user or self.env.user
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )
        if not employee:
            raise UserError(
                self.env._(
                    "%(user)s has no employee in %(company)s, so time cannot be "
                    "recorded. An administrator must create one in the Employees "
                    "app, with %(user)s as its related user.",
                    user=user.name,
                    company=self.company_id.name,
                )
            )
        return employee

    def _get_timesheet_project(self):
        """{ticket id: project.project} receiving each ticket's timesheets: the
        project of its team, created if the team has none yet."""
        no_team = self.filtered(lambda t: not t.team_id)
        if no_team:
            raise UserError(
                self.env._(
                    "Set a team on %(tickets)s first: the time spent on a ticket is "
                    "recorded in its team's project.",
                    tickets=", ".join(no_team.mapped("display_name")),
                )
            )
        self.team_id._ensure_project()
        return {ticket.id: ticket.team_id.project_id for ticket in self}

    def _prepare_timesheet_vals(self, employee, date_start, hours):
        self.ensure_one()
        return {
            "helpdesk_ticket_id": self.id,
            "employee_id": employee.id,
            "date": fields.Date.context_today(self, timestamp=date_start),
            "unit_amount": hours,
            "name": self.display_name,
        }
