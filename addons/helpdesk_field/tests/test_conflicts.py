from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from .common import MONDAY, HelpdeskFieldCommon


@tagged("helpdesk_field")
class TestConflicts(HelpdeskFieldCommon, TransactionCase):
    """Double bookings and visits outside the engineer's working hours
    (8-12 and 13-17 on weekdays, UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.Visit = cls.Visit.with_env(cls.env)

    def test_double_booking(self):
        first = self._create_visit(start=MONDAY.replace(hour=9), hours=2)
        second = self._create_visit(start=MONDAY.replace(hour=10), hours=1)
        other_engineer = self._create_visit(
            start=MONDAY.replace(hour=10), hours=1, user_id=self.engineer2.id
        )
        after = self._create_visit(start=MONDAY.replace(hour=11), hours=1)
        visits = first | second | other_engineer | after
        self.assertEqual(visits.filtered("has_conflict"), first | second)
        self.assertIn(second.name, first.conflict_reason)
        self.assertIn("10:00-11:00", first.conflict_reason)
        self.assertIn("Double booking", second.conflict_reason)
        # a cancelled or finished visit frees the engineer
        second.action_cancel()
        visits.invalidate_recordset(["has_conflict", "conflict_reason"])
        self.assertFalse(visits.filtered("has_conflict"))

    def test_finished_visit_frees_the_engineer(self):
        first = self._create_visit(start=MONDAY.replace(hour=9), hours=2)
        second = self._create_visit(start=MONDAY.replace(hour=10), hours=1)
        visits = first | second
        second.with_user(self.engineer).action_on_my_way()
        second.with_user(self.engineer).action_arrived()
        visits.invalidate_recordset(["has_conflict", "conflict_reason"])
        self.assertEqual(visits.filtered("has_conflict"), visits, "still on site")
        second.with_user(self.engineer).action_confirm_done(labour_minutes=30)
        self.assertEqual(second.state, "done")
        visits.invalidate_recordset(["has_conflict", "conflict_reason"])
        self.assertFalse(first.has_conflict, "a done visit frees the slot")
        self.assertFalse(second.has_conflict)
        self.assertNotIn(first, self.Visit.search([("has_conflict", "=", True)]))

    def test_outside_working_hours(self):
        evening = self._create_visit(start=MONDAY.replace(hour=17, minute=30), hours=1)
        lunch = self._create_visit(start=MONDAY.replace(hour=11, minute=30), hours=1)
        saturday = self._create_visit(start=MONDAY.replace(hour=9) + timedelta(days=5))
        morning = self._create_visit(start=MONDAY.replace(hour=8), hours=1)
        self.assertEqual(
            (evening | lunch | saturday | morning).filtered("has_conflict"),
            evening | lunch | saturday,
        )
        self.assertEqual(evening.conflict_reason, "Outside Tom Field's working hours")

    def test_one_minute_outside_working_hours_is_tolerated(self):
        # one minute out is tolerated, two (even in two pieces) are not
        late = self._create_visit(start=MONDAY.replace(hour=16), hours=61 / 60)
        lunch = self._create_visit(
            start=MONDAY.replace(hour=11, minute=59), hours=1, user_id=self.engineer2.id
        )
        later = self._create_visit(
            start=MONDAY.replace(hour=16, minute=59) + timedelta(days=1), hours=2 / 60
        )
        split = self._create_visit(
            start=MONDAY.replace(hour=7, minute=59) + timedelta(days=2),
            hours=242 / 60,
        )
        self.assertEqual(
            (late | lunch | later | split).filtered("has_conflict"), lunch | split
        )

    def test_leave_is_outside_working_hours(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": MONDAY,
                "date_to": MONDAY.replace(hour=23, minute=59),
            }
        )
        visit = self._create_visit(start=MONDAY.replace(hour=9), hours=1)
        self.assertTrue(visit.has_conflict)

    def test_company_calendar_without_employee(self):
        """An engineer without employee: the company's working hours."""
        self.employee2.user_id = False
        self.company.resource_calendar_id = self.calendar
        night = self._create_visit(
            start=MONDAY.replace(hour=22), hours=1, user_id=self.engineer2.id
        )
        self.assertTrue(night.has_conflict)

    def test_search_conflicts(self):
        first = self._create_visit(start=MONDAY.replace(hour=9), hours=2)
        second = self._create_visit(start=MONDAY.replace(hour=10), hours=1)
        fine = self._create_visit(start=MONDAY.replace(hour=14), hours=1)
        found = self.Visit.search([("has_conflict", "=", True)])
        self.assertIn(first, found)
        self.assertIn(second, found)
        self.assertNotIn(fine, found)
        self.assertIn(fine, self.Visit.search([("has_conflict", "=", False)]))

    def test_conflicts_are_batched(self):
        """The queries do not grow with the number of visits."""

        def queries_for(visits):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            visits.mapped("has_conflict")
            return self.env.cr.sql_log_count - before

        visits = self.Visit.create(
            [
                {
                    "ticket_id": self.ticket.id,
                    "user_id": (self.engineer, self.engineer2)[i % 2].id,
                    "date_planned": MONDAY.replace(hour=8 + i % 3)
                    + timedelta(days=i // 6),
                    "planned_hours": 2,
                }
                for i in range(24)
            ]
        )
        self.assertTrue(all(visits.mapped("has_conflict")))
        self.assertEqual(queries_for(visits), queries_for(visits[:6]))

    def test_conflict_with_a_visit_the_dispatcher_cannot_see(self):
        other_team = self.env["helpdesk.team"].create(
            {"name": "Other field team", "visibility": "members"}
        )
        other_ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Elsewhere",
                "partner_id": self.contact.id,
                "team_id": other_team.id,
            }
        )
        hidden = self._create_visit(
            start=MONDAY.replace(hour=9), hours=1, ticket_id=other_ticket.id
        )
        mine = self._create_visit(start=MONDAY.replace(hour=9), hours=1)
        as_dispatcher = mine.with_user(self.dispatcher)
        self.assertFalse(hidden.with_user(self.dispatcher).has_access("read"))
        self.assertTrue(as_dispatcher.has_conflict)
        self.assertIn(hidden.name, as_dispatcher.conflict_reason)
