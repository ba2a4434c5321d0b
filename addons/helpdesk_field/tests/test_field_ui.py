import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.helpdesk_field.controllers import field as field_controller
from odoo.addons.sms.tests.common import SMSCase

from .common import MONDAY, PHOTO_PNG, HelpdeskFieldCommon


class FieldHttpCommon(HelpdeskFieldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the /field page shows the engineer's day: a run crossing midnight must
        # not move the visits to "yesterday". The clock ticks on from Monday
        # 10:00, so that the tours' timeouts still run out.
        cls.startClassPatcher(freeze_time("2026-03-02 10:00:00", tick=True))
        cls._setup_field()
        now = MONDAY.replace(hour=10)
        cls.ticket.name = "Tour: till #3 jams"
        cls.visit = cls._create_visit(start=now, hours=1)
        cls.visit2 = cls._create_visit(
            start=now, hours=1, user_id=cls.engineer2.id, instructions="<p>Secret</p>"
        )

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@tagged("post_install", "-at_install", "helpdesk_field")
class TestFieldUi(FieldHttpCommon, SMSCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_engineer_day_tour(self):
        with self.mockSMSGateway():
            self.start_tour(
                "/field", "helpdesk_field_engineer_day_tour", login="hf_engineer"
            )
        visit = self.visit
        self.assertEqual(visit.state, "done")
        # labour: the minutes the engineer typed, for his employee
        line = visit.timesheet_id
        self.assertEqual(line.employee_id, self.employee)
        self.assertEqual(line.helpdesk_ticket_id, self.ticket)
        self.assertAlmostEqual(line.unit_amount, 0.75)
        # works and parts: the ticket's work lines, priced by billing
        works = visit.work_ids.sorted("id")
        self.assertEqual(
            [(w.product_id, w.quantity, w.kind) for w in works],
            [
                (self.work_diag, 1, "work"),
                (self.work_head, 2, "work"),
                (self.part_roll, 3, "part"),
            ],
        )
        self.assertEqual(works.ticket_id, self.ticket)
        self.assertEqual(works[0].price_unit, 55.0)
        # signature, photo, note
        self.assertTrue(visit.signature)
        self.assertEqual(visit.signed_by, "Mike Rolls")
        self.assertEqual(visit.photo_ids.mapped("name"), ["till-3.png"])
        self.assertIn("Paper guide", visit.note)
        # report on the ticket; SMS queued for the contact
        self.assertEqual(visit.report_attachment_id.res_id, self.ticket.id)
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "helpdesk.visit"),
                    ("mail_message_id.res_id", "=", visit.id),
                ],
                order="id",
            )
        )
        self.assertEqual(len(sms), 3)
        self.assertEqual(sms.partner_id, self.contact)
        self.assertIn("is on the way", sms[0].body)
        self.assertIn("has arrived at Main shop", sms[1].body)
        self.assertIn(visit.report_url, sms[2].body)
        self.assertEqual(visit.date_eta - visit.date_on_way, timedelta(minutes=20))


@tagged("post_install", "-at_install", "helpdesk_field")
class TestFieldRoutes(FieldHttpCommon, SMSCase):
    def test_engineer_sees_his_day(self):
        self.authenticate("hf_engineer", "hf_engineer")
        page = self.url_open("/field")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/field/visit/{self.visit.id}", page.text)
        self.assertNotIn(f"/field/visit/{self.visit2.id}", page.text)
        page = self.url_open(f"/field/visit/{self.visit.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Main shop", page.text)
        self.assertIn(
            "https://www.google.com/maps/search/?api=1&amp;query=8+Market+Square",
            page.text,
        )
        self.assertIn("tel:+32 470 12 34 56", page.text)
        self.assertIn("CR-0002", page.text)

    def test_engineer_cannot_open_another_engineers_visit(self):
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        page = self.url_open(f"/field/visit/{self.visit2.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("Secret", page.text)
        with self.mockSMSGateway():
            response = self.url_open(
                f"/field/visit/{self.visit2.id}/on_my_way",
                data={"csrf_token": csrf, "eta_minutes": "15"},
            )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.visit2.state, "planned")
        response = self.opener.post(
            f"{self.base_url()}/field/visit/{self.visit2.id}/sign",
            json={"jsonrpc": "2.0", "method": "call", "params": {"name": "X"}},
            timeout=12,
        )
        self.assertEqual(
            response.json()["error"]["data"]["name"], "werkzeug.exceptions.NotFound"
        )
        self.assertFalse(self.visit2.signed_by)

    def test_non_engineers_are_refused(self):
        self.authenticate("hf_dispatcher", "hf_dispatcher")
        self.assertEqual(self.url_open("/field").status_code, 403)
        self.assertEqual(
            self.url_open(f"/field/visit/{self.visit.id}").status_code, 403
        )
        self.authenticate(None, None)
        response = self.url_open("/field", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_arrival_with_consent_only(self):
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        with self.mockSMSGateway():
            response = self.url_open(
                f"/field/visit/{self.visit.id}/arrived",
                data={"csrf_token": csrf, "latitude": "50.85", "longitude": "4.35"},
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit.state, "on_site")
        self.assertFalse(self.visit.arrival_latitude, "no consent, no position")
        self.visit.state = "on_the_way"
        with self.mockSMSGateway():
            self.url_open(
                f"/field/visit/{self.visit.id}/arrived",
                data={
                    "csrf_token": csrf,
                    "geo_consent": "1",
                    "latitude": "50.85",
                    "longitude": "4.35",
                },
            )
        self.assertAlmostEqual(self.visit.arrival_latitude, 50.85)
        self.assertAlmostEqual(self.visit.arrival_longitude, 4.35)

    def test_photos_are_checked(self):
        self.visit.action_arrived()
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        url = f"/field/visit/{self.visit.id}/photos"
        response = self.url_open(
            url, data={"csrf_token": csrf}, files={"photos": ("notes.txt", b"hello")}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a photo", response.text)
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        response = self.url_open(
            url, data={"csrf_token": csrf}, files={"photos": ("x.svg", svg)}
        )
        self.assertEqual(response.status_code, 400)
        # the test server refuses big requests: lower the 10 MB limit instead
        self.patch(field_controller, "MAX_PHOTO_BYTES", len(PHOTO_PNG) + 10)
        big = PHOTO_PNG + b"0" * 100
        response = self.url_open(
            url, data={"csrf_token": csrf}, files={"photos": ("big.png", big)}
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("larger than 10 MB", response.text)
        response = self.url_open(
            url,
            data={"csrf_token": csrf},
            files=[("photos", (f"p{i}.png", PHOTO_PNG)) for i in range(11)],
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.visit.photo_ids)
        response = self.url_open(
            url,
            data={"csrf_token": csrf, "note": "Cleaned"},
            files={"photos": ("ok.png", PHOTO_PNG)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit.photo_ids.mapped("name"), ["ok.png"])
        self.assertEqual(self.visit.note, "Cleaned")

    def test_errors_show_on_the_page(self):
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        response = self.url_open(
            f"/field/visit/{self.visit.id}/depart", data={"csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_helpdesk_field_error", response.text)
        self.assertEqual(self.visit.state, "planned")

    def test_only_offered_products_can_be_added(self):
        self.visit.action_arrived()
        hidden = self.env["product.product"].create(
            {"name": "Not offered", "type": "service"}
        )
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        response = self.url_open(
            f"/field/visit/{self.visit.id}/work",
            data={"csrf_token": csrf, "product_id": hidden.id, "quantity": "1"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.visit.work_ids)

    def test_report_link(self):
        self.visit.action_arrived()
        with self.mockSMSGateway():
            self.visit.with_user(self.engineer).action_confirm_done()
        # the client's link works without logging in
        response = self.url_open(
            self.visit.report_url.replace(self.visit.get_base_url(), "")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, self.visit.report_attachment_id.raw)
        response = self.url_open(
            f"/my/visits/{self.visit.id}/report?access_token=wrong",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        response = self.url_open(
            f"/my/visits/{self.visit2.id}/report?access_token={self.visit.access_token}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
