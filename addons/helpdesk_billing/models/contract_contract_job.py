# the invoicing-job concern of contract.contract in a file of its own (STYLE 1:
# a model's file stays readable; contract_contract_invoicing.py has the period
# logic)
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import (
    ENQUEUED,
    FAILED,
    PENDING,
    STARTED,
    WAIT_DEPENDENCIES,
)

# a contract with an invoicing job in these states gets no new job
JOB_STATES_ACTIVE = (WAIT_DEPENDENCIES, PENDING, ENQUEUED, STARTED)
# contracts per job: a batch costs less than its contracts one by one (one
# account.move.create, the creation messages logged together, the period
# look-ups, the lock, the job itself): 25 ran 16 % fewer queries per invoice
# than 10 (README, Deploying at scale), and a failing batch still splits into
# one job per contract
JOB_SIZE = 25


class ContractContract(models.Model):
    """Monthly invoicing as queue jobs: OCA contract's cron enqueues jobs of
    up to 25 due contracts (channel root.helpdesk_invoicing) instead of
    invoicing every contract in its own transaction; a contract that fails
    does not stop the others and shows its error on the contract."""

    _inherit = "contract.contract"

    helpdesk_invoicing_failed = fields.Boolean(
        "Invoicing failed",
        compute="_compute_helpdesk_invoicing_failed",
        search="_search_helpdesk_invoicing_failed",
        compute_sudo=True,
        groups="base.group_user",
        help="The last invoicing job of the monthly run failed for this contract.",
    )
    helpdesk_invoicing_error = fields.Char(
        "Invoicing error",
        compute="_compute_helpdesk_invoicing_failed",
        compute_sudo=True,
        groups="base.group_user",
    )

    def _helpdesk_get_failed_jobs(self):
        """{contract: its failed invoicing job}: the contracts whose last
        invoicing job failed on the period still to invoice (one invoiced by
        hand since then has moved on to its next period). A batch that fails
        is split into one job per contract, so only these fail."""
        Job = self.env["queue.job"].sudo()
        domain = [("helpdesk_contract_ids", "!=", False)]
        if self.ids:
            domain = [("helpdesk_contract_ids", "in", self.ids)]
        last = Job._read_group(domain, ["helpdesk_contract_ids"], ["id:max"])
        jobs = Job.browse([job_id for _contract, job_id in last])
        return {
            contract.with_env(self.env): job
            for job in jobs
            if job.state == FAILED
            for contract in job.helpdesk_contract_ids
            if job.identity_key == contract._helpdesk_invoicing_identity()
        }

    def _compute_helpdesk_invoicing_failed(self):
        failed = self._helpdesk_get_failed_jobs() if self.ids else {}
        for contract in self:
            job = failed.get(contract)
            contract.helpdesk_invoicing_failed = bool(job)
            contract.helpdesk_invoicing_error = (
                (job.exc_message or job.exc_name) if job else False
            )

    def _search_helpdesk_invoicing_failed(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Invoicing failed."))
        contract_ids = [c.id for c in self.browse()._helpdesk_get_failed_jobs()]
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", contract_ids)]

    # ------------------------------------------------------------ cron dispatch
    @api.model
    def _get_recurring_create_func(self, create_type="invoice"):
        # OCA contract's cron calls this function on the due contracts of each
        # company: they get jobs (queue_job__no_delay: invoiced at once)
        if create_type == "invoice":
            return self.__class__._helpdesk_enqueue_invoicing
        return super()._get_recurring_create_func(create_type=create_type)

    def _helpdesk_invoicing_identity(self):
        """Identity key of the invoicing job of the contracts' next periods."""
        return "helpdesk_invoice:" + ",".join(
            f"{contract.id}:{contract.recurring_next_date}"
            for contract in self.sorted("id")
        )

    def _helpdesk_enqueue_invoicing(self, date_ref=False):
        """Invoicing jobs for the contracts of self due on `date_ref`, in
        batches (JOB_SIZE), leaving out the contracts that have a job waiting
        or running, or whose job failed on the same period (it waits for the
        accountant: Retry invoicing)."""
        Job = self.env["queue.job"].sudo()
        busy = Job.search(
            [
                ("helpdesk_contract_ids", "in", self.ids),
                ("state", "in", JOB_STATES_ACTIVE),
            ]
        ).helpdesk_contract_ids
        failed = Job.search(
            [
                (
                    "identity_key",
                    "in",
                    [c._helpdesk_invoicing_identity() for c in self],
                ),
                ("state", "=", FAILED),
            ]
        ).helpdesk_contract_ids
        todo = (self - busy - failed).sorted("id")
        size = self._helpdesk_get_job_size()
        for index in range(0, len(todo), size):
            todo[index : index + size]._helpdesk_delay_invoicing(date_ref)
        return self.env["account.move"]

    @api.model
    def _helpdesk_get_job_size(self):
        """Contracts per invoicing job (system parameter
        helpdesk_billing.invoicing_job_size)."""
        size = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("helpdesk_billing.invoicing_job_size", JOB_SIZE)
        )
        return max(1, int(size))

    def _helpdesk_delay_invoicing(self, date_ref=False, eta=None):
        """One job invoicing the contracts (self) due on `date_ref`."""
        if len(self) == 1:
            description = self.env._(
                "Invoice contract %(contract)s", contract=self.display_name
            )
        else:
            description = self.env._(
                "Invoice %(count)s contracts: %(contracts)s",
                count=len(self),
                contracts=", ".join(self.mapped("display_name")),
            )
        self.with_delay(
            description=description[:200],
            identity_key=self._helpdesk_invoicing_identity(),
            eta=eta,
        )._helpdesk_job_invoice(date_ref=date_ref)

    @api.model
    def _job_store_values(self, job):
        # the contracts' invoicing jobs, for their failure alert and filter
        # (queue_job calls this one after _job_store_values_for_<method>, so the
        # latter would be overwritten)
        vals = super()._job_store_values(job)
        if job.method_name == "_helpdesk_job_invoice":
            vals["helpdesk_contract_ids"] = [Command.set(job.recordset.ids)]
        return vals

    def _helpdesk_is_due(self, date_ref):
        """Whether the cron would invoice the contract on `date_ref`."""
        self.ensure_one()
        next_date = self.recurring_next_date
        return bool(
            self.generation_type == "invoice"
            and next_date
            and next_date <= date_ref
            and (not self.date_end or next_date <= self.date_end)
        )

    def _helpdesk_job_invoice(self, date_ref=False):
        """Job of the monthly run: invoice the contracts still due on
        `date_ref`, so running the job twice bills once. A contract another
        run is invoicing (its row locked) retries later: a job of its own. When
        a batch fails, each of its contracts gets a job of its own: the others
        are invoiced, the faulty one fails with its error."""
        date_ref = date_ref or fields.Date.context_today(self)
        locked = self._helpdesk_lock()
        if not locked:
            raise RetryableJobError(
                self.env._(
                    "Another invoicing run is working on %(contracts)s.",
                    contracts=", ".join(self.mapped("display_name")),
                ),
                seconds=60,
            )
        for contract in self - locked:
            contract._helpdesk_delay_invoicing(
                date_ref, eta=fields.Datetime.now() + timedelta(minutes=1)
            )
        due = locked.filtered(lambda contract: contract._helpdesk_is_due(date_ref))
        Move = self.env["account.move"]
        if len(due) > 1:
            try:
                with self.env.cr.savepoint():
                    moves = due._recurring_create_invoice(date_ref)
            except psycopg2.OperationalError:
                raise  # the runner retries serialization failures
            except Exception as error:  # noqa: BLE001 - any contract's error
                for contract in due:
                    contract._helpdesk_delay_invoicing(date_ref)
                return self.env._(
                    "Split into one job per contract: %(error)s", error=error
                )
        else:
            moves = due._recurring_create_invoice(date_ref) if due else Move
        return self.env._(
            "%(count)s invoice(s): %(ids)s", count=len(moves), ids=moves.ids
        )

    # ------------------------------------------------------------ failures
    def action_helpdesk_retry_invoicing(self):
        """Put the failed invoicing jobs of the contracts back in the queue."""
        self.env["account.move"].check_access("create")
        self.check_access("read")
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("helpdesk_contract_ids", "in", self.ids), ("state", "=", FAILED)])
        )
        jobs.requeue()
        return True

    def action_view_helpdesk_invoicing_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "queue_job.action_queue_job"
        )
        action.update(
            domain=[("helpdesk_contract_ids", "in", self.ids)],
            context={},
            display_name=self.env._(
                "Invoicing jobs of %(contract)s", contract=self.display_name
            ),
        )
        return action
