from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketWork(models.Model):
    _inherit = "helpdesk.ticket.work"

    visit_id = fields.Many2one(
        "helpdesk.visit",
        index="btree_not_null",
        ondelete="set null",
        domain="[('ticket_id', '=', ticket_id)]",
        help="The engineer's visit this work or part was done in.",
    )

    @api.constrains("visit_id", "ticket_id")
    def _check_visit_ticket(self):
        for work in self:
            if work.visit_id and work.visit_id.ticket_id != work.ticket_id:
                raise ValidationError(
                    self.env._(
                        "Visit %(visit)s is not a visit of ticket %(ticket)s.",
                        visit=work.visit_id.display_name,
                        ticket=work.ticket_id.display_name,
                    )
                )
