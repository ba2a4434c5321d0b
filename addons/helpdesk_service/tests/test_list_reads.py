"""The ticket list's reads (issue #17): the open tickets are read from partial
indexes that the ORM's SQL matches, and the list grouped by agent sums up by
the agent's column before ordering the groups by name."""

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from .common import HelpdeskCommonMixin


@tagged("post_install", "-at_install", "helpdesk_service")
class TestTicketListReads(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        group = "base.group_user,helpdesk_service.group_helpdesk_user"
        # named so that the name order differs from the id order
        cls.zoe = new_test_user(cls.env, login="hd_zoe", name="Zoe Z", groups=group)
        cls.adam = new_test_user(cls.env, login="hd_adam", name="Adam A", groups=group)
        cls.team.member_ids = [(4, cls.zoe.id), (4, cls.adam.id)]
        users = [cls.zoe, cls.adam, cls.adam, False, cls.zoe, cls.zoe]
        cls.tickets = cls.Ticket.create(
            [
                {
                    "name": f"Call {i}",
                    "partner_id": cls.contact.id,
                    "team_id": cls.team.id,
                    "user_id": user and user.id,
                }
                for i, user in enumerate(users)
            ]
        )

    def _plan(self, model, domain):
        """The plan of the ORM's search query when the partial indexes are the
        only way to read the table but a sequential scan: the other indexes
        are dropped inside a savepoint and plain index scans are off, so the
        planner takes a partial index exactly when the query's WHERE clause
        implies its predicate, whatever the statistics of the moment."""
        query = model._search(domain)
        cr = self.env.cr
        cr.execute("SAVEPOINT helpdesk_plan")
        try:
            cr.execute(
                """SELECT i.relname FROM pg_index x
                     JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = 'helpdesk_ticket'::regclass
                      AND NOT x.indisprimary AND NOT x.indisunique
                      AND i.relname NOT LIKE 'helpdesk_ticket_open%%'"""
            )
            for (index,) in cr.fetchall():
                cr.execute(SQL("DROP INDEX %s", SQL.identifier(index)))
            for setting in ("seqscan", "indexscan", "indexonlyscan"):
                cr.execute(SQL("SET LOCAL enable_%s = off", SQL(setting)))
            cr.execute(SQL("EXPLAIN %s", query.select()))
            return "\n".join(row[0] for row in cr.fetchall())
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT helpdesk_plan")

    def test_open_tickets_read_from_their_indexes(self):
        self.env.flush_all()
        Ticket = self.Ticket.with_user(self.agent_a)
        open_domain = [("is_closed", "=", False)]
        self.assertIn(
            "helpdesk_ticket_open",
            self._plan(Ticket, open_domain),
            "the ORM's SQL for open tickets must imply the partial indexes' predicate",
        )
        # the check tells: closed tickets are not in those indexes
        self.assertNotIn(
            "helpdesk_ticket_open", self._plan(Ticket, [("is_closed", "=", True)])
        )
        # the count and the grouped reads need no row of the table: what the
        # record rules and the list's sums read is in the index
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["helpdesk_ticket_open_idx"],
        )
        indexdef = self.env.cr.fetchone()[0]
        for column in ("company_id", "team_id", "user_id", "stage_id"):
            self.assertIn(column, indexdef)
        sums = [
            name
            for name, field in Ticket._fields.items()
            if field.store and field.column_type and field.aggregator
        ]
        for name in ("contact_count", "effective_hours"):
            self.assertIn(name, sums)
            self.assertIn(name, indexdef)
        # a sum of priorities means nothing: the list does not compute it
        self.assertNotIn("priority_effective", sums)

    def test_grouped_by_agent_in_name_order_without_sorting_tickets(self):
        self.env.flush_all()
        Ticket = self.Ticket.with_user(self.manager)
        domain = [("id", "in", self.tickets.ids)]
        queries = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(getattr(query, "code", query)))
            return execute(cr, query, params, log_exceptions)

        self.patch(type(self.env.cr), "execute", spy)
        groups = Ticket.web_read_group(
            domain, ["contact_count:sum"], ["user_id"], limit=80, lazy=True
        )
        self.assertEqual(groups["length"], 3)
        self.assertEqual(
            [
                (g["user_id"] and g["user_id"][0], g["user_id_count"])
                for g in groups["groups"]
            ],
            [(self.adam.id, 2), (self.zoe.id, 3), (False, 1)],
        )
        grouping = [q for q in queries if 'GROUP BY "helpdesk_ticket"' in q]
        self.assertEqual(len(grouping), 1, grouping)
        self.assertNotIn("res_partner", grouping[0], "tickets joined to names")
        # offset and limit apply to the ordered groups
        page = Ticket.read_group(domain, [], ["user_id"], offset=1, limit=1)
        self.assertEqual([g["user_id"][0] for g in page], [self.zoe.id])
        # another order is PostgreSQL's
        desc = Ticket.read_group(domain, [], ["user_id"], orderby="user_id desc")
        self.assertEqual(
            [g["user_id"] and g["user_id"][0] for g in desc],
            [False, self.zoe.id, self.adam.id],
        )


@tagged("post_install", "-at_install", "helpdesk_service")
class TestAgentTeamRule(HelpdeskCommonMixin, TransactionCase):
    """The agents' rules read the teams an agent sees once per agent: what
    changes a team's members or visibility is seen at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.private_ticket = cls.Ticket.create(
            {
                "name": "Private call",
                "partner_id": cls.contact.id,
                "team_id": cls.team_private.id,
            }
        )

    def _sees(self, user):
        Ticket = self.Ticket.with_user(user)
        found = bool(Ticket.search([("id", "=", self.private_ticket.id)]))
        readable = self.private_ticket.with_user(user).has_access("read")
        self.assertEqual(found, readable)
        return found

    def test_members_and_visibility_changes_apply_at_once(self):
        self.assertTrue(self._sees(self.agent_c))
        self.assertFalse(self._sees(self.agent_a))
        self.team_private.member_ids = [(4, self.agent_a.id)]
        self.assertTrue(self._sees(self.agent_a))
        self.team_private.member_ids = [(3, self.agent_a.id)]
        self.assertFalse(self._sees(self.agent_a))
        # from the user's side
        self.agent_a.helpdesk_team_ids = [(4, self.team_private.id)]
        self.assertTrue(self._sees(self.agent_a))
        self.agent_a.helpdesk_team_ids = [(3, self.team_private.id)]
        self.assertFalse(self._sees(self.agent_a))
        # open to all agents, then private again
        self.team_private.visibility = "all"
        self.assertTrue(self._sees(self.agent_b))
        self.team_private.visibility = "members"
        self.assertFalse(self._sees(self.agent_b))
        # a new team open to all
        team = self.env["helpdesk.team"].create({"name": "Walk-in"})
        self.assertEqual(team.visibility, "all")
        ticket = self.Ticket.create({"name": "Walk-in call", "team_id": team.id})
        self.assertTrue(ticket.with_user(self.agent_b).has_access("read"))

    def test_archived_team_keeps_its_agents(self):
        self.team_private.action_archive()
        self.assertTrue(self._sees(self.agent_c))
        self.assertFalse(self._sees(self.agent_a))

    def test_timeline_follows_the_ticket(self):
        Event = self.env["helpdesk.ticket.event"]
        events = Event.search([("ticket_id", "=", self.private_ticket.id)])
        self.assertTrue(events)
        self.assertEqual(
            Event.with_user(self.agent_c).search_count(
                [("ticket_id", "=", self.private_ticket.id)]
            ),
            len(events),
        )
        self.assertFalse(
            Event.with_user(self.agent_a).search_count(
                [("ticket_id", "=", self.private_ticket.id)]
            )
        )
        self.team_private.member_ids = [(4, self.agent_a.id)]
        self.assertEqual(
            Event.with_user(self.agent_a).search_count(
                [("ticket_id", "=", self.private_ticket.id)]
            ),
            len(events),
        )

    def test_list_reads_no_team_members(self):
        # the rules' teams are known once per agent: reading a page of tickets
        # neither joins nor reads the teams' members
        Ticket = self.Ticket.with_user(self.agent_c)
        Ticket.search_count([])  # the rules' domain, computed once
        self.env.invalidate_all()
        queries = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(getattr(query, "code", query)))
            return execute(cr, query, params, log_exceptions)

        self.patch(type(self.env.cr), "execute", spy)
        result = Ticket.web_search_read(
            [("team_id", "=", self.team_private.id)],
            {"name": {}, "team_id": {"fields": {"display_name": {}}}},
            limit=80,
        )
        self.assertEqual(result["records"][0]["id"], self.private_ticket.id)
        self.assertFalse([q for q in queries if "helpdesk_team_member_rel" in q])
