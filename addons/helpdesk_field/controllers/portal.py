from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal


class HelpdeskFieldPortal(CustomerPortal):
    @http.route(
        ["/my/visits/<int:visit_id>/report"], type="http", auth="public", website=True
    )
    def portal_visit_report(self, visit_id, access_token=None, download=False, **kw):
        """The visit report the client got by SMS and e-mail: the PDF attached to
        the ticket, else printed now (a closed visit whose report could not be
        printed then); 404 for a visit not closed yet. Needs read access to
        the visit or its token."""
        try:
            visit_sudo = self._document_check_access(
                "helpdesk.visit", visit_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        attachment = visit_sudo.report_attachment_id
        if not attachment and visit_sudo.state != "done":
            # no report before the visit is closed
            raise request.not_found()
        if attachment:
            disposition = "attachment" if download else "inline"
            return request.make_response(
                attachment.raw,
                headers=[
                    ("Content-Type", attachment.mimetype or "application/pdf"),
                    (
                        "Content-Disposition",
                        content_disposition(attachment.name, disposition),
                    ),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
        report_ref = "helpdesk_field.action_report_helpdesk_visit"
        try:
            return self._show_report(
                model=visit_sudo,
                report_type="pdf",
                report_ref=report_ref,
                download=download,
            )
        except UserError:
            # the server cannot print PDFs: the same report as a web page
            return self._show_report(
                model=visit_sudo, report_type="html", report_ref=report_ref
            )
