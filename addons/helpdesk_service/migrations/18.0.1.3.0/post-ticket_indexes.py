from odoo.tools import SQL

# indexes of ticket fields that no longer have index=True (Odoo keeps an index
# it no longer expects): no measured search uses them, and every ticket
# created or changed updated them; and the open tickets' index of 18.0.1.2.0,
# replaced by helpdesk_ticket_open_idx and helpdesk_ticket_open_order_idx
OBSOLETE = (
    "helpdesk_ticket__channel_index",
    "helpdesk_ticket__complaint_reason_id_index",
    "helpdesk_ticket__is_closed_index",
    "helpdesk_ticket__priority_effective_index",
    "helpdesk_ticket__sla_failed_index",
    "helpdesk_ticket__sla_id_index",
    "helpdesk_ticket__sla_status_index",
    "helpdesk_ticket__tariff_id_index",
    "helpdesk_ticket__ticket_ref_index",
    "helpdesk_ticket__type_id_index",
    "helpdesk_ticket_open_scope_idx",
)


def migrate(cr, version):
    """Drop the ticket indexes that no query of the helpdesk uses any more."""
    if not version:
        return
    for name in OBSOLETE:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
