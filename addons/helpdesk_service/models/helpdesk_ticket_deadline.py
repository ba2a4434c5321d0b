"""The ticket's next service-level deadline, for cards, list rows and filters."""

from datetime import timedelta

from odoo import api, fields, models

from ..tools.sla_clock import SlaClock

# the working intervals sent to the countdown widget cover this span from now,
# so that it ticks (or stands still) right without a reload
COUNTDOWN_SPAN = timedelta(hours=24)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_next_deadline = fields.Datetime(
        "Next SLA deadline",
        compute="_compute_sla_next_deadline",
        store=True,
        index=True,
        groups="base.group_user",
        help="The nearest deadline of the open ticket's targets not reached yet, "
        "overdue ones included; empty while the clock waits for the client.",
    )
    sla_countdown = fields.Json(
        "SLA countdown",
        compute="_compute_sla_countdown",
        compute_sudo=True,
        groups="base.group_user",
        help="Remaining working time of the next target, for the live countdown.",
    )

    @api.depends(
        "is_closed",
        "sla_line_ids.deadline",
        "sla_line_ids.date_reached",
        "sla_line_ids.status",
    )
    def _compute_sla_next_deadline(self):
        for ticket in self:
            lines = ticket._get_sla_next_lines()
            deadlines = [d for d in lines.mapped("deadline") if d]
            ticket.sla_next_deadline = min(deadlines) if deadlines else False

    @api.depends(
        "sla_next_deadline",
        "sla_line_ids.is_paused",
        "sla_line_ids.date_warning",
        "sla_line_ids.sla_id",
    )
    def _compute_sla_countdown(self):
        """{"state": "running" | "paused" | "overdue", "remaining": working
        seconds left (negative: overdue by), "warn": remaining at which the
        policy's warning threshold is passed, "work": working intervals of the
        next 24 h as [start, end] seconds from now}, or False without a target.
        Computed with the policy's working calendar at the server's time, so the
        browser's own clock only measures the time elapsed since the read."""
        now = fields.Datetime.now()
        # the policies and their calendars of all the tickets, in one go
        self.sla_line_ids.sla_id.mapped("resource_calendar_id")
        next_lines = {}
        for ticket in self:
            lines = ticket._get_sla_next_lines()
            running = lines.filtered("deadline")
            if running:
                next_lines[ticket] = min(running, key=lambda r: (r.deadline, r.id))
            else:
                paused = lines.filtered("is_paused")
                ticket.sla_countdown = {"state": "paused"} if paused else False
        # one read of each calendar's working intervals, over the span of all
        clocks = {}
        for calendar, lines in (
            self.env["helpdesk.ticket.sla"]
            .concat(*next_lines.values())
            .grouped(lambda line: line.sla_id.resource_calendar_id)
            .items()
        ):
            clock = clocks[calendar.id] = SlaClock(calendar)
            dates = lines.mapped("deadline") + lines.mapped("date_warning")
            low = min([now, *[d for d in dates if d]])
            high = max([now + COUNTDOWN_SPAN, *lines.mapped("deadline")])
            clock.work_intervals(low, high)
        for ticket, line in next_lines.items():
            clock = clocks[line.sla_id.resource_calendar_id.id]
            deadline = line.deadline
            # the planned maintenance the ticket is about does not count
            skipped = ticket._get_sla_skipped_windows()
            if deadline > now:
                remaining = clock.working_minutes(now, deadline, skipped) * 60
            else:
                remaining = -clock.working_minutes(deadline, now, skipped) * 60
            warning = line.date_warning
            warn = (
                clock.working_minutes(warning, deadline, skipped) * 60
                if warning and warning < deadline
                else 0
            )
            work = [
                [round((a - now).total_seconds()), round((b - now).total_seconds())]
                for a, b in clock.work_intervals(now, now + COUNTDOWN_SPAN, skipped)
            ]
            ticket.sla_countdown = {
                "state": "overdue" if remaining <= 0 else "running",
                "remaining": round(remaining),
                "warn": round(warn),
                "work": work,
            }

    def _get_sla_next_lines(self):
        """The open ticket's targets still to reach: running, paused or overdue."""
        self.ensure_one()
        if self.is_closed:
            return self.env["helpdesk.ticket.sla"]
        return self.sla_line_ids.filtered(
            lambda line: not line.date_reached and line.status != "met"
        )
