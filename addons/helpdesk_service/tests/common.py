import importlib.util
import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import new_test_user
from odoo.tools import file_path

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


def load_migration(version, name):
    """The migration script `name` (e.g. "post-kpi_calls") of the given
    release of helpdesk_service, as a module, to test its migrate()."""
    path = file_path(f"helpdesk_service/migrations/{version}/{name}.py")
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class HelpdeskCommonMixin:
    """Shared fixtures: two teams, agents, a manager and a client company."""

    @contextmanager
    def _statements(self, cold=False):
        """Yield the list of the SQL statements run inside the block. With
        `cold`, the block starts flushed and with an empty cache, and what it
        leaves pending is flushed inside it."""
        cr = self.env.cr
        statements = []
        execute = cr.execute

        def logged(query, params=None, log_exceptions=True):
            code = query.code if hasattr(query, "code") else str(query)
            statements.append(re.sub(r"\s+", " ", code).strip())
            return execute(query, params, log_exceptions)

        if cold:
            self.env.flush_all()
            self.env.invalidate_all()
        with patch.object(cr, "execute", logged):
            yield statements
            if cold:
                self.env.flush_all()

    @classmethod
    def _setup_helpdesk(cls):
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        cls.stage_new = env.ref("helpdesk_service.helpdesk_stage_new")
        cls.stage_progress = env.ref("helpdesk_service.helpdesk_stage_in_progress")
        cls.stage_waiting = env.ref("helpdesk_service.helpdesk_stage_waiting")
        cls.stage_resolved = env.ref("helpdesk_service.helpdesk_stage_resolved")
        cls.stage_closed = env.ref("helpdesk_service.helpdesk_stage_closed")
        stages = (
            cls.stage_new
            | cls.stage_progress
            | cls.stage_waiting
            | cls.stage_resolved
            | cls.stage_closed
        )
        cls.manager = new_test_user(
            env,
            login="hd_manager",
            name="Helpdesk Manager",
            email="hd.manager@example.com",
            groups="base.group_user,helpdesk_service.group_helpdesk_manager",
        )
        cls.agent_a = new_test_user(
            env,
            login="hd_agent_a",
            name="Agent A",
            email="agent.a@example.com",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.agent_b = new_test_user(
            env,
            login="hd_agent_b",
            name="Agent B",
            email="agent.b@example.com",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.agent_c = new_test_user(
            env,
            login="hd_agent_c",
            name="Agent C",
            email="agent.c@example.com",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.team = env["helpdesk.team"].create(
            {
                "name": "Test Desk",
                "user_id": cls.manager.id,
                "member_ids": [(6, 0, (cls.agent_a | cls.agent_b).ids)],
                "stage_ids": [(6, 0, stages.ids)],
                "visibility": "all",
            }
        )
        cls.team_private = env["helpdesk.team"].create(
            {
                "name": "Private Desk",
                "member_ids": [(6, 0, cls.agent_c.ids)],
                "stage_ids": [(6, 0, stages.ids)],
                "visibility": "members",
            }
        )
        cls.client = env["res.partner"].create(
            {
                "name": "Acme Clients Ltd",
                "is_company": True,
                "email": "office@acme.example.com",
            }
        )
        cls.contact = env["res.partner"].create(
            {
                "name": "John Client",
                "parent_id": cls.client.id,
                "email": "john@acme.example.com",
                "phone": "+1 555 1000",
            }
        )
        cls.executive = env["res.partner"].create(
            {
                "name": "Jane Boss",
                "parent_id": cls.client.id,
                "email": "jane@acme.example.com",
                "helpdesk_role": "executive",
            }
        )
        cls.other_client = env["res.partner"].create(
            {
                "name": "Other Client Inc",
                "is_company": True,
                "email": "hq@other.example.com",
            }
        )
        cls.Ticket = env["helpdesk.ticket"]

    def _ticket(self, **vals):
        values = {
            "name": "Printer does not print",
            "partner_id": self.contact.id,
            "team_id": self.team.id,
        }
        values.update(vals)
        return self.Ticket.create(values)

    def _events(self, ticket, event_type=None):
        events = ticket.event_ids
        if event_type:
            events = events.filtered(lambda e: e.event_type == event_type)
        return events

    def _post_as(self, ticket, user=None, partner=None, internal=False, body="Hello"):
        """Post a message as an agent (user) or as the client (partner)."""
        if user:
            return ticket.with_user(user).message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note" if internal else "mail.mt_comment",
            )
        return ticket.sudo().message_post(
            body=body,
            author_id=partner.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
