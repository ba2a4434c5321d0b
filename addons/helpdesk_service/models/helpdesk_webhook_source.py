import hashlib
import hmac
import json
import logging
import re
import secrets
from datetime import datetime, timezone

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import escape_psql

_logger = logging.getLogger(__name__)

SOURCE_KINDS = [
    ("pbx", "Phone system (PBX)"),
    ("alertmanager", "Prometheus Alertmanager"),
    ("zabbix", "Zabbix"),
]
# the header carrying "sha256=<hex HMAC-SHA256 of the raw body>"
SIGNATURE_HEADER = "X-Helpdesk-Signature"
# what a value of a payload may not hold: PostgreSQL refuses NUL
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f]")
# a request body larger than this is refused before it is read as JSON
MAX_BODY_BYTES = 1024 * 1024
# ticket priority per alert severity (Alertmanager label, Zabbix severity name)
SEVERITY_PRIORITY = {
    "disaster": "3",
    "critical": "3",
    "page": "3",
    "high": "2",
    "error": "2",
    "major": "2",
    "average": "1",
    "warning": "1",
    "minor": "1",
    "information": "0",
    "info": "0",
    "not classified": "0",
    "none": "0",
}


class HelpdeskWebhookSource(models.Model):
    """A system that reports events to the helpdesk over an authenticated
    webhook: a phone system fills the call log, a monitoring system opens and
    resolves tickets. Each source has its own secret; every event received is
    kept once (`helpdesk.webhook.event`), so a repeated delivery is a no-op."""

    _name = "helpdesk.webhook.source"
    _description = "Helpdesk Webhook Source"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    kind = fields.Selection(SOURCE_KINDS, required=True, default="pbx")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "helpdesk.team",
        check_company=True,
        help="The team of the tickets this source opens.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Default client",
        check_company=True,
        help="The client of the alerts whose labels name no client, equipment or site.",
    )
    auth_method = fields.Selection(
        [
            ("hmac", "HMAC-SHA256 signature"),
            ("token", "Signature or bearer token (HTTPS)"),
        ],
        "Authentication",
        compute="_compute_auth_method",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="HMAC: the sender signs the request body with the secret "
        "(header X-Helpdesk-Signature: sha256=<hex>). Bearer token: the sender "
        "may instead send the secret itself (header Authorization: Bearer "
        "<secret>), accepted over HTTPS only; for senders that cannot sign, "
        "such as Prometheus Alertmanager.",
    )
    is_auto_resolve = fields.Boolean(
        "Resolve on recovery",
        help="When the monitoring reports that an alert recovered, resolve its "
        "ticket; otherwise only a note is posted on it.",
    )
    secret = fields.Char(copy=False, groups="base.group_system")
    date_secret = fields.Datetime("Secret generated on", readonly=True, copy=False)
    date_last_event = fields.Datetime("Last event received", readonly=True, copy=False)
    webhook_url = fields.Char("Webhook URL", compute="_compute_webhook_url")
    event_ids = fields.One2many("helpdesk.webhook.event", "source_id", "Events")
    event_count = fields.Integer(compute="_compute_event_count")
    error_count = fields.Integer(compute="_compute_event_count")

    @api.depends("kind")
    def _compute_auth_method(self):
        for source in self:
            source.auth_method = "token" if source.kind == "alertmanager" else "hmac"

    @api.depends("kind")
    def _compute_webhook_url(self):
        base = self.get_base_url()
        for source in self:
            source.webhook_url = (
                f"{base}/helpdesk/webhook/{source._origin.id}"
                if source._origin.id
                else False
            )

    def _compute_event_count(self):
        counts = {}
        for source, state, count in self.env["helpdesk.webhook.event"]._read_group(
            [("source_id", "in", self.ids)], ["source_id", "state"], ["__count"]
        ):
            counts.setdefault(source.id, {})[state] = count
        for source in self:
            by_state = counts.get(source.id, {})
            source.event_count = sum(by_state.values())
            source.error_count = by_state.get("error", 0)

    @api.constrains("is_auto_resolve", "kind")
    def _check_auto_resolve(self):
        if any(s.is_auto_resolve and s.kind == "pbx" for s in self):
            raise ValidationError(
                self.env._("Only monitoring sources resolve tickets on recovery.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        sources = super().create(vals_list)
        # a random secret per source: nobody knows it until a manager asks
        # for a new one (shown once)
        for source in sources.sudo().filtered(lambda s: not s.secret):
            source.write(source._prepare_secret_vals())
        return sources

    # ------------------------------------------------------------ actions
    def _prepare_secret_vals(self):
        return {
            "secret": secrets.token_urlsafe(32),
            "date_secret": fields.Datetime.now(),
        }

    def action_generate_secret(self):
        """Replace the secret and show the new one, once: it is not readable
        afterwards (the sender must be reconfigured with it)."""
        self.ensure_one()
        self.check_access("write")
        vals = self._prepare_secret_vals()
        self.sudo().write(vals)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.webhook.secret.show",
            "name": self.env._("New secret of %(name)s", name=self.name),
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_secret": vals["secret"],
                "default_webhook_url": self.webhook_url,
            },
        }

    def action_open_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_webhook_event_action"
        )
        action["domain"] = [("source_id", "=", self.id)]
        action["context"] = {
            key: value
            for key, value in self.env.context.items()
            if key.startswith("search_default_")
        }
        return action

    # ------------------------------------------------------------ receiving
    def _check_signature(self, body, headers, is_secure):
        """Whether the request carries a valid proof of the secret: the HMAC
        of ``body`` (always accepted) or, for a source that allows it, the
        secret itself as a bearer token over a secure connection. Constant
        time comparisons."""
        self.ensure_one()
        secret = self.sudo().secret
        if not secret:
            return False
        signature = (headers.get(SIGNATURE_HEADER) or "").strip()
        if signature:
            if signature.lower().startswith("sha256="):
                signature = signature[7:]
            expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            return hmac.compare_digest(signature.lower().encode(), expected.encode())
        authorization = (headers.get("Authorization") or "").strip()
        if self.auth_method == "token" and is_secure and authorization:
            scheme, _sep, token = authorization.partition(" ")
            if scheme.lower() == "bearer":
                return hmac.compare_digest(token.strip().encode(), secret.encode())
        return False

    def _receive(self, data):
        """Record and process the events of one request body ``data`` (parsed
        JSON), as the superuser within the source's company. Returns the short
        JSON answer. Raises ValidationError when ``data`` is not what the
        source's kind sends (the controller answers 400)."""
        self.ensure_one()
        source = self.with_user(SUPERUSER_ID).sudo().with_company(self.company_id)
        events = getattr(source, f"_parse_{source.kind}")(data)
        for vals in events:
            vals["external_id"] = vals["external_id"][:255]
        # one request of a source at a time: a concurrent one fails to
        # serialize and is retried by Odoo, then sees the events stored here
        source.date_last_event = fields.Datetime.now()
        source.flush_recordset(["date_last_event"])
        Event = source.env["helpdesk.webhook.event"]
        known = set(
            Event.with_context(active_test=False)
            .search(
                [
                    ("source_id", "=", source.id),
                    ("external_id", "in", [e["external_id"] for e in events]),
                ]
            )
            .mapped("external_id")
        )
        answer = {"status": "ok", "received": 0, "duplicates": 0}
        for vals in events:
            if vals["external_id"] in known:
                answer["duplicates"] += 1
                continue
            known.add(vals["external_id"])
            event = Event.create(source._prepare_event_vals(vals))
            event._process()
            answer["received"] += 1
        if len(events) == 1 and answer["duplicates"]:
            answer["status"] = "duplicate"
        return answer

    def _prepare_event_vals(self, vals):
        return {
            "source_id": self.id,
            "external_id": vals["external_id"],
            "event_type": vals["event_type"],
            "fingerprint": (vals.get("fingerprint") or "")[:255] or False,
            "date_event": vals.get("date_event") or fields.Datetime.now(),
            "payload": json.dumps(vals["payload"], indent=1, sort_keys=True),
        }

    # ------------------------------------------------------------ helpers
    @api.model
    def _parse_date(self, value):
        """A naive UTC datetime from an epoch number or an ISO 8601 string;
        None when absent or unreadable, or Alertmanager's "zero" end time."""
        if value in (None, "", False) or isinstance(value, bool):
            return None
        try:
            if isinstance(value, (int, float)) or (
                isinstance(value, str) and value.replace(".", "", 1).isdigit()
            ):
                moment = datetime.fromtimestamp(float(value), timezone.utc)
            elif isinstance(value, str):
                text = value.strip().replace("Z", "+00:00")
                # Go's RFC 3339 has nanoseconds, Python reads microseconds
                if "." in text:
                    head, _dot, tail = text.partition(".")
                    digits = len(tail) - len(tail.lstrip("0123456789"))
                    text = f"{head}.{tail[: min(digits, 6)]}{tail[digits:]}"
                    text = text.replace(".+", "+").replace(".-", "-")
                moment = datetime.fromisoformat(text)
            else:
                return None
        except (ValueError, OverflowError, OSError):
            return None
        if moment.tzinfo:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        if moment.year < 1971:
            return None
        return moment.replace(microsecond=0)

    @api.model
    def _text(self, value, size=255):
        """``value`` as a stripped one-line string of at most ``size``
        characters ("" for None, lists, objects)."""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return ""
        # control characters (a NUL byte): PostgreSQL refuses them
        return " ".join(CONTROL_CHARS.sub(" ", str(value)).split())[:size]

    def _find_by_name(self, Model, values, names, domain=None):
        """The first record of ``Model`` in the source's company whose field
        among ``names`` equals (case-insensitively) one of ``values``."""
        domain = list(domain or []) + [
            ("company_id", "in", [self.company_id.id, False])
        ]
        for value in values:
            value = self._text(value)
            if not value:
                continue
            terms = [[(name, "=ilike", escape_psql(value))] for name in names]
            name_domain = ["|"] * (len(terms) - 1) + [t[0] for t in terms]
            record = Model.search(domain + name_domain, limit=1)
            if record:
                return record
        return Model.browse()

    def _raise_bad_payload(self, reason):
        raise ValidationError(
            self.env._(
                "The %(kind)s event cannot be read: %(reason)s",
                kind=dict(SOURCE_KINDS)[self.kind],
                reason=reason,
            )
        )
