from odoo import api, models
from odoo.exceptions import UserError


class ReportContractStatement(models.AbstractModel):
    """The monthly statement of work of contracts: `data["month"]`
    ("YYYY-MM") or, without it, the last closed month. Whoever may read a
    contract may print its statement."""

    _name = "report.helpdesk_billing.report_contract_statement"
    _description = "Contract monthly statement of work"

    @api.model
    def _get_report_values(self, docids, data=None):
        contracts = self.env["contract.contract"].browse(docids)
        contracts.check_access("read")
        Contract = self.env["contract.contract"]
        month = Contract._helpdesk_parse_month((data or {}).get("month"))
        if (data or {}).get("month") and not month:
            raise UserError(self.env._("A month is written YYYY-MM."))
        month = month or Contract._helpdesk_last_closed_month()
        docs = [
            {"contract": contract.sudo(), "month": month}
            for contract in contracts
            if contract.contract_type == "sale"
        ]
        if not docs:
            raise UserError(
                self.env._("Statements of work exist for customer contracts only.")
            )
        return {
            "doc_ids": docids,
            "doc_model": "contract.contract",
            "docs": docs,
        }


class ReportInvoiceStatement(models.AbstractModel):
    """The statements of work of the months a contract's invoice bills (its
    helpdesk period), attached to the invoice's e-mail. Whoever may read the
    invoice may print them."""

    _name = "report.helpdesk_billing.report_invoice_statement"
    _description = "Statement of work of a contract invoice"

    @api.model
    def _get_report_values(self, docids, data=None):
        moves = self.env["account.move"].browse(docids)
        moves.check_access("read")
        docs = []
        for move in moves.sudo():
            docs += [
                {"contract": move.helpdesk_contract_id, "month": month}
                for month in move._helpdesk_statement_months()
            ]
        if not docs:
            raise UserError(
                self.env._("These invoices bill no service period of a contract.")
            )
        return {"doc_ids": docids, "doc_model": "account.move", "docs": docs}
