from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin

# a Monday: the tickets are received at 10:00 Tokyo (01:00 UTC) on weekdays
NOW = datetime(2026, 3, 2, 9, 0)


@tagged("helpdesk_service")
class TestDemoHistory(HelpdeskCommonMixin, TransactionCase):
    """The demo data's replay: tickets answered, rated and resolved as agents
    and clients do, then moved back in time so the dashboards have weeks of
    figures on a fresh demo database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.sla = cls.env["helpdesk.sla"].create(
            {
                "name": "Demo history policy",
                "sequence": 1,
                "team_ids": [(6, 0, cls.team.ids)],
                "ack_minutes": 10,
                "report_minutes": 20,
            }
        )

    def _spec(self, ticket, **vals):
        return dict(
            {
                "ticket_id": ticket.id,
                "user_id": self.agent_a.id,
                "ack": 5,
                "answer": 15,
                "resolve": 4.0,
                "answer_body": "Looking into it",
                "rating": 5,
            },
            **vals,
        )

    def test_replay_backdates_and_rates(self):
        with freeze_time(NOW):
            good, late, still_open = (
                self._ticket(name=name, user_id=self.agent_a.id)
                for name in ("Demo good", "Demo late", "Demo open")
            )
            # 9 days before a Monday is a Saturday: moved back to the Friday
            self.Ticket._demo_replay_history(
                [
                    self._spec(good, days=14),
                    self._spec(
                        late,
                        days=9,
                        ack=30,
                        answer=60,
                        rating=1,
                        feedback="Too slow",
                        client_body="Still broken",
                    ),
                    self._spec(still_open, days=3, resolve=None, rating=0),
                ]
            )
        received = datetime(2026, 2, 16, 1, 0)
        self.assertEqual(good.date_received, received)
        self.assertEqual(good.create_date, received)
        self.assertEqual(good.date_ack, received + timedelta(minutes=5))
        self.assertEqual(good.date_first_response, received + timedelta(minutes=15))
        self.assertEqual(good.date_resolved, received + timedelta(hours=4))
        self.assertEqual(good.time_ack_minutes, 5.0)
        self.assertEqual(good.time_resolve_hours, 4.0)
        self.assertEqual(good.stage_id, self.stage_resolved)
        self.assertEqual(late.date_received, datetime(2026, 2, 20, 1, 0))
        # the SLA targets are judged on the backdated facts
        self.assertEqual(set(good.sla_line_ids.mapped("status")), {"met"})
        self.assertEqual(
            {line.target: line.status for line in late.sla_line_ids},
            {"ack": "failed", "report": "failed"},
        )
        # the agent's answer and the client's reply are dated in the past
        answer = good.message_ids.filtered(
            lambda m: (
                m.author_id == self.agent_a.partner_id
                and "Looking into it" in (m.body or "")
            )
        )
        self.assertEqual(answer.date, received + timedelta(minutes=15))
        self.assertFalse(
            (good | late).message_ids.filtered(lambda m: m.date >= NOW - timedelta(1))
        )
        # the clients rated the agent's answer through the rating model
        ratings = self.env["rating.rating"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", (good | late | still_open).ids),
                ("consumed", "=", True),
            ]
        )
        self.assertEqual(
            {(r.res_id, r.helpdesk_kind, r.helpdesk_user_id) for r in ratings},
            {
                (good.id, "answer", self.agent_a),
                (late.id, "answer", self.agent_a),
            },
        )
        self.assertEqual(ratings.filtered(lambda r: r.res_id == late.id).rating, 1)
        self.assertTrue(late.is_complaint)
        # an open ticket is acknowledged and in progress, not resolved
        self.assertEqual(still_open.stage_id, self.stage_progress)
        self.assertFalse(still_open.date_resolved)
        self.assertEqual(still_open.date_ack, datetime(2026, 2, 27, 1, 5))
