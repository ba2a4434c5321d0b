from odoo.tools import sql

# the address columns of release 18.0.1.4.0, now fields of the site's contact
ADDRESS_COLUMNS = ("street", "street2", "zip", "city", "state_id", "country_id")


def migrate(cr, version):
    """Sites become contacts (helpdesk.site _inherits res.partner): set their
    address columns aside, out of the ORM's way, until post-helpdesk_site_partner
    has made one contact per site from them."""
    if not version:
        return
    for column in ADDRESS_COLUMNS:
        if sql.column_exists(cr, "helpdesk_site", column):
            sql.rename_column(cr, "helpdesk_site", column, f"old_{column}")
