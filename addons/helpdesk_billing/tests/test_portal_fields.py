from odoo.tests import TransactionCase, tagged

from odoo.addons.helpdesk_service.tests.test_portal_fields import PortalFieldsMixin


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestPortalFields(PortalFieldsMixin, TransactionCase):
    """The fields helpdesk_billing adds that a client reads over JSON-RPC: his
    own invoices' and contracts' helpdesk terms (the record rules keep him to
    his own); the ticket's contract, works and billing state, the contract's
    SLA policies, the timesheets and SLA failures an invoice line counts and
    the contracts an announcement targets are internal."""

    _module = "helpdesk_billing"
    _allowed = {
        "account.move": {
            "helpdesk_contract_id",
            "helpdesk_is_releasable",
            "helpdesk_period_end",
            "helpdesk_period_start",
            "helpdesk_ticket_count",
        },
        "account.move.line": {
            "helpdesk_fee_period_end",
            "helpdesk_fee_period_start",
            "helpdesk_hours",
            "helpdesk_is_released",
            "helpdesk_kind",
            "helpdesk_ticket_id",
            "helpdesk_work_id",
        },
        "contract.contract": {
            "helpdesk_approval_required",
            "helpdesk_equipment_ids",
            "helpdesk_included_hours",
            "helpdesk_overage_product_id",
            "helpdesk_overage_rate",
            "helpdesk_pricelist_id",
            "helpdesk_site_ids",
            "helpdesk_sla_credit_product_id",
            "helpdesk_sla_credit_type",
            "helpdesk_sla_credit_value",
            "helpdesk_ticket_count",
            "helpdesk_ticket_ids",
        },
        "res.company": {"helpdesk_pricelist_id"},
    }
