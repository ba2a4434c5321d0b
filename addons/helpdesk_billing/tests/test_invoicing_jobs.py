from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import common as odoo_test_common
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import HelpdeskBillingCommon


def trap_jobs():
    """queue_job's trap_jobs(). Its tests/common.py imports SETATTR_SOURCES,
    which this Odoo 18.0 build's odoo.tests.common lacks (it only silences a
    warning about patched methods there)."""
    if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
        odoo_test_common.SETATTR_SOURCES = {}
    from odoo.addons.queue_job.tests import common as queue_job_test_common

    return queue_job_test_common.trap_jobs()


FEB_1 = date(2025, 2, 1)


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestInvoicingJobs(HelpdeskBillingCommon):
    """OCA contract's monthly cron enqueues one queue job per due contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.write(
            {"helpdesk_included_hours": 0.0, "helpdesk_overage_rate": 0.0}
        )
        # the same terms and work for another client
        Partner = cls.env["res.partner"]
        twin_client, later_client, cls.broken_client = Partner.create(
            [
                {"name": "Twin Test", "is_company": True},
                {"name": "Later Test", "is_company": True},
                {"name": "Broken Test", "is_company": True},
            ]
        )
        cls.twin_contact = Partner.create(
            {"name": "Tim Test", "parent_id": twin_client.id}
        )
        cls.twin = cls._contract(
            partner=twin_client,
            name="Twin contract",
            helpdesk_included_hours=0.0,
            helpdesk_overage_rate=0.0,
        )
        # starts in February: its first fee is due on March 1
        cls.later = cls._contract(
            partner=later_client, name="Later contract", date_start=date(2025, 2, 1)
        )
        cls.mine = cls.contract | cls.twin | cls.later
        cls._work(cls._ticket(), cls.drum)
        cls._work(cls._ticket(partner=cls.twin_contact), cls.drum)
        cls.Job = cls.env["queue.job"]

    def _cron(self, day=FEB_1):
        with freeze_time(day):
            self.Contract.cron_recurring_create_invoice()

    def _trapped(self, trap):
        return [job for job in trap.enqueued_jobs if job.recordset & self.mine]

    def _jobs(self, contracts=None):
        return self.Job.search(
            [("helpdesk_contract_ids", "in", (contracts or self.mine).ids)],
            order="id",
        )

    def _single_jobs(self):
        """Run the jobs the cron made; a failed batch splits into one job per
        contract: run these too. Returns the jobs of one contract."""
        batches = self._jobs()
        self._run_jobs(batches)
        singles = self._jobs() - batches
        self._run_jobs(singles)
        return singles

    def _invoices(self, contract):
        return self.env["account.move"].search(
            [("invoice_origin", "=", contract.name), ("move_type", "=", "out_invoice")]
        )

    def _run_jobs(self, jobs):
        """Run stored jobs as the job runner does: each in its own savepoint, a
        failure stored on its job without stopping the others."""
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            try:
                with self.env.cr.savepoint():
                    job.perform()
                    job.set_done()
                    job.store()
            except Exception as error:  # noqa: BLE001 - what the runner does
                self.env.invalidate_all(flush=False)
                job.set_failed(exc_name=type(error).__name__, exc_message=str(error))
                job.store()

    def _broken_contract(self):
        """A contract billing extra hours without a product for them: its
        invoice cannot be made (UserError)."""
        contract = self._contract(
            partner=self.broken_client,
            name="Broken contract",
            helpdesk_overage_product_id=False,
        )
        contact = self.env["res.partner"].create(
            {"name": "Bo Test", "parent_id": self.broken_client.id}
        )
        ticket = self._ticket(partner=contact)
        employee = self.env["hr.employee"].create({"name": "Tech"})
        self.env["account.analytic.line"].create(
            {
                "helpdesk_ticket_id": ticket.id,
                "employee_id": employee.id,
                "name": "Work",
                "date": date(2025, 1, 15),
                "unit_amount": 12.0,
            }
        )
        self.mine |= contract
        return contract

    def test_cron_enqueues_one_job_per_batch_of_due_contracts(self):
        with trap_jobs() as trap:
            self._cron()
            jobs = self._trapped(trap)
            self.assertEqual(len(jobs), 1, "one job for both, none for March's")
            self.assertEqual(jobs[0].recordset, self.contract | self.twin)
            key = (
                f"helpdesk_invoice:{self.contract.id}:2025-02-01,"
                f"{self.twin.id}:2025-02-01"
            )
            trap.assert_enqueued_job(
                (self.contract | self.twin)._helpdesk_job_invoice,
                kwargs={"date_ref": FEB_1},
                properties={"identity_key": key},
            )
            self.assertFalse(self._invoices(self.contract), "nothing invoiced yet")
            self.assertEqual(
                jobs[0].job_config.channel, "root.helpdesk_invoicing", "own channel"
            )
        self.env["ir.config_parameter"].set_param(
            "helpdesk_billing.invoicing_job_size", "1"
        )
        with trap_jobs() as trap:
            self._cron()
            self.assertEqual(
                sorted(job.recordset.id for job in self._trapped(trap)),
                sorted((self.contract | self.twin).ids),
                "one job per contract",
            )

    def test_jobs_make_the_same_invoice_as_before(self):
        # the twin is invoiced the former way, in the cron's transaction
        with freeze_time(FEB_1):
            before = self.twin._recurring_create_invoice(FEB_1)
        with trap_jobs() as trap:
            self._cron()
            trap.perform_enqueued_jobs()
        invoice = self._invoices(self.contract)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(len(before), 1)
        # all but the name (the work line's starts with its ticket number)
        fields = ["product_id", "quantity", "price_unit", "price_subtotal"]
        fields += ["discount", "helpdesk_kind", "tax_ids", "account_id"]
        self.assertEqual(
            [[line[f] for f in fields] for line in self._invoice_lines(invoice)],
            [[line[f] for f in fields] for line in self._invoice_lines(before)],
        )
        self.assertEqual(
            (invoice.invoice_date, invoice.amount_total),
            (before.invoice_date, before.amount_total),
        )
        self.assertEqual(self.contract.recurring_next_date, date(2025, 3, 1))

    def test_cron_twice_enqueues_each_contract_once(self):
        self._cron()
        # a contract due since: the next run's batch is another one
        extra = self._contract(
            partner=self.env["res.partner"].create(
                {"name": "Extra Test", "is_company": True}
            ),
            name="Extra contract",
        )
        self.mine |= extra
        self._cron(date(2025, 2, 2))
        jobs = self._jobs()
        self.assertEqual(
            [job.helpdesk_contract_ids for job in jobs],
            [self.contract | self.twin, extra],
        )
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self.assertEqual(set(jobs.mapped("channel")), {"root.helpdesk_invoicing"})
        # once invoiced, the next run has nothing due before March
        self._run_jobs(jobs)
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        self._cron(date(2025, 2, 3))
        self.assertEqual(self._jobs(), jobs)

    def test_job_run_twice_bills_once(self):
        with trap_jobs() as trap:
            self._cron()
            job = self._trapped(trap)[0]
            job.perform()
            invoice = self._invoices(self.contract)
            self.assertEqual(len(invoice), 1)
            self.assertEqual(len(self._invoices(self.twin)), 1)
            job.perform()
        self.assertEqual(self._invoices(self.contract), invoice)
        self.assertEqual(len(self._invoices(self.twin)), 1)
        self.assertEqual(len(self._invoice_lines(invoice)), 2, "fee and drum once")

    def test_contract_held_by_another_run_retries_later(self):
        with trap_jobs() as trap:
            self._cron()
            job = self._trapped(trap)[0]
            Contract = type(self.Contract)
            with (
                patch.object(
                    Contract, "_helpdesk_lock", lambda contracts: contracts.browse()
                ),
                self.assertRaises(RetryableJobError),
            ):
                job.perform()
            self.assertFalse(self._invoices(self.contract))
            # another run holds one of the batch: the other is invoiced, the
            # held one gets a job of its own, a minute later
            with patch.object(
                Contract, "_helpdesk_lock", lambda contracts: contracts & self.twin
            ):
                job.perform()
            self.assertFalse(self._invoices(self.contract))
            self.assertEqual(len(self._invoices(self.twin)), 1)
            retry = [j for j in self._trapped(trap) if j is not job]
            self.assertEqual([j.recordset for j in retry], [self.contract])
            self.assertTrue(retry[0].eta)

    def test_failed_contract_does_not_stop_the_others(self):
        broken = self._broken_contract()
        self._cron()
        batch = self._jobs()
        self.assertEqual(
            batch.helpdesk_contract_ids, self.contract | self.twin | broken
        )
        jobs = self._single_jobs()
        self.assertEqual(batch.state, "done", "the batch split into 3 jobs")
        self.assertEqual(len(jobs), 3)
        self.assertEqual(len(self._invoices(self.contract)), 1)
        self.assertEqual(len(self._invoices(self.twin)), 1)
        self.assertFalse(self._invoices(broken))
        failed = jobs.filtered(lambda job: job.helpdesk_contract_ids == broken)
        self.assertEqual(failed.state, "failed")
        self.assertEqual(set((jobs - failed).mapped("state")), {"done"})
        # the accountant sees it on the contract, in a filter and in the job
        as_accountant = broken.with_user(self.accountant)
        self.assertTrue(as_accountant.helpdesk_invoicing_failed)
        self.assertIn("product for extra hours", as_accountant.helpdesk_invoicing_error)
        self.assertFalse(
            self.contract.with_user(self.accountant).helpdesk_invoicing_failed
        )
        self.assertEqual(
            self.Contract.with_user(self.accountant).search(
                [("helpdesk_invoicing_failed", "=", True), ("id", "in", self.mine.ids)]
            ),
            broken,
        )
        self.assertEqual(
            self.Contract.search(
                [("helpdesk_invoicing_failed", "=", False), ("id", "in", self.mine.ids)]
            ),
            self.mine - broken,
        )
        self.assertEqual(
            self.Job.with_user(self.accountant).search(
                [("helpdesk_contract_ids", "=", broken.id), ("state", "=", "failed")]
            ),
            failed,
        )
        action = as_accountant.action_view_helpdesk_invoicing_jobs()
        self.assertEqual(
            action["domain"], [("helpdesk_contract_ids", "in", broken.ids)]
        )
        # the next run does not enqueue the failed period again
        self._cron(date(2025, 2, 2))
        self.assertEqual(self._jobs(), batch | jobs)
        # fixed, the accountant retries: invoiced, no alert any more
        broken.helpdesk_overage_product_id = self.hour_product
        as_accountant.action_helpdesk_retry_invoicing()
        self.assertEqual(failed.state, "pending")
        self._run_jobs(failed)
        self.assertEqual(failed.state, "done")
        self.assertEqual(len(self._invoices(broken)), 1)
        broken.invalidate_recordset(["helpdesk_invoicing_failed"])
        self.assertFalse(as_accountant.helpdesk_invoicing_failed)

    def test_failure_alert_ends_when_invoiced_by_hand(self):
        broken = self._broken_contract()
        self._cron()
        self._single_jobs()
        self.assertTrue(broken.helpdesk_invoicing_failed)
        broken.helpdesk_overage_product_id = self.hour_product
        with freeze_time(FEB_1):
            broken.recurring_create_invoice()
        self.assertEqual(len(self._invoices(broken)), 1)
        broken.invalidate_recordset(["helpdesk_invoicing_failed"])
        self.assertFalse(broken.helpdesk_invoicing_failed)

    def test_manual_button_stays_immediate(self):
        with trap_jobs() as trap, freeze_time(FEB_1):
            invoice = self.contract.recurring_create_invoice()
            trap.assert_jobs_count(0)
        self.assertEqual(invoice, self._invoices(self.contract))
        self.assertEqual(len(invoice), 1)
