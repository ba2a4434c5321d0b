from odoo import api, fields, models

from ..tools.ticket_rows import with_ticket_values

EVENT_TYPES = [
    ("received", "Received"),
    ("acknowledged", "Acknowledged"),
    ("first_reply", "First public reply"),
    ("reply", "Agent reply"),
    ("client_message", "Client message"),
    ("work_started", "Work started"),
    ("waiting", "Waiting for client"),
    ("stage", "Stage changed"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("reopened", "Reopened"),
    ("assigned", "Assigned"),
    ("reassigned", "Reassigned"),
    ("priority", "Priority changed"),
    ("call", "Phone call"),
    ("merged", "Merged"),
    ("complaint", "Complaint"),
    ("corrected", "Figure corrected"),
    ("maintenance", "Planned maintenance"),
]


class HelpdeskTicketEvent(models.Model):
    """One row per meaningful event of a ticket's life, with its time and who
    did it. Rows are written by the ticket's own logic (as superuser) and are
    read-only for everybody: nothing edits or deletes the history."""

    _name = "helpdesk.ticket.event"
    _description = "Helpdesk Ticket Timeline Event"
    _order = "date desc, id desc"
    _rec_name = "event_type"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    event_type = fields.Selection(EVENT_TYPES, "Event", required=True, index=True)
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", "Done by", index=True, default=lambda self: self.env.user
    )
    author_id = fields.Many2one("res.partner")
    agent_id = fields.Many2one("res.users", "Assigned agent", index=True)
    team_id = fields.Many2one("helpdesk.team", index=True)
    stage_id = fields.Many2one("helpdesk.stage")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", store=True, string="Client"
    )
    old_value = fields.Char("From")
    new_value = fields.Char("To")
    note = fields.Char()
    message_id = fields.Many2one("mail.message", ondelete="set null")

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(with_ticket_values(self, vals_list))
