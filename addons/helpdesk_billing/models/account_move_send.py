from odoo import api, models

STATEMENT_REPORT = "helpdesk_billing.action_report_invoice_statement"


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_placeholder_mail_template_dynamic_attachments_data(
        self, move, mail_template, pdf_report=None
    ):
        """The e-mail of a contract's invoice carries the statement of work of
        the months it bills: a report printed at sending time, like the mail
        template's own reports (the sender may remove it in the wizard)."""
        placeholders = super()._get_placeholder_mail_template_dynamic_attachments_data(
            move, mail_template, pdf_report=pdf_report
        )
        if not move._helpdesk_statement_months():
            return placeholders
        report = self.env.ref(STATEMENT_REPORT, raise_if_not_found=False)
        if not report or report.report_name in {
            placeholder.get("dynamic_report") for placeholder in placeholders
        }:
            return placeholders
        name = move._helpdesk_statement_filename()
        return placeholders + [
            {
                "id": f"placeholder_{name}",
                "name": name,
                "mimetype": "application/pdf",
                "placeholder": True,
                "dynamic_report": report.report_name,
            }
        ]
