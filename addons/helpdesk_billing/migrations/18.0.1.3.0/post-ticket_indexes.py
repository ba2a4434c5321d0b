from odoo.tools import SQL


def migrate(cr, version):
    """The tickets' "No contract" flag is no longer indexed (Odoo keeps an
    index it no longer expects): a true/false column that the "No contract"
    filter reads for a large share of the tickets, updated by every ticket
    created or changed."""
    if not version:
        return
    cr.execute(
        SQL(
            "DROP INDEX IF EXISTS %s",
            SQL.identifier("helpdesk_ticket__is_without_contract_index"),
        )
    )
