import logging

from psycopg2 import OperationalError

from odoo import api, models
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import SQL

from odoo.addons.queue_job.job import (
    ENQUEUED,
    FAILED,
    PENDING,
    STARTED,
    WAIT_DEPENDENCIES,
    identity_exact,
)

_logger = logging.getLogger(__name__)

# records of a scheduled action handed to jobs per job, unless the
# helpdesk_service.cron_chunk_size parameter says otherwise (0: no jobs)
DEFAULT_CHUNK_SIZE = 200

# jobs whose records a new run of the scheduled action leaves alone: waiting or
# running, and failed ones, which wait for a decision in Job Queue (requeue,
# set to done or cancel) rather than being enqueued again at every run
_BUSY_STATES = (WAIT_DEPENDENCIES, PENDING, ENQUEUED, STARTED, FAILED)


class HelpdeskCronJobMixin(models.AbstractModel):
    """Heavy scheduled work shared out as OCA queue_job jobs: the scheduled
    action finds the records due (ids only), hands them in chunks to jobs on the
    channel of the job function (root.helpdesk), and each job does its part in
    its own transaction, so that several job workers and servers share a big
    run. A job checks again what is still due when it runs and locks its rows
    (SKIP LOCKED), so that a job run twice or next to the scheduled action does
    nothing twice."""

    _name = "helpdesk.cron.job.mixin"
    _description = "Helpdesk scheduled work shared out as queue jobs"

    @api.model
    def _cron_job_chunk_size(self):
        """How many records one job takes; 0 keeps all the work in the
        scheduled action itself."""
        size = self.env.context.get("helpdesk_cron_chunk_size")
        if size is None:
            size = (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("helpdesk_service.cron_chunk_size", DEFAULT_CHUNK_SIZE)
            )
        try:
            return max(0, int(size))
        except ValueError:
            return DEFAULT_CHUNK_SIZE

    @api.model
    def _cron_job_busy_ids(self, method):
        """Ids of this model in the jobs of `method` not done yet (waiting,
        running or failed)."""
        Job = self.env["queue.job"].sudo()
        Job.flush_model(["model_name", "method_name", "state", "records"])
        # queue_job stores the records' JSON as a JSON string
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT (jsonb_array_elements("
                "CASE jsonb_typeof(records) WHEN 'string' "
                "THEN (records #>> '{}')::jsonb ELSE records END -> 'ids'))::int "
                "FROM queue_job WHERE state IN %s "
                "AND model_name = %s AND method_name = %s",
                _BUSY_STATES,
                self._name,
                method,
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _cron_job_chunks(self, rows, size):
        """Ids in chunks of about `size`, from (id, group) rows sorted by group:
        the records of a group (the targets of one ticket) stay together."""
        chunks = []
        chunk = []
        last = None
        for record_id, group in rows:
            if len(chunk) >= size and group != last:
                chunks.append(chunk)
                chunk = []
            chunk.append(record_id)
            last = group
        if chunk:
            chunks.append(chunk)
        return chunks

    def _cron_job_description(self, method, *args):
        """The name of the job of `method(*args)` on these records in Job
        Queue (empty: the first line of the method's docstring)."""
        return ""

    def _cron_job_enqueue(self, method, *args):
        """One job running `method(*args)` on these records; none if the same
        one waits already (identity key)."""
        delayable = self.with_delay(
            identity_key=identity_exact,
            description=self._cron_job_description(method, *args),
        )
        return getattr(delayable, method)(*args)

    def _cron_job_isolate(self, work, method, *args):
        """Run `work(records)` for the job of `method(*args)` on these records.
        If it fails (not on a concurrency error: queue_job retries the job),
        each record is tried on its own: those that pass are done, those that
        fail go to a new job, which fails with their error when none of them
        passes. A failing record so ends in a failed job of its own run, with
        at most two jobs per chunk, and never blocks the others."""
        try:
            with self.env.cr.savepoint():
                return work(self)
        except Exception as error:
            if self._cron_job_must_raise(error) or len(self) <= 1:
                raise
            failure = error
        failed = self.browse()
        for record in self:
            try:
                with self.env.cr.savepoint():
                    work(record)
            except Exception as error:
                if self._cron_job_must_raise(error):
                    raise
                failed |= record
        if failed == self:
            raise failure
        _logger.warning(
            "%s: %s of %s records failed (%s), handed to a new job",
            method,
            len(failed),
            len(self),
            failure,
        )
        failed._cron_job_enqueue(method, *args)
        return (
            f"{len(self) - len(failed)} done one by one; {len(failed)} failed "
            f"({failure}), handed to a new job"
        )

    @api.model
    def _cron_job_must_raise(self, error):
        """A concurrency error fails the whole job, for queue_job to retry it."""
        return (
            isinstance(error, OperationalError)
            and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
        )
