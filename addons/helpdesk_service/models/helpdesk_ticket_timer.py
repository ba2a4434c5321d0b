from odoo import fields, models


class HelpdeskTicketTimer(models.Model):
    """A running timer of one user on one ticket. Stopping it records the time
    as a timesheet of the ticket and deletes it (see helpdesk.ticket)."""

    _name = "helpdesk.ticket.timer"
    _description = "Helpdesk Ticket Timer"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
    )
    date_start = fields.Datetime(
        "Started on", required=True, default=fields.Datetime.now
    )

    _sql_constraints = [
        (
            "ticket_user_uniq",
            "unique(ticket_id, user_id)",
            "A user runs one timer per ticket.",
        ),
    ]
