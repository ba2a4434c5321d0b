from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestBacklogReport(HelpdeskCommonMixin, TransactionCase):
    """Backlog over time (helpdesk.backlog.report): the tickets open at the end
    of each week, in the stage they were in then.

    The view's weeks are the last 26 up to the database's current week; the
    tickets are dated (freezegun) relative to that week's Monday, read from
    the database, so the figures do not depend on the day the test runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.Report = cls.env["helpdesk.backlog.report"]
        cls.env.cr.execute("SELECT date_trunc('week', now() AT TIME ZONE 'UTC')::date")
        cls.monday = cls.env.cr.fetchone()[0]
        # weeks 1, 2 and 3 before the current one
        cls.week_1, cls.week_2, cls.week_3 = (
            cls.monday - timedelta(weeks=n) for n in (3, 2, 1)
        )

    def _at(self, week, days=1, hour=10):
        return freeze_time(datetime.combine(week + timedelta(days=days), time(hour)))

    def _backlog(self, teams=None, user=None):
        """{(week, stage name): tickets} of our teams."""
        Report = self.Report.with_user(user) if user else self.Report
        rows = Report.search(
            [("team_id", "in", (teams or self.team | self.team_private).ids)]
        )
        result = {}
        for row in rows:
            key = (row.week, row.stage_id.name)
            result[key] = result.get(key, 0) + row.ticket_count
        return result

    def test_stage_per_week(self):
        """Moved from New to In progress in week 2 and closed in week 3: New in
        week 1, In progress in week 2, gone from week 3 on; a ticket received
        in week 2 and left New counts New every week since."""
        with self._at(self.week_1):
            moved = self._ticket(name="Moved")
        with self._at(self.week_2, days=2):
            moved.stage_id = self.stage_progress
            left = self._ticket(name="Left new")
        with self._at(self.week_3, days=3):
            moved.stage_id = self.stage_closed
        self.assertTrue(moved.date_closed)
        new, progress = self.stage_new.name, self.stage_progress.name
        self.assertEqual(
            self._backlog(),
            {
                (self.week_1, new): 1,
                (self.week_2, progress): 1,
                (self.week_2, new): 1,
                (self.week_3, new): 1,
                (self.monday, new): 1,
            },
        )
        self.assertEqual(left.stage_id, self.stage_new)

    def test_last_stage_of_the_week_and_reopened(self):
        """Several moves in a week: the stage at its end counts; a ticket
        closed and reopened counts again once reopened (date_closed cleared)."""
        with self._at(self.week_1):
            ticket = self._ticket(name="Busy")
        with self._at(self.week_1, days=2):
            ticket.stage_id = self.stage_progress
        with self._at(self.week_1, days=3):
            ticket.stage_id = self.stage_waiting
        with self._at(self.week_2):
            ticket.stage_id = self.stage_closed
        with self._at(self.week_3):
            ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.date_closed)
        progress = self.stage_progress.name
        self.assertEqual(
            self._backlog(),
            {
                (self.week_1, self.stage_waiting.name): 1,
                (self.week_3, progress): 1,
                (self.monday, progress): 1,
            },
        )

    def test_archived_excluded_and_team_per_row(self):
        """Archived tickets do not count; each team has its own rows (the
        ticket's current team)."""
        with self._at(self.week_3):
            archived = self._ticket(name="Archived")
            self._ticket(name="Private", team_id=self.team_private.id)
        archived.active = False
        self.assertEqual(
            self._backlog(teams=self.team_private),
            {
                (self.week_3, self.stage_new.name): 1,
                (self.monday, self.stage_new.name): 1,
            },
        )
        self.assertFalse(self._backlog(teams=self.team))

    def test_access(self):
        """Agents and managers read it, the other companies' rows are hidden,
        users outside the helpdesk may not read it."""
        with self._at(self.week_3):
            self._ticket(name="Mine")
        expected = {
            (self.week_3, self.stage_new.name): 1,
            (self.monday, self.stage_new.name): 1,
        }
        self.assertEqual(self._backlog(user=self.agent_a), expected)
        self.assertEqual(self._backlog(user=self.manager), expected)
        other = self.env["res.company"].create({"name": "Other Desk Co"})
        outsider = new_test_user(
            self.env,
            login="hd_backlog_other",
            groups="base.group_user,helpdesk_service.group_helpdesk_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self._backlog(user=outsider))
        employee = new_test_user(self.env, login="hd_backlog_emp")
        with self.assertRaises(AccessError):
            self.Report.with_user(employee).search([])

    def test_resolved_leaves_backlog_and_current_week_matches_open(self):
        """A resolved ticket leaves the backlog (closing stage) although it has
        no closing date; the current week shows the open tickets per stage,
        as the dashboard's open tickets chart."""
        with self._at(self.week_1):
            resolved = self._ticket(name="Resolved")
            waiting = self._ticket(name="Waiting")
        with self._at(self.week_2):
            resolved.stage_id = self.stage_resolved
            waiting.stage_id = self.stage_waiting
        self.assertFalse(resolved.date_closed)
        new, waiting_name = self.stage_new.name, self.stage_waiting.name
        self.assertEqual(
            self._backlog(),
            {
                (self.week_1, new): 2,
                (self.week_2, waiting_name): 1,
                (self.week_3, waiting_name): 1,
                (self.monday, waiting_name): 1,
            },
        )
        teams = self.team | self.team_private
        open_now = {
            (self.monday, stage.name): count
            for stage, count in self.Ticket._read_group(
                [("team_id", "in", teams.ids), ("is_closed", "=", False)],
                ["stage_id"],
                ["__count"],
            )
        }
        current = {
            key: count
            for key, count in self._backlog().items()
            if key[0] == self.monday
        }
        self.assertEqual(current, open_now)

    def test_older_tickets(self):
        """26 weeks up to the current one: a ticket received 30 weeks ago and
        left New counts in each of them; one resolved 28 weeks ago never does,
        unless reopened since (from its reopening on)."""
        old = self.monday - timedelta(weeks=30)
        with self._at(old):
            self._ticket(name="Forgotten")
            resolved = self._ticket(name="Resolved long ago")
            reopened = self._ticket(name="Reopened")
        with self._at(old, days=14):
            (resolved | reopened).stage_id = self.stage_resolved
        with self._at(self.week_3):
            reopened.stage_id = self.stage_progress
        weeks = [self.monday - timedelta(weeks=n) for n in range(26)]
        expected = {(week, self.stage_new.name): 1 for week in weeks}
        expected[(self.week_3, self.stage_progress.name)] = 1
        expected[(self.monday, self.stage_progress.name)] = 1
        self.assertEqual(self._backlog(), expected)
