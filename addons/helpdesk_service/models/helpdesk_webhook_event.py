import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

# how long events are kept, unless this parameter says otherwise (days)
KEEP_DAYS_PARAM = "helpdesk_service.webhook_event_days"
KEEP_DAYS = 90
CLEANUP_BATCH = 5000

EVENT_STATES = [
    ("processed", "Processed"),
    ("ignored", "Ignored"),
    ("error", "Error"),
]


class HelpdeskWebhookEvent(models.Model):
    """One event received from a webhook source, stored once per source and
    external id: a delivery repeated by the sender finds it and changes
    nothing. It keeps the payload, what became of it and the ticket or call
    it touched."""

    _name = "helpdesk.webhook.event"
    _description = "Helpdesk Webhook Event"
    _order = "date_received desc, id desc"
    _rec_name = "external_id"

    source_id = fields.Many2one(
        "helpdesk.webhook.source", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(related="source_id.kind")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    external_id = fields.Char(
        "External event id", required=True, help="The sender's id of the event."
    )
    event_type = fields.Char(
        "Event", help="ringing, answered, ended; firing, resolved; problem, recovery"
    )
    fingerprint = fields.Char(
        "Call or alert key",
        help="What groups the events: the phone system's call id, the alert's "
        "fingerprint.",
    )
    date_received = fields.Datetime(
        "Received on", required=True, default=fields.Datetime.now
    )
    date_event = fields.Datetime("Event time")
    payload = fields.Text()
    state = fields.Selection(EVENT_STATES, required=True, default="processed")
    message = fields.Text()
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null")
    call_id = fields.Many2one(
        "helpdesk.ticket.call", index="btree_not_null", ondelete="set null"
    )

    _sql_constraints = [
        (
            "external_id_uniq",
            "unique(source_id, external_id)",
            "An event is received once per source.",
        ),
    ]

    def init(self):
        # the events of one call or one alert, newest first
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_webhook_event_fingerprint_idx
               ON helpdesk_webhook_event (source_id, fingerprint, id)
               WHERE fingerprint IS NOT NULL"""
        )

    @api.depends("source_id", "external_id")
    def _compute_display_name(self):
        for event in self:
            event.display_name = f"{event.source_id.name} / {event.external_id}"

    def _process(self):
        """Apply the event (its source's kind decides how) in a savepoint: a
        payload the helpdesk cannot apply marks the event as an error with
        the reason, keeps it (a retried delivery is a duplicate) and leaves
        the rest of the request untouched."""
        for event in self:
            source = event.source_id
            try:
                with self.env.cr.savepoint():
                    getattr(source, f"_process_{source.kind}")(event)
            except (UserError, ValidationError) as exc:
                _logger.info(
                    "helpdesk webhook %s: event %s not applied: %s",
                    source.id,
                    event.external_id,
                    exc,
                )
                event.write({"state": "error", "message": str(exc)})

    @api.model
    def _cron_clean_events(self):
        """Delete the events received before the kept period, in bounded
        batches, but those of open tickets: the next alert of the same
        fingerprint finds its ticket through them."""
        param = self.env["ir.config_parameter"].sudo().get_param(KEEP_DAYS_PARAM)
        try:
            days = max(1, int(param or KEEP_DAYS))
        except ValueError:
            days = KEEP_DAYS
        Event = self.sudo().with_context(active_test=False)
        domain = [
            ("date_received", "<", fields.Datetime.now() - timedelta(days=days)),
            "|",
            ("ticket_id", "=", False),
            ("ticket_id.is_closed", "=", True),
        ]
        old = Event.search(domain, limit=CLEANUP_BATCH)
        done = len(old)
        old.unlink()
        remaining = Event.search_count(domain) if done == CLEANUP_BATCH else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
