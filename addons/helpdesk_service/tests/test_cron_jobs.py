import traceback
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from .common import HelpdeskCommonMixin

T0 = datetime(2026, 3, 2, 9, 0)
LATE = datetime(2026, 3, 2, 12, 0)


@tagged("helpdesk_service")
class TestCronJobs(HelpdeskCommonMixin, TransactionCase):
    """The SLA escalation and follow-up crons share big runs out as queue jobs
    of a bounded size; the jobs give the result of the former inline run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        env = cls.env
        # only the policy, lines, teams and jobs of these tests
        env["helpdesk.sla"].search([]).active = False
        cls.policy = env["helpdesk.sla"].create(
            {
                "name": "Jobs policy",
                "sequence": 1,
                "ack_minutes": 10,
                "report_minutes": 20,
            }
        )
        env["helpdesk.ticket.sla"].search([]).write(
            {"is_escalated": True, "is_warned": True}
        )
        env["helpdesk.team"].with_context(active_test=False).search([]).write(
            {"followup_agent_hours": 0, "followup_client_hours": 0, "autoclose_days": 0}
        )
        env["ir.config_parameter"].set_param("helpdesk_service.cron_chunk_size", "4")
        cls.Line = env["helpdesk.ticket.sla"]
        cls.old_job_ids = env["queue.job"].search([]).ids

    # ------------------------------------------------------------ helpers
    def _tickets(self, count, **vals):
        with freeze_time(T0):
            return self.Ticket.create(
                [
                    dict(
                        {
                            "name": f"Job ticket {i}",
                            "partner_id": self.contact.id,
                            "team_id": self.team.id,
                            "user_id": self.agent_a.id,
                        },
                        **vals,
                    )
                    for i in range(count)
                ]
            )

    def _jobs(self, method, states=("pending",)):
        return self.env["queue.job"].search(
            [
                ("id", "not in", self.old_job_ids),
                ("method_name", "=", method),
                ("state", "in", list(states)),
            ],
            order="id",
        )

    def _records(self, jobs):
        """The records of these jobs, together."""
        records = jobs[:1].records
        for job in jobs[1:]:
            records |= job.records
        return records

    def _perform(self, records):
        """Run these jobs like the job runner: each in its own transaction (a
        savepoint here), then marked done, or failed with its error."""
        for record in records:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            try:
                with self.env.cr.savepoint():
                    job.perform()
            except Exception as error:  # noqa: BLE001 (as the job runner)
                job.set_failed(
                    exc_info=traceback.format_exc(),
                    exc_name=type(error).__name__,
                    exc_message=str(error),
                )
            else:
                job.set_done()
            job.store()

    def _perform_all(self, method, at):
        """Run the pending jobs of `method`, and those they enqueue, at `at`."""
        with freeze_time(at):
            while jobs := self._jobs(method):
                self._perform(jobs)

    def _fail_escalation(self, ticket):
        """Make the escalation of the ticket's acknowledgement target fail (as
        with an assignee that no longer exists); the other lines escalate as
        usual. Returns that target."""
        poison = ticket.sla_line_ids.filtered(lambda line: line.target == "ack")
        Model = type(self.Line)
        escalate_breach = Model._escalate_breach

        def failing(lines, now):
            if poison in lines:
                raise ValueError("no such assignee")
            return escalate_breach(lines, now)

        self.patch(Model, "_escalate_breach", failing)
        return poison

    def _result_of(self, tickets):
        """Per ticket: the statuses of its targets, its escalation notes, its
        activities and its assignee."""
        Activity = self.env["mail.activity"]
        self.env.invalidate_all()
        return [
            (
                sorted(ticket.sla_line_ids.mapped("status")),
                all(ticket.sla_line_ids.mapped("is_escalated")),
                len(
                    ticket.message_ids.filtered(lambda m: "SLA breached" in str(m.body))
                ),
                Activity.search_count(
                    [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
                ),
                ticket.user_id,
            )
            for ticket in tickets
        ]

    # ------------------------------------------------------------ escalation
    def test_escalation_jobs_match_inline_run(self):
        inline_tickets = self._tickets(5)
        with freeze_time(LATE):
            Line = self.Line.with_context(helpdesk_cron_chunk_size=0)
            self.assertEqual(Line._cron_escalate(), 10, "inline: no jobs")
        self.assertFalse(self._jobs("_job_escalate"))
        expected = self._result_of(inline_tickets)
        self.assertEqual(expected[0][:4], (["failed", "failed"], True, 1, 2))

        tickets = self._tickets(7)
        with freeze_time(LATE):
            # 14 lines due, 4 per job, the 2 lines of a ticket in the same job
            self.assertEqual(self.Line._cron_escalate(), 14)
        jobs = self._jobs("_job_escalate")
        self.assertEqual(len(jobs), 4)
        self.assertEqual(
            [len(job.records) for job in jobs], [4, 4, 4, 2], "bounded chunks"
        )
        self.assertEqual(set(jobs.mapped("channel")), {"root.helpdesk"})
        self.assertEqual(self._records(jobs), tickets.sla_line_ids)
        for job in jobs:
            self.assertEqual(len(job.records.ticket_id) * 2, len(job.records))
        self.assertFalse(any(tickets.sla_line_ids.mapped("is_escalated")))

        with freeze_time(LATE + timedelta(minutes=2)):
            self.assertEqual(self.Line._cron_escalate(), 0, "left to the jobs")
        self.assertEqual(self._jobs("_job_escalate"), jobs, "no duplicate job")

        self._perform_all("_job_escalate", LATE + timedelta(minutes=3))
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        self.assertEqual(self._result_of(tickets), [expected[0]] * 7)
        with freeze_time(LATE + timedelta(minutes=4)):
            self.assertEqual(self.Line._cron_escalate(), 0, "escalated once")

    def test_escalation_small_run_stays_inline(self):
        tickets = self._tickets(2)
        with freeze_time(LATE):
            self.assertEqual(self.Line._cron_escalate(), 4)
        self.assertFalse(self._jobs("_job_escalate"))
        self.assertTrue(all(tickets.sla_line_ids.mapped("is_escalated")))

    def test_escalation_job_skips_what_was_handled(self):
        tickets = self._tickets(3)
        with freeze_time(LATE):
            self.assertEqual(self.Line._cron_escalate(), 6)
        jobs = self._jobs("_job_escalate")
        self.assertEqual(len(jobs), 2)
        first = jobs[0].records.ticket_id
        # the agent resolved these tickets before the job ran
        with freeze_time(LATE + timedelta(minutes=1)):
            first.stage_id = self.stage_resolved
        self._perform_all("_job_escalate", LATE + timedelta(minutes=2))
        self.assertEqual(jobs[0].result, "0 breached, 0 warned")
        self.assertFalse(any(first.sla_line_ids.mapped("is_escalated")))
        rest = tickets - first
        self.assertTrue(all(rest.sla_line_ids.mapped("is_escalated")))
        # the same job run again does nothing twice
        activities = self.env["mail.activity"].search_count(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", rest.ids)]
        )
        with freeze_time(LATE + timedelta(minutes=5)):
            self.assertEqual(jobs[1].records._job_escalate(), "0 breached, 0 warned")
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", rest.ids)]
            ),
            activities,
        )

    @mute_logger(
        "odoo.addons.helpdesk_service.models.helpdesk_cron_job_mixin",
        "odoo.addons.helpdesk_service.models.helpdesk_ticket_sla",
    )
    def test_escalation_failing_line_leaves_others_done(self):
        tickets = self._tickets(6)
        poison = self._fail_escalation(tickets[2])
        with freeze_time(LATE):
            self.assertEqual(self.Line._cron_escalate(), 12)
        self.assertEqual(len(self._jobs("_job_escalate")), 3)
        self._perform_all("_job_escalate", LATE + timedelta(minutes=1))
        failed = self._jobs("_job_escalate", ("failed",))
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed.records, poison, "the failing line set apart")
        done = self._jobs("_job_escalate", ("done",))
        self.assertEqual(len(done), 3, "at most one more job per failing chunk")
        self.assertIn("3 done one by one; 1 failed", " ".join(done.mapped("result")))
        self.assertEqual(failed.exc_message, "no such assignee")
        self.assertIn("ValueError", failed.exc_info)
        others = tickets.sla_line_ids - poison
        self.assertTrue(all(others.mapped("is_escalated")))
        self.assertFalse(poison.is_escalated)
        # the failed job waits for a decision in Job Queue: not enqueued again
        with freeze_time(LATE + timedelta(minutes=2)):
            self.assertEqual(self.Line._cron_escalate(), 0)
        self.assertFalse(self._jobs("_job_escalate"))

    @mute_logger(
        "odoo.addons.helpdesk_service.models.helpdesk_cron_job_mixin",
        "odoo.addons.helpdesk_service.models.helpdesk_ticket_sla",
    )
    def test_escalation_inline_failure_goes_to_jobs(self):
        tickets = self._tickets(2)
        poison = self._fail_escalation(tickets[0])
        with freeze_time(LATE):
            self.assertEqual(self.Line._cron_escalate(), 4, "handed to jobs")
        self.assertFalse(any(tickets.sla_line_ids.mapped("is_escalated")))
        self._perform_all("_job_escalate", LATE + timedelta(minutes=1))
        self.assertEqual(self._jobs("_job_escalate", ("failed",)).records, poison)
        self.assertTrue(all((tickets.sla_line_ids - poison).mapped("is_escalated")))

    # ------------------------------------------------------------ follow-up
    def test_followup_jobs(self):
        self.team.followup_agent_hours = 24
        tickets = self._tickets(5)
        at = T0 + timedelta(hours=25)
        with freeze_time(at):
            self.assertEqual(self.Ticket._cron_followup(), 5)
        jobs = self._jobs("_job_followup")
        self.assertEqual([len(job.records) for job in jobs], [4, 1])
        self.assertEqual(self._records(jobs), tickets)
        self.assertEqual(set(jobs.mapped("channel")), {"root.helpdesk"})
        self.assertFalse(tickets.activity_ids)
        with freeze_time(at + timedelta(minutes=30)):
            self.assertEqual(self.Ticket._cron_followup(), 0, "left to the jobs")
        self.assertEqual(self._jobs("_job_followup"), jobs, "no duplicate job")

        done_at = at + timedelta(minutes=31)
        self._perform_all("_job_followup", done_at)
        self.assertEqual(jobs.mapped("result"), ["4 tickets", "1 tickets"])
        for ticket in tickets:
            self.assertEqual(len(ticket.activity_ids), 1)
            self.assertEqual(ticket.activity_ids.user_id, self.agent_a)
            self.assertEqual(ticket.activity_ids.summary, "No update for 24 hours")
            self.assertEqual(ticket.date_followup_agent, done_at)
        # a job run twice, or a new run, reminds no one twice
        with freeze_time(done_at + timedelta(minutes=1)):
            self.assertEqual(
                jobs[0].records._job_followup(self.team, "agent"), "0 tickets"
            )
            self.assertEqual(self.Ticket._cron_followup(), 0)
        self.assertEqual(len(tickets.activity_ids), 5)

    def test_followup_small_run_stays_inline(self):
        self.team.followup_agent_hours = 24
        tickets = self._tickets(3)
        with freeze_time(T0 + timedelta(hours=25)):
            self.assertEqual(self.Ticket._cron_followup(), 3)
        self.assertFalse(self._jobs("_job_followup"))
        self.assertEqual(len(tickets.activity_ids), 3)
