from odoo import fields, models


class QueueJob(models.Model):
    _inherit = "queue.job"

    helpdesk_contract_ids = fields.Many2many(
        "contract.contract",
        "contract_contract_queue_job_rel",
        "job_id",
        "contract_id",
        string="Invoiced contracts",
        readonly=True,
        help="The contracts this invoicing job of the monthly run invoices.",
    )
