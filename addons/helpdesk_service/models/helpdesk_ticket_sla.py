import logging

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..const import SLA_TARGETS, TARGET_DATE_FIELD
from ..tools.ticket_rows import with_ticket_values

_logger = logging.getLogger(__name__)


class HelpdeskTicketSla(models.Model):
    """One service-level target of one ticket: its deadline in working time and
    whether it is still running, met or failed."""

    _name = "helpdesk.ticket.sla"
    _inherit = ["helpdesk.cron.job.mixin"]
    _description = "Helpdesk Ticket SLA Target"
    _order = "deadline, id"
    _rec_name = "target"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    sla_id = fields.Many2one("helpdesk.sla", "Policy", required=True, index=True)
    target = fields.Selection(SLA_TARGETS, required=True)
    target_minutes = fields.Integer("Target (working min)", required=True)
    status = fields.Selection(
        [("ongoing", "Ongoing"), ("met", "Met"), ("failed", "Failed")],
        required=True,
        default="ongoing",
        index=True,
    )
    deadline = fields.Datetime(index=True, help="Empty while the clock is paused.")
    date_warning = fields.Datetime("Warning at", index=True)
    date_reached = fields.Datetime("Reached on")
    is_paused = fields.Boolean("Paused")
    spent_minutes = fields.Float(
        "Working minutes spent",
        aggregator="avg",
        help="Working time used until the target was reached (or until now).",
    )
    paused_minutes = fields.Float(
        "Suppressed minutes",
        aggregator="sum",
        help="Working time of the announced planned maintenance the ticket is "
        "about, not counted against the target (until it was reached or now).",
    )
    met_percent = fields.Float(
        "Compliance (%)",
        compute="_compute_met_percent",
        store=True,
        aggregator="avg",
        help="100 for a met target, 0 for a failed one: on finished targets, its "
        "average is the SLA compliance rate.",
    )
    is_warned = fields.Boolean("Warned", copy=False)
    is_escalated = fields.Boolean("Escalated", copy=False, index=True)
    date_escalated = fields.Datetime("Escalated on", copy=False)
    # denormalised for reports
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, index=True)
    user_id = fields.Many2one(
        related="ticket_id.user_id", store=True, index=True, string="Agent"
    )
    commercial_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", store=True, string="Client"
    )
    tariff_id = fields.Many2one(related="ticket_id.tariff_id", store=True)
    priority_effective = fields.Integer(related="ticket_id.priority_effective")

    _sql_constraints = [
        (
            "ticket_target_uniq",
            "unique(ticket_id, target)",
            "A ticket has one line per SLA target.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # what the line copies of its ticket, and its met share, given at the
        # insert (no UPDATE after it)
        for vals in vals_list:
            if "status" in vals:
                vals.setdefault("met_percent", self._met_percent(vals["status"]))
        return super().create(with_ticket_values(self, vals_list))

    @api.depends("status")
    def _compute_met_percent(self):
        for line in self:
            line.met_percent = self._met_percent(line.status)

    @api.model
    def _met_percent(self, status):
        return 100.0 if status == "met" else 0.0

    # ------------------------------------------------------------ engine
    @api.model
    def _pause_intervals(self, events, pause_stages, start, end):
        """Intervals in [start, end] when the ticket sat in a pausing stage, from
        its timeline (each row carries the stage at that moment), and whether it
        still sits there at `end`."""
        intervals = []
        paused_since = None
        for event in events:
            if event.date > end:
                break
            in_pause = event.stage_id in pause_stages
            if in_pause and paused_since is None:
                paused_since = max(event.date, start)
            elif not in_pause and paused_since is not None:
                intervals.append((paused_since, event.date))
                paused_since = None
        if paused_since is not None:
            intervals.append((paused_since, end))
        return [(a, b) for a, b in intervals if b > a], paused_since is not None

    @api.model
    def _compute_values(
        self, ticket, sla, target, target_minutes, clock, events, now, skipped=()
    ):
        """Deadline, warning time, status and spent time of one target of a
        ticket, from its arrival, its timeline (pauses) and the policy's clock.
        The working time of the `skipped` windows [(start, end)] (the planned
        maintenance the ticket is about) is not counted, before or after now,
        and is kept as the suppressed minutes."""
        start = ticket.date_received or now
        # resolving a ticket also ends the clocks of targets it skipped
        dates = [
            d for d in (ticket[TARGET_DATE_FIELD[target]], ticket.date_resolved) if d
        ]
        reached = min(dates) if dates else False
        until = reached or now
        pauses, paused_open = [], False
        if sla.pause_stage_ids:
            pauses, paused_open = self._pause_intervals(
                events, sla.pause_stage_ids, start, until
            )
        paused_now = paused_open and not reached
        resume = pauses[-1][1] if pauses and not paused_open else start
        skipped = [(max(a, start), b) for a, b in skipped if b > start]
        # the stage pauses and the maintenance windows until the target's end
        stopped = pauses + [(a, min(b, until)) for a, b in skipped if until > a]
        spent_at_resume = (
            clock.working_minutes(start, resume, stopped) if resume > start else 0.0
        )
        remaining = target_minutes - spent_at_resume
        if paused_now:
            deadline = warning = False
        elif remaining <= 0:
            deadline = warning = resume
        else:
            deadline = clock.plan(resume, remaining, skipped)
            warn_left = target_minutes * sla.warning_percent / 100 - spent_at_resume
            warning = (
                clock.plan(resume, warn_left, skipped) if warn_left > 0 else resume
            )
        spent = clock.working_minutes(start, until, stopped)
        suppressed = (
            clock.working_minutes(start, until, pauses) - spent if skipped else 0.0
        )
        if reached:
            status = "met" if spent <= target_minutes else "failed"
        elif spent > target_minutes or (deadline and deadline <= now):
            status = "failed"
        else:
            status = "ongoing"
        return {
            "deadline": deadline,
            "date_warning": warning,
            "date_reached": reached,
            "is_paused": paused_now,
            "spent_minutes": round(spent, 2),
            "paused_minutes": round(suppressed, 2),
            "status": status,
        }

    # ------------------------------------------------------------ escalation
    def _lock_rows(self):
        """Lock the lines for this transaction, skipping those another worker
        holds, and keep only the ones that still need the escalation."""
        if not self:
            return self
        self.flush_recordset()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM helpdesk_ticket_sla WHERE id IN %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = self.browse([row[0] for row in rows])
        locked.invalidate_recordset()
        return locked

    @api.model
    def _get_breach_domain(self, now):
        """Targets past their deadline, not reached, not escalated yet."""
        return [
            ("is_escalated", "=", False),
            ("date_reached", "=", False),
            ("status", "!=", "met"),
            ("deadline", "<=", now),
        ]

    @api.model
    def _get_warning_domain(self, now):
        return [
            ("status", "=", "ongoing"),
            ("is_warned", "=", False),
            ("date_warning", "<=", now),
            ("deadline", ">", now),
        ]

    @api.model
    def _cron_escalate(self, batch_size=500):
        """Warn the assignee of targets near their deadline and escalate breached
        ones, once per line. Safe with several workers: each batch locks its rows
        (SKIP LOCKED) and marks them in the same transaction. Returns how many
        lines it handled or handed to jobs.

        More lines due than a job takes (_cron_job_chunk_size) are shared out
        as queue jobs (_job_escalate), the lines of a ticket in the same job;
        lines already in a job not done yet are left to it. Fewer are handled
        here at once: a job would only add its latency. If that fails, they are
        handed to jobs too, which set the failing line apart.

        A run that loses the race to a concurrent one (it began before the other
        committed, so it can neither lock nor update the rows the other changed:
        a serialization failure) leaves them to the winner: its batch is rolled
        back and logged at INFO level, and the next run takes what is left."""
        now = fields.Datetime.now()
        due = self._get_escalation_due(now)
        size = self._cron_job_chunk_size()
        if size and len(due) > size:
            return self._enqueue_escalation(due, size)
        breached = warned = self.browse()
        try:
            with self.env.cr.savepoint():
                breached, warned = self._escalate_batch(
                    now, batch_size, ids=[line_id for line_id, _t in due]
                )
        except psycopg2.errors.SerializationFailure:
            _logger.info(
                "SLA escalation: a concurrent run changed these lines first; "
                "this batch is skipped, the next run takes what is left"
            )
        except Exception:
            if not size:
                raise
            _logger.warning(
                "SLA escalation failed: the lines are handed to jobs", exc_info=True
            )
            return self._enqueue_escalation(due, size)
        done = len(breached) + len(warned)
        remaining = max(0, len(due) - done) if done else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        _logger.info(
            "SLA escalation: %s breached, %s warned, %s left",
            len(breached),
            len(warned),
            remaining,
        )
        return done

    @api.model
    def _get_escalation_due(self, now):
        """(id, ticket id) of the lines to warn or escalate, by ticket, but
        those of jobs not done yet (ids only: a cheap query)."""
        query = self._search(
            expression.OR(
                [self._get_breach_domain(now), self._get_warning_domain(now)]
            ),
            order="ticket_id, id",
        )
        self.flush_model()
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(self._table, "id"),
                SQL.identifier(self._table, "ticket_id"),
            )
        )
        busy = self._cron_job_busy_ids("_job_escalate")
        return [row for row in rows if row[0] not in busy]

    @api.model
    def _enqueue_escalation(self, due, size):
        """Jobs of about `size` lines each for the (id, ticket id) rows `due`;
        returns how many lines they take."""
        for chunk in self._cron_job_chunks(due, size):
            self.browse(chunk)._cron_job_enqueue("_job_escalate")
        self.env["ir.cron"]._notify_progress(done=len(due), remaining=0)
        _logger.info("SLA escalation: %s lines handed to jobs", len(due))
        return len(due)

    def _job_escalate(self):
        """Queue job: warn or escalate these lines, those still due when it runs
        (locked, SKIP LOCKED), in its own transaction."""

        def work(lines):
            breached, warned = lines._escalate_batch(
                fields.Datetime.now(), len(lines), ids=lines.ids
            )
            return f"{len(breached)} breached, {len(warned)} warned"

        return self._cron_job_isolate(work, "_job_escalate")

    def _cron_job_description(self, method, *args):
        if method == "_job_escalate":
            return self.env._("SLA escalation of %(count)s targets", count=len(self))
        return super()._cron_job_description(method, *args)

    @api.model
    def _escalate_batch(self, now, batch_size, ids=None):
        """Escalate up to batch_size breached then warned lines (among `ids` if
        given), locked first; return them."""
        restrict = [("id", "in", ids)] if ids is not None else []
        breached = self.search(
            self._get_breach_domain(now) + restrict,
            limit=batch_size,
            order="deadline, id",
        )._lock_rows()
        breached = breached.filtered(
            lambda line: not line.is_escalated and not line.date_reached
        )
        breached._escalate_breach(now)
        warned = self.browse()
        room = batch_size - len(breached)
        if room > 0:
            warned = self.search(
                self._get_warning_domain(now) + restrict,
                limit=room,
                order="date_warning, id",
            )._lock_rows()
            warned = warned.filtered(lambda line: not line.is_warned)
            warned._escalate_warning(now)
        return breached, warned

    def _target_label(self):
        return dict(self._fields["target"]._description_selection(self.env))[
            self.target
        ]

    def _schedule_activities(self, summary_fn, now):
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        vals_list = []
        for line in self:
            ticket = line.ticket_id
            user = ticket.user_id or ticket.team_id.user_id
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "user_id": user.id,
                    # in the assignee's language
                    "summary": summary_fn(
                        line.with_context(lang=user.lang or self.env.lang)
                    ),
                    "date_deadline": fields.Date.context_today(self, now),
                }
            )
        # the assignees' e-mails about the activities are rendered by the
        # scheduled-messages job, not in the escalation's batch (see
        # helpdesk.notify.batch.mixin)
        later = self.env["helpdesk.ticket"]._with_email_later()
        later.env["mail.activity"].sudo().create(vals_list)

    def _escalate_warning(self, now):
        if not self:
            return
        self.write({"is_warned": True})
        self._schedule_activities(
            lambda line: line.env._(
                "SLA: %(target)s due %(deadline)s",
                target=line._target_label(),
                deadline=fields.Datetime.to_string(line.deadline),
            ),
            now,
        )
        bodies = {}
        for line in self:
            bodies.setdefault(line.ticket_id.id, []).append(
                self.env._(
                    "SLA warning: %(target)s is due at %(deadline)s (UTC).",
                    target=line._target_label(),
                    deadline=fields.Datetime.to_string(line.deadline),
                )
            )
        self.ticket_id._message_log_batch({k: " ".join(v) for k, v in bodies.items()})

    def _escalate_breach(self, now):
        if not self:
            return
        self.write({"status": "failed", "is_escalated": True, "date_escalated": now})
        self._schedule_activities(
            lambda line: line.env._(
                "SLA breached: %(target)s", target=line._target_label()
            ),
            now,
        )
        bodies = {}
        for line in self:
            bodies.setdefault(line.ticket_id.id, []).append(
                self.env._(
                    "SLA breached: %(target)s was due at %(deadline)s (UTC), "
                    "policy %(policy)s.",
                    target=line._target_label(),
                    deadline=fields.Datetime.to_string(line.deadline),
                    policy=line.sla_id.name,
                )
            )
        self.ticket_id._message_log_batch({k: " ".join(v) for k, v in bodies.items()})
        # reassignment, grouped per target user
        for user, lines in (
            self.filtered("sla_id.escalate_user_id")
            .grouped(lambda line: line.sla_id.escalate_user_id)
            .items()
        ):
            tickets = lines.ticket_id.filtered(lambda t, u=user: t.user_id != u)
            tickets.write({"user_id": user.id})
        self._mail_team_leads()

    def _mail_team_leads(self):
        """One digest e-mail per team lead with the breaches of this batch."""
        lines = self.filtered(
            lambda line: (
                line.sla_id.escalate_to_lead and line.ticket_id.team_id.user_id.email
            )
        )
        mails = []
        for lead, lead_lines in lines.grouped(
            lambda line: line.ticket_id.team_id.user_id
        ).items():
            # in the lead's language
            lead_lines = lead_lines.with_context(lang=lead.lang or self.env.lang)
            rows = Markup("").join(
                Markup("<li>%s %s: %s</li>")
                % (line.ticket_id.ticket_ref, line.ticket_id.name, line._target_label())
                for line in lead_lines
            )
            mails.append(
                {
                    "subject": lead_lines.env._(
                        "SLA breached on %(count)s tickets",
                        count=len(lead_lines.ticket_id),
                    ),
                    "body_html": Markup("<ul>%s</ul>") % rows,
                    "email_to": lead.email_formatted,
                    "recipient_ids": [(4, lead.partner_id.id)],
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
