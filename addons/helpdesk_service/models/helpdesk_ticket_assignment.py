"""Who handles the ticket: the team's automatic assignment at creation and
the agent taking it."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, models

from .helpdesk_ticket import HelpdeskTicket


class HelpdeskTicketAssignment(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _assign_on_create(self, vals_list):
        """Choose the agents of new tickets of teams that assign automatically,
        in their values (before the insert), in batch per team. Returns
        {index in vals_list: team} of the tickets it assigned."""
        context = self.env.context
        pending = {}
        for index, vals in enumerate(vals_list):
            if vals.get("user_id") or (
                "user_id" not in vals and context.get("default_user_id")
            ):
                continue
            team_id = vals.get("team_id", context.get("default_team_id"))
            if team_id:
                pending.setdefault(team_id, []).append(index)
        Team = self.env["helpdesk.team"]
        Type = self.env["helpdesk.ticket.type"]
        assigned = {}
        for team_id, indexes in pending.items():
            team = Team.browse(team_id)
            if team.assign_method in (False, "manual"):
                continue
            types = [
                Type.browse(
                    vals_list[index].get("type_id", context.get("default_type_id"))
                )
                for index in indexes
            ]
            users = team._assign_users_by_type(types)
            for index, user in zip(indexes, users, strict=False):
                vals_list[index]["user_id"] = user.id
                assigned[index] = team
        return assigned

    def _prepare_assigned_event_vals(self, ticket, team, now):
        return self._prepare_event_vals(
            ticket,
            "assigned",
            date=now,
            new_value=ticket.user_id.name,
            note=self.env._(
                "Assigned automatically (%(method)s)", method=team.assign_method
            ),
        )

    def _auto_assign(self, now):
        """Give an agent to the unassigned tickets of teams that assign
        automatically. Returns the timeline rows to create."""
        events = []
        unassigned = self.filtered(
            lambda t: not t.user_id and t.team_id.assign_method not in (False, "manual")
        )
        for team, tickets in unassigned.grouped("team_id").items():
            assignment = team._assign_users(tickets)
            by_user = {}
            for ticket, user in assignment.items():
                by_user.setdefault(user, self.browse())
                by_user[user] |= ticket
            for user, user_tickets in by_user.items():
                # plain super().write: the timeline rows are built here, in batch
                super(HelpdeskTicket, user_tickets).write({"user_id": user.id})
                events += [
                    self._prepare_assigned_event_vals(t, team, now)
                    for t in user_tickets
                ]
        return events

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})
        return True
