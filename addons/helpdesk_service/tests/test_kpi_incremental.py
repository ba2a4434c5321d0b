from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.helpdesk_service.models.helpdesk_kpi import KPI_LOCK_KEY

from . import test_kpi
from .common import HelpdeskCommonMixin
from .common_kpi import KpiDatasetMixin

KPI_FIELDS = (
    "period_days",
    "open_ticket_count",
    "resolved_count",
    "avg_ack_minutes",
    "avg_resolve_hours",
    "avg_contacts",
    "sla_target_count",
    "sla_met_percent",
    "rating_count",
    "good_percent",
    "bad_count",
    "complaint_count",
    "inbound_call_count",
    "answered_call_count",
    "missed_call_count",
    "missed_call_percent",
    "avg_pickup_seconds",
)
# what the refresh reads the write date of
WRITTEN_TABLES = (
    "helpdesk_ticket",
    "helpdesk_ticket_sla",
    "rating_rating",
    "helpdesk_ticket_call",
    "res_users",
    "helpdesk_team",
)


@tagged("helpdesk_service")
class TestKpiIncremental(KpiDatasetMixin, HelpdeskCommonMixin, TransactionCase):
    """The hourly refresh recomputes only the agents and teams whose tickets,
    targets or ratings changed, and gives the same rows as a full rebuild."""

    _build_dataset = test_kpi.TestKpi._build_dataset

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls._setup_kpi_policy()
        cls.team.user_id = cls.manager
        cls.team_other, cls.team_from = cls.env["helpdesk.team"].create(
            [{"name": "Other desk"}, {"name": "Desk left"}]
        )
        cls.Kpi = cls.env["helpdesk.kpi"]

    def _snapshot(self):
        self.env.flush_all()
        self.Kpi.invalidate_model()
        # the rows of our own agents and teams, whatever else the database holds
        users = self.manager | self.agent_a | self.agent_b | self.agent_c
        teams = self.team | self.team_private | self.team_other | self.team_from
        rows = self.Kpi.search(
            ["|", ("user_id", "in", users.ids), ("team_id", "in", teams.ids)]
        )
        return {
            (kpi.scope, kpi.user_id.id, kpi.team_id.id, kpi.company_id.id): tuple(
                kpi[name] for name in KPI_FIELDS
            )
            for kpi in rows
        }

    def _as_if_committed(self):
        """Put what the test wrote so far before the refresh's write date mark,
        as if written by earlier transactions: a test runs in one transaction,
        whose write dates are all its start."""
        self.env.flush_all()
        for table in WRITTEN_TABLES:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = write_date - interval '1 hour'",
                    SQL.identifier(table),
                )
            )
        self.env.invalidate_all()

    def _full(self):
        self.Kpi._cron_refresh(full=True)
        return self._snapshot()

    def test_incremental_equals_full_rebuild(self):
        t1, _t2, t3 = self._build_dataset()
        with freeze_time("2026-03-02 12:30"):
            # the manager and the other desk lose these two tickets, and
            # nothing else changes for them
            doomed = self._ticket(name="T5", user_id=self.manager.id)
            moved = self._ticket(name="T8", team_id=self.team_from.id)
            untouched = self._ticket(
                name="T6", team_id=self.team_other.id, user_id=self.manager.id
            )
            timesheet = self.env["account.analytic.line"].create(
                {
                    "helpdesk_ticket_id": t1.id,
                    "name": "Work",
                    "unit_amount": 1.0,
                    "employee_id": self.env["hr.employee"]
                    .create({"name": "Agent A", "user_id": self.agent_a.id})
                    .id,
                }
            )
        self._as_if_committed()
        with freeze_time("2026-03-02 13:00"):
            self.Kpi._cron_refresh()
        kept = self.Kpi.search([("team_id", "=", self.team_other.id)])
        self.assertEqual(kept.open_ticket_count, 1)
        self._as_if_committed()
        with freeze_time("2026-03-02 13:30"):
            # a new ticket, a new bad rating, a reopened ticket, a timesheet
            # edit, a ticket moved to another agent and team, a deletion
            t4 = self.Ticket.search([("name", "=", "T4")])
            self._ticket(name="T7", user_id=self.agent_c.id)
            rating = self._reply(t4, self.agent_b, "2026-03-02 13:31")
            t4.rating_apply(1, token=rating.access_token)
            t1.stage_id = self.stage_progress
            timesheet.unit_amount = 2.5
            t3.write({"user_id": self.agent_c.id, "team_id": self.team_private.id})
            moved.write({"user_id": self.agent_a.id, "team_id": self.team.id})
            doomed.unlink()
        with freeze_time("2026-03-02 14:00"):
            self.Kpi._cron_refresh()
            incremental = self._snapshot()
            # the rows of what did not change were left alone
            self.assertTrue(kept.exists())
            self.assertEqual(kept.date_refreshed.hour, 14)
            self.assertFalse(self.env["helpdesk.kpi.stale"].search([]))
            full = self._full()
        self.assertEqual(incremental, full)
        company = self.env.company.id
        self.assertIn(("agent", self.agent_c.id, False, company), full)
        self.assertEqual(full[("agent", self.manager.id, False, company)][1], 1)
        self.assertNotIn(("team", False, self.team_from.id, company), full)
        self.assertFalse(kept.exists(), "the full rebuild replaces every row")
        self.assertTrue(untouched.exists())

    def test_incremental_calls_equal_full_rebuild(self):
        t1, t2, t3 = self._build_dataset()
        Call = self.env["helpdesk.ticket.call"]
        # an agent with calls only (on tickets of others)
        caller = new_test_user(
            self.env,
            login="kpi_caller",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        nobody = self.env["res.users"]

        def call(ticket, user, start, pickup=None):
            start = fields.Datetime.to_datetime(start)
            answer = pickup is not None and start + timedelta(seconds=pickup)
            return {
                "ticket_id": ticket.id,
                "user_id": user.id,
                "date_start": start,
                "date_answer": answer,
                "date_end": (answer or start) + timedelta(minutes=1),
            }

        with freeze_time("2026-03-02 12:30"):
            other = self._ticket(name="T6", team_id=self.team_other.id)
            source = self._ticket(name="T9", team_id=self.team_from.id)
            _taken, missed, moved, _old, deleted, merged = Call.create(
                [
                    call(t3, self.agent_b, "2026-03-02 12:00", pickup=10),
                    call(t1, nobody, "2026-03-02 12:05"),
                    call(other, self.agent_c, "2026-03-02 12:10", pickup=8),
                    # the caller's only call: leaves the period before the
                    # second refresh
                    call(source, caller, "2026-01-31 13:30", pickup=20),
                    call(t3, self.agent_b, "2026-03-02 12:15", pickup=4),
                    call(source, self.agent_b, "2026-03-02 12:20", pickup=6),
                ]
            )
        self._as_if_committed()
        with freeze_time("2026-03-02 13:00"):
            self.Kpi._cron_refresh()
        company = self.env.company.id
        self.assertNotIn(("agent", self.manager.id, False, company), self._snapshot())
        self.assertTrue(self.Kpi.search([("user_id", "=", caller.id)]))
        self._as_if_committed()
        with freeze_time("2026-03-02 13:30"):
            # a new missed call without an agent, a missed call answered
            # after all, a call handed to another agent (the manager, who has
            # no ticket), its ticket moved to another team, a deleted call, a
            # call moved to another ticket (as when tickets are merged)
            Call.create(call(other, nobody, "2026-03-02 13:20"))
            missed.write(
                {
                    "date_answer": "2026-03-02 12:05:30",
                    "date_end": "2026-03-02 12:06:00",
                }
            )
            moved.user_id = self.manager
            other.team_id = self.team_private
            deleted.unlink()
            merged.ticket_id = t2
            # committed: the tickets' contact counts are recomputed
            self.env.flush_all()
        with freeze_time("2026-03-02 14:00"):
            self.Kpi._cron_refresh()
            incremental = self._snapshot()
            self.assertFalse(self.Kpi.search([("user_id", "=", caller.id)]))
            full = self._full()
        self.assertEqual(incremental, full)
        self.assertNotIn(("agent", self.agent_c.id, False, company), full)
        calls = KPI_FIELDS.index("inbound_call_count")
        for key, figures in (
            (("agent", self.manager.id, False), (1, 1, 0, 0.0, 8.0)),
            (("agent", self.agent_a.id, False), (0, 0, 0, 0.0, 0.0)),
            (("agent", self.agent_b.id, False), (2, 2, 0, 0.0, 8.0)),
            # T1 to T3: answered after 10, 30 (at last) and 6 s
            (("team", False, self.team.id), (3, 3, 0, 0.0, 15.3)),
            # T6 moved with its call, and the new missed call
            (("team", False, self.team_private.id), (2, 1, 1, 50.0, 8.0)),
            (("team", False, self.team_from.id), (0, 0, 0, 0.0, 0.0)),
        ):
            self.assertEqual(full[(*key, company)][calls:], figures, key)

    def test_rows_leaving_the_period(self):
        self._build_dataset()
        self._as_if_committed()
        with freeze_time("2026-03-02 13:00"):
            self.Kpi._cron_refresh()
        # nothing written, but the resolved tickets, targets and ratings of
        # 2 March leave the 30-day period
        self._as_if_committed()
        with freeze_time("2026-04-01 13:00"):
            self.Kpi._cron_refresh()
            incremental = self._snapshot()
            full = self._full()
        self.assertEqual(incremental, full)
        team = full[("team", False, self.team.id, self.env.company.id)]
        self.assertEqual(team[KPI_FIELDS.index("resolved_count")], 0)

    def test_full_rebuild_without_watermark_or_new_period(self):
        self._build_dataset()
        ICP = self.env["ir.config_parameter"]
        with freeze_time("2026-03-02 13:00"):
            self.Kpi._cron_refresh()
        self.assertTrue(ICP.get_param("helpdesk_service.kpi_watermark"))
        ICP.set_param("helpdesk_service.kpi_period_days", "7")
        with freeze_time("2026-03-02 14:00"):
            self.Kpi._cron_refresh()
        self.assertEqual(
            set(self.Kpi.search([]).mapped("period_days")), {7}, "all rebuilt"
        )

    def test_one_refresh_at_a_time(self):
        self._build_dataset()
        with self.registry.cursor() as other:
            # another worker refreshing (a try: never wait on this transaction)
            other.execute("SELECT pg_try_advisory_xact_lock(%s)", (KPI_LOCK_KEY,))
            self.assertTrue(other.fetchone()[0])
            with freeze_time("2026-03-02 14:00"):
                self.assertFalse(self.Kpi._cron_refresh(full=True))
            other.rollback()
        self.assertFalse(self._snapshot(), "nothing refreshed meanwhile")
        with freeze_time("2026-03-02 14:00"):
            self.assertTrue(self.Kpi._cron_refresh())
