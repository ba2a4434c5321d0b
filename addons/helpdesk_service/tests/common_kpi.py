"""The KPI dataset shared by the KPI and dashboard tests: a 10/20 policy and
a week of tickets with known times and ratings."""

from freezegun import freeze_time


class KpiDatasetMixin:
    @classmethod
    def _setup_kpi_policy(cls):
        cls.env["helpdesk.sla"].search([]).active = False
        cls.env["helpdesk.sla"].create(
            {"name": "10/20", "ack_minutes": 10, "report_minutes": 20}
        )

    def _reply(self, ticket, user, at):
        with freeze_time(at):
            message = ticket.with_user(user).message_post(
                body="Update", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )

    def _build_week_dataset(self, third_client):
        """Monday 2 March 2026: three tickets resolved (T1, T2 for agent A, T3
        for agent B, of `third_client`), T2 late on both targets; ratings good,
        bad, good."""
        day = "2026-03-02 "
        with freeze_time(day + "09:00"):
            t1, t2, t3 = self.Ticket.create(
                [
                    {
                        "name": "T1",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                    },
                    {
                        "name": "T2",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                        "user_id": self.agent_a.id,
                    },
                    {
                        "name": "T3",
                        "partner_id": third_client.id,
                        "team_id": self.team.id,
                        "user_id": self.agent_b.id,
                    },
                ]
            )
        # T1, agent A: everything on time, resolved after 1 h, rated good
        with freeze_time(day + "09:04"):
            t1.with_user(self.agent_a).action_acknowledge()
        r1 = self._reply(t1, self.agent_a, day + "09:10")
        with freeze_time(day + "10:00"):
            t1.stage_id = self.stage_resolved
        # T2, agent A: late twice, the client writes once, 3 h, rated bad
        with freeze_time(day + "09:20"):
            t2.with_user(self.agent_a).action_acknowledge()
        r2 = self._reply(t2, self.agent_a, day + "09:30")
        with freeze_time(day + "09:40"):
            self._post_as(t2, partner=self.contact, body="Still down")
        with freeze_time(day + "12:00"):
            t2.stage_id = self.stage_resolved
        # T3, agent B: on time, 30 minutes, rated good
        with freeze_time(day + "09:05"):
            t3.with_user(self.agent_b).action_acknowledge()
        r3 = self._reply(t3, self.agent_b, day + "09:06")
        with freeze_time(day + "09:30"):
            t3.stage_id = self.stage_resolved
        t1.rating_apply(5, token=r1.access_token)
        t2.rating_apply(1, token=r2.access_token, feedback="Took far too long")
        t3.rating_apply(5, token=r3.access_token)
        return t1, t2, t3
