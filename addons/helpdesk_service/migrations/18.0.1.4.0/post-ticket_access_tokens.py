from odoo.tools import SQL


def migrate(cr, version):
    """Give a portal token to the tickets made before tickets got one at
    creation, once (until 18.0.1.3.0 the ticket's init() did it on every
    upgrade, reading the whole table)."""
    if not version:
        return
    cr.execute(
        SQL(
            "UPDATE helpdesk_ticket SET access_token = gen_random_uuid()::text "
            "WHERE access_token IS NULL"
        )
    )
