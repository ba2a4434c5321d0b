from urllib.parse import quote_plus

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.helpdesk_field.controllers.field import FieldWorkspace

from .common import HelpdeskFieldCommon
from .test_field_ui import FieldHttpCommon

# Odoo's Japanese address format: postcode, prefecture and city, street
TOKYO_ADDRESS = "100-0001, Tokyo Chiyoda, 1-1 Chiyoda, Japan"


class SiteAddressMixin:
    @classmethod
    def _set_tokyo_address(cls):
        cls.site.write(
            {
                "street": "1-1 Chiyoda",
                "zip": "100-0001",
                "city": "Chiyoda",
                "state_id": cls.env.ref("base.state_jp_jp-13").id,
                "country_id": cls.env.ref("base.jp").id,
            }
        )


@tagged("helpdesk_field")
class TestSiteMaps(SiteAddressMixin, HelpdeskFieldCommon, TransactionCase):
    """The engineers' map links and visit reports show the site's address as
    Odoo formats it for the site's country."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls._set_tokyo_address()

    def test_maps_url_follows_the_country_format(self):
        self.assertEqual(
            FieldWorkspace._maps_url(self.site.with_user(self.engineer)),
            "https://www.google.com/maps/search/?api=1&query="
            + quote_plus(TOKYO_ADDRESS),
        )
        site = self.env["helpdesk.site"].create(
            {"name": "Nowhere", "partner_id": self.client.id}
        )
        self.assertFalse(FieldWorkspace._maps_url(site), "no address, no link")

    def test_located_site_maps_to_its_coordinates(self):
        """*Locate* asks Odoo's geocoder for the site's address (as a
        dispatcher without contact rights), keeps the position on the site's
        contact, and the map link points at it; a portal user cannot."""
        Partner = type(self.env["res.partner"])
        asked = []

        def geo_localize(partner, street="", zip="", city="", state="", country=""):
            asked.append((street, zip, city, country))
            return 35.6812362, 139.7671248

        self.patch(Partner, "_geo_localize", geo_localize)
        self.site.with_user(self.dispatcher).action_geolocalize()
        self.assertEqual(asked, [("1-1 Chiyoda", "100-0001", "Chiyoda", "Japan")])
        contact = self.site.address_partner_id
        self.assertAlmostEqual(contact.partner_latitude, 35.6812362)
        self.assertEqual(
            FieldWorkspace._maps_url(self.site.with_user(self.engineer)),
            "https://www.google.com/maps/search/?api=1&query="
            + quote_plus("35.6812362,139.7671248"),
        )
        portal = new_test_user(
            self.env, login="hf_geo_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.site.with_user(portal).action_geolocalize()

    def test_report_shows_the_formatted_address(self):
        visit = self._create_visit()
        content, __ = self.env["ir.actions.report"]._render_qweb_html(
            "helpdesk_field.action_report_helpdesk_visit", visit.ids
        )
        html = content.decode()
        self.assertIn("Main shop", html)
        self.assertIn(TOKYO_ADDRESS, html)


@tagged("post_install", "-at_install", "helpdesk_field")
class TestFieldSiteAddress(SiteAddressMixin, FieldHttpCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_tokyo_address()

    def test_visit_page_shows_the_formatted_address(self):
        self.authenticate("hf_engineer", "hf_engineer")
        page = self.url_open(f"/field/visit/{self.visit.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_helpdesk_field_address", page.text)
        self.assertRegex(page.text, r"100-0001(<br/?>|\s)+Tokyo Chiyoda")
        self.assertIn(quote_plus(TOKYO_ADDRESS).replace("&", "&amp;"), page.text)
