import json
import logging

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.helpdesk_webhook_source import MAX_BODY_BYTES
from .utils import MAX_ID

_logger = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "::1")


class HelpdeskWebhook(http.Controller):
    """``POST /helpdesk/webhook/<source id>``: the events of a phone system
    or a monitoring system. No session: the request proves that it knows the
    source's secret (HMAC-SHA256 signature of the body, or the secret as a
    bearer token over HTTPS where the source allows it). Answers: 403 for an
    unknown or inactive source or a bad signature (the same answer, so that
    ids tell nothing), 413 for a body over 1 MiB, 400 for a body that is not
    the source's JSON, 200 with a short JSON otherwise (a repeated event
    included: ``{"status": "duplicate"}``)."""

    @http.route(
        "/helpdesk/webhook/<int:source_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def helpdesk_webhook(self, source_id, **kw):
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY_BYTES:
            return self._answer({"error": "payload too large"}, 413)
        body = httprequest.get_data(cache=True)
        if len(body) > MAX_BODY_BYTES:
            return self._answer({"error": "payload too large"}, 413)
        # an id past PostgreSQL's integers is no source (and no 500)
        Source = request.env["helpdesk.webhook.source"].sudo()
        source = Source.browse(source_id if source_id <= MAX_ID else [])
        is_secure = httprequest.is_secure or httprequest.remote_addr in LOOPBACK
        if not (
            source.exists()
            and source.active
            and source._check_signature(body, httprequest.headers, is_secure)
        ):
            _logger.info(
                "helpdesk webhook %s: refused request from %s (bad signature "
                "or unknown source)",
                source_id,
                httprequest.remote_addr,
            )
            return self._answer({"error": "forbidden"}, 403)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return self._answer({"error": "invalid JSON"}, 400)
        try:
            answer = source._receive(data)
        except ValidationError as exc:
            return self._answer({"error": str(exc)}, 400)
        return self._answer(answer, 200)

    def _answer(self, data, status):
        return request.make_json_response(data, status=status)
