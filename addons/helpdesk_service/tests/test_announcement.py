from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import HelpdeskCommonMixin


@tagged("post_install", "-at_install", "helpdesk_service")
class TestAnnouncement(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        env = cls.env
        cls.third_client = env["res.partner"].create(
            {"name": "Third Shop", "is_company": True, "email": "shop@third.example"}
        )
        cls.other_contact = env["res.partner"].create(
            {
                "name": "Olga Other",
                "parent_id": cls.other_client.id,
                "email": "olga@other.example.com",
            }
        )
        cls.site = env["helpdesk.site"].create(
            {"name": "Other warehouse", "partner_id": cls.other_client.id}
        )
        cls.cash_type = env["helpdesk.equipment.type"].create({"name": "Till"})
        env["helpdesk.equipment"].create(
            {
                "name": "Till 1",
                "partner_id": cls.third_client.id,
                "type_id": cls.cash_type.id,
            }
        )
        cls.portal_acme = new_test_user(
            env, login="hd_ann_acme", groups="base.group_portal"
        )
        cls.portal_acme.partner_id.parent_id = cls.client
        cls.portal_other = new_test_user(
            env, login="hd_ann_other", groups="base.group_portal"
        )
        cls.portal_other.partner_id.parent_id = cls.other_client
        cls.Announcement = env["helpdesk.announcement"]

    def test_affected_clients_by_client_site_and_equipment_type(self):
        announcement = self.Announcement.create(
            {"name": "Maintenance", "partner_ids": [(6, 0, self.contact.ids)]}
        )
        self.assertEqual(announcement.client_ids, self.client, "contact -> company")
        announcement.site_ids = self.site
        self.assertEqual(announcement.client_ids, self.client | self.other_client)
        announcement.write({"partner_ids": [(5,)], "site_ids": [(5,)]})
        announcement.equipment_type_ids = self.cash_type
        self.assertEqual(announcement.client_ids, self.third_client)
        announcement.audience = "all"
        self.assertFalse(announcement.client_ids)

    def test_publish_mails_the_targeted_contacts_only(self):
        announcement = self.Announcement.create(
            {
                "name": "Mail server upgrade",
                "body": "<p>Saturday night</p>",
                "site_ids": [(6, 0, self.site.ids)],
                "equipment_type_ids": [(6, 0, self.cash_type.ids)],
            }
        )
        # a site's address is a contact of the client, but no person to mail
        self.site.address_partner_id.email = "warehouse@other.example.com"
        announcement.action_publish()
        self.assertEqual(announcement.state, "published")
        message = announcement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(len(message), 1)
        # other client: its contact; third client has no contact: its own address
        self.assertEqual(
            message.partner_ids,
            self.other_contact
            | self.portal_other.partner_id.filtered("email")
            | self.third_client,
        )
        self.assertNotIn(self.contact, message.partner_ids)
        self.assertEqual(announcement.recipient_count, len(message.partner_ids))
        with self.assertRaises(UserError):
            announcement.action_publish()

    def test_publish_needs_a_target(self):
        announcement = self.Announcement.create({"name": "Nobody"})
        with self.assertRaises(UserError):
            announcement.action_publish()
        with self.assertRaises(UserError):
            self.Announcement.create(
                {
                    "name": "Backwards",
                    "date_start": "2030-01-02",
                    "date_end": "2030-01-01",
                }
            )

    def test_portal_sees_only_its_announcements(self):
        for_acme = self.Announcement.create(
            {
                "name": "For Acme",
                "partner_ids": [(6, 0, self.client.ids)],
                "date_start": "2030-01-01 08:00:00",
                "date_end": "2030-01-01 10:00:00",
            }
        )
        for_other = self.Announcement.create(
            {"name": "For Other", "partner_ids": [(6, 0, self.other_client.ids)]}
        )
        for_all = self.Announcement.create({"name": "For all", "audience": "all"})
        draft = self.Announcement.create(
            {"name": "Draft", "partner_ids": [(6, 0, self.client.ids)]}
        )
        (for_acme | for_other | for_all).write({"state": "published"})
        mine = (for_acme | for_other | for_all | draft).ids
        self.env.flush_all()  # as at the end of the agent's request
        as_acme = self.Announcement.with_user(self.portal_acme)
        self.assertEqual(as_acme.search([("id", "in", mine)]), for_acme | for_all)
        with self.assertRaises(AccessError):
            for_other.with_user(self.portal_acme).read(["name"])
        with freeze_time("2029-12-31"):
            self.assertIn(for_acme, as_acme._portal_current())
        self.assertFalse(
            self.Announcement.with_user(self.agent_a)._portal_current(),
            "not on the portal home of internal users",
        )
        with freeze_time("2030-01-02"):
            current = as_acme._portal_current()
            self.assertNotIn(for_acme, current, "over")
            self.assertIn(for_all, current)
        self.assertEqual(
            self.Announcement.with_user(self.portal_other).search([("id", "in", mine)]),
            for_other | for_all,
        )

    def test_announce_a_major_incident(self):
        parent = self._ticket(name="Uplink down", is_major_incident=True)
        self._ticket(
            name="No internet",
            partner_id=self.other_contact.id,
            parent_id=parent.id,
        )
        action = parent.action_announce()
        announcement = self.Announcement.with_context(**action["context"]).create({})
        self.assertEqual(announcement.ticket_id, parent)
        self.assertEqual(announcement.kind, "incident")
        self.assertEqual(announcement.client_ids, self.client | self.other_client)

    def test_audience_all_reaches_the_clients_with_tickets(self):
        self._ticket()
        silent = self.env["res.partner"].create(
            {"name": "No Address", "parent_id": self.client.id}
        )
        announcement = self.Announcement.create(
            {"name": "Everyone", "body": "<p>Office closed</p>", "audience": "all"}
        )
        recipients = announcement._get_recipients()
        self.assertIn(self.contact, recipients)
        self.assertIn(self.executive, recipients)
        self.assertNotIn(silent, recipients, "no e-mail address")
        self.assertNotIn(self.other_contact, recipients, "no ticket")
        self.assertNotIn(self.third_client, recipients, "no ticket")
        announcement.action_publish()
        message = announcement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(message.partner_ids, recipients)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestAnnouncementPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        client = env["res.partner"].create({"name": "Tour Client", "is_company": True})
        rival = env["res.partner"].create({"name": "Tour Rival", "is_company": True})
        user = new_test_user(env, login="hd_ann_tour", groups="base.group_portal")
        user.partner_id.parent_id = client
        env["helpdesk.announcement"].create(
            [
                {
                    "name": "Tour maintenance for us",
                    "partner_ids": [(6, 0, client.ids)],
                    "state": "published",
                },
                {
                    "name": "Tour maintenance for the rival",
                    "partner_ids": [(6, 0, rival.ids)],
                    "state": "published",
                },
            ]
        )

    def test_announcement_reaches_only_the_targeted_client(self):
        self.start_tour(
            "/my", "helpdesk_service_announcement_tour", login="hd_ann_tour"
        )
