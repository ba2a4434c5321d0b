from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.helpdesk_service.tools.sla_clock import SlaClock


@tagged("helpdesk_service")
class TestSlaClock(TransactionCase):
    """The working-time arithmetic of the service-level clocks, on an office
    calendar (Monday to Friday, 8:00-12:00 and 13:00-17:00 UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office with lunch break",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": name,
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for name, hour_from, hour_to, period in (
                        ("Morning", 8, 12, "morning"),
                        ("Afternoon", 13, 17, "afternoon"),
                    )
                ],
            }
        )
        cls.clock = SlaClock(cls.calendar)

    def test_work_intervals_are_clipped_to_the_window(self):
        # Friday 11:00 to Monday 9:30 (2026-03-06 is a Friday)
        self.assertEqual(
            self.clock.work_intervals(
                datetime(2026, 3, 6, 11, 0), datetime(2026, 3, 9, 9, 30)
            ),
            [
                (datetime(2026, 3, 6, 11, 0), datetime(2026, 3, 6, 12, 0)),
                (datetime(2026, 3, 6, 13, 0), datetime(2026, 3, 6, 17, 0)),
                (datetime(2026, 3, 9, 8, 0), datetime(2026, 3, 9, 9, 30)),
            ],
        )
        self.assertEqual(
            self.clock.work_intervals(
                datetime(2026, 3, 7, 9, 0), datetime(2026, 3, 7, 18, 0)
            ),
            [],
            "no working time on Saturday",
        )
        end = datetime(2026, 3, 6, 11, 0)
        self.assertEqual(self.clock.work_intervals(end, end), [])

    def test_working_minutes_less_pauses(self):
        start, end = datetime(2026, 3, 6, 11, 0), datetime(2026, 3, 9, 9, 30)
        self.assertEqual(self.clock.working_minutes(start, end), 60 + 240 + 90)
        # a pause over the lunch break and into the afternoon, one on Monday
        pauses = [
            (datetime(2026, 3, 6, 11, 30), datetime(2026, 3, 6, 14, 0)),
            (datetime(2026, 3, 9, 8, 15), datetime(2026, 3, 9, 8, 45)),
        ]
        self.assertEqual(
            self.clock.working_minutes(start, end, pauses), 30 + 180 + 15 + 45
        )

    def test_a_target_met_to_the_second_stays_met(self):
        # 1 + 1 + 3 working minutes between two pauses: adding up float hours
        # would give 5.000000000000001, more than a 5-minute target
        start, end = datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 2, 9, 7)
        pauses = [
            (datetime(2026, 3, 2, 9, 1), datetime(2026, 3, 2, 9, 2)),
            (datetime(2026, 3, 2, 9, 3), datetime(2026, 3, 2, 9, 4)),
        ]
        spent = self.clock.working_minutes(start, end, pauses)
        self.assertEqual(spent, 5.0)
        self.assertLessEqual(spent, 5)
        # seconds count as well
        self.assertEqual(
            self.clock.working_minutes(start, datetime(2026, 3, 2, 9, 0, 30)), 0.5
        )

    def test_plan_skips_breaks_nights_and_weekends(self):
        friday = datetime(2026, 3, 6, 11, 50)
        self.assertEqual(self.clock.plan(friday, 10), datetime(2026, 3, 6, 12, 0))
        self.assertEqual(self.clock.plan(friday, 20), datetime(2026, 3, 6, 13, 10))
        # 10 + 240 minutes on Friday, 15 on Monday
        self.assertEqual(self.clock.plan(friday, 265), datetime(2026, 3, 9, 8, 15))
        # started on Saturday: Monday morning
        self.assertEqual(
            self.clock.plan(datetime(2026, 3, 7, 10, 0), 30),
            datetime(2026, 3, 9, 8, 30),
        )

    def test_plan_beyond_the_first_window(self):
        # 8 working hours a day: 15 working days take three calendar weeks
        start = datetime(2026, 3, 2, 8, 0)
        self.assertEqual(
            self.clock.plan(start, 15 * 8 * 60), datetime(2026, 3, 20, 17, 0)
        )
        # a later look-up inside the span read so far gives the same times
        self.assertEqual(
            self.clock.working_minutes(start, datetime(2026, 3, 20, 17, 0)),
            15 * 8 * 60,
        )

    def test_leaves_are_not_working_time(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59, 59),
            }
        )
        clock = SlaClock(self.calendar)
        self.assertEqual(
            clock.plan(datetime(2026, 3, 6, 16, 55), 10), datetime(2026, 3, 10, 8, 5)
        )

    def test_shared_working_time_follows_changes(self):
        """The working intervals are read once for every clock (a new ticket's
        clock reads no calendar) and read again once the working hours or
        their leaves change."""
        friday = datetime(2026, 3, 6, 16, 55)
        self.assertEqual(
            SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 9, 8, 5)
        )
        with self.assertQueryCount(0):
            self.assertEqual(
                SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 9, 8, 5)
            )
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59, 59),
            }
        )
        self.assertEqual(
            SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 10, 8, 5)
        )
        leave.date_to = datetime(2026, 3, 10, 23, 59, 59)
        self.assertEqual(
            SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 11, 8, 5)
        )
        leave.unlink()
        self.assertEqual(
            SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 9, 8, 5)
        )
        # Monday starts at 9:00 from now on
        self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "0" and a.hour_from == 8
        ).hour_from = 9
        self.assertEqual(
            SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 9, 9, 5)
        )
        self.calendar.tz = "Asia/Tokyo"  # Monday 9:00 in Tokyo is 0:00 UTC
        self.assertEqual(
            SlaClock(self.calendar).plan(friday, 10), datetime(2026, 3, 9, 0, 10)
        )

    def test_no_calendar_is_round_the_clock(self):
        clock = SlaClock(self.env["resource.calendar"])
        start = datetime(2026, 3, 7, 23, 0)  # Saturday night
        self.assertEqual(clock.plan(start, 90), datetime(2026, 3, 8, 0, 30))
        self.assertEqual(
            clock.working_minutes(
                start,
                datetime(2026, 3, 8, 1, 0),
                [(datetime(2026, 3, 7, 23, 30), datetime(2026, 3, 8, 0, 0))],
            ),
            90,
        )
        self.assertEqual(
            clock.work_intervals(start, datetime(2026, 3, 8, 1, 0)),
            [(start, datetime(2026, 3, 8, 1, 0))],
        )

    def test_a_calendar_without_working_time_gives_no_deadline(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Never", "tz": "UTC", "attendance_ids": [Command.clear()]}
        )
        self.assertFalse(SlaClock(empty).plan(datetime(2026, 3, 2, 8, 0), 10))
