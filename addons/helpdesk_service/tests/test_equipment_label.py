import re
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

CSRF = re.compile(r"csrf_token[^\n]*")


class EquipmentLabelCommon:
    @classmethod
    def _setup_labels(cls):
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        Partner = env["res.partner"]
        cls.client = Partner.create({"name": "Label Client Co", "is_company": True})
        cls.other_client = Partner.create(
            {"name": "Label Rival Co", "is_company": True}
        )
        cls.site = env["helpdesk.site"].create(
            {"name": "Label Shop ZQL-SITE", "partner_id": cls.client.id}
        )
        cls.other_site = env["helpdesk.site"].create(
            {"name": "Rival Depot ZQL-RIVAL-SITE", "partner_id": cls.other_client.id}
        )
        Equipment = env["helpdesk.equipment"]
        cls.item, cls.item_2, cls.other_item = Equipment.create(
            [
                {
                    "name": "Till ZQL-TILL",
                    "partner_id": cls.client.id,
                    "site_id": cls.site.id,
                    "serial_number": "ZQL-SERIAL-1",
                },
                {
                    "name": "Scale ZQL-SCALE",
                    "partner_id": cls.client.id,
                    "site_id": cls.site.id,
                },
                {
                    "name": "Rival printer ZQL-RIVAL",
                    "partner_id": cls.other_client.id,
                    "site_id": cls.other_site.id,
                    "serial_number": "ZQL-RIVAL-SERIAL",
                },
            ]
        )
        cls.agent = new_test_user(
            env,
            login="hd_label_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.portal = new_test_user(
            env, login="hd_label_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.client
        cls.other_portal = new_test_user(
            env, login="hd_label_rival", groups="base.group_portal"
        )
        cls.other_portal.partner_id.parent_id = cls.other_client


@tagged("helpdesk_service")
class TestEquipmentLabel(EquipmentLabelCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_labels()

    def test_token_random_unique_and_not_copied(self):
        items = self.item | self.item_2 | self.other_item
        tokens = items.mapped("label_token")
        self.assertEqual(len(set(tokens)), 3)
        for token in tokens:
            self.assertGreaterEqual(len(token), 32)
            self.assertNotIn(str(self.item.id), token[:3])
        copy = self.item.copy({"serial_number": "ZQL-SERIAL-COPY"})
        self.assertTrue(copy.label_token)
        self.assertNotEqual(copy.label_token, self.item.label_token)
        self.assertEqual(
            self.item.label_url,
            f"{self.item.get_base_url()}/eq/{self.item.label_token}",
        )

    def test_find_by_token(self):
        Equipment = self.env["helpdesk.equipment"]
        self.assertEqual(
            Equipment._find_by_label_token(self.item.label_token), self.item
        )
        for token in ("", None, "nope", self.item.label_token[:-1], "x" * 500):
            self.assertFalse(Equipment._find_by_label_token(token))

    def test_reissue_labels(self):
        old = self.item.label_token
        other_old = self.item_2.label_token
        (self.item | self.item_2).with_user(self.agent).action_reissue_labels()
        self.assertNotEqual(self.item.label_token, old)
        self.assertNotEqual(self.item_2.label_token, other_old)
        Equipment = self.env["helpdesk.equipment"]
        self.assertFalse(Equipment._find_by_label_token(old))
        self.assertEqual(
            Equipment._find_by_label_token(self.item.label_token), self.item
        )
        self.assertIn(
            "New QR labels issued",
            str(self.item.message_ids.mapped("body")),
        )

    def test_portal_cannot_read_token_nor_reissue(self):
        item = self.item.with_user(self.portal)
        self.assertEqual(item.name, "Till ZQL-TILL")  # his own item
        with self.assertRaises(AccessError):
            item.read(["label_token"])
        with self.assertRaises(AccessError):
            item.action_reissue_labels()

    def test_wizard_from_site_and_client(self):
        Print = self.env["helpdesk.equipment.label.print"].with_user(self.agent)
        self.item_2.state = "decommissioned"
        from_site = Form(
            Print.with_context(active_model="helpdesk.site", active_ids=self.site.ids)
        ).save()
        self.assertEqual(from_site.equipment_ids, self.item)
        contact = self.portal.partner_id
        from_client = Form(
            Print.with_context(active_model="res.partner", active_ids=contact.ids)
        ).save()
        self.assertEqual(from_client.equipment_ids, self.item)
        selected = Form(
            Print.with_context(
                active_model="helpdesk.equipment",
                active_ids=(self.item | self.other_item).ids,
            )
        )
        selected.sheet = "a4_2x7"
        action = selected.save().action_print()
        self.assertEqual(
            action["report_name"], "helpdesk_service.report_equipment_label_a4_2x7"
        )
        self.assertEqual(
            action["context"]["active_ids"], (self.item | self.other_item).ids
        )

    def test_label_sheet_content(self):
        self.env.company.phone = "+1 555 0100"
        self.item.company_id = self.env.company
        report = self.env.ref("helpdesk_service.action_report_equipment_label_a4_3x8")
        items = self.item | self.other_item
        Report = self.env.registry["ir.actions.report"]
        barcode = Report.barcode
        drawn = []

        def spy(report, barcode_type, value, **kwargs):
            drawn.append((barcode_type, value))
            return barcode(report, barcode_type, value, **kwargs)

        with patch.object(Report, "barcode", spy):
            html = (
                self.env["ir.actions.report"]
                .with_user(self.agent)
                ._render_qweb_html(report.report_name, items.ids)[0]
                .decode()
            )
        self.assertEqual(html.count('o_helpdesk_service_label"'), 2)
        self.assertEqual(
            drawn,
            [("QR", self.item.sudo().label_url), ("QR", items[1].sudo().label_url)],
        )
        self.assertIn('src="data:image/png;base64,', html)
        self.assertNotIn(f"value={self.item.id}&", html)
        for text in ("Till ZQL-TILL", "ZQL-SERIAL-1", "ZQL-SITE", "+1 555 0100"):
            self.assertIn(text, html)
        with self.assertRaises(AccessError):
            self.item.with_user(self.portal).read(["label_url"])


@tagged("post_install", "-at_install", "helpdesk_service")
class TestEquipmentLabelRoute(EquipmentLabelCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_labels()

    def _get(self, token, **kw):
        return self.url_open(f"/eq/{token}", allow_redirects=False, **kw)

    def _assert_no_details(self, response):
        for marker in ("ZQL-TILL", "ZQL-SERIAL-1", "ZQL-SITE", "ZQL-RIVAL"):
            self.assertNotIn(marker, response.text)
            self.assertNotIn(marker, response.headers.get("Location", ""))

    def test_own_client_gets_prefilled_form(self):
        self.authenticate("hd_label_portal", "hd_label_portal")
        response = self._get(self.item.label_token)
        self.assertEqual(response.status_code, 200)
        self.assertRegex(
            response.text,
            rf'<option value="{self.item.id}" selected="[^"]+">Till ZQL-TILL',
        )
        self.assertRegex(
            response.text,
            rf'<option value="{self.site.id}" selected="[^"]+">Label Shop',
        )
        self.assertNotIn("ZQL-RIVAL", response.text)
        self.assertIn('action="/my/tickets/submit"', response.text)

    def test_other_client_same_page_as_unknown_token(self):
        self.authenticate("hd_label_rival", "hd_label_rival")
        foreign = self._get(self.item.label_token)
        unknown = self._get("ZZZZ" + self.item.label_token[4:])
        self.assertEqual(foreign.status_code, 404)
        self.assertEqual(unknown.status_code, 404)
        self._assert_no_details(foreign)
        self.assertEqual(CSRF.sub("", foreign.text), CSRF.sub("", unknown.text))
        self.assertIn("This label is not valid", foreign.text)
        # his own label does work
        self.assertEqual(self._get(self.other_item.label_token).status_code, 200)

    def test_anonymous_gets_login_page(self):
        self.authenticate(None, None)
        valid = self._get(self.item.label_token)
        unknown = self._get("Unknown-token-0123456789abcdef0123")
        for response in (valid, unknown):
            self.assertEqual(response.status_code, 303)
            self.assertTrue(
                response.headers["Location"].endswith(
                    "/web/login?redirect=%2Feq%2F" + response.url.rsplit("/", 1)[1]
                )
            )
            self._assert_no_details(response)
        page = self.url_open(f"/eq/{self.item.label_token}")
        self.assertIn("/web/login", page.url)
        self._assert_no_details(page)

    def test_agent_lands_on_backoffice_equipment(self):
        self.authenticate("hd_label_agent", "hd_label_agent")
        response = self._get(self.item.label_token)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/odoo/action-helpdesk_service.helpdesk_equipment_action/{self.item.id}"
            )
        )
        self.assertEqual(self._get("not-a-token").status_code, 404)

    def test_reissued_and_archived_labels_are_dead(self):
        old = self.item.label_token
        self.item.action_reissue_labels()
        self.authenticate("hd_label_portal", "hd_label_portal")
        dead = self._get(old)
        unknown = self._get("not-a-token-at-all")
        self.assertEqual(dead.status_code, 404)
        self._assert_no_details(dead)
        self.assertEqual(CSRF.sub("", dead.text), CSRF.sub("", unknown.text))
        self.assertEqual(self._get(self.item.label_token).status_code, 200)
        self.item.action_archive()
        self.assertEqual(self._get(self.item.label_token).status_code, 404)


@tagged("post_install", "-at_install", "helpdesk_service")
class TestEquipmentLabelPhoneTour(EquipmentLabelCommon, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_labels()

    def test_phone_tour_scans_label(self):
        self.start_tour(
            f"/eq/{self.item.label_token}",
            "helpdesk_service_equipment_label_tour",
            login="hd_label_portal",
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour label: the till does not print")]
        )
        self.assertEqual(ticket.equipment_ids, self.item)
        self.assertEqual(ticket.site_id, self.site)
        self.assertEqual(ticket.partner_id, self.portal.partner_id)
