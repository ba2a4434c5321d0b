from odoo.tools import sql


def migrate(cr, version):
    """Averages shown with their decimals: the tickets' new float measure
    'contacts per ticket' is filled from the contacts counter in one UPDATE,
    rather than recomputed ticket by ticket by the ORM. (The calls' pickup and
    duration columns become floats by the ORM's own type conversion.)"""
    if not version:
        return
    if sql.column_exists(cr, "helpdesk_ticket", "contacts_per_ticket"):
        return
    sql.create_column(
        cr,
        "helpdesk_ticket",
        "contacts_per_ticket",
        "float8",
        "Contacts per ticket",
    )
    cr.execute("UPDATE helpdesk_ticket SET contacts_per_ticket = contact_count")
