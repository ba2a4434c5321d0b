import re
from datetime import timedelta

from odoo import api, fields, models

# failures no retry can cure: a bad or missing address, a refused sender
PERMANENT_FAILURE_TYPES = (
    "mail_email_invalid",
    "mail_email_missing",
    "mail_from_invalid",
    "mail_from_missing",
    "mail_bl",
    "mail_optout",
    "mail_dup",
)
# the SMTP reply codes in Odoo's failure reasons: "(450, b'...')"
SMTP_CODE = re.compile(r"\((\d)\d\d,\s*b?['\"]")
TRANSIENT_MARKERS = (
    "connection refused",
    "connection reset",
    "timed out",
    "timeout",
    "network is unreachable",
    "temporary failure",
    "try again",
    "server has closed the connection",
    "serverdisconnected",
)
RETRY_FIRST_MINUTES = 1
RETRY_MAX_MINUTES = 30
RETRY_HOURS_PARAM = "helpdesk_service.mail_retry_hours"
RETRY_HOURS_DEFAULT = 24


class MailMail(models.Model):
    """Mails that failed for a transient reason (the SMTP server unreachable,
    a timeout, a 4xx reply) go back to the queue, with a growing delay, until
    they are sent or the retry window (settings) ends; permanent failures (bad
    address, 5xx reply) stay failed as Odoo leaves them."""

    _inherit = "mail.mail"

    helpdesk_retry_count = fields.Integer(
        "Delivery retries",
        readonly=True,
        copy=False,
        help="How many times the mail went back to the queue after a transient "
        "delivery failure.",
    )
    helpdesk_date_first_failure = fields.Datetime(
        "First delivery failure",
        readonly=True,
        copy=False,
        help="Transient failures are retried for the window set in the helpdesk "
        "settings, counted from this date.",
    )

    @api.model
    def _is_transient_failure(self, failure_reason, failure_type=None):
        """Whether a delivery failure may pass by itself."""
        if failure_type in PERMANENT_FAILURE_TYPES:
            return False
        reason = (failure_reason or "").lower()
        codes = {match.group(1) for match in SMTP_CODE.finditer(reason)}
        if "5" in codes:
            return False
        if "4" in codes:
            return True
        if failure_type == "mail_smtp":  # no connection to the server
            return True
        return any(marker in reason for marker in TRANSIENT_MARKERS)

    @api.model
    def _get_retry_hours(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RETRY_HOURS_PARAM, "")
        try:
            return int(value) if value != "" else RETRY_HOURS_DEFAULT
        except ValueError:
            return RETRY_HOURS_DEFAULT

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        res = super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
        if failure_type and failure_type not in PERMANENT_FAILURE_TYPES:
            self._schedule_retry(failure_type)
        return res

    def _schedule_retry(self, failure_type=None):
        """Put the failed mails of self whose failure is transient back in the
        queue, each after 1, 2, 4... (at most 30) minutes, while within the
        retry window. Odoo's mail queue job, triggered for then, sends them."""
        hours = self._get_retry_hours()
        if hours <= 0:
            return self.browse()
        now = fields.Datetime.now()
        mails = self.sudo().filtered(
            lambda m: (
                m.state == "exception"
                and self._is_transient_failure(m.failure_reason, failure_type)
            )
        )
        retried = self.browse()
        for (count, first), group in mails.grouped(
            lambda m: (m.helpdesk_retry_count, m.helpdesk_date_first_failure or now)
        ).items():
            minutes = min(RETRY_FIRST_MINUTES * 2**count, RETRY_MAX_MINUTES)
            when = now + timedelta(minutes=minutes)
            if when > first + timedelta(hours=hours):
                continue  # the window is over: the mail stays failed
            group.write(
                {
                    "state": "outgoing",
                    "scheduled_date": when,
                    "helpdesk_retry_count": count + 1,
                    "helpdesk_date_first_failure": first,
                }
            )
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger(when)
            retried |= group
        return retried

    @api.model
    def _get_stuck_domain(self):
        """Mails that failed, or wait for a new try after a failure."""
        return [
            "|",
            ("state", "=", "exception"),
            "&",
            ("state", "=", "outgoing"),
            ("helpdesk_retry_count", ">", 0),
        ]
