"""The planned maintenance a ticket is about: its working time is not counted
against the ticket's service-level targets (issue #22)."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketMaintenance(models.Model):
    _inherit = "helpdesk.ticket"

    maintenance_announcement_id = fields.Many2one(
        "helpdesk.announcement",
        "Planned maintenance",
        index="btree_not_null",
        # cancel it instead: its tickets' clocks count the window again
        ondelete="restrict",
        check_company=True,
        copy=False,
        tracking=True,
        domain="[('kind', '=', 'maintenance'), ('state', '=', 'published'), "
        "('date_end', '!=', False)]",
        groups="base.group_user",
        help="The announced planned maintenance this request is about: the working "
        "time of its window is not counted against the service-level targets.",
    )
    maintenance_proposal_id = fields.Many2one(
        "helpdesk.announcement",
        "Maintenance under way",
        compute="_compute_maintenance_proposal_id",
        compute_sudo=True,
        groups="base.group_user",
        help="A published planned maintenance of the client, its site or its "
        "equipment whose window contains the ticket's arrival: the agent confirms "
        "whether the request is about it.",
    )

    @api.depends(
        "maintenance_announcement_id",
        "date_received",
        "commercial_partner_id",
        "company_id",
    )
    def _compute_maintenance_proposal_id(self):
        Announcement = self.env["helpdesk.announcement"]
        tickets = self.filtered(
            lambda t: (
                not t.maintenance_announcement_id
                and t.date_received
                and t.commercial_partner_id
            )
        )
        (self - tickets).maintenance_proposal_id = False
        if not tickets:
            return
        received = tickets.mapped("date_received")
        # one search for all the tickets, matched below
        candidates = Announcement.search(
            Announcement._get_maintenance_domain()
            + [
                ("company_id", "in", [*tickets.company_id.ids, False]),
                ("date_start", "<=", max(received)),
                ("date_end", ">=", min(received)),
            ],
            order="date_start, id",
        )
        for ticket in tickets:
            ticket.maintenance_proposal_id = next(
                (
                    announcement
                    for announcement in candidates
                    if announcement._is_maintenance_of(ticket)
                ),
                False,
            )

    @api.constrains("maintenance_announcement_id")
    def _check_maintenance_announcement_id(self):
        for ticket in self.sudo():
            if ticket.maintenance_announcement_id.kind not in (False, "maintenance"):
                raise ValidationError(
                    self.env._(
                        "%(ticket)s can only be linked to a planned maintenance, "
                        "not to %(announcement)s.",
                        ticket=ticket.display_name,
                        announcement=ticket.maintenance_announcement_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        linked = tickets.sudo().filtered("maintenance_announcement_id")
        if linked:
            linked._log_maintenance_links({})
        return tickets

    def write(self, vals):
        if "maintenance_announcement_id" not in vals:
            return super().write(vals)
        before = {
            ticket.id: ticket.maintenance_announcement_id for ticket in self.sudo()
        }
        res = super().write(vals)
        changed = self.sudo().filtered(
            lambda t: t.maintenance_announcement_id != before[t.id]
        )
        if changed:
            changed._log_maintenance_links(before)
            changed._sla_sync()
        return res

    # ------------------------------------------------------------ actions
    def action_link_maintenance(self):
        """The agent confirms that the request is about the maintenance under
        way proposed on the ticket."""
        todo = self.filtered(
            lambda t: t.maintenance_proposal_id and not t.maintenance_announcement_id
        )
        for announcement, tickets in todo.grouped("maintenance_proposal_id").items():
            tickets.maintenance_announcement_id = announcement
        return True

    # ------------------------------------------------------------ business
    def _get_sla_skipped_windows(self):
        """[(start, end)] of the published planned maintenance the ticket is
        about, not counted by its service-level clocks."""
        self.ensure_one()
        announcement = self.sudo().maintenance_announcement_id
        if (
            announcement.kind == "maintenance"
            and announcement.state == "published"
            and announcement.date_end
        ):
            return [(announcement.date_start, announcement.date_end)]
        return []

    def _log_maintenance_links(self, before):
        """A timeline row per ticket linked to (or unlinked from) a planned
        maintenance, naming it and its window."""
        Event = self.env["helpdesk.ticket.event"].sudo()
        events = []
        for ticket in self:
            old = before.get(ticket.id) or ticket.env["helpdesk.announcement"]
            new = ticket.maintenance_announcement_id
            note = False
            if new.date_end:
                note = self.env._(
                    "SLA clock paused during the planned maintenance, "
                    "%(start)s to %(end)s (UTC).",
                    start=fields.Datetime.to_string(new.date_start),
                    end=fields.Datetime.to_string(new.date_end),
                )
            elif old:
                note = self.env._("SLA clock no longer paused by this maintenance.")
            events.append(
                ticket._prepare_event_vals(
                    ticket,
                    "maintenance",
                    old_value=old.name or False,
                    new_value=new.name or False,
                    note=note,
                )
            )
        Event.create(events)
