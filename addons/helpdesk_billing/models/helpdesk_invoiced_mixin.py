from odoo import api, models
from odoo.tools.sql import column_exists, create_column


class HelpdeskInvoicedMixin(models.AbstractModel):
    """Records an invoice line counts (timesheets, SLA failures). The model
    declares ``helpdesk_invoice_line_ids`` (every invoice line that counted the
    record) and the stored ``helpdesk_invoice_line_id`` computed here: the line
    of the live (not cancelled) invoice, if any."""

    _name = "helpdesk.invoiced.mixin"
    _description = "Counted on a helpdesk invoice line"

    def _auto_init(self):
        # these tables can be big: create the column empty rather than
        # computing it row by row at install (nothing is invoiced yet)
        if self._auto and not column_exists(
            self.env.cr, self._table, "helpdesk_invoice_line_id"
        ):
            create_column(self.env.cr, self._table, "helpdesk_invoice_line_id", "int4")
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        # a record created without invoice lines is counted on none: its line
        # is known before the insert (no UPDATE after it to compute it)
        for vals in vals_list:
            if not vals.get("helpdesk_invoice_line_ids"):
                vals.setdefault("helpdesk_invoice_line_id", False)
        return super().create(vals_list)

    @api.depends(
        "helpdesk_invoice_line_ids.parent_state",
        "helpdesk_invoice_line_ids.helpdesk_is_released",
    )
    def _compute_helpdesk_invoice_line_id(self):
        for record in self:
            record.helpdesk_invoice_line_id = record.helpdesk_invoice_line_ids.filtered(
                lambda aml: (
                    aml.parent_state != "cancel" and not aml.helpdesk_is_released
                )
            )[:1]
