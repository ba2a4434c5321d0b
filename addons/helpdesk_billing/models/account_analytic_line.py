from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import column_exists, create_column

# what an invoice counted: frozen while the invoice lives
INVOICED_FIELDS = {"unit_amount", "date", "helpdesk_ticket_id"}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    helpdesk_invoice_line_ids = fields.Many2many(
        "account.move.line",
        "account_move_line_helpdesk_timesheet_rel",
        "timesheet_id",
        "move_line_id",
        "Helpdesk invoice lines",
        copy=False,
        readonly=True,
    )
    helpdesk_invoice_line_id = fields.Many2one(
        "account.move.line",
        "Counted on invoice line",
        compute="_compute_helpdesk_invoice_line_id",
        store=True,
        index="btree_not_null",
        help="The line of a live (not cancelled) invoice that counted these hours "
        "against the contract's included hours.",
    )

    def _auto_init(self):
        # analytic lines can be many: create the column empty rather than
        # computing it line by line at install (no line is invoiced yet)
        if not column_exists(self.env.cr, self._table, "helpdesk_invoice_line_id"):
            create_column(self.env.cr, self._table, "helpdesk_invoice_line_id", "int4")
        return super()._auto_init()

    @api.depends("helpdesk_invoice_line_ids.parent_state")
    def _compute_helpdesk_invoice_line_id(self):
        for line in self:
            line.helpdesk_invoice_line_id = line.helpdesk_invoice_line_ids.filtered(
                lambda aml: aml.parent_state != "cancel"
            )[:1]

    def write(self, vals):
        if INVOICED_FIELDS & set(vals):
            self._helpdesk_check_not_invoiced()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_helpdesk_invoiced(self):
        self._helpdesk_check_not_invoiced()

    def _helpdesk_check_not_invoiced(self):
        invoiced = self.sudo().filtered("helpdesk_invoice_line_id")
        if invoiced:
            raise UserError(
                self.env._(
                    "These hours are counted on invoice %(invoices)s: cancel it "
                    "before changing or deleting them.",
                    invoices=", ".join(
                        invoiced.helpdesk_invoice_line_id.move_id.mapped("display_name")
                    ),
                )
            )
