# the client notifications and report of helpdesk.visit in a file of its own
# (STYLE 1: a model's file stays readable; helpdesk_visit.py holds the
# visit's definition)
# pylint: disable=consider-merging-classes-inherited
import logging

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

_logger = logging.getLogger(__name__)

# the notifications a client gets, and their standard SMS templates
NOTIFY_EVENTS = {
    "on_way": "helpdesk_field.sms_template_visit_on_way",
    "arrived": "helpdesk_field.sms_template_visit_arrived",
    "done": "helpdesk_field.sms_template_visit_done",
}


class HelpdeskVisit(models.Model):
    """What the client hears of the visit: an SMS and an e-mail when the
    engineer sets off and arrives, the visit report when he is done."""

    _inherit = "helpdesk.visit"

    # ------------------------------------------------------------ report
    def _render_report(self):
        """(content, extension) of the visit report; a PDF unless the server
        cannot print PDFs (test mode renders HTML)."""
        self.ensure_one()
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "helpdesk_field.action_report_helpdesk_visit", self.ids
        )
        return content, report_type

    def _post_report(self):
        """Attach the report to the ticket, in a public message for the client.
        A server that cannot print (no wkhtmltopdf) only logs a note: the
        engineer's visit is closed all the same."""
        self.ensure_one()
        self._portal_ensure_token()
        try:
            with self.env.cr.savepoint():
                content, _report_type = self._render_report()
        except UserError as error:
            _logger.warning("Visit report %s not printed: %s", self.name, error)
            self.message_post(
                body=self.env._(
                    "The visit report could not be printed: %(error)s",
                    error=str(error),
                ),
                subtype_xmlid="mail.mt_note",
            )
            return self.env["ir.attachment"]
        filename = self.env._(
            "Visit report %(visit)s.pdf", visit=self.name.replace("/", "-")
        )
        # sent to the client's contact, or only kept on the ticket when the
        # company sends no e-mails about visits
        to_client = self.company_id.helpdesk_visit_mail and self.partner_id
        text = self._render_client_text("done") if to_client else ""
        message = self.ticket_id.with_context(helpdesk_no_contact=True).message_post(
            body=plaintext2html(text)
            if text
            else self.env._("Visit report %(visit)s", visit=self.name),
            attachments=[(filename, content)],
            message_type="comment",
            subtype_xmlid="mail.mt_comment" if to_client else "mail.mt_note",
            partner_ids=self.partner_id.ids if to_client else [],
        )
        self._write_recorded({"report_attachment_id": message.attachment_ids[:1].id})
        return self.report_attachment_id

    # ------------------------------------------------------------ notifications
    def _get_client_template(self, event):
        """The company's SMS template of an event, else the standard one."""
        self.ensure_one()
        template = self.company_id[f"helpdesk_visit_sms_{event}_template_id"]
        return template or self.env.ref(NOTIFY_EVENTS[event], raise_if_not_found=False)

    def _render_client_text(self, event):
        self.ensure_one()
        template = self._get_client_template(event)
        if not template:
            return ""
        if not template.lang:
            # a company's own template without a language: the client's
            # language all the same, not the engineer's
            template = template.with_context(lang=self.partner_id.lang or self.env.lang)
        return template._render_field("body", self.ids, compute_lang=True)[self.id]

    def _notify_client(self, event):
        """Tell the client's contact: an e-mail on the ticket (done: with the
        report, see _post_report) and an SMS queued on the visit. Problems are
        logged on the visit, never raised: the engineer goes on working."""
        for visit in self:
            company = visit.company_id
            if not visit.partner_id:
                continue
            text = visit._render_client_text(event)
            if not text:
                continue
            if company.helpdesk_visit_mail and event != "done":
                visit.ticket_id.with_context(helpdesk_no_contact=True).message_post(
                    body=plaintext2html(text),
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=visit.partner_id.ids,
                )
            if company.helpdesk_visit_sms:
                visit._send_sms(text)

    def _send_sms(self, text):
        self.ensure_one()
        contact = self.partner_id
        number = contact.mobile or contact.phone
        if not number:
            return self._log_sms_error(
                self.env._(
                    "%(contact)s has no mobile or phone number: no SMS sent.",
                    contact=contact.display_name,
                )
            )
        try:
            with self.env.cr.savepoint():
                # queued: the SMS cron sends them, the engineer never waits
                self._message_sms(text, partner_ids=contact.ids, put_in_queue=True)
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("SMS of visit %s not queued", self.name)
            return self._log_sms_error(
                self.env._("The SMS could not be queued: %(error)s", error=str(error))
            )
        return True

    def _log_sms_error(self, error):
        self.ensure_one()
        self.sms_error = error
        self.message_post(
            body=Markup("<p>%s</p>") % error, subtype_xmlid="mail.mt_note"
        )
        return False
