from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# months the picker offers, the current one included
PICKER_MONTHS = 36


class HelpdeskContractStatement(models.TransientModel):
    """Print a contract's statement of work for a month (the last closed
    month by default)."""

    _name = "helpdesk.contract.statement"
    _description = "Print a Contract's Statement of Work"

    contract_id = fields.Many2one(
        "contract.contract",
        required=True,
        ondelete="cascade",
        domain="[('contract_type', '=', 'sale')]",
    )
    month = fields.Selection(
        selection="_selection_month",
        required=True,
        default=lambda self: self._default_month(),
    )

    @api.model
    def _selection_month(self):
        Contract = self.env["contract.contract"]
        month = fields.Date.context_today(self).replace(day=1)
        values = []
        for _index in range(PICKER_MONTHS):
            values.append(
                (month.strftime("%Y-%m"), Contract._helpdesk_month_label(month))
            )
            month -= relativedelta(months=1)
        return values

    def _default_month(self):
        return (
            self.env["contract.contract"]
            ._helpdesk_last_closed_month()
            .strftime("%Y-%m")
        )

    def action_print(self):
        self.ensure_one()
        self.contract_id.check_access("read")
        return self.env.ref(
            "helpdesk_billing.action_report_contract_statement"
        ).report_action(self.contract_id, data={"month": self.month})
