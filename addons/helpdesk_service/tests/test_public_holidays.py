from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestPublicHolidays(HelpdeskCommonMixin, TransactionCase):
    """The public holidays of a calendar's country (Python `holidays`) become
    whole days off in the calendar's timezone, and the SLA clocks stop on them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.env["res.lang"]._activate_lang("ja_JP")
        cls.env["helpdesk.sla"].search([]).active = False
        cls.tokyo = cls._calendar("Tokyo office", "Asia/Tokyo", "base.jp")
        cls.moscow = cls._calendar("Moscow office", "Europe/Moscow", "base.ru")
        cls.tariff = cls.env["res.partner.category"].create({"name": "Office hours"})
        cls.client.category_id = cls.tariff
        cls.sla = cls.env["helpdesk.sla"].create(
            {
                "name": "Two office hours",
                "partner_category_ids": [(6, 0, cls.tariff.ids)],
                "resolve_hours": 2,
                "resource_calendar_id": cls.tokyo.id,
            }
        )
        cls.Leave = cls.env["resource.calendar.leaves"]

    @classmethod
    def _calendar(cls, name, tz, country):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "country_id": cls.env.ref(country).id,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                        },
                    )
                    for day in range(5)
                ],
            }
        )

    def _leaves(self, calendar):
        return self.Leave.search(
            [("calendar_id", "=", calendar.id), ("resource_id", "=", False)]
        )

    def _deadline(self, at):
        with freeze_time(at):
            ticket = self._ticket()
        return ticket.sla_line_ids.filtered(lambda t: t.target == "resolve").deadline

    def test_japan_foundation_day_moves_the_deadline(self):
        self.env.company.partner_id.lang = "ja_JP"
        # Tuesday 10 February 2026, 17:00 in Tokyo: 1 hour today, 1 tomorrow
        received = datetime(2026, 2, 10, 8, 0)
        self.assertEqual(self._deadline(received), datetime(2026, 2, 11, 1, 0))

        created = self.tokyo._fill_public_holidays([2026])

        self.assertEqual(created, len(self._leaves(self.tokyo)))
        foundation_day = self._leaves(self.tokyo).filtered(
            lambda leave: leave.date_from == datetime(2026, 2, 10, 15, 0)
        )
        # the whole day in Tokyo: 00:00 to 24:00 JST
        self.assertEqual(foundation_day.date_to, datetime(2026, 2, 11, 15, 0))
        self.assertEqual(foundation_day.name, "建国記念の日")
        self.assertTrue(foundation_day.is_public_holiday)
        # 11 February is a day off: Thursday 10:00 in Tokyo
        self.assertEqual(self._deadline(received), datetime(2026, 2, 12, 1, 0))
        # the substitute holiday of Golden Week (Constitution Day on a Sunday)
        substitute = self._leaves(self.tokyo).filtered(
            lambda leave: leave.date_from == datetime(2026, 5, 5, 15, 0)
        )
        self.assertEqual(substitute.name, "振替休日")

    def test_russia_new_year_holidays(self):
        self.sla.resource_calendar_id = self.moscow
        # Wednesday 31 December 2025, 12:00 in Moscow
        received = datetime(2025, 12, 31, 9, 0)
        self.assertEqual(self._deadline(received), datetime(2025, 12, 31, 11, 0))

        self.moscow._fill_public_holidays([2025, 2026])

        days_off = {
            (leave.date_from, leave.date_to) for leave in self._leaves(self.moscow)
        }
        # 1-8 January, and 9 January (moved from Saturday 3 January), from
        # 00:00 to 24:00 in Moscow (UTC+3)
        msk = timedelta(hours=3)
        for day in range(1, 10):
            start = datetime(2026, 1, day)
            self.assertIn((start - msk, start + timedelta(days=1) - msk), days_off)
        # 31 December 2025 is a day off too: back to work on Monday 12 January
        self.assertEqual(self._deadline(received), datetime(2026, 1, 12, 8, 0))

    def test_filling_again_changes_nothing_and_repairs(self):
        self.tokyo._fill_public_holidays([2026])
        leaves = self._leaves(self.tokyo)
        names = {leave.id: leave.name for leave in leaves}
        renamed = leaves.filtered(
            lambda leave: leave.date_from == datetime(2026, 2, 10, 15, 0)
        )
        renamed.name = "Old name"
        # a day that is no public holiday (any more) and one set by hand
        stale = self.Leave.create(
            {
                "name": "Removed holiday",
                "calendar_id": self.tokyo.id,
                "date_from": datetime(2026, 6, 9, 15, 0),
                "date_to": datetime(2026, 6, 10, 15, 0),
                "is_public_holiday": True,
            }
        )
        manual = self.Leave.create(
            {
                "name": "Company outing",
                "calendar_id": self.tokyo.id,
                "date_from": datetime(2026, 6, 10, 15, 0),
                "date_to": datetime(2026, 6, 11, 15, 0),
            }
        )

        self.assertEqual(self.tokyo._fill_public_holidays([2026]), 0)

        self.assertEqual(self._leaves(self.tokyo), leaves | manual)
        self.assertFalse(stale.exists())
        self.assertEqual(renamed.name, names[renamed.id])
        self.assertEqual(manual.name, "Company outing")

    def test_wizard_sets_the_country_and_fills_the_years(self):
        calendar = self._calendar("Osaka office", "Asia/Tokyo", "base.jp")
        calendar.country_id = False
        self.env.company.country_id = self.env.ref("base.jp")
        with freeze_time("2026-01-15"):
            action = calendar.action_fill_public_holidays()
            wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            self.assertEqual(wizard.country_id, self.env.ref("base.jp"))
            self.assertEqual((wizard.year_from, wizard.year_to), (2026, 2027))
            wizard.year_to = 2026
            wizard.save().action_fill()
        self.assertEqual(calendar.country_id, self.env.ref("base.jp"))
        years = {leave.date_to.year for leave in self._leaves(calendar)}
        self.assertEqual(years, {2026})

    def test_wizard_refuses_a_reversed_range(self):
        wizard = self.env["resource.calendar.holidays"].create(
            {"calendar_id": self.tokyo.id, "year_from": 2027, "year_to": 2026}
        )
        with self.assertRaises(UserError):
            wizard.action_fill()
        self.assertFalse(self._leaves(self.tokyo))

    def test_no_country_no_holidays(self):
        self.tokyo.country_id = False
        with self.assertRaises(UserError):
            self.tokyo._fill_public_holidays([2026])

    def test_yearly_job_fills_this_year_and_the_next(self):
        with freeze_time("2026-12-01 01:00:00"):
            self.env["resource.calendar"]._cron_fill_public_holidays()
        years = {leave.date_to.year for leave in self._leaves(self.moscow)}
        self.assertEqual(years, {2026, 2027})
        self.assertTrue(self._leaves(self.tokyo))
