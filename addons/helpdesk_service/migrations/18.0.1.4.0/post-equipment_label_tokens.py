import secrets

from odoo.tools import SQL

BATCH_SIZE = 5000


def migrate(cr, version):
    """Give a QR label token to the equipment items made before labels
    existed, in batches (new items get one at creation)."""
    if not version:
        return
    while True:
        cr.execute(
            SQL(
                "SELECT id FROM helpdesk_equipment WHERE label_token IS NULL "
                "ORDER BY id LIMIT %s",
                BATCH_SIZE,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if not ids:
            break
        tokens = [secrets.token_urlsafe(24) for _id in ids]
        cr.execute(
            SQL(
                "UPDATE helpdesk_equipment AS e SET label_token = t.token "
                "FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) "
                "WHERE e.id = t.id",
                ids,
                tokens,
            )
        )
