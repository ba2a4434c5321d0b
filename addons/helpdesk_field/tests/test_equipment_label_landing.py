from odoo.tests import HttpCase, new_test_user, tagged

from .common import MONDAY, HelpdeskFieldCommon

BACK_OFFICE = "/odoo/action-helpdesk_service.helpdesk_equipment_action/{}"


@tagged("post_install", "-at_install", "helpdesk_field")
class TestEquipmentLabelLanding(HelpdeskFieldCommon, HttpCase):
    """Scanning an equipment label (/eq/<token>): an engineer with an open
    visit for the item lands on it in /field, anyone else of the back office
    on the item's form, the client's contact on the new-request form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.portal = new_test_user(
            cls.env, login="hf_label_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.client
        cls.token = cls.register.sudo().label_token

    def _landing(self, login):
        self.authenticate(login, login)
        response = self.url_open(f"/eq/{self.token}", allow_redirects=False)
        return response

    def _assert_redirect(self, response, path):
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(path), response.headers["Location"]
        )

    def test_engineer_lands_on_his_open_visit(self):
        planned = self._create_visit(start=MONDAY.replace(hour=9))
        later = self._create_visit(start=MONDAY.replace(hour=14), hours=1)
        self._assert_redirect(
            self._landing("hf_engineer"), f"/field/visit/{planned.id}"
        )
        # the visit he is on site for comes before an earlier planned one
        later.state = "on_site"
        response = self._landing("hf_engineer")
        self._assert_redirect(response, f"/field/visit/{later.id}")
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(later.name, page.text)
        # a closed visit is no landing place
        (planned | later).state = "done"
        self._assert_redirect(
            self._landing("hf_engineer"), BACK_OFFICE.format(self.register.id)
        )

    def test_visit_for_the_item_only(self):
        other_item = self.env["helpdesk.equipment"].create(
            {"name": "Scale #1", "partner_id": self.client.id, "site_id": self.site.id}
        )
        visit = self._create_visit()
        visit.equipment_ids = other_item
        # the visit's ticket is still about the register
        self._assert_redirect(self._landing("hf_engineer"), f"/field/visit/{visit.id}")
        self.ticket.equipment_ids = other_item
        self._assert_redirect(
            self._landing("hf_engineer"), BACK_OFFICE.format(self.register.id)
        )

    def test_others_land_as_before(self):
        self._create_visit()
        # another engineer: not his visit
        self._assert_redirect(
            self._landing("hf_engineer2"), BACK_OFFICE.format(self.register.id)
        )
        # an agent who dispatches the visits
        self._assert_redirect(
            self._landing("hf_dispatcher"), BACK_OFFICE.format(self.register.id)
        )
        # the client's contact: the new-request form, the item chosen
        response = self._landing("hf_label_portal")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(
            response.text,
            rf'<option value="{self.register.id}" selected="[^"]+">Cash register #2',
        )
        self.assertIn('action="/my/tickets/submit"', response.text)
        self.assertNotIn("/field/", response.text)


@tagged("post_install", "-at_install", "helpdesk_field")
class TestEngineerHome(HelpdeskFieldCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()

    def test_back_office_home_opens_the_workspace_tour(self):
        """The back office's home (/odoo, where the apps menu and the portal's
        back-office link lead) takes an engineer to /field."""
        self.start_tour(
            "/odoo/action-helpdesk_field.helpdesk_visit_action",
            "helpdesk_field_home_tour",
            login="hf_engineer",
        )
