import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tools import file_open, mute_logger

from .common import HelpdeskCommonMixin

LOGGER = "odoo.addons.helpdesk_service.controllers.webhook"


def _fixture(name):
    with file_open(f"helpdesk_service/tests/data/{name}") as fixture:
        return json.load(fixture)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestWebhook(HttpCase, HelpdeskCommonMixin):
    """The phone system and monitoring webhooks, fed with recorded event
    sequences: authentication, idempotency, the call log, the alert tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        env = cls.env
        Source = env["helpdesk.webhook.source"]
        cls.pbx = Source.create(
            {"name": "ZQ PBX", "kind": "pbx", "team_id": cls.team.id}
        )
        cls.alertmanager = Source.create(
            {
                "name": "ZQ Alertmanager",
                "kind": "alertmanager",
                "team_id": cls.team.id,
                "is_auto_resolve": True,
            }
        )
        cls.zabbix = Source.create(
            {
                "name": "ZQ Zabbix",
                "kind": "zabbix",
                "team_id": cls.team.id,
                "is_auto_resolve": True,
            }
        )
        cls.agent_a.helpdesk_pbx_extension = "201"
        france = env.ref("base.fr")
        cls.hosting_client = env["res.partner"].create(
            {"name": "ZQ Hosting Client", "is_company": True, "ref": "ZQ-CLIENT-REF"}
        )
        cls.caller = env["res.partner"].create(
            {
                "name": "ZQ Caller",
                "parent_id": cls.hosting_client.id,
                "country_id": france.id,
                "mobile": "+33 6 12 34 56 78",
            }
        )
        cls.data_centre = env["helpdesk.site"].create(
            {"name": "ZQ Data Centre", "partner_id": cls.hosting_client.id}
        )
        cls.server = env["helpdesk.equipment"].create(
            {
                "name": "ZQ web server",
                "partner_id": cls.hosting_client.id,
                "serial_number": "SRV-ZQ-01",
            }
        )

    # ------------------------------------------------------------ helpers
    def _sign(self, source, body):
        secret = source.sudo().secret
        return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    def _post(self, source, payload, signature=None, headers=None, source_id=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        all_headers = {"Content-Type": "application/json"}
        if signature is not False:
            all_headers["X-Helpdesk-Signature"] = signature or self._sign(source, body)
        all_headers.update(headers or {})
        return self.url_open(
            f"/helpdesk/webhook/{source_id or source.id}",
            data=body,
            headers=all_headers,
        )

    def _post_all(self, source, payloads):
        answers = []
        for payload in payloads:
            response = self._post(source, payload)
            self.assertEqual(response.status_code, 200, response.text)
            answers.append(response.json())
        self.env.invalidate_all()
        return answers

    def _source_events(self, source):
        return self.env["helpdesk.webhook.event"].search(
            [("source_id", "=", source.id)], order="id"
        )

    # ------------------------------------------------------------ authentication
    @mute_logger(LOGGER)
    def test_signature_and_payload_are_checked(self):
        event = _fixture("webhook_pbx_answered.json")[0]
        body = json.dumps(event).encode()
        refused = {
            "no signature": self._post(self.pbx, body, signature=False),
            "wrong signature": self._post(
                self.pbx, body, signature="sha256=" + "0" * 64
            ),
            "signed with another source's secret": self._post(
                self.pbx, body, signature=self._sign(self.zabbix, body)
            ),
            "body changed after signing": self._post(
                self.pbx, body + b" ", signature=self._sign(self.pbx, body)
            ),
            "unknown source": self._post(self.pbx, body, source_id=2_000_000_000),
            "id past the integers": self._post(self.pbx, body, source_id=2**40),
            "bearer token on a source that wants a signature": self._post(
                self.pbx,
                body,
                signature=False,
                headers={"Authorization": f"Bearer {self.pbx.sudo().secret}"},
            ),
        }
        for case, response in refused.items():
            self.assertEqual(response.status_code, 403, case)
            self.assertNotIn(self.pbx.sudo().secret, response.text)
        self.assertEqual(self._post(self.pbx, b"{not json").status_code, 400)
        self.assertEqual(self._post(self.pbx, b"\xff\xfe").status_code, 400)
        self.assertEqual(self._post(self.pbx, {"event": "ringing"}).status_code, 400)
        self.assertEqual(self._post(self.pbx, [1, 2]).status_code, 400)
        self.assertFalse(
            self._source_events(self.pbx), "a refused request left an event"
        )
        # archived: the same answer as an unknown source
        self.pbx.active = False
        self.assertEqual(self._post(self.pbx, body).status_code, 403)
        self.pbx.active = True
        self.assertEqual(self._post(self.pbx, body).status_code, 200)

    def test_odd_values_are_stored_safely(self):
        """A NUL byte, a very long event id, a deep JSON: no server error."""
        ringing, ended = _fixture("webhook_pbx_missed.json")
        long_id = "x" * 300
        odd = "06\u00001234\u001f5678"
        answers = self._post_all(
            self.pbx,
            [
                dict(ringing, caller=odd, event_id=long_id),
                dict(ringing, caller=odd, event_id=long_id),
                dict(ended, caller=odd),
            ],
        )
        self.assertEqual([a["status"] for a in answers], ["ok", "duplicate", "ok"])
        events = self._source_events(self.pbx)
        self.assertEqual(len(events[0].external_id), 255)
        self.assertEqual(events.call_id.phone, "06 1234 5678")
        deep = b"[" * 100_000 + b"]" * 100_000
        self.assertEqual(self._post(self.pbx, deep).status_code, 400)

    def test_bearer_token_where_allowed(self):
        """Alertmanager cannot sign: its source takes the secret as a bearer
        token (over HTTPS; the test server is the loopback)."""
        self.assertEqual(self.alertmanager.auth_method, "token")
        firing = _fixture("webhook_alertmanager.json")[0]
        secret = self.alertmanager.sudo().secret
        response = self._post(
            self.alertmanager,
            firing,
            signature=False,
            headers={"Authorization": f"Bearer {secret}"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        with mute_logger(LOGGER):
            response = self._post(
                self.alertmanager,
                firing,
                signature=False,
                headers={"Authorization": f"Bearer {secret}x"},
            )
        self.assertEqual(response.status_code, 403)

    def test_secret_is_shown_once_and_regenerated(self):
        old = self.pbx.sudo().secret
        self.assertTrue(old and len(old) >= 40, "a random secret at creation")
        self.assertNotEqual(old, self.zabbix.sudo().secret)
        manager_source = self.pbx.with_user(self.manager)
        with self.assertRaises(AccessError):
            manager_source.read(["secret"])
        action = manager_source.action_generate_secret()
        new = action["context"]["default_secret"]
        dialog = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(dialog.secret, new, "the dialog shows it")
        self.assertNotEqual(new, old)
        self.assertEqual(self.pbx.sudo().secret, new)
        event = _fixture("webhook_pbx_answered.json")[0]
        body = json.dumps(event).encode()
        signature = "sha256=" + hmac.new(new.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(
            self._post(self.pbx, body, signature=signature).status_code, 200
        )
        with self.assertRaises(AccessError):
            self.env["helpdesk.webhook.source"].with_user(self.agent_a).search([])
        with self.assertRaises(AccessError):
            self.env["helpdesk.webhook.event"].with_user(self.agent_a).search([])

    def test_source_form(self):
        Source = self.env["helpdesk.webhook.source"].with_user(self.manager)
        with Form(Source) as form:
            form.name = "ZQ monitoring"
            self.assertEqual(form.auth_method, "hmac")
            form.kind = "alertmanager"
            self.assertEqual(form.auth_method, "token", "Alertmanager cannot sign")
            form.team_id = self.team
            form.is_auto_resolve = True
        source = form.record
        self.assertTrue(source.sudo().secret, "a secret from the start")
        self.assertEqual(source.webhook_url.rpartition("/")[2], str(source.id))
        with self.assertRaises(ValidationError):
            self.pbx.is_auto_resolve = True

    # ------------------------------------------------------------ phone system
    def test_duplicate_event_is_applied_once(self):
        ringing, answered, _ended = _fixture("webhook_pbx_answered.json")
        self._post_all(self.pbx, [ringing])
        first, second = self._post_all(self.pbx, [answered, answered])
        self.assertEqual(first, {"status": "ok", "received": 1, "duplicates": 0})
        self.assertEqual(second["status"], "duplicate")
        events = self._source_events(self.pbx)
        self.assertEqual(len(events), 2)
        self.assertEqual(len(events.call_id), 1)
        self.assertEqual(
            self.env["helpdesk.ticket.call"].search_count(
                [("id", "in", events.call_id.ids)]
            ),
            1,
        )

    def test_call_matches_contact_and_open_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "ZQ printer jam",
                "partner_id": self.caller.id,
                "team_id": self.team.id,
            }
        )
        self._post_all(self.pbx, _fixture("webhook_pbx_answered.json"))
        events = self._source_events(self.pbx)
        call = events.call_id
        self.assertEqual(len(call), 1)
        self.assertEqual(call.ticket_id, ticket, "the contact's open ticket")
        self.assertEqual(call.user_id, self.agent_a, "the agent by his extension")
        self.assertEqual(call.phone, "0612345678")
        self.assertEqual(
            call.date_start,
            datetime.fromtimestamp(1793606400, timezone.utc).replace(tzinfo=None),
        )
        self.assertEqual(call.pickup_seconds, 14)
        self.assertEqual(call.duration_seconds, 180)
        self.assertFalse(call.is_missed)
        self.assertEqual(
            call.recording_url,
            "https://pbx.example.com/recordings/1793606400.101.wav",
        )
        self.assertEqual(events.mapped("state"), ["processed"] * 3)
        self.assertFalse(events[0].call_id, "ringing alone logs nothing yet")
        self.assertEqual(ticket.call_count, 1)

    def test_out_of_order_and_repeated_call_events(self):
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search([("channel", "=", "phone")])
        answers = self._post_all(self.pbx, _fixture("webhook_pbx_out_of_order.json"))
        self.assertEqual([a["received"] for a in answers], [1, 1, 1, 1])
        events = self._source_events(self.pbx)
        call = events.call_id
        self.assertEqual(len(call), 1, "one call row whatever the order")
        self.assertEqual(call.date_start, datetime(2026, 11, 2, 9, 0, 0))
        self.assertEqual(call.date_answer, datetime(2026, 11, 2, 9, 0, 20))
        self.assertEqual(call.date_end, datetime(2026, 11, 2, 9, 4, 10))
        self.assertFalse(call.is_missed, "answered after the end arrived")
        self.assertEqual(call.user_id, self.agent_b, "the agent by his login")
        ticket = call.ticket_id
        self.assertEqual(Ticket.search([("channel", "=", "phone")]) - before, ticket)
        self.assertEqual(ticket.channel, "phone")
        self.assertEqual(ticket.team_id, self.team)
        self.assertFalse(ticket.partner_id, "an unknown number")
        self.assertEqual(ticket.partner_phone, "+44 20 7946 0999")

    def test_missed_call_is_counted(self):
        self._post_all(self.pbx, _fixture("webhook_pbx_missed.json"))
        events = self._source_events(self.pbx)
        self.assertEqual(
            events.mapped("external_id"),
            ["1793613600.303:ringing", "1793613600.303:ended"],
        )
        call = events.call_id
        self.assertTrue(call.is_missed)
        self.assertEqual(call.pickup_seconds, 0)
        self.assertIn("Missed call", call.ticket_id.name)
        [(missed, pickup)] = self.env["helpdesk.ticket.call"]._read_group(
            [("id", "in", call.ids)],
            [],
            ["is_missed:count_distinct", "pickup_seconds:avg"],
        )
        self.assertEqual((missed, pickup), (1, 0))
        missed_count = self.env["helpdesk.ticket.call"].search_count(
            [("is_missed", "=", True), ("ticket_id", "=", call.ticket_id.id)]
        )
        self.assertEqual(missed_count, 1)

    # ------------------------------------------------------------ monitoring
    def test_alertmanager_firing_repeat_resolved(self):
        firing, repeat, resolved, again = _fixture("webhook_alertmanager.json")
        answers = self._post_all(self.alertmanager, [firing, repeat, resolved])
        self.assertEqual([a["status"] for a in answers], ["ok", "duplicate", "ok"])
        events = self._source_events(self.alertmanager)
        self.assertEqual(len(events), 2)
        ticket = events.ticket_id
        self.assertEqual(len(ticket), 1, "one ticket per fingerprint")
        self.assertEqual(ticket.channel, "monitoring")
        self.assertEqual(ticket.name, "Instance srv-zq-01:9100 down")
        self.assertEqual(ticket.equipment_ids, self.server, "matched by instance")
        self.assertEqual(
            ticket.partner_id, self.hosting_client, "the equipment's client"
        )
        self.assertEqual(ticket.priority, "3", "critical")
        self.assertEqual(ticket.date_received, datetime(2026, 11, 2, 8, 15, 30))
        self.assertEqual(ticket.stage_id, self.stage_resolved, "resolved on recovery")
        self.assertIn("2026-11-02 08:42:00", str(ticket.resolution))
        # the alert fires again after its ticket was resolved: a new ticket
        self._post_all(self.alertmanager, [again])
        new = self._source_events(self.alertmanager)[-1].ticket_id
        self.assertTrue(new)
        self.assertNotEqual(new, ticket)
        self.assertFalse(new.is_closed)

    def test_alertmanager_recovery_noted_without_auto_resolve(self):
        self.alertmanager.is_auto_resolve = False
        answers = self._post_all(
            self.alertmanager, _fixture("webhook_alertmanager.json")
        )
        self.assertEqual(
            [a["status"] for a in answers], ["ok", "duplicate", "ok", "ok"]
        )
        events = self._source_events(self.alertmanager)
        ticket = events.ticket_id
        self.assertEqual(len(ticket), 1, "the repeat after the recovery: same ticket")
        self.assertFalse(ticket.is_closed)
        notes = ticket.message_ids.mapped("body")
        self.assertTrue(any("recovered" in str(body) for body in notes))
        self.assertTrue(any("fired again" in str(body) for body in notes))

    def test_zabbix_problem_and_recovery(self):
        problem, update, repeat, recovery = _fixture("webhook_zabbix.json")
        answers = self._post_all(self.zabbix, [problem, update, repeat, recovery])
        self.assertEqual(
            [a["status"] for a in answers], ["ok", "ok", "duplicate", "ok"]
        )
        events = self._source_events(self.zabbix)
        self.assertEqual(events.mapped("state"), ["processed", "ignored", "processed"])
        ticket = events.ticket_id
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            ticket.partner_id, self.hosting_client, "the helpdesk_client tag"
        )
        self.assertEqual(ticket.site_id, self.data_centre, "the helpdesk_site tag")
        self.assertEqual(ticket.priority, "2", "High")
        self.assertEqual(
            ticket.name, "High CPU utilization (over 90% for 5m) (srv-zq-02)"
        )
        self.assertEqual(ticket.stage_id, self.stage_resolved)
        # a recovery with no open ticket is kept, and ignored
        self._post_all(self.zabbix, [dict(recovery, event_id="4712")])
        self.assertEqual(self._source_events(self.zabbix)[-1].state, "ignored")


@tagged("post_install", "-at_install", "helpdesk_service")
class TestWebhookEventCleanup(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.source = cls.env["helpdesk.webhook.source"].create(
            {"name": "ZQ cleanup", "kind": "alertmanager"}
        )

    def test_old_events_are_deleted_but_those_of_open_tickets(self):
        open_ticket = self._ticket(name="ZQ open alert")
        closed_ticket = self._ticket(name="ZQ closed alert")
        closed_ticket.stage_id = self.stage_closed
        Event = self.env["helpdesk.webhook.event"]

        def event(key, days_ago, ticket=None):
            return Event.create(
                {
                    "source_id": self.source.id,
                    "external_id": key,
                    "date_received": datetime(2026, 11, 30) - timedelta(days=days_ago),
                    "ticket_id": ticket and ticket.id,
                }
            )

        old = event("old", 91) | event("old-closed", 200, closed_ticket)
        kept = event("recent", 89) | event("old-open", 200, open_ticket)
        with freeze_time("2026-11-30 00:00:00"):
            self.assertEqual(Event._cron_clean_events(), 2)
        self.assertFalse(old.exists())
        self.assertEqual(kept.exists(), kept)
        self.env["ir.config_parameter"].set_param(
            "helpdesk_service.webhook_event_days", "30"
        )
        with freeze_time("2026-11-30 00:00:00"):
            Event._cron_clean_events()
        self.assertEqual(kept.exists(), kept[1], "30 days: the open ticket's only")
