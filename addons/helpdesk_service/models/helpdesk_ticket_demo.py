# demo-only history replay, a concern of helpdesk.ticket in a file of its own
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _demo_replay_history(self, history):
        """Demo data only: play the life of demo tickets the way agents and
        clients do (the agent's public answer, the client's reply and rating,
        the resolution), then move it back in time, so that the dashboards show
        weeks of acknowledgement and resolution times, SLA targets met and
        failed, and ratings per agent on a fresh database.

        ``history``: one dict per ticket: ``ticket_id``, ``user_id`` (the agent),
        ``days`` (received that many days ago, moved to a weekday at 10:00 in
        Tokyo), ``ack`` and ``answer`` (minutes after receipt), ``resolve``
        (hours after receipt, none: still open), ``answer_body``, ``rating``
        (1-5, 0: not rated), ``feedback`` and ``client_body`` (optional)."""
        now = fields.Datetime.now()
        resolved_stage = self.env.ref("helpdesk_service.helpdesk_stage_resolved")
        progress_stage = self.env.ref("helpdesk_service.helpdesk_stage_in_progress")
        tickets = self.browse()
        for spec in history:
            ticket = self.browse(spec["ticket_id"])
            agent = self.env["res.users"].browse(spec["user_id"])
            received = (now - timedelta(days=spec["days"])).replace(
                hour=1, minute=0, second=0, microsecond=0
            )
            while received.weekday() >= 5:
                received -= timedelta(days=1)
            answered = received + timedelta(minutes=spec["answer"])
            dates = {
                "date_received": received,
                "date_ack": received + timedelta(minutes=spec["ack"]),
                "date_first_response": answered,
            }
            phases = [(received, self._demo_marks(ticket))]
            # the agent's answer: acknowledges, first response, answer rating
            ticket.with_user(agent).message_post(
                body=spec["answer_body"],
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            if spec.get("client_body"):
                ticket.message_post(
                    body=spec["client_body"],
                    author_id=ticket.partner_id.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            phases.append((answered, self._demo_marks(ticket)))
            if spec.get("resolve"):
                resolved = received + timedelta(hours=spec["resolve"])
                ticket.with_user(agent).write({"stage_id": resolved_stage.id})
                dates.update(date_resolved=resolved, date_last_stage_update=resolved)
                if spec.get("rating"):
                    rating = ticket.sudo().rating_ids.filtered(
                        lambda r: r.helpdesk_kind == "answer" and not r.consumed
                    )[:1]
                    # as the client's rating page does
                    ticket.sudo().rating_apply(
                        spec["rating"], rating=rating, feedback=spec.get("feedback")
                    )
                ticket.sudo().write(dates)
                phases.append((resolved, self._demo_marks(ticket)))
            else:
                ticket.with_user(agent).write({"stage_id": progress_stage.id})
                ticket.sudo().write(dict(dates, date_last_stage_update=answered))
                phases.append((answered, self._demo_marks(ticket)))
            self._demo_backdate(ticket, phases)
            tickets |= ticket
        tickets._sla_sync(now)
        return True

    @api.model
    def _demo_marks(self, ticket):
        """The ids of the ticket's timeline events and messages so far, the
        pending tracking messages (posted at commit) included."""
        self.env.cr.precommit.run()
        return (
            set(ticket.sudo().event_ids.ids),
            set(ticket.sudo().message_ids.ids),
        )

    @api.model
    def _demo_backdate(self, ticket, phases):
        """Date the events and messages of each phase at the phase's time."""
        self.env.flush_all()
        done_events, done_messages = set(), set()
        for date, (events, messages) in phases:
            new_events = tuple(events - done_events)
            new_messages = tuple(messages - done_messages)
            if new_events:
                self.env.cr.execute(
                    SQL(
                        "UPDATE helpdesk_ticket_event SET date = %s, create_date = %s "
                        "WHERE id IN %s",
                        date,
                        date,
                        new_events,
                    )
                )
            if new_messages:
                self.env.cr.execute(
                    SQL(
                        "UPDATE mail_message SET date = %s WHERE id IN %s",
                        date,
                        new_messages,
                    )
                )
            done_events |= events
            done_messages |= messages
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                phases[0][0],
                ticket.id,
            )
        )
        self.env.invalidate_all()
