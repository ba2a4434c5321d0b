"""The follow-up job: reminders to agents and clients and the automatic
closing of tickets left waiting, in batches safe with several workers."""

# pylint: disable=consider-merging-classes-inherited
import logging
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class HelpdeskTicketFollowup(models.Model):
    _inherit = "helpdesk.ticket"

    date_followup_agent = fields.Datetime(
        "Assignee reminded on", readonly=True, copy=False, groups="base.group_user"
    )
    date_followup_client = fields.Datetime(
        "Client reminded on", readonly=True, copy=False, groups="base.group_user"
    )

    @api.model
    def _get_followup_agent_domain(self, team, now):
        """Open, assigned tickets of `team` without an agent update (public
        reply, change of stage) for the team's number of hours."""
        limit = now - timedelta(hours=team.followup_agent_hours)
        return [
            ("team_id", "=", team.id),
            ("is_closed", "=", False),
            ("stage_kind", "not in", ("waiting", "resolved")),
            ("user_id", "!=", False),
            "|",
            ("date_last_agent_update", "<=", limit),
            "&",
            ("date_last_agent_update", "=", False),
            ("date_received", "<=", limit),
        ]

    @api.model
    def _get_followup_client_domain(self, team, now):
        """Tickets of `team` waiting for the client's answer for the team's
        number of hours."""
        return [
            ("team_id", "=", team.id),
            ("stage_kind", "=", "waiting"),
            ("partner_id", "!=", False),
            (
                "date_last_stage_update",
                "<=",
                now - timedelta(hours=team.followup_client_hours),
            ),
        ]

    @api.model
    def _get_autoclose_domain(self, team, now):
        """Tickets of `team` resolved for the team's number of days."""
        return [
            ("team_id", "=", team.id),
            ("stage_kind", "=", "resolved"),
            ("date_resolved", "<=", now - timedelta(days=team.autoclose_days)),
        ]

    @api.model
    def _get_followup_condition(self, job):
        """What a domain cannot say (one column against another): the ticket was
        not handled yet since its last update."""

        def column(name):
            return SQL.identifier(self._table, name)

        if job == "agent":
            return SQL(
                "(%(reminded)s IS NULL "
                "OR %(reminded)s < COALESCE(%(update)s, %(received)s))",
                reminded=column("date_followup_agent"),
                update=column("date_last_agent_update"),
                received=column("date_received"),
            )
        if job == "client":
            # no client message since the ticket entered the waiting stage
            Event = self.env["helpdesk.ticket.event"]
            return SQL(
                "(%(reminded)s IS NULL OR %(reminded)s < %(entered)s) "
                "AND NOT EXISTS (SELECT 1 FROM %(event)s "
                "WHERE %(event_ticket)s = %(id)s "
                "AND %(event_type)s = 'client_message' "
                "AND %(event_date)s >= %(entered)s)",
                reminded=column("date_followup_client"),
                entered=column("date_last_stage_update"),
                id=column("id"),
                event=SQL.identifier(Event._table),
                event_ticket=SQL.identifier(Event._table, "ticket_id"),
                event_type=SQL.identifier(Event._table, "event_type"),
                event_date=SQL.identifier(Event._table, "date"),
            )
        return None

    @api.model
    def _get_followup_query(self, team, job, now):
        domain = {
            "agent": self._get_followup_agent_domain,
            "client": self._get_followup_client_domain,
            "autoclose": self._get_autoclose_domain,
        }[job](team, now)
        query = self._search(domain, order="id")
        condition = self._get_followup_condition(job)
        if condition:
            query.add_where(condition)
        return query

    @api.model
    def _get_followup_jobs(self, team):
        """The follow-up jobs `team` has turned on."""
        jobs = []
        if team.followup_agent_hours > 0:
            jobs.append("agent")
        if team.followup_client_hours > 0:
            jobs.append("client")
        if team.autoclose_days > 0 and team._get_stage_of_kind("closed"):
            jobs.append("autoclose")
        return jobs

    @api.model
    def _followup_fetch(self, team, job, now, limit, ids=None):
        """Up to `limit` tickets due for `job` (among `ids` if given), locked for
        this transaction; tickets another transaction holds are left for the
        next run."""
        if limit <= 0 or ids is not None and not ids:
            return self.browse()
        query = self._get_followup_query(team, job, now)
        if query.is_empty():
            return self.browse()
        if ids is not None:
            query.add_where(
                SQL("%s IN %s", SQL.identifier(self._table, "id"), tuple(ids))
            )
        query.limit = limit
        self._flush_followup()
        rows = self.env.execute_query(
            tools.SQL(
                "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
                query.select(),
                tools.SQL.identifier(self._table),
            )
        )
        return self.browse(row[0] for row in rows)

    @api.model
    def _flush_followup(self):
        """The conditions of _get_followup_condition read columns the ORM does
        not know of: write them out first."""
        self.flush_model()
        self.env["helpdesk.ticket.event"].flush_model(
            ["ticket_id", "event_type", "date"]
        )

    @api.model
    def _cron_followup(self, batch_size=500):
        """Per team: remind assignees of tickets without an agent update, remind
        clients of tickets waiting for their answer, close tickets resolved long
        enough. Each ticket is marked in the same transaction (reminder date,
        closed stage), so a rerun does nothing until the ticket moves again.
        Returns how many tickets it handled or handed to jobs.

        More tickets due than a job takes (_cron_job_chunk_size) are shared out
        as queue jobs (_job_followup), per team and follow-up; tickets already
        in a job not done yet are left to it. Fewer are handled here at once: a
        job would only add its latency. If that fails, they are handed to jobs
        too, which set the failing ticket apart."""
        now = fields.Datetime.now()
        teams = self.env["helpdesk.team"].search(
            [
                "|",
                "|",
                ("followup_agent_hours", ">", 0),
                ("followup_client_hours", ">", 0),
                ("autoclose_days", ">", 0),
            ]
        )
        busy = self._cron_job_busy_ids("_job_followup")
        due = []
        for team in teams:
            Ticket = self.with_company(team.company_id)
            for job in Ticket._get_followup_jobs(team):
                ids = [
                    ticket_id
                    for ticket_id in Ticket._followup_due_ids(team, job, now)
                    if ticket_id not in busy
                ]
                if ids:
                    due.append((team, Ticket, job, ids))
        total = sum(len(ids) for _team, _ticket, _job, ids in due)
        size = self._cron_job_chunk_size()
        if size and total > size:
            return self._enqueue_followup(due, size)
        done = 0
        try:
            with self.env.cr.savepoint():
                for team, Ticket, job, ids in due:
                    tickets = Ticket._followup_fetch(
                        team, job, now, batch_size - done, ids=ids
                    )
                    if tickets:
                        getattr(tickets, self._get_followup_handler(job))(team, now)
                        done += len(tickets)
        except Exception:
            if not size:
                raise
            _logger.warning(
                "Follow-up failed: the tickets are handed to jobs", exc_info=True
            )
            return self._enqueue_followup(due, size)
        remaining = max(0, total - done) if done else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _get_followup_handler(self, job):
        """The method doing the follow-up `job` on tickets."""
        return {
            "agent": "_followup_remind_agent",
            "client": "_followup_remind_client",
            "autoclose": "_followup_autoclose",
        }[job]

    @api.model
    def _followup_due_ids(self, team, job, now):
        """Ids of the tickets due for `job` (ids only, no lock: a cheap query)."""
        query = self._get_followup_query(team, job, now)
        if query.is_empty():
            return []
        self._flush_followup()
        return [row[0] for row in self.env.execute_query(query.select())]

    @api.model
    def _enqueue_followup(self, due, size):
        """Jobs of up to `size` tickets for the (team, model, job, ids) of `due`;
        returns how many tickets they take."""
        total = 0
        for team, Ticket, job, ids in due:
            for chunk in tools.split_every(size, ids):
                Ticket.browse(chunk)._cron_job_enqueue("_job_followup", team, job)
            total += len(ids)
        self.env["ir.cron"]._notify_progress(done=total, remaining=0)
        _logger.info("Follow-up: %s tickets handed to jobs", total)
        return total

    def _job_followup(self, team, job):
        """Queue job: the follow-up `job` of `team` on these tickets, those
        still due when it runs (locked, SKIP LOCKED), in its own transaction."""

        def work(records):
            if not team.exists() or job not in records._get_followup_jobs(team):
                return "turned off"
            now = fields.Datetime.now()
            tickets = records._followup_fetch(
                team, job, now, len(records), ids=records.ids
            )
            if tickets:
                getattr(tickets, records._get_followup_handler(job))(team, now)
            return f"{len(tickets)} tickets"

        return self._cron_job_isolate(work, "_job_followup", team, job)

    def _cron_job_description(self, method, *args):
        if method == "_job_followup":
            team, job = args
            return self.env._(
                "Follow-up (%(job)s) of %(count)s tickets of %(team)s",
                job=job,
                count=len(self),
                team=team.name,
            )
        return super()._cron_job_description(method, *args)

    def _followup_remind_agent(self, team, now):
        """A to-do for the assignee of each ticket, created at once."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        # in each assignee's language
        summaries = {
            lang: self.with_context(lang=lang).env._(
                "No update for %(hours)s hours", hours=team.followup_agent_hours
            )
            for lang in {ticket.user_id.lang for ticket in self}
        }
        today = fields.Date.context_today(self, now)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "user_id": ticket.user_id.id,
                    "summary": summaries[ticket.user_id.lang],
                    "date_deadline": today,
                }
                for ticket in self
            ]
        )
        self._write_recorded({"date_followup_agent": now})
        return True

    def _followup_remind_client(self, team, now):
        """A public message to the client (follower), which is no contact."""
        template = self.env.ref(
            "helpdesk_service.mail_template_followup_client", raise_if_not_found=False
        )
        if template:
            self.with_context(helpdesk_no_contact=True).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="auto_comment",
            )
        self._write_recorded({"date_followup_client": now})
        return True

    def _followup_autoclose(self, team, now):
        """Close the tickets and tell the clients how to reopen them."""
        self.write({"stage_id": team._get_stage_of_kind("closed").id})
        template = self.env.ref(
            "helpdesk_service.mail_template_autoclose", raise_if_not_found=False
        )
        if template:
            self.with_context(helpdesk_no_contact=True).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="auto_comment",
            )
        return True
