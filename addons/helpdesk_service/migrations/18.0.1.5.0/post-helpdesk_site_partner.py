from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, split_every, sql

# set aside by pre-helpdesk_site_partner
ADDRESS_COLUMNS = ("street", "street2", "zip", "city", "state_id", "country_id")
BATCH = 1000


def migrate(cr, version):
    """Give every site of the previous release its address contact: an "other
    address" under its client, named after the site, holding the site's old
    address. Archived sites get an archived contact. Then drop the old
    columns."""
    if not version:
        return
    old_columns = [
        f"old_{column}"
        for column in ADDRESS_COLUMNS
        if sql.column_exists(cr, "helpdesk_site", f"old_{column}")
    ]
    if not old_columns:
        return
    cr.execute(
        SQL(
            "SELECT id, name, partner_id, active, %s FROM helpdesk_site "
            "WHERE address_partner_id IS NULL ORDER BY id",
            SQL(", ").join(SQL.identifier(column) for column in old_columns),
        )
    )
    rows = cr.dictfetchall()
    env = api.Environment(cr, SUPERUSER_ID, {})
    Site = env["helpdesk.site"]
    Partner = Site._get_address_partner_model().with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    for batch in split_every(BATCH, rows, list):
        vals_list = []
        for row in batch:
            vals = Site._prepare_address_partner_vals(
                {
                    "name": row["name"],
                    "partner_id": row["partner_id"],
                    "active": row["active"] is not False,
                }
            )
            vals.update(
                (column.removeprefix("old_"), row[column]) for column in old_columns
            )
            vals_list.append(vals)
        partners = Partner.create(vals_list)
        partners.flush_recordset()
        cr.execute(
            SQL(
                "UPDATE helpdesk_site site SET address_partner_id = new.partner_id "
                "FROM unnest(%s::int[], %s::int[]) AS new(site_id, partner_id) "
                "WHERE site.id = new.site_id",
                [row["id"] for row in batch],
                partners.ids,
            )
        )
    Site.invalidate_model(["address_partner_id"])
    for column in old_columns:
        cr.execute(
            SQL(
                "ALTER TABLE helpdesk_site DROP COLUMN %s",
                SQL.identifier(column),
            )
        )
