from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import HelpdeskCommonMixin, load_migration


@tagged("helpdesk_service")
class TestSchema(HelpdeskCommonMixin, TransactionCase):
    """The ticket's indexes come from Odoo's own helpers, and its one-off data
    fixes from migrations, not from init() on every upgrade."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _index_definition(self, name):
        rows = self.env.execute_query(
            SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name)
        )
        return rows[0][0] if rows else None

    def test_subject_trigram_index(self):
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(Ticket._fields["name"].index, "trigram")
        if not self.registry.has_trigram:
            self.skipTest("no pg_trgm in this database")
        definition = self._index_definition("helpdesk_ticket__name_index")
        self.assertIn("USING gin", definition)
        self.assertIn("gin_trgm_ops", definition)

    def test_open_ticket_indexes(self):
        for name in ("helpdesk_ticket_open_order_idx", "helpdesk_ticket_open_idx"):
            definition = self._index_definition(name)
            self.assertIn("WHERE (active AND ((is_closed IS NULL) OR", definition)
        self.assertIn(
            "(priority_effective DESC, id DESC)",
            self._index_definition("helpdesk_ticket_open_order_idx"),
        )

    def test_access_tokens_are_given_once_by_the_migration(self):
        ticket, other = self._ticket(), self._ticket()
        self.assertTrue(other.access_token)
        token = other.access_token
        ticket.flush_recordset()
        self.env.execute_query(
            SQL(
                "UPDATE helpdesk_ticket SET access_token = NULL WHERE id = %s",
                ticket.id,
            )
        )
        # an upgrade's init() no longer reads the whole table
        self.env["helpdesk.ticket"].init()
        ticket.invalidate_recordset(["access_token"])
        self.assertFalse(ticket.access_token)
        load_migration("18.0.1.4.0", "post-ticket_access_tokens").migrate(
            self.env.cr, "18.0.1.3.0"
        )
        (ticket | other).invalidate_recordset(["access_token"])
        self.assertRegex(ticket.access_token, r"^[0-9a-f-]{36}$")
        self.assertEqual(other.access_token, token)
