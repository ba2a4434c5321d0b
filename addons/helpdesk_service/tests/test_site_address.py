import ast

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import SQL, sql
from odoo.tools.safe_eval import safe_eval

from .common import HelpdeskCommonMixin, load_migration


@tagged("helpdesk_service")
class TestSiteAddress(HelpdeskCommonMixin, TransactionCase):
    """A site is a contact: its address is that of an "other address" of the
    client (helpdesk.site _inherits res.partner)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.belgium = cls.env.ref("base.be")
        cls.Site = cls.env["helpdesk.site"]

    def test_site_address_is_its_contact(self):
        # an agent without the Contact Creation right records a site
        self.assertFalse(self.agent_a.has_group("base.group_partner_manager"))
        with Form(self.Site.with_user(self.agent_a)) as form:
            form.name = "Main shop"
            form.partner_id = self.client
            form.street = "8 Market Square"
            form.zip = "1000"
            form.city = "Brussels"
            form.country_id = self.belgium
        site = form.record.with_env(self.env)
        contact = site.address_partner_id
        self.assertEqual(contact.parent_id, self.client)
        self.assertEqual(contact.type, "other")
        self.assertEqual(contact.company_type, "person")
        self.assertEqual(contact.name, "Main shop")
        self.assertIn(contact, self.client.child_ids, "one of the client's addresses")
        self.assertEqual(
            (contact.street, contact.zip, contact.city, contact.country_id),
            ("8 Market Square", "1000", "Brussels", self.belgium),
        )
        self.assertEqual(site.partner_id, self.client, "partner_id stays the client")
        self.assertEqual(
            contact._display_address(without_company=True),
            "8 Market Square\n\n1000 Brussels\nBelgium",
            "Odoo's address format of the country",
        )
        self.assertEqual(site.display_name, "Acme Clients Ltd, Main shop, Brussels")
        # the address is the contact's, both ways
        site.with_user(self.agent_a).city = "Antwerp"
        self.assertEqual(contact.city, "Antwerp")
        contact.street = "1 Mill Lane"
        self.assertEqual(site.street, "1 Mill Lane")
        self.assertEqual(self.Site.search([("city", "=", "Antwerp")]), site)
        groups = self.Site._read_group([("id", "=", site.id)], ["city"], ["__count"])
        self.assertEqual(groups, [("Antwerp", 1)])

    def test_contact_follows_the_site(self):
        site = self.Site.create(
            {"name": "Warehouse", "partner_id": self.client.id, "city": "Ghent"}
        )
        contact = site.address_partner_id
        site.with_user(self.agent_a).write(
            {"name": "Depot", "partner_id": self.other_client.id}
        )
        self.assertEqual(contact.name, "Depot")
        self.assertEqual(contact.parent_id, self.other_client)
        self.assertEqual(contact.city, "Ghent", "an address of its own, not synced")
        site.action_archive()
        self.assertFalse(contact.active)
        site.action_unarchive()
        self.assertTrue(contact.active)
        copy = site.copy()
        self.assertNotEqual(copy.address_partner_id, contact, "its own contact")
        self.assertEqual(copy.city, "Ghent")
        site.unlink()
        self.assertFalse(contact.exists(), "the address goes with its site")

    def test_client_keeps_his_own_address(self):
        """Odoo copies the address of a client's first contact onto a client
        without one: not a site's."""
        client = self.env["res.partner"].create(
            {"name": "No Address Co", "is_company": True}
        )
        site = self.Site.create(
            {"name": "Shop", "partner_id": client.id, "street": "3 Dock Street"}
        )
        self.assertEqual(site.street, "3 Dock Street")
        self.assertFalse(client.street)

    def test_site_rights_do_not_open_other_contact_fields(self):
        """The address is written as superuser for whoever may edit the site;
        any other field of the contact still needs the contact rights."""
        site = self.Site.create({"name": "Shop", "partner_id": self.client.id})
        with self.assertRaises(AccessError):
            site.with_user(self.agent_a).write({"email": "shop@example.com"})
        with self.assertRaises(AccessError):
            self.Site.with_user(self.agent_a).create(
                {
                    "name": "Shop 2",
                    "partner_id": self.client.id,
                    "address_partner_id": self.contact.id,
                    "street": "Somewhere",
                }
            )
        portal = new_test_user(
            self.env, login="hd_site_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Site.with_user(portal).create(
                {"name": "Mine", "partner_id": self.client.id, "street": "x"}
            )
        with self.assertRaises(AccessError):
            site.with_user(portal).write({"street": "x"})
        self.assertFalse(site.street)

    def test_address_contact_cannot_be_swapped(self):
        """The site's rights write and delete its address contact as
        superuser: no agent may point a site to another contact (a client,
        a colleague), which would then be edited or deleted through it."""
        victim = self.other_client
        Site = self.Site.with_user(self.agent_a)
        with self.assertRaises(AccessError):
            Site.create(
                {
                    "name": "Trojan",
                    "partner_id": self.client.id,
                    "address_partner_id": victim.id,
                }
            )
        site = self.Site.create({"name": "Shop", "partner_id": self.client.id})
        own = site.address_partner_id
        with self.assertRaises(AccessError):
            site.with_user(self.agent_a).write({"address_partner_id": victim.id})
        with self.assertRaises(AccessError):
            site.with_user(self.manager).write(
                {"address_partner_id": victim.id, "city": "Elsewhere"}
            )
        self.assertEqual(site.address_partner_id, own)
        self.assertFalse(victim.city)
        self.assertFalse(victim.parent_id)
        self.assertTrue(victim.is_company)

    def test_address_contact_not_deleted_alone(self):
        """Deleting a site's address from Contacts would take the site (and
        its equipment's link) along: refused; the site's deletion removes
        it."""
        site = self.Site.create({"name": "Kiosk", "partner_id": self.client.id})
        contact = site.address_partner_id
        with self.assertRaises(UserError):
            contact.unlink()
        self.assertTrue(site.exists())
        site.unlink()
        self.assertFalse(contact.exists())

    def test_address_contact_is_no_ticket_contact(self):
        """A site's address contact, named after the site under the client, is
        not offered as a ticket's contact nor as a contact person of a site."""
        site = self.Site.create({"name": "Acme Depot", "partner_id": self.client.id})
        Partner = self.env["res.partner"].with_user(self.agent_a)
        domain = ast.literal_eval(
            self.env["helpdesk.ticket"]._fields["partner_id"].domain
        )
        self.assertIn(
            site.address_partner_id, Partner.search([("name", "=", "Acme Depot")])
        )
        offered = Partner.search(
            [*domain, ("commercial_partner_id", "=", self.client.id)]
        )
        self.assertIn(self.contact, offered)
        self.assertNotIn(site.address_partner_id, offered)
        offered = Partner.name_search("Acme", args=domain, limit=None)
        self.assertNotIn(site.address_partner_id.id, [pid for pid, __ in offered])
        # the site's contact persons: the client's people, not its sites
        domain = safe_eval(
            self.Site._fields["contact_ids"].domain, {"partner_id": self.client.id}
        )
        offered = Partner.search(domain)
        self.assertIn(self.contact, offered)
        self.assertNotIn(site.address_partner_id, offered)

    def test_portal_reads_only_his_sites_addresses(self):
        site, rival = self.Site.create(
            [
                {"name": "Ours", "partner_id": self.client.id, "city": "Liège"},
                {"name": "Theirs", "partner_id": self.other_client.id, "city": "Namur"},
            ]
        )
        portal = new_test_user(
            self.env, login="hd_site_portal_reader", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.client
        Site = self.Site.with_user(portal)
        self.assertEqual(Site.search([]), site)
        self.assertEqual(site.with_user(portal).city, "Liège")
        with self.assertRaises(AccessError):
            rival.with_user(portal).read(["city"])
        with self.assertRaises(AccessError):
            rival.address_partner_id.with_user(portal).read(["city"])
        self.assertFalse(
            self.env["res.partner"]
            .with_user(portal)
            .search([("id", "=", rival.address_partner_id.id)])
        )


@tagged("helpdesk_service")
class TestSiteAddressMigration(HelpdeskCommonMixin, TransactionCase):
    """18.0.1.5.0 turns the address columns of the sites into contacts. A site
    made here in the shape of 18.0.1.4.0 (raw SQL, rolled back with the test)
    comes out with an address contact under its client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.pre = load_migration("18.0.1.5.0", "pre-helpdesk_site_partner")
        cls.post = load_migration("18.0.1.5.0", "post-helpdesk_site_partner")

    def test_old_sites_get_their_contact(self):
        cr = self.env.cr
        self.env.flush_all()
        # the table of 18.0.1.4.0: address columns, no contact
        cr.execute(
            SQL(
                "ALTER TABLE helpdesk_site ALTER COLUMN address_partner_id "
                "DROP NOT NULL, ADD COLUMN street varchar, ADD COLUMN street2 "
                "varchar, ADD COLUMN zip varchar, ADD COLUMN city varchar, "
                "ADD COLUMN state_id int, ADD COLUMN country_id int"
            )
        )
        belgium = self.env.ref("base.be")
        cr.execute(
            SQL(
                "INSERT INTO helpdesk_site (name, partner_id, active, street, zip, "
                "city, country_id) VALUES (%s, %s, true, %s, %s, %s, %s), "
                "(%s, %s, false, NULL, NULL, %s, NULL) RETURNING id",
                "Old shop",
                self.client.id,
                "8 Market Square",
                "1000",
                "Brussels",
                belgium.id,
                "Old depot",
                self.other_client.id,
                "Namur",
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        self.pre.migrate(cr, "18.0.1.4.0")
        self.assertTrue(sql.column_exists(cr, "helpdesk_site", "old_city"))
        self.post.migrate(cr, "18.0.1.4.0")
        self.assertFalse(sql.column_exists(cr, "helpdesk_site", "old_city"))
        self.env.invalidate_all()
        shop, depot = (
            self.env["helpdesk.site"].with_context(active_test=False).browse(ids)
        )
        self.assertEqual(shop.address_partner_id.parent_id, self.client)
        self.assertEqual(shop.address_partner_id.name, "Old shop")
        self.assertEqual(shop.address_partner_id.type, "other")
        self.assertEqual(
            (shop.street, shop.zip, shop.city, shop.country_id),
            ("8 Market Square", "1000", "Brussels", belgium),
        )
        self.assertEqual(depot.address_partner_id.parent_id, self.other_client)
        self.assertEqual(depot.city, "Namur")
        self.assertFalse(depot.address_partner_id.active, "archived like its site")
        self.assertFalse(self.client.street, "the client's address is untouched")
