import logging

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """Invoices made before 18.0.1.2.0 do not record the contract fee period
    they bill. Give the newest live invoice line of each contract line the
    period ending on the line's last invoiced date, so that cancelling,
    deleting or releasing that invoice gives the period back to the contract.
    Older invoices stay without period: cancelling them posts a note on the
    contract instead (set its next invoice date by hand)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    contract_lines = env["contract.line"].search(
        [("last_date_invoiced", "!=", False), ("display_type", "=", False)]
    )
    if not contract_lines:
        return
    invoice_lines = env["account.move.line"].search(
        [
            ("contract_line_id", "in", contract_lines.ids),
            ("display_type", "=", "product"),
            ("parent_state", "!=", "cancel"),
            ("move_id.move_type", "in", ("out_invoice", "in_invoice")),
        ]
    )
    newest = {}
    for line in invoice_lines.sorted(
        lambda aml: (aml.move_id.invoice_date or aml.move_id.date, aml.id)
    ):
        newest[line.contract_line_id] = line
    done = 0
    for contract_line, line in newest.items():
        if line.helpdesk_fee_period_end:
            continue
        end = contract_line.last_date_invoiced
        if contract_line.date_end and end >= contract_line.date_end:
            # the last period of an ended line may be shorter: unknown start
            continue
        start = (
            end
            + relativedelta(days=1)
            - contract_line.get_relative_delta(
                contract_line.recurring_rule_type, contract_line.recurring_interval
            )
        )
        if contract_line.date_start and start < contract_line.date_start:
            start = contract_line.date_start
        line.write({"helpdesk_fee_period_start": start, "helpdesk_fee_period_end": end})
        done += 1
    _logger.info("Fee period recorded on %s contract invoice lines", done)
