from dateutil.relativedelta import relativedelta

from odoo import models


class ContractLine(models.Model):
    _inherit = "contract.line"

    def _prepare_invoice_line(self):
        # remember the fee period the invoice line bills: cancelling or
        # releasing the invoice gives exactly that period back to the contract
        vals = super()._prepare_invoice_line()
        if vals and not self.display_type:
            vals.update(
                helpdesk_fee_period_start=self.next_period_date_start,
                helpdesk_fee_period_end=self.next_period_date_end,
            )
        return vals

    def _helpdesk_release_period(self, date_start, date_end):
        """Make the fee period (date_start, date_end) of the line billable again
        (its invoice was cancelled, deleted or reversed): the line's next
        invoice covers that period again. Returns False when a later period
        is invoiced already (the period cannot come back alone), True
        otherwise (also when the period is not invoiced any more)."""
        self.ensure_one()
        last = self.last_date_invoiced
        if not last or last < date_end:
            return True
        if last > date_end:
            return False
        previous = False
        if self.date_start and date_start > self.date_start:
            previous = date_start - relativedelta(days=1)
        self.write({"last_date_invoiced": previous})
        return True
