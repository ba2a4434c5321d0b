"""The ticket's service level: its policy, its target lines kept in line with
the timeline, and the summary shown on cards and lists."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models

from ..const import (
    TARGET_DATE_FIELD,
)
from ..tools.sla_clock import SlaClock
from .helpdesk_ticket import HelpdeskTicket


class HelpdeskTicketServiceLevel(models.Model):
    _inherit = "helpdesk.ticket"

    # service level
    sla_id = fields.Many2one(
        "helpdesk.sla",
        "SLA policy",
        compute="_compute_sla_id",
        store=True,
        groups="base.group_user",
        help="The first policy, by sequence, that covers the ticket's team, type, "
        "effective priority and client.",
    )
    sla_line_ids = fields.One2many(
        "helpdesk.ticket.sla", "ticket_id", "SLA targets", groups="base.group_user"
    )
    sla_deadline = fields.Datetime(
        "SLA deadline",
        compute="_compute_sla_summary",
        store=True,
        index=True,
        help="The nearest deadline of the targets still running.",
    )
    sla_status = fields.Selection(
        [("ongoing", "Ongoing"), ("met", "Met"), ("failed", "Failed")],
        "SLA status",
        compute="_compute_sla_summary",
        store=True,
    )
    sla_failed = fields.Boolean(
        "SLA failed", compute="_compute_sla_summary", store=True
    )
    date_eta = fields.Datetime(
        "ETA",
        tracking=True,
        copy=False,
        help="When the agent expects the request to be solved; given to the client "
        "with the first report.",
    )

    @api.depends("team_id", "type_id", "priority_effective", "partner_id", "company_id")
    def _compute_sla_id(self):
        Sla = self.env["helpdesk.sla"]
        policies = Sla.browse(Sla._get_active_policy_ids())
        for ticket in self:
            ticket.sla_id = Sla._get_policy(ticket, policies)

    @api.depends("sla_line_ids.status", "sla_line_ids.deadline")
    def _compute_sla_summary(self):
        for ticket in self:
            lines = ticket.sla_line_ids
            statuses = set(lines.mapped("status"))
            running = lines.filtered(lambda line: line.status == "ongoing")
            deadlines = [d for d in running.mapped("deadline") if d]
            ticket.sla_deadline = min(deadlines) if deadlines else False
            ticket.sla_failed = "failed" in statuses
            if "failed" in statuses:
                ticket.sla_status = "failed"
            elif "ongoing" in statuses:
                ticket.sla_status = "ongoing"
            elif statuses:
                ticket.sla_status = "met"
            else:
                ticket.sla_status = False

    def _sla_sync(self, now=None):
        """Bring the SLA target lines of the tickets in line with their policy and
        their timeline: create, update or drop lines, in batch. Also stores the
        working-time KPIs of the targets reached."""
        if not self:
            return True
        now = now or fields.Datetime.now()
        Line = self.env["helpdesk.ticket.sla"].sudo()
        # no flush of the tickets: the searches below flush what they read, the
        # rest is read from memory (stored computes stay pending until the
        # request's flush, all tickets at once)
        existing = {
            (line.ticket_id.id, line.target): line for line in self.sudo().sla_line_ids
        }
        events_by_ticket = (
            self.sudo().event_ids.sorted(lambda e: (e.date, e.id)).grouped("ticket_id")
        )
        no_events = self.env["helpdesk.ticket.event"]
        clocks = {}
        to_create = []
        to_unlink = []
        # {values: [ids]}: one write per distinct set of changed values
        line_writes = {}
        ticket_writes = {}
        for ticket in self:
            sla = ticket.sla_id
            calendar = (
                sla.resource_calendar_id if sla else ticket.team_id.resource_calendar_id
            )
            clock = clocks.setdefault(calendar.id, SlaClock(calendar))
            events = events_by_ticket.get(ticket, no_events)
            targets = sla._get_target_minutes() if sla else {}
            # the planned maintenance the ticket is about: not counted
            skipped = ticket._get_sla_skipped_windows()
            kpi = {}
            for target, field in TARGET_DATE_FIELD.items():
                line = existing.pop((ticket.id, target), None)
                minutes = targets.get(target)
                if not minutes:
                    if line:
                        to_unlink.append(line.id)
                    if ticket[field]:
                        kpi[target] = clock.working_minutes(
                            ticket.date_received, ticket[field], skipped
                        )
                    continue
                vals = Line._compute_values(
                    ticket, sla, target, minutes, clock, events, now, skipped
                )
                if vals["date_reached"]:
                    kpi[target] = vals["spent_minutes"]
                if line:
                    if line.sla_id != sla or line.target_minutes != minutes:
                        vals.update(
                            sla_id=sla.id,
                            target_minutes=minutes,
                            is_warned=False,
                            is_escalated=False,
                        )
                    changed = {
                        k: v
                        for k, v in vals.items()
                        if line._fields[k].convert_to_write(line[k], line) != v
                    }
                    if changed:
                        key = tuple(sorted(changed.items()))
                        line_writes.setdefault(key, []).append(line.id)
                else:
                    to_create.append(
                        dict(
                            vals,
                            ticket_id=ticket.id,
                            sla_id=sla.id,
                            target=target,
                            target_minutes=minutes,
                        )
                    )
            values = {
                "time_ack_work_minutes": round(kpi.get("ack", 0.0), 2),
                "time_report_work_minutes": round(kpi.get("report", 0.0), 2),
                "time_resolve_work_hours": round(kpi.get("resolve", 0.0) / 60, 3),
            }
            changed = tuple((k, v) for k, v in values.items() if ticket[k] != v)
            if changed:
                ticket_writes.setdefault(changed, []).append(ticket.id)
        if to_unlink:
            Line.browse(to_unlink).unlink()
        for changed, line_ids in line_writes.items():
            Line.browse(line_ids).write(dict(changed))
        if to_create:
            Line.create(to_create)
        for changed, ticket_ids in ticket_writes.items():
            super(HelpdeskTicket, self.browse(ticket_ids)).write(dict(changed))
        return True
