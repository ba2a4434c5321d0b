from odoo import api, fields, models
from odoo.exceptions import UserError

# what an invoice counted: frozen while the invoice lives
INVOICED_FIELDS = {"unit_amount", "date", "helpdesk_ticket_id"}


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "helpdesk.invoiced.mixin"]

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
