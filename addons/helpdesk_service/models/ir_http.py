from urllib.parse import urlsplit

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import Response, request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """A web page refused for its size (uploads over the request limit)
        gets a 413 page that says so. Odoo's page would read the refused body
        again (a bare werkzeug page) or find no 413 template (a 418 page)."""
        if not (
            isinstance(exception, RequestEntityTooLarge)
            and getattr(request, "is_frontend", False)
        ):
            return super()._handle_error(exception)
        if not request.uid:
            cls._auth_method_public()
        cls._frontend_pre_dispatch()
        html = request.env["ir.ui.view"]._render_template(
            "helpdesk_service.http_error_413", {"back_url": cls._helpdesk_back_url()}
        )
        response = Response(html, status=413, content_type="text/html;charset=utf-8")
        cls._post_dispatch(response)
        return response

    @classmethod
    def _helpdesk_back_url(cls):
        """The page the refused form was sent from, if it is one of ours."""
        httprequest = request.httprequest
        referrer = urlsplit(httprequest.referrer or "")
        if referrer.netloc != httprequest.host or not referrer.path.startswith("/"):
            return False
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
