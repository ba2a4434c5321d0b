# pylint: disable=consider-merging-classes-inherited

import hashlib
import json

from markupsafe import Markup

from odoo import Command, fields, models

from .helpdesk_webhook_source import SEVERITY_PRIORITY

# labels naming the client, the site and the equipment of an alert
CLIENT_LABEL = "helpdesk_client"
SITE_LABEL = "helpdesk_site"
EQUIPMENT_LABEL = "helpdesk_equipment"
# labels that commonly name the monitored host, tried after EQUIPMENT_LABEL
HOST_LABELS = ("instance", "host", "hostname", "nodename")
FIRING = ("firing", "problem")
RECOVERED = ("resolved", "recovery")


class HelpdeskWebhookSourceMonitoring(models.Model):
    """Monitoring alerts: Prometheus Alertmanager's webhook (``alerts[]``
    with status, labels, annotations, fingerprint, startsAt, endsAt) and a
    Zabbix webhook media type (one event: event_id, event_value or status,
    trigger_id, name, severity, host, tags). One open ticket per alert
    fingerprint: a repeat adds a note, the recovery a note and, when the
    source says so, resolves it."""

    _inherit = "helpdesk.webhook.source"

    # ------------------------------------------------------------ parsing
    def _parse_alertmanager(self, data):
        alerts = data.get("alerts") if isinstance(data, dict) else None
        if not isinstance(alerts, list):
            self._raise_bad_payload(self.env._("the alerts list is missing"))
        events = []
        for alert in alerts:
            labels = alert.get("labels") if isinstance(alert, dict) else None
            status = self._text(alert.get("status")).lower() if labels else ""
            if not isinstance(labels, dict) or status not in ("firing", "resolved"):
                self._raise_bad_payload(
                    self.env._("each alert needs labels and a status")
                )
            fingerprint = self._text(alert.get("fingerprint")) or self._hash(labels)
            starts = self._text(alert.get("startsAt"))
            date = alert.get("endsAt") if status == "resolved" else starts
            events.append(
                {
                    "external_id": f"{fingerprint}:{status}:{starts}",
                    "event_type": status,
                    "fingerprint": fingerprint,
                    "date_event": self._parse_date(date),
                    "payload": alert,
                }
            )
        return events

    def _parse_zabbix(self, data):
        if not isinstance(data, dict):
            self._raise_bad_payload(self.env._("a JSON object is expected"))
        event_id = self._text(data.get("event_id"))
        if not event_id:
            self._raise_bad_payload(self.env._("event_id is missing"))
        status = self._text(data.get("status")).upper()
        if self._text(data.get("event_update_status")) == "1" or status == "UPDATE":
            event_type = "update"
        elif self._text(data.get("event_value")) == "0" or status in ("RESOLVED", "OK"):
            event_type = "recovery"
        else:
            event_type = "problem"
        trigger = self._text(data.get("trigger_id"))
        host = self._text(data.get("host"))
        external_id = f"{event_id}:{event_type}"
        if event_type == "update":
            # every acknowledgement or comment is an event of its own
            external_id += ":" + self._hash(data)
        return [
            {
                "external_id": external_id,
                "event_type": event_type,
                "fingerprint": f"{host}:{trigger}" if trigger else event_id,
                "date_event": self._parse_date(data.get("timestamp")),
                "payload": data,
            }
        ]

    def _hash(self, data):
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _alert_info(self, event):
        """The alert of ``event`` in one shape for both kinds: labels (str to
        str), title, description, severity and link."""
        data = json.loads(event.payload or "{}")
        if self.kind == "alertmanager":
            labels = data.get("labels") or {}
            notes = data.get("annotations")
            notes = notes if isinstance(notes, dict) else {}
            info = {
                "title": notes.get("summary") or labels.get("alertname"),
                "description": notes.get("description") or notes.get("message"),
                "severity": labels.get("severity"),
                "url": data.get("generatorURL"),
            }
        else:
            tags = data.get("tags")
            if isinstance(tags, str):
                try:
                    tags = json.loads(tags)
                except ValueError:
                    tags = []
            labels = {
                self._text(tag.get("tag")): tag.get("value")
                for tag in (tags if isinstance(tags, list) else [])
                if isinstance(tag, dict) and tag.get("tag")
            }
            labels.setdefault("host", data.get("host"))
            info = {
                "title": data.get("name") or data.get("trigger_name"),
                "description": data.get("message"),
                "severity": data.get("severity"),
                "url": data.get("url"),
            }
        info = {key: self._text(value, 2000) for key, value in info.items()}
        info["labels"] = {
            self._text(key): self._text(value, 500)
            for key, value in (labels if isinstance(labels, dict) else {}).items()
            if self._text(key)
        }
        return info

    # ------------------------------------------------------------ processing
    def _process_alertmanager(self, event):
        self._process_alert(event)

    def _process_zabbix(self, event):
        if event.event_type == "update":
            event.write(
                {
                    "state": "ignored",
                    "message": self.env._("Updates of a problem are not followed."),
                }
            )
            return
        self._process_alert(event)

    def _process_alert(self, event):
        info = self._alert_info(event)
        ticket = self._alert_open_ticket(event)
        when = fields.Datetime.to_string(event.date_event)
        if event.event_type in FIRING:
            if ticket:
                ticket.message_post(
                    body=self.env._("The alert fired again (%(when)s UTC).", when=when),
                    subtype_xmlid="mail.mt_note",
                )
                event.message = self.env._("Repeat: noted on the open ticket.")
            else:
                ticket = self.env["helpdesk.ticket"].create(
                    self._prepare_alert_ticket_vals(info, event)
                )
                event.message = self.env._("Ticket opened.")
        elif not ticket:
            event.write(
                {
                    "state": "ignored",
                    "message": self.env._("No open ticket for this alert."),
                }
            )
            return
        else:
            ticket.message_post(
                body=self.env._("The alert recovered (%(when)s UTC).", when=when),
                subtype_xmlid="mail.mt_note",
            )
            event.message = self._alert_resolve(ticket, when)
        event.ticket_id = ticket

    def _alert_open_ticket(self, event):
        """The open ticket of the alert's fingerprint, if any."""
        previous = event.search(
            [
                ("source_id", "=", self.id),
                ("fingerprint", "=", event.fingerprint),
                ("ticket_id", "!=", False),
                ("id", "!=", event.id),
            ],
            order="id desc",
            limit=1,
        )
        ticket = previous.ticket_id
        return ticket if ticket.active and not ticket.is_closed else ticket.browse()

    def _alert_resolve(self, ticket, when):
        """Resolve ``ticket`` when the source says so; the event's message."""
        if not self.is_auto_resolve:
            return self.env._("Recovery noted on the ticket.")
        stage = ticket.team_id._get_stage_of_kind("resolved")
        if not stage:
            return self.env._("Recovery noted: the team has no 'Resolved' stage.")
        resolution = self.env._(
            "The monitoring reported the recovery at %(when)s UTC.", when=when
        )
        ticket.write(
            {"stage_id": stage.id, "resolution": Markup("<p>%s</p>") % resolution}
        )
        return self.env._("Recovery: ticket resolved.")

    def _alert_targets(self, labels):
        """(client, site, equipment) the alert's labels name, in the source's
        company: the client by reference or id, the equipment by serial,
        inventory number or name (the helpdesk_equipment label, then the
        host labels), the site by name; else the source's default client."""
        Partner = self.env["res.partner"]
        client = Partner
        value = labels.get(CLIENT_LABEL)
        if value:
            company = [("company_id", "in", [self.company_id.id, False])]
            client = Partner.search(company + [("ref", "=", value)], limit=1)
            if not client and value.isdigit() and int(value) < 2**31:
                client = Partner.search(company + [("id", "=", int(value))])
            client = client.commercial_partner_id
        domain = [("partner_id", "=", client.id)] if client else []
        hosts = [labels.get(EQUIPMENT_LABEL)]
        for name in HOST_LABELS:
            host = labels.get(name) or ""
            hosts.append(host)
            if host.rpartition(":")[2].isdigit():
                # Prometheus' instance is host:port
                hosts.append(host.rpartition(":")[0].strip("[]"))
        equipment = self._find_by_name(
            self.env["helpdesk.equipment"],
            hosts,
            ["serial_number", "inventory_number", "name"],
            domain,
        )
        site = self._find_by_name(
            self.env["helpdesk.site"],
            [labels.get(SITE_LABEL)],
            ["name"],
            [("partner_id", "=", (client or equipment.partner_id).id)]
            if client or equipment
            else [],
        )
        site = site or equipment.site_id
        client = client or equipment.partner_id or site.partner_id or self.partner_id
        return client, site, equipment

    def _prepare_alert_ticket_vals(self, info, event):
        labels = info["labels"]
        client, site, equipment = self._alert_targets(labels)
        title = info["title"] or self.env._("Monitoring alert")
        host = next((labels[n] for n in HOST_LABELS if labels.get(n)), "")
        name = f"{title} ({host})" if host and host not in title else title
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td></tr>") % (key, labels[key])
            for key in sorted(labels)
        )
        description = Markup("<p>%s</p>") % (info["description"] or title)
        if info["url"].lower().startswith(("https://", "http://")):
            description += Markup('<p><a href="%s">%s</a></p>') % (
                info["url"],
                self.env._("Open in the monitoring"),
            )
        description += Markup('<table class="table table-sm">%s</table>') % rows
        vals = {
            "name": name[:200],
            "description": description,
            "channel": "monitoring",
            "company_id": self.company_id.id,
            "team_id": self.team_id.id,
            "priority": SEVERITY_PRIORITY.get(info["severity"].lower(), "1"),
            "date_received": event.date_event,
        }
        if client:
            vals["partner_id"] = client.id
        if site:
            vals["site_id"] = site.id
        if equipment:
            vals["equipment_ids"] = [Command.set(equipment.ids)]
        return vals
