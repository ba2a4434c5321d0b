from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column


class HelpdeskTicketSla(models.Model):
    _inherit = "helpdesk.ticket.sla"

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

    def _auto_init(self):
        # one line per target of every ticket: create the column empty rather
        # than computing it at install (no target is credited yet)
        if not column_exists(self.env.cr, self._table, "helpdesk_invoice_line_id"):
            create_column(self.env.cr, self._table, "helpdesk_invoice_line_id", "int4")
        return super()._auto_init()

    @api.depends("helpdesk_invoice_line_ids.parent_state")
    def _compute_helpdesk_invoice_line_id(self):
        for line in self:
            line.helpdesk_invoice_line_id = line.helpdesk_invoice_line_ids.filtered(
                lambda aml: aml.parent_state != "cancel"
            )[:1]
