"""Notifications of documents created or escalated in bulk, built on Odoo's
public mail mechanisms only (issue #19).

``helpdesk.notify.batch.mixin`` (on top of ``mail.thread``) does two things:

* **E-mails after the commit.** In a context with ``helpdesk_email_later``
  (see ``_with_email_later()``), a notification is split: the inbox
  notifications and the bus / web-push messages are sent at once, as usual,
  while the e-mail part (rendering the layout per recipient group, creating
  the ``mail.mail``) goes to Odoo's scheduled-messages job, the queue behind
  ``message_post(scheduled_date=...)`` (``mail.message.schedule``). The job
  runs ``_notify_thread`` again with ``skip_existing``: who got an inbox
  notification is skipped, the others get their e-mail. The queue rows of a
  transaction are inserted in one batch by a pre-commit hook
  (``cr.precommit``), which triggers the job for right after the commit; a
  message posted from then on (a stage's e-mail template at the commit) is
  notified as usual.
* **Records being created.** Between ``_new_records_open()`` and
  ``_new_records_close()``, the first message of each record is posted
  without searching for an earlier one, and the reply-to address of its
  messages is looked up once for all the records created together (Odoo
  looks it up per message; without an alias on a record of the model, not
  at all), as are the recipients of
  their user notifications (assignment notices not carried by a creation
  message: the same agents for
  many records). ``_new_records_state()`` also
  keeps what the model gathers meanwhile (``pending``, ``done``: the
  helpdesk ticket's followers, added in one batch; ``notices``: the
  assignment notices its creation messages carry).

Its state lives in ``cr.precommit.data``, the per-transaction store Odoo's
mail tracking uses for the same purpose; a rollback discards it.
"""

import json

from odoo import api, fields, models

# context key: send the e-mails of notifications by the scheduled-messages job
EMAIL_LATER = "helpdesk_email_later"
# cr.precommit.data keys: the queue rows to insert; whether the hook ran
_QUEUE = "helpdesk_service.email_later"
_QUEUE_DONE = "helpdesk_service.email_later.done"
# cr.precommit.data key: {model: {"first": ids, "ids": ids, "lookup": {},
# "pending": [], "done": ids, "notices": {id: (lang, partner ids)}}}
_NEW = "helpdesk_service.new_records"


class HelpdeskNotifyBatchMixin(models.AbstractModel):
    _name = "helpdesk.notify.batch.mixin"
    _inherit = ["mail.thread"]
    _description = "Helpdesk batched notifications"

    # ------------------------------------------------------------ e-mails later
    def _with_email_later(self):
        """Self in a context whose notification e-mails are sent by the
        scheduled-messages job right after the commit (see module doc)."""
        self._email_later_queue()
        return self.with_context(**{EMAIL_LATER: True})

    @api.model
    def _email_later_queue(self):
        """The transaction's list of queue rows to insert at the commit, or
        None once the pre-commit hook ran (notify at once from then on)."""
        data = self.env.cr.precommit.data
        if data.get(_QUEUE_DONE):
            return None
        if _QUEUE not in data:
            data[_QUEUE] = []
            # bound to a neutral recordset: keeps no caller's environment alive
            self.env.cr.precommit.add(
                self.env["helpdesk.notify.batch.mixin"].sudo()._email_later_flush
            )
        return data[_QUEUE]

    def _notify_thread_by_email(
        self, message, recipients_data, msg_vals=False, **kwargs
    ):
        if (
            not self.env.context.get(EMAIL_LATER)
            or kwargs.get("resend_existing")
            or not any(pdata["notif"] == "email" for pdata in recipients_data)
        ):
            return super()._notify_thread_by_email(
                message, recipients_data, msg_vals=msg_vals, **kwargs
            )
        queue = self._email_later_queue()
        try:
            parameters = json.dumps(kwargs)
        except TypeError:  # records as parameters: rendered now
            queue = None
        if queue is None:
            return super()._notify_thread_by_email(
                message, recipients_data, msg_vals=msg_vals, **kwargs
            )
        queue.append(
            {"mail_message_id": message.id, "notification_parameters": parameters}
        )
        return True

    @api.model
    def _email_later_flush(self):
        """Pre-commit hook: hand the queued e-mails to the scheduled-messages
        job in one insert (messages deleted since are skipped)."""
        data = self.env.cr.precommit.data
        queue = data.pop(_QUEUE, None) or []
        data[_QUEUE_DONE] = True
        if not queue:
            return
        existing = set(
            self.env["mail.message"]
            .browse({row["mail_message_id"] for row in queue})
            .exists()
            .ids
        )
        now = fields.Datetime.now()
        self.env["mail.message.schedule"].sudo().create(
            [
                dict(row, scheduled_datetime=now)
                for row in queue
                if row["mail_message_id"] in existing
            ]
        )
        # pre-commit hooks run after the last flush
        self.env.flush_all()

    # ------------------------------------------------------------ new records
    def _new_records_state(self):
        return self.env.cr.precommit.data.setdefault(_NEW, {}).setdefault(
            self._name,
            {
                "first": set(),
                "ids": set(),
                "lookup": {},
                "recipients": {},
                "pending": [],
                "done": set(),
                "notices": {},
            },
        )

    def _new_records_current(self):
        """The state of the records of this model being created, or None."""
        return self.env.cr.precommit.data.get(_NEW, {}).get(self._name)

    def _new_records_open(self):
        """Mark self as being created: its first message is posted without
        searching for an earlier one, its look-ups are shared (module doc)."""
        state = self._new_records_state()
        state["first"].update(self.ids)
        state["ids"].update(self.ids)

    def _new_records_close(self):
        """The creation of self is over: its messages are posted as usual."""
        state = self._new_records_current()
        if not state:
            return
        state["first"].difference_update(self.ids)
        state["ids"].difference_update(self.ids)
        state["done"].difference_update(self.ids)
        state["recipients"].clear()
        for record_id in self.ids:
            state["notices"].pop(record_id, None)
        for known in state["lookup"].values():
            for record_id in self.ids:
                known.pop(record_id, None)

    def _new_records_lookup(self, method, key, **kwargs):
        """{id: value} of mail.thread's per-record look-up ``method`` (called
        with kwargs) for records being created: computed once for all of them
        and kept until their creation ends."""
        state = self._new_records_current()
        parent = getattr(super(), method)
        if not self or not state or not set(self.ids) <= state["ids"]:
            return parent(**kwargs)
        known = state["lookup"].setdefault((method, key), {})
        if any(record_id not in known for record_id in self.ids):
            todo = self.browse(sorted(state["ids"] - set(known)))
            known.update(
                getattr(super(HelpdeskNotifyBatchMixin, todo), method)(**kwargs)
            )
        return {record_id: known[record_id] for record_id in self.ids}

    def _message_compute_parent_id(self, parent_id):
        # the first message of a record being created starts its conversation
        state = self._new_records_current()
        if state and not parent_id and len(self) == 1 and self.id in state["first"]:
            state["first"].discard(self.id)
            return False
        return super()._message_compute_parent_id(parent_id)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        # a user notification reaches its partners only, whatever the record:
        # those of records being created are looked up once for all of them
        msg_vals = msg_vals or {}
        state = self._new_records_current()
        if (
            not state
            or len(self) != 1
            or self.id not in state["ids"]
            or msg_vals.get("message_type") != "user_notification"
            or "partner_ids" not in msg_vals
            or set(kwargs) - {"model_description"}
        ):
            return super()._notify_get_recipients(message, msg_vals, **kwargs)
        key = (
            tuple(sorted(msg_vals["partner_ids"])),
            msg_vals.get("subtype_id"),
            msg_vals.get("author_id"),
            self.env.uid,
            self.env.context.get("mail_notify_author"),
        )
        if key not in state["recipients"]:
            state["recipients"][key] = super()._notify_get_recipients(
                message, msg_vals, **kwargs
            )
        return [dict(pdata) for pdata in state["recipients"][key]]

    def _notify_get_reply_to(self, default=None):
        if self and self._name not in self.env["mail.alias"]._helpdesk_parent_models():
            return self._reply_to_without_aliases(default)
        return self._new_records_lookup(
            "_notify_get_reply_to", default, default=default
        )

    def _reply_to_without_aliases(self, default):
        """{id: reply-to} of records no alias hangs on: mail's
        _notify_get_reply_to without its search for their aliases (a query
        per message that finds nothing), i.e. the catchall address of each
        record's company, named after it and the record, else `default`."""
        records = self.sudo()
        companies = records._mail_get_companies(default=self.env.company)
        result = {}
        for record in records:
            company = companies[record.id]
            result[record.id] = (
                self._notify_get_reply_to_formatted_email(
                    company.catchall_email, record.display_name or "", company=company
                )
                if company.catchall_email
                else default
            )
        return result

    def _mail_get_alias_domains(self, default_company=False):
        # mail's look-up, whose fallback (the first alias domain, for a
        # company without one) is kept between messages instead of searched
        # for each of them
        default_company = default_company or self.env.company
        Domain = self.env["mail.alias.domain"]
        fallback = default_company.alias_domain_id or Domain.browse(
            Domain._helpdesk_fallback_id()
        )
        return {
            record_id: company.alias_domain_id or fallback
            for record_id, company in self._mail_get_companies(
                default=default_company
            ).items()
        }
