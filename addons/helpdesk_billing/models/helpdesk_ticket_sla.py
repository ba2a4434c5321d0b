from odoo import fields, models


class HelpdeskTicketSla(models.Model):
    _name = "helpdesk.ticket.sla"
    _inherit = ["helpdesk.ticket.sla", "helpdesk.invoiced.mixin"]

    helpdesk_invoice_line_ids = fields.Many2many(
        "account.move.line",
        "account_move_line_helpdesk_ticket_sla_rel",
        "sla_line_id",
        "move_line_id",
        "Invoice lines",
        copy=False,
        readonly=True,
    )
    helpdesk_invoice_line_id = fields.Many2one(
        "account.move.line",
        "Credited on invoice line",
        compute="_compute_helpdesk_invoice_line_id",
        store=True,
        index="btree_not_null",
        help="The SLA compensation line of a live (not cancelled) invoice that "
        "credits this failure.",
    )
