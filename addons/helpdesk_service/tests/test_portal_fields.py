"""What a client reads over JSON-RPC: the fields of our addons a portal user
may read, model by model, against an explicit allow-list. A new field a
portal user can read fails the test until it is classified: added to the
allow-list (the client may read it) or given ``groups=`` (internal)."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

# present on every model, not classified
MAGIC_FIELDS = {
    "id",
    "display_name",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
}


class PortalFieldsMixin:
    """For the addon ``_module``: ``_allowed`` is {model: {fields}} of the
    fields the addon defines (or redefines) that a portal user may read, on
    its own models and on the Odoo/OCA models it extends."""

    _module = None
    _allowed = {}
    # Odoo's loader runs only the test methods a class defines itself
    allow_inherited_tests_method = True

    def _portal_readable_fields(self):
        portal = new_test_user(
            self.env, login=f"{self._module}_fields_portal", groups="base.group_portal"
        )
        readable = {}
        for name in sorted(self.env.registry):
            Model = self.env[name]
            if Model._abstract or Model._transient:
                continue
            AsPortal = Model.with_user(portal)
            if not AsPortal.has_access("read"):
                continue
            # an inherited field (a site's address) is its parent's, read
            # under the parent's rules: classified on the parent model
            ours = {
                fname
                for fname, field in Model._fields.items()
                if self._module in (field._modules or ())
                and fname not in MAGIC_FIELDS
                and not field.inherited
            }
            # fields_get as the portal user: what JSON-RPC lets him read
            fnames = ours & set(AsPortal.fields_get(attributes=["type"]))
            if fnames:
                readable[name] = fnames
        return readable

    def test_portal_readable_fields_are_classified(self):
        readable = self._portal_readable_fields()
        self.assertTrue(readable, "portal users read some fields of the addon")
        for model in sorted(set(readable) | set(self._allowed)):
            found = readable.get(model, set())
            allowed = set(self._allowed.get(model, ()))
            with self.subTest(model=model):
                self.assertFalse(
                    sorted(found - allowed),
                    f"{model}: portal users read these fields of {self._module}: "
                    "allow-list them here or give them groups=",
                )
                self.assertFalse(
                    sorted(allowed - found),
                    f"{model}: these allow-listed fields of {self._module} are "
                    "gone or no longer readable by portal users: update the list",
                )


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalFields(PortalFieldsMixin, TransactionCase):
    _module = "helpdesk_service"
    _allowed = {
        # the announcement, not whom else it is for
        "helpdesk.announcement": {
            "audience",
            "body",
            "company_id",
            "date_end",
            "date_start",
            "kind",
            "name",
            "state",
        },
        "helpdesk.article": {
            "active",
            "author_id",
            "body",
            "body_text",
            "category_id",
            "company_id",
            "date_publish",
            "date_published",
            "helpful_count",
            "helpful_percent",
            "name",
            "portal_url",
            "search_text",
            "sequence",
            "state",
            "summary",
            "tag_ids",
            "type_ids",
            "unhelpful_count",
            "view_count",
            "visibility",
            "vote_ids",
        },
        "helpdesk.article.category": {
            "active",
            "article_count",
            "article_ids",
            "company_id",
            "date_publish",
            "description",
            "name",
            "sequence",
        },
        "helpdesk.article.tag": {"color", "name"},
        "helpdesk.equipment": {
            "active",
            "attribute_value_ids",
            "child_ids",
            "company_id",
            "date_installed",
            "date_warranty_end",
            "inventory_number",
            "is_under_warranty",
            "manufacturer_id",
            "model_id",
            "name",
            "note",
            "parent_id",
            "partner_id",
            "serial_number",
            "site_id",
            "state",
            "ticket_count",
            "ticket_ids",
            "type_icon",
            "type_id",
            "user_id",
            "warranty_warned",
        },
        "helpdesk.site": {
            "access_notes",
            "active",
            "address_partner_id",
            "company_id",
            "contact_ids",
            "equipment_count",
            "equipment_ids",
            "name",
            "partner_id",
            "resource_calendar_id",
            "ticket_count",
        },
        # what the portal pages show, plus the ticket's own dates and status
        "helpdesk.ticket": {
            "active",
            "channel",
            "client_ticket_count",
            "client_ticket_ids",
            "commercial_partner_id",
            "company_id",
            "currency_id",
            "date_ack",
            "date_closed",
            "date_deadline",
            "date_eta",
            "date_first_response",
            "date_last_contact",
            "date_last_stage_update",
            "date_received",
            "date_resolved",
            "description",
            "equipment_ids",
            "is_closed",
            "is_under_warranty",
            "merged_into_id",
            "name",
            "partner_email",
            "partner_id",
            "partner_name",
            "partner_phone",
            "priority",
            "related_ticket_ids",
            "resolution",
            "site_id",
            "sla_deadline",
            "sla_failed",
            "sla_status",
            "stage_id",
            "stage_kind",
            "team_id",
            "ticket_ref",
            "type_id",
            "user_id",
        },
        "res.company": {"helpdesk_portal_team_id"},
        "res.partner": {
            "helpdesk_equipment_count",
            "helpdesk_open_ticket_count",
            "helpdesk_portal_scope",
            "helpdesk_site_count",
            "helpdesk_ticket_count",
            "helpdesk_ticket_ids",
        },
        # its partner's fields (inherited) are classified on res.partner
        "res.users": {"helpdesk_team_ids"},
    }


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortalClassification(HttpCase):
    """A client reads his tickets, not how we classify them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        Partner = cls.env["res.partner"]
        cls.client = Partner.create(
            {"name": "Classified Co", "is_company": True, "is_helpdesk_vip": True}
        )
        cls.portal = new_test_user(
            cls.env, login="hd_class_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.write({"parent_id": cls.client.id})
        reason = cls.env["helpdesk.complaint.reason"].create({"name": "Rude agent"})
        Ticket = cls.env["helpdesk.ticket"]
        cls.ticket, cls.other = Ticket.create(
            [
                {
                    "name": "Classified printer",
                    "partner_id": cls.portal.partner_id.id,
                    "priority": "1",
                    "is_complaint": True,
                    "complaint_reason_id": reason.id,
                },
                {
                    "name": "Other classified printer",
                    "partner_id": cls.portal.partner_id.id,
                    "priority": "2",
                },
            ]
        )
        rival = Partner.create({"name": "Rival Classified Co", "is_company": True})
        cls.announcement = cls.env["helpdesk.announcement"].create(
            {
                "name": "Router swap",
                "state": "published",
                "partner_ids": [(6, 0, (cls.client | rival).ids)],
            }
        )
        cls.article = cls.env["helpdesk.article"].create(
            {
                "name": "Printer FAQ",
                "state": "published",
                "visibility": "portal",
                "source_ticket_id": cls.ticket.id,
            }
        )

    def test_portal_cannot_read_the_classification(self):
        self.assertTrue(self.ticket.is_vip)
        self.assertEqual(self.ticket.priority_effective, 2)
        ticket = self.ticket.with_user(self.portal)
        self.assertEqual(ticket.read(["name"])[0]["name"], "Classified printer")
        hidden = [
            "is_vip",
            "priority_effective",
            "tariff_id",
            "is_complaint",
            "complaint_reason_id",
            "sla_id",
            "parent_id",
            "client_message_count",
        ]
        for fname in hidden:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                ticket.read([fname])
        # a read of "all fields" leaves them out, and no search on them
        row = ticket.search_read([("id", "=", ticket.id)])[0]
        self.assertFalse(set(hidden) & set(row))
        with self.assertRaises(AccessError):
            ticket.search([("is_vip", "=", True)])
        with self.assertRaises(AccessError):
            self.article.with_user(self.portal).read(["source_ticket_id"])
        with self.assertRaises(AccessError):
            self.client.with_user(self.portal).read(["is_helpdesk_vip"])
        # an announcement does not tell which other clients it is for
        announcement = self.announcement.with_user(self.portal)
        self.assertEqual(announcement.read(["name"])[0]["name"], "Router swap")
        for fname in ("partner_ids", "client_ids"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                announcement.read([fname])

    def test_ticket_lists_still_sort_for_the_client(self):
        # the default order (effective priority) falls back on the priority
        # the client sees
        tickets = self.env["helpdesk.ticket"].with_user(self.portal).search([])
        self.assertEqual(tickets, self.other | self.ticket)
        self.assertEqual(tickets[0], self.other)
        self.authenticate("hd_class_portal", "hd_class_portal")
        for sortby in ("priority", "date"):
            response = self.url_open(f"/my/tickets?sortby={sortby}&filterby=all")
            self.assertEqual(response.status_code, 200)
            self.assertIn("Classified printer", response.text)
        page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Classified printer", page.text)
