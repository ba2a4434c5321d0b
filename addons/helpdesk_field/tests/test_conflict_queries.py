from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from .common import MONDAY, HelpdeskFieldCommon


@tagged("helpdesk_field")
class TestConflictQueries(HelpdeskFieldCommon, TransactionCase):
    """The double-booking check reads only the overlapping visits from the
    database: its cost does not grow with the other visits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.Visit = cls.Visit.with_env(cls.env)
        # four weeks apart, each booked over by another visit
        cls.first = cls._create_visit(start=MONDAY.replace(hour=9), hours=2)
        cls.first_over = cls._create_visit(start=MONDAY.replace(hour=10), hours=1)
        cls.last = cls._create_visit(
            start=MONDAY.replace(hour=9) + timedelta(weeks=4), hours=2
        )
        cls.last_over = cls._create_visit(
            start=MONDAY.replace(hour=10) + timedelta(weeks=4), hours=1
        )
        cls.mine = cls.first | cls.last

    def _add_unrelated(self, count):
        """`count` open visits that overlap none of ours: the same engineer on
        the days in between, the other engineer at the same hours."""
        return self.Visit.create(
            [
                {
                    "ticket_id": self.ticket.id,
                    "user_id": (self.engineer, self.engineer2)[i % 2].id,
                    "date_planned": (
                        MONDAY.replace(hour=8 + i % 8)
                        + timedelta(days=1 + (i // 8) % 26)
                        if i % 2 == 0
                        else MONDAY.replace(hour=9)
                        + timedelta(weeks=4 * (i % 4 // 2), minutes=i)
                    ),
                    "planned_hours": 0.5,
                }
                for i in range(count)
            ]
        )

    def _conflict_queries(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        reasons = self.mine.mapped("conflict_reason")
        return self.env.cr.sql_log_count - before, reasons

    def test_cost_does_not_grow_with_unrelated_visits(self):
        few = self._add_unrelated(5)
        self.env.flush_all()
        self._conflict_queries()  # warm the caches (languages, groups)
        queries_few, reasons_few = self._conflict_queries()
        many = few | self._add_unrelated(195)
        self.env.flush_all()
        queries_many, reasons_many = self._conflict_queries()
        self.assertEqual(queries_many, queries_few)
        self.assertEqual(reasons_many, reasons_few)
        self.assertIn(self.first_over.name, reasons_many[0])
        self.assertIn(self.last_over.name, reasons_many[1])
        self.assertNotIn("Double booking", ",".join(self.last_over.mapped("name")))
        # the visits of the days in between were not read at all
        date_planned = self.Visit._fields["date_planned"]
        self.assertFalse(
            [visit for visit in many if self.env.cache.contains(visit, date_planned)]
        )

    def test_search_matches_the_computed_field(self):
        unrelated = self._add_unrelated(20)
        ours = self.mine | self.first_over | self.last_over | unrelated
        cancelled = self._create_visit(start=MONDAY.replace(hour=9), hours=2)
        cancelled.action_cancel()
        ours |= cancelled
        conflicting = ours.filtered("has_conflict")
        self.assertEqual(
            conflicting & (self.mine | self.first_over | self.last_over),
            self.mine | self.first_over | self.last_over,
        )
        self.assertNotIn(cancelled, conflicting)
        domain = [("id", "in", ours.ids)]
        self.assertEqual(
            self.Visit.search(domain + [("has_conflict", "=", True)]), conflicting
        )
        self.assertEqual(
            self.Visit.search(domain + [("has_conflict", "!=", True)]),
            ours - conflicting,
        )
        self.assertEqual(
            self.Visit.search(domain + [("has_conflict", "=", False)]),
            ours - conflicting,
        )

    def test_unsaved_visit(self):
        """A visit being edited (a new record) is checked with its own times
        against the saved ones, and not against itself."""
        draft = self.Visit.new(
            {
                "ticket_id": self.ticket.id,
                "user_id": self.engineer.id,
                "date_planned": MONDAY.replace(hour=10, minute=30),
                "planned_hours": 1,
            }
        )
        self.assertTrue(draft.has_conflict)
        self.assertIn(self.first.name, draft.conflict_reason)
        moved = self.Visit.new(origin=self.first_over)
        moved.date_planned = MONDAY.replace(hour=14)
        self.assertNotIn("Double booking", moved.conflict_reason or "")
