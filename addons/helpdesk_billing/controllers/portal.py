import contextlib

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.contract.controllers.main import PortalContract

STATEMENT_REPORT = "helpdesk_billing.action_report_contract_statement"


class HelpdeskBillingPortal(PortalContract):
    def _contract_get_page_view_values(self, contract, access_token, **kwargs):
        # the contract's page lists its monthly statements of work
        values = super()._contract_get_page_view_values(
            contract, access_token, **kwargs
        )
        values["helpdesk_statement_months"] = contract._helpdesk_statement_months()
        return values

    @http.route(
        ["/my/contracts/<int:contract_id>/statement/<string:month>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_contract_statement(
        self, contract_id, month, access_token=None, report_type=None, **kw
    ):
        """The statement of work of the contract for the month "YYYY-MM": a
        page, or its PDF with report_type=pdf (download=true to save it).
        Whoever may read the contract (or holds its access token) reads it;
        any other contract, a missing one or a month without statement is a
        404, the same answer for all."""
        try:
            contract_sudo = self._document_check_access(
                "contract.contract", contract_id, access_token=access_token
            )
        except (AccessError, MissingError):
            raise request.not_found() from None
        Contract = request.env["contract.contract"]
        month_start = Contract._helpdesk_parse_month(month)
        if not month_start or not contract_sudo._helpdesk_has_statement(month_start):
            raise request.not_found()
        if report_type == "pdf":
            # when the server cannot print PDFs (UserError): the page instead
            with contextlib.suppress(UserError):
                return self._helpdesk_statement_pdf(
                    contract_sudo, month, download=kw.get("download") == "true"
                )
        statement = contract_sudo.with_context(
            lang=request.env.lang
        )._helpdesk_get_statement(month_start)
        values = self._contract_get_page_view_values(contract_sudo, access_token, **kw)
        values.update(
            statement=statement,
            page_name="Contracts",
            helpdesk_statement_month=month,
        )
        return request.render("helpdesk_billing.portal_contract_statement_page", values)

    def _helpdesk_statement_pdf(self, contract_sudo, month, download=False):
        """The statement's PDF, printed in the client's language."""
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(contract_sudo.company_id)
            ._render_qweb_pdf(
                STATEMENT_REPORT, contract_sudo.ids, data={"month": month}
            )[0]
        )
        label = request.env._("Statement of work")
        filename = f"{label} {contract_sudo.name} {month}.pdf".replace("/", "-")
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    content_disposition(
                        filename, "attachment" if download else "inline"
                    ),
                ),
            ],
        )
