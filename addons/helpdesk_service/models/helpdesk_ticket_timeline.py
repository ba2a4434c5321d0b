"""The ticket's timeline: the dated facts of its life (acknowledged, answered,
resolved, contacts) and the events that record who did what and when."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models

from ..const import (
    PRIORITIES,
)
from .helpdesk_ticket import HelpdeskTicket


class HelpdeskTicketTimeline(models.Model):
    _inherit = "helpdesk.ticket"

    # timeline and derived figures
    event_ids = fields.One2many(
        "helpdesk.ticket.event", "ticket_id", "Timeline", groups="base.group_user"
    )
    call_ids = fields.One2many(
        "helpdesk.ticket.call", "ticket_id", "Calls", groups="base.group_user"
    )
    date_ack = fields.Datetime("Acknowledged on", readonly=True, copy=False)
    date_first_response = fields.Datetime(
        "First response on", readonly=True, copy=False
    )
    date_resolved = fields.Datetime(
        "Resolved on", readonly=True, copy=False, index=True
    )
    date_closed = fields.Datetime("Closed on", readonly=True, copy=False, index=True)
    date_last_stage_update = fields.Datetime(
        "Last stage update", readonly=True, copy=False, default=fields.Datetime.now
    )
    date_last_contact = fields.Datetime(
        "Last contact",
        readonly=True,
        copy=False,
        index=True,
        help="Last client message, public reply or phone call.",
    )
    date_last_agent_update = fields.Datetime(
        "Last agent update",
        readonly=True,
        copy=False,
        index=True,
        groups="base.group_user",
        help="Last public reply of an agent or change of stage. The assignee is "
        "reminded when it is older than the team's follow-up delay.",
    )
    # internal figures: clients read what the portal shows, not these
    reopen_count = fields.Integer(
        "Reopened", readonly=True, copy=False, groups="base.group_user"
    )
    client_message_count = fields.Integer(
        "Client messages", readonly=True, copy=False, groups="base.group_user"
    )
    agent_reply_count = fields.Integer(
        "Agent replies", readonly=True, copy=False, groups="base.group_user"
    )
    call_count = fields.Integer(
        "Number of calls",
        compute="_compute_call_count",
        store=True,
        compute_sudo=True,
        groups="base.group_user",
    )
    contact_count = fields.Integer(
        "Contacts",
        compute="_compute_contact_count",
        store=True,
        groups="base.group_user",
        help="Client messages, agents' public replies and phone calls.",
    )
    # the same number as a float, so that its average keeps its decimals in
    # the pivot, graph and list (an averaged integer is shown rounded)
    contacts_per_ticket = fields.Float(
        "Contacts per ticket",
        compute="_compute_contact_count",
        store=True,
        aggregator="avg",
        groups="base.group_user",
        help="Average of the contacts (client messages, agents' public replies and "
        "phone calls) of the tickets.",
    )

    @api.depends("call_ids")
    def _compute_call_count(self):
        counts = {
            ticket.id: count
            for ticket, count in self.env["helpdesk.ticket.call"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        }
        for ticket in self:
            ticket.call_count = counts.get(ticket.id, 0)

    @api.depends("client_message_count", "agent_reply_count", "call_count")
    def _compute_contact_count(self):
        for ticket in self:
            ticket.contact_count = (
                ticket.client_message_count
                + ticket.agent_reply_count
                + ticket.call_count
            )
            ticket.contacts_per_ticket = ticket.contact_count

    def _prepare_event_vals(self, ticket, event_type, **kw):
        vals = {
            "ticket_id": ticket.id,
            "event_type": event_type,
            "date": kw.pop("date", None) or fields.Datetime.now(),
            "user_id": kw.pop("user_id", self.env.uid),
            "team_id": ticket.team_id.id,
            "stage_id": ticket.stage_id.id,
            "agent_id": ticket.user_id.id,
        }
        vals.update(kw)
        return vals

    def _log_changes(self, before):
        """Timeline rows and derived dates after a write of tracked fields."""
        now = fields.Datetime.now()
        events = []
        reopened = self.browse()
        for ticket in self:
            old_stage, old_user, old_priority, old_effective = before[ticket.id]
            stage = ticket.stage_id
            if stage != old_stage:
                events += ticket._stage_change_events(old_stage, now)
                if old_stage.is_closing and not stage.is_closing:
                    reopened |= ticket
            if ticket.user_id != old_user:
                events.append(
                    self._prepare_event_vals(
                        ticket,
                        "reassigned" if old_user else "assigned",
                        date=now,
                        old_value=old_user.name or False,
                        new_value=ticket.user_id.name or False,
                    )
                )
            if (
                ticket.priority != old_priority
                or ticket.priority_effective != old_effective
            ):
                labels = dict(PRIORITIES)
                events.append(
                    self._prepare_event_vals(
                        ticket,
                        "priority",
                        date=now,
                        old_value=labels.get(old_priority),
                        new_value=labels.get(ticket.priority),
                        note=self.env._(
                            "Effective priority %(old)s → %(new)s",
                            old=old_effective,
                            new=ticket.priority_effective,
                        ),
                    )
                )
        if events:
            self.env["helpdesk.ticket.event"].sudo().create(events)
        # derived dates: one UPDATE per group of identical values
        to_ack = self.filtered(
            lambda t: (
                not t.date_ack
                and t.stage_id != before[t.id][0]
                and t.stage_kind != "new"
            )
        )
        if to_ack:
            super(HelpdeskTicket, to_ack).write({"date_ack": now})
        resolved = self.filtered(
            lambda t: (
                t.is_closed and not before[t.id][0].is_closing and not t.date_resolved
            )
        )
        if resolved:
            super(HelpdeskTicket, resolved).write({"date_resolved": now})
        for ticket in reopened:
            super(HelpdeskTicket, ticket).write(
                {
                    "reopen_count": ticket.reopen_count + 1,
                    "date_resolved": False,
                    "date_closed": False,
                }
            )
        return True

    def _stage_change_events(self, old_stage, now):
        self.ensure_one()
        stage = self.stage_id
        kind_event = {
            "in_progress": "work_started",
            "waiting": "waiting",
            "resolved": "resolved",
            "closed": "closed",
        }
        events = []
        if old_stage.is_closing and not stage.is_closing:
            event_type = "reopened"
        elif stage.kind == "in_progress" and old_stage.kind == "waiting":
            event_type = "stage"
        else:
            event_type = kind_event.get(stage.kind, "stage")
        if stage.kind != "new" and not self.date_ack:
            events.append(self._prepare_event_vals(self, "acknowledged", date=now))
        events.append(
            self._prepare_event_vals(
                self,
                event_type,
                date=now,
                old_value=old_stage.name,
                new_value=stage.name,
            )
        )
        return events
