# pylint: disable=consider-merging-classes-inherited

import json
import re

from odoo import models
from odoo.tools import SQL, escape_psql

PBX_EVENTS = ("ringing", "answered", "ended")
# the fewest digits of a number worth matching (an extension is shorter)
MIN_PHONE_DIGITS = 6
# without phone_validation, two numbers ending with the same digits are one
# (national and international forms: 06 12 34 56 78 and +33 6 12 34 56 78)
SAME_NUMBER_DIGITS = 9


class HelpdeskWebhookSourcePbx(models.Model):
    """Phone system (PBX) events: one JSON object per event of a call,
    ``{"call_id", "event": ringing|answered|ended, "timestamp", "caller",
    "agent", "direction", "recording_url", "event_id"}``. The call log row is
    rebuilt from all the events of the call received so far, so events that
    arrive late, twice or out of order give the same row."""

    _inherit = "helpdesk.webhook.source"

    # ------------------------------------------------------------ parsing
    def _parse_pbx(self, data):
        if not isinstance(data, dict):
            self._raise_bad_payload(self.env._("a JSON object is expected"))
        call_ref = self._text(data.get("call_id"))
        event_type = self._text(data.get("event")).lower()
        if not call_ref:
            self._raise_bad_payload(self.env._("call_id is missing"))
        if event_type not in PBX_EVENTS:
            self._raise_bad_payload(
                self.env._("event must be ringing, answered or ended")
            )
        return [
            {
                "external_id": self._text(data.get("event_id"))
                or f"{call_ref}:{event_type}",
                "event_type": event_type,
                "fingerprint": call_ref,
                "date_event": self._parse_date(data.get("timestamp")),
                "payload": data,
            }
        ]

    # ------------------------------------------------------------ processing
    def _process_pbx(self, event):
        """Create or update the call of ``event``: once it was answered or
        ended, on the caller's newest open ticket or on a new phone ticket."""
        self.ensure_one()
        events = event.search(
            [
                ("source_id", "=", self.id),
                ("fingerprint", "=", event.fingerprint),
                ("state", "=", "processed"),
            ],
            order="id",
        )
        vals, info = self._pbx_merge(events)
        call = events.call_id[:1]
        if not call and not (vals["date_answer"] or vals["date_end"]):
            event.message = self.env._("Ringing: the call is logged when answered.")
            return
        if call:
            changed = {
                name: value
                for name, value in vals.items()
                if call._fields[name].convert_to_write(call[name], call) != value
            }
            if changed:
                call.write(changed)
            event.message = self.env._("Call updated.")
        else:
            ticket = self._pbx_find_ticket(info, vals)
            call = self.env["helpdesk.ticket.call"].create(
                dict(vals, ticket_id=ticket.id)
            )
            event.message = self.env._("Call logged.")
        event.write({"call_id": call.id, "ticket_id": call.ticket_id.id})

    def _pbx_merge(self, events):
        """The call's values from its events (in the order received): it
        rang at the earliest time known, was answered at the first answer and
        ended at the last end; the other details come from the latest event
        that gives them."""
        times = {kind: [] for kind in PBX_EVENTS}
        info = {}
        for event in events:
            times[event.event_type].append(event.date_event)
            data = json.loads(event.payload or "{}")
            for key in ("caller", "agent", "direction", "recording_url"):
                value = self._text(data.get(key), 2000)
                if value:
                    info[key] = value
        date_start = min(events.mapped("date_event"))
        date_answer = min(times["answered"]) if times["answered"] else False
        date_end = max(times["ended"]) if times["ended"] else False
        if date_end and date_end < (date_answer or date_start):
            # the phone system's clocks disagree: the call ended when answered
            date_end = date_answer or date_start
        url = info.get("recording_url", "")
        vals = {
            "direction": "out"
            if info.get("direction") in ("out", "outbound")
            else "in",
            "phone": info.get("caller") or False,
            "user_id": self._pbx_find_agent(info.get("agent")).id,
            "date_start": date_start,
            "date_answer": date_answer,
            "date_end": date_end,
            "recording_url": url
            if url.lower().startswith(("https://", "http://"))
            else False,
        }
        return vals, info

    def _pbx_find_agent(self, value):
        """The internal user of the call: by PBX extension, then login, then
        e-mail."""
        Users = self.env["res.users"]
        if not value:
            return Users
        domain = [("share", "=", False), ("company_ids", "in", self.company_id.ids)]
        for field, operator in (
            ("helpdesk_pbx_extension", "="),
            ("login", "=ilike"),
            ("email", "=ilike"),
        ):
            term = value if operator == "=" else escape_psql(value)
            user = Users.search(domain + [(field, operator, term)], limit=1)
            if user:
                return user
        return Users

    def _pbx_find_ticket(self, info, vals):
        """The caller's newest open ticket, or a new phone ticket."""
        Ticket = self.env["helpdesk.ticket"]
        partners = self._find_partners_by_phone(info.get("caller"))
        if partners:
            ticket = Ticket.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("is_closed", "=", False),
                    ("company_id", "=", self.company_id.id),
                ],
                order="id desc",
                limit=1,
            )
            if ticket:
                return ticket
        partner = partners.sorted(lambda p: (p.is_company, p.id))[:1]
        return Ticket.create(self._prepare_pbx_ticket_vals(partner, info, vals))

    def _prepare_pbx_ticket_vals(self, partner, info, vals):
        number = info.get("caller") or self.env._("an unknown number")
        caller = partner.name or number
        if vals["direction"] == "out":
            name = self.env._("Call to %(caller)s", caller=caller)
        elif vals["date_answer"]:
            name = self.env._("Call from %(caller)s", caller=caller)
        else:
            name = self.env._("Missed call from %(caller)s", caller=caller)
        ticket_vals = {
            "name": name,
            "channel": "phone",
            "company_id": self.company_id.id,
            "team_id": self.team_id.id,
            "date_received": vals["date_start"],
        }
        if partner:
            ticket_vals["partner_id"] = partner.id
        else:
            ticket_vals["partner_phone"] = info.get("caller") or False
        if vals["date_answer"] and vals["user_id"]:
            ticket_vals["user_id"] = vals["user_id"]
        return ticket_vals

    # ------------------------------------------------------------ phones
    def _phone_key(self, number, country):
        """``number`` in a comparable form: E.164 when phone_validation is
        installed and can read it, its digits otherwise."""
        if not number:
            return ""
        Partner = self.env["res.partner"]
        if hasattr(Partner, "_phone_format"):
            formatted = Partner._phone_format(
                number=number, country=country or self.company_id.country_id
            )
            if formatted:
                return re.sub(r"\D", "", formatted)
        return re.sub(r"\D", "", number)

    def _find_partners_by_phone(self, number):
        """The active contacts of the source's company whose phone or mobile
        is ``number``: candidates found by their last digits in one query,
        then compared in a normalized form (equal, or the same last nine
        digits: a national and an international form)."""
        Partner = self.env["res.partner"]
        digits = re.sub(r"\D", "", number or "")
        if len(digits) < MIN_PHONE_DIGITS:
            return Partner
        Partner.flush_model(["phone", "mobile", "company_id", "active"])
        tail = "%" + digits[-MIN_PHONE_DIGITS:]
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                    WHERE active
                      AND (company_id IS NULL OR company_id = %(company)s)
                      AND (regexp_replace(phone, '\\D', '', 'g') LIKE %(tail)s
                           OR regexp_replace(mobile, '\\D', '', 'g') LIKE %(tail)s)
                 ORDER BY id
                    LIMIT 100""",
                company=self.company_id.id,
                tail=tail,
            )
        )
        candidates = Partner.browse(row[0] for row in rows)
        key = self._phone_key(number, False)
        size = SAME_NUMBER_DIGITS
        matches = Partner
        for candidate in candidates:
            for other in (candidate.phone, candidate.mobile):
                other_key = self._phone_key(other, candidate.country_id)
                if other_key and (
                    other_key == key
                    or (len(key) >= size and other_key[-size:] == key[-size:])
                ):
                    matches |= candidate
                    break
        return matches
