"""The agent's buttons on a ticket: acknowledge, start, close, turn the
answer into an article, announce an outage."""

# pylint: disable=consider-merging-classes-inherited

from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from .helpdesk_ticket import HelpdeskTicket


class HelpdeskTicketActions(models.Model):
    _inherit = "helpdesk.ticket"

    def action_acknowledge(self):
        """The agent takes note of the ticket: the acknowledgement clock stops."""
        todo = self.filtered(lambda t: not t.date_ack)
        if not todo:
            raise UserError(self.env._("These tickets are already acknowledged."))
        now = fields.Datetime.now()
        vals = {"date_ack": now}
        super(HelpdeskTicket, todo).write(vals)
        todo.filtered(lambda t: not t.user_id).write({"user_id": self.env.uid})
        self.env["helpdesk.ticket.event"].sudo().create(
            [self._prepare_event_vals(t, "acknowledged", date=now) for t in todo]
        )
        todo._sla_sync(now)
        return True

    def action_start(self):
        for ticket in self:
            stage = ticket.team_id._get_stage_of_kind("in_progress")
            if not stage:
                raise UserError(
                    self.env._(
                        "The team of %(ticket)s has no 'In progress' stage.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.stage_id = stage
        return True

    def action_close(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve %(ticket)s", ticket=self.ticket_ref),
            "res_model": "helpdesk.ticket.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_create_article(self):
        """Turn a solved ticket into a draft knowledge-base article."""
        self.ensure_one()
        if self.stage_kind not in ("resolved", "closed"):
            raise UserError(
                self.env._("Write an article from a resolved or closed ticket.")
            )
        body = self.description or ""
        if not is_html_empty(self.resolution):
            body += Markup("<h3>%s</h3>") % self.env._("Solution") + self.resolution
        article = self.env["helpdesk.article"].create(
            {
                "name": self.name,
                "body": body,
                "type_ids": [Command.set(self.type_id.ids)],
                "source_ticket_id": self.id,
                "company_id": self.company_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.article",
            "res_id": article.id,
            "view_mode": "form",
        }

    def action_announce(self):
        """Prepare an announcement of a major incident to its clients."""
        self.ensure_one()
        clients = (self | self.child_ids).commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.announcement",
            "view_mode": "form",
            "context": {
                "default_name": self.name,
                "default_kind": "incident",
                "default_ticket_id": self.id,
                "default_partner_ids": clients.ids,
                "default_company_id": self.company_id.id,
            },
        }
