from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin

DAY = "2026-03-02 "
CALL_FIELDS = (
    "inbound_call_count",
    "answered_call_count",
    "missed_call_count",
    "missed_call_percent",
    "avg_pickup_seconds",
)


@tagged("helpdesk_service")
class TestKpiCalls(HelpdeskCommonMixin, TransactionCase):
    """Call figures of the KPI rows: incoming, answered and missed calls and
    the pickup time, per agent (who took the call) and per team (of the
    call's ticket, with or without an agent)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.Kpi = cls.env["helpdesk.kpi"]
        cls.Call = cls.env["helpdesk.ticket.call"]
        with freeze_time(DAY + "08:00"):
            cls.ticket_a, cls.ticket_b, cls.ticket_private = cls.Ticket.create(
                [
                    {
                        "name": "Call A",
                        "partner_id": cls.contact.id,
                        "team_id": cls.team.id,
                        "user_id": cls.agent_a.id,
                    },
                    {
                        "name": "Call B",
                        "partner_id": cls.contact.id,
                        "team_id": cls.team.id,
                        "user_id": cls.agent_b.id,
                    },
                    {
                        "name": "Call private",
                        "partner_id": cls.contact.id,
                        "team_id": cls.team_private.id,
                    },
                ]
            )

    def _call(self, ticket, user, start, answer=None, end=None, direction="in"):
        return {
            "ticket_id": ticket.id,
            "user_id": user.id,
            "direction": direction,
            "date_start": start if " " in start else DAY + start,
            "date_answer": answer and DAY + answer,
            "date_end": end and DAY + end,
        }

    def _rows(self):
        self.env.flush_all()
        self.Kpi.invalidate_model()
        users = self.agent_a | self.agent_b | self.agent_c | self.manager
        teams = self.team | self.team_private
        return {
            (kpi.scope, (kpi.user_id or kpi.team_id).id): tuple(
                kpi[name] for name in CALL_FIELDS
            )
            for kpi in self.Kpi.search(
                ["|", ("user_id", "in", users.ids), ("team_id", "in", teams.ids)]
            )
        }

    def _create_day_calls(self):
        nobody = self.env["res.users"]
        a, b = self.agent_a, self.agent_b
        with freeze_time(DAY + "12:00"):
            self.Call.create(
                [
                    # agent A: answered after 12 s and 30 s, one missed
                    self._call(self.ticket_a, a, "09:00:00", "09:00:12", "09:05"),
                    self._call(self.ticket_a, a, "10:00:00", "10:00:30", "10:10"),
                    self._call(self.ticket_a, a, "10:30:00", None, "10:31"),
                    # missed without an agent: the team's only
                    self._call(self.ticket_b, nobody, "11:00:00", None, "11:01"),
                    # agent B: answered after 6 s
                    self._call(self.ticket_b, b, "11:10:00", "11:10:06", "11:20"),
                    # outgoing, and before the 30-day period: not counted
                    self._call(
                        self.ticket_a, a, "11:30:00", "11:30:20", "11:40", "out"
                    ),
                    self._call(self.ticket_a, a, "2026-01-10 10:00:00"),
                    # agent A on another team's ticket: 4 s
                    self._call(self.ticket_private, a, "11:40:00", "11:40:04"),
                    # still ringing: incoming, neither answered nor missed
                    self._call(self.ticket_b, nobody, "11:50:00"),
                ]
            )

    def test_call_figures_per_agent_and_team(self):
        self._create_day_calls()
        # a missed call about a ticket archived since (spam) still counts
        archived = self.ticket_b.copy({"name": "Spam"})
        self.Call.create(
            self._call(archived, self.env["res.users"], "11:55:00", None, "11:56")
        )
        archived.active = False
        with freeze_time(DAY + "13:00"):
            self.Kpi._cron_refresh(full=True)
        rows = self._rows()
        # 4 incoming (9:00, 10:00, 10:30, 11:40), 3 answered, 1 of 4 missed,
        # (12 + 30 + 4) / 3 s
        self.assertEqual(rows["agent", self.agent_a.id], (4, 3, 1, 25.0, 15.3))
        self.assertEqual(rows["agent", self.agent_b.id], (1, 1, 0, 0.0, 6.0))
        # the team: 7 incoming, 3 answered, 3 of the 6 ended missed (two
        # without an agent), (12 + 30 + 6) / 3 s
        self.assertEqual(rows["team", self.team.id], (7, 3, 3, 50.0, 16.0))
        self.assertEqual(rows["team", self.team_private.id], (1, 1, 0, 0.0, 4.0))
        self.assertFalse(
            self.Kpi.search([("scope", "=", "agent"), ("user_id", "=", False)])
        )

    def test_refresh_queries_do_not_grow_with_calls(self):
        def count_queries(full):
            self.env.flush_all()
            self.env.invalidate_all()
            # the same cold caches (system parameters) for both measures
            self.env.registry.clear_cache()
            before = self.env.cr.sql_log_count
            with freeze_time(DAY + "13:00"):
                self.Kpi._cron_refresh(full=full)
            return self.env.cr.sql_log_count - before

        with freeze_time(DAY + "12:00"):
            self.Call.create(
                self._call(self.ticket_a, self.agent_a, "09:00:00", "09:00:12")
            )
        with freeze_time(DAY + "13:00"):
            self.Kpi._cron_refresh(full=True)  # the first run builds everything
        few = (count_queries(True), count_queries(False))
        # more calls, for more agents, teams and tickets
        self._create_day_calls()
        with freeze_time(DAY + "12:00"):
            self.Call.create(
                [
                    self._call(
                        self.ticket_private, self.agent_c, "11:00:00", "11:00:09"
                    ),
                    self._call(self.ticket_b, self.manager, "11:05:00", None, "11:06"),
                ]
            )
        many = (count_queries(True), count_queries(False))
        self.assertEqual(few, many)
        self.assertEqual(self._rows()["agent", self.agent_c.id][:2], (1, 1))

    def test_missed_calls_today_on_the_team_card(self):
        self._create_day_calls()
        with freeze_time(DAY + "12:00"):
            # yesterday's missed call is not today's
            self.Call.create(
                self._call(
                    self.ticket_b, self.agent_b, "2026-03-01 18:00:00", None, "11:01"
                )
                | {"date_end": "2026-03-01 18:01:00"}
            )
            # 10:30 (agent A) and 11:00 (no agent); the ringing one is not missed
            team = self.team.with_user(self.agent_a)
            self.assertEqual(team.missed_call_today_count, 2)
            self.assertEqual(self.team_private.missed_call_today_count, 0)
