from odoo import models


class HelpdeskSite(models.Model):
    """The site's position on the map, from Odoo's geolocation of its
    address contact (base_geolocalize): the engineers' map links point at it."""

    _inherit = "helpdesk.site"

    def action_geolocalize(self):
        """Locate the sites' addresses with Odoo's geocoder (Settings >
        Geolocation) and keep the coordinates on their address contacts. Agents
        who may edit the site may locate it, whatever their contact rights."""
        self.check_access("write")
        return (
            self.address_partner_id.sudo()
            .with_context(force_geo_localize=True)
            .geo_localize()
        )

    def _get_map_query(self):
        """What a map search is given for the site: its coordinates once it is
        located, else its address as Odoo formats it for its country (without
        the client's name); False without either."""
        self.ensure_one()
        partner = self.address_partner_id
        if partner.partner_latitude or partner.partner_longitude:
            return f"{partner.partner_latitude:.7f},{partner.partner_longitude:.7f}"
        lines = partner._display_address(without_company=True)
        return (
            ", ".join(
                " ".join(line.split()) for line in lines.splitlines() if line.strip()
            )
            or False
        )
