# the KPI bookkeeping of helpdesk.ticket in a file of its own (STYLE 1)
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

# fields whose old value names the KPI rows a ticket leaves
KPI_KEY_FIELDS = ("user_id", "team_id")


class HelpdeskTicket(models.Model):
    """The ticket's KPI figures (wall-clock and working time from arrival), and
    the incremental KPI refresh told which agent or team a ticket leaves
    (reassigned or deleted); the new owner is found by the write date."""

    _inherit = "helpdesk.ticket"

    # KPIs: wall-clock and working time from arrival
    time_ack_minutes = fields.Float(
        "Time to acknowledge (min)",
        compute="_compute_kpi_wall",
        store=True,
        aggregator="avg",
        groups="base.group_user",
    )
    time_report_minutes = fields.Float(
        "Time to first report (min)",
        compute="_compute_kpi_wall",
        store=True,
        aggregator="avg",
        groups="base.group_user",
    )
    time_resolve_hours = fields.Float(
        "Time to resolve (h)",
        compute="_compute_kpi_wall",
        store=True,
        aggregator="avg",
        groups="base.group_user",
    )
    time_ack_work_minutes = fields.Float(
        "Working time to acknowledge (min)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )
    time_report_work_minutes = fields.Float(
        "Working time to first report (min)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )
    time_resolve_work_hours = fields.Float(
        "Working time to resolve (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )

    @api.depends("date_received", "date_ack", "date_first_response", "date_resolved")
    def _compute_kpi_wall(self):
        for ticket in self:
            start = ticket.date_received

            def minutes(end, start=start):
                return (
                    round((end - start).total_seconds() / 60, 2)
                    if start and end
                    else 0.0
                )

            ticket.time_ack_minutes = minutes(ticket.date_ack)
            ticket.time_report_minutes = minutes(ticket.date_first_response)
            ticket.time_resolve_hours = round(minutes(ticket.date_resolved) / 60, 3)

    def write(self, vals):
        if self and any(field in vals for field in KPI_KEY_FIELDS):
            self._kpi_mark_stale()
        return super().write(vals)

    def unlink(self):
        self._kpi_mark_stale()
        return super().unlink()

    def _kpi_mark_stale(self):
        tickets = self.sudo()
        self.env["helpdesk.kpi.stale"]._mark(tickets.user_id, tickets.team_id)
