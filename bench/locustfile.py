"""Locust users of the load test (bench/load.py runs it; see README "Load test").

Portal users (clients) browse /my, their ticket list, ticket pages and the
knowledge base, and now and then open a request; agents load the ticket list
and kanban, open tickets and log notes, over Odoo's JSON-RPC like the web
client. Logins come from the environment (set by bench/load.py), with the
sessions it opened beforehand (HELPDESK_LOAD_SESSIONS, a JSON file):
HELPDESK_LOAD_PORTAL / HELPDESK_LOAD_AGENTS (comma-separated),
HELPDESK_LOAD_PORTAL_USERS / HELPDESK_LOAD_AGENT_USERS (how many of each).
"""

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path

from locust import HttpUser, between, task

PORTAL_LOGINS = [x for x in os.environ.get("HELPDESK_LOAD_PORTAL", "").split(",") if x]
AGENT_LOGINS = [x for x in os.environ.get("HELPDESK_LOAD_AGENTS", "").split(",") if x]
# {login: session id} of the users logged in beforehand (bench/load.py)
SESSIONS = (
    json.loads(Path(os.environ["HELPDESK_LOAD_SESSIONS"]).read_text())
    if os.environ.get("HELPDESK_LOAD_SESSIONS")
    else {}
)
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
TICKET_LINK = re.compile(r'href="/my/tickets/(\d+)')
# the default list view's columns (the spec the web client sends, trimmed of
# optional hidden ones): enough to load what an agent sees
LIST_SPEC = {
    "ticket_ref": {},
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "commercial_partner_id": {"fields": {"display_name": {}}},
    "team_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "type_id": {"fields": {"display_name": {}}},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
    "priority": {},
    "priority_effective": {},
    "is_vip": {},
    "sla_deadline": {},
    "sla_status": {},
    "date_received": {},
    "date_last_contact": {},
    "stage_id": {"fields": {"display_name": {}}},
    "is_closed": {},
}
FORM_SPEC = dict(
    LIST_SPEC,
    description={},
    equipment_ids={"fields": {"display_name": {}}},
    site_id={"fields": {"display_name": {}}},
    event_ids={"fields": {"event_type": {}, "date": {}, "note": {}}},
    sla_line_ids={"fields": {"target": {}, "deadline": {}, "status": {}}},
)
OPEN = [("is_closed", "=", False)]

_logins = {
    "portal": itertools.cycle(PORTAL_LOGINS),
    "agent": itertools.cycle(AGENT_LOGINS),
}
_lock = threading.Lock()


def next_login(kind):
    with _lock:
        return next(_logins[kind])


class OdooUser(HttpUser):
    abstract = True
    kind = None
    # think time: a person reads a page a few seconds before the next click
    wait_time = between(2, 8)

    def on_start(self):
        # logged in beforehand by bench/load.py (its log_in): the run measures
        # browsing; without a session every page fails as "session lost"
        self.login = next_login(self.kind)
        self.client.cookies.set("session_id", SESSIONS.get(self.login, ""))

    def page(self, path, name):
        """GET a page; a redirection to the login form is a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if "/web/login" in response.url:
                response.failure("session lost: redirected to the login form")
            return response

    def rpc(self, model, method, args, kwargs, name):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": random.randint(1, 10**9),
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs,
            },
        }
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}",
            json=payload,
            name=name,
            catch_response=True,
        ) as response:
            body = response.json() if response.ok else {}
            if "error" in body:
                response.failure(body["error"].get("data", {}).get("name", "error"))
                return None
            return body.get("result")


class PortalUser(OdooUser):
    """A client's contact on the customer portal."""

    kind = "portal"
    fixed_count = int(os.environ.get("HELPDESK_LOAD_PORTAL_USERS", "50"))

    def on_start(self):
        super().on_start()
        self.ticket_ids = []

    @task(2)
    def home(self):
        self.page("/my", "portal /my")

    @task(4)
    def tickets(self):
        response = self.page("/my/tickets", "portal /my/tickets")
        self.ticket_ids = TICKET_LINK.findall(response.text) or self.ticket_ids

    @task(4)
    def ticket_page(self):
        if self.ticket_ids:
            self.page(
                f"/my/tickets/{random.choice(self.ticket_ids)}",
                "portal /my/tickets/<id>",
            )

    @task(1)
    def knowledge_base(self):
        self.client.get(
            "/helpdesk/kb?search=printer", name="portal /helpdesk/kb search"
        )

    @task(1)
    def new_request(self):
        form = self.page("/my/tickets/new", "portal /my/tickets/new")
        token = CSRF.search(form.text)
        self.client.post(
            "/my/tickets/submit",
            data={
                "csrf_token": token and token.group(1),
                "name": "Load test: the receipt printer jams",
                "description": "It jams after every second receipt.",
            },
            name="portal new request (POST)",
        )


class AgentUser(OdooUser):
    """A support agent in the web client."""

    kind = "agent"
    fixed_count = int(os.environ.get("HELPDESK_LOAD_AGENT_USERS", "20"))
    wait_time = between(3, 10)

    def on_start(self):
        super().on_start()
        self.ticket_ids = []

    @task(5)
    def ticket_list(self):
        result = self.rpc(
            "helpdesk.ticket",
            "web_search_read",
            [],
            {"domain": OPEN, "specification": LIST_SPEC, "limit": 80},
            "agent ticket list (web_search_read)",
        )
        if result:
            self.ticket_ids = [r["id"] for r in result["records"]] or self.ticket_ids

    @task(2)
    def kanban_groups(self):
        self.rpc(
            "helpdesk.ticket",
            "web_read_group",
            [],
            {"domain": OPEN, "fields": [], "groupby": ["stage_id"], "lazy": True},
            "agent kanban by stage (web_read_group)",
        )

    @task(4)
    def open_ticket(self):
        if self.ticket_ids:
            self.rpc(
                "helpdesk.ticket",
                "web_read",
                [[random.choice(self.ticket_ids)]],
                {"specification": FORM_SPEC},
                "agent ticket form (web_read)",
            )

    @task(1)
    def log_note(self):
        if self.ticket_ids:
            self.rpc(
                "helpdesk.ticket",
                "message_post",
                [[random.choice(self.ticket_ids)]],
                {
                    "body": "Load test: checked the logs, nothing new.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_note",
                },
                "agent internal note (message_post)",
            )
