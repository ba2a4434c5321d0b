import base64

from odoo.tests import tagged

from odoo.addons.helpdesk_field.controllers import field as field_controller
from odoo.addons.sms.tests.common import SMSCase

from .common import PHOTO_PNG, SIGNATURE_PNG
from .test_field_ui import FieldHttpCommon

SVG = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
).decode()
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16).decode()


@tagged("post_install", "-at_install", "helpdesk_field")
class TestFieldBadInput(FieldHttpCommon, SMSCase):
    """The /field workspace answers what no phone form sends (nan, inf,
    control characters, wrong JSON types, SVG signatures, too large uploads)
    with a clear error on the page, never a 500 or a traceback, and keeps
    nothing of it."""

    def _post(self, path, **data):
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        with self.mockSMSGateway():
            return self.url_open(
                f"/field/visit/{self.visit.id}/{path}",
                data=dict(data, csrf_token=csrf),
            )

    def _sign(self, **params):
        response = self.opener.post(
            f"{self.base_url()}/field/visit/{self.visit.id}/sign",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=12,
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_eta_must_be_a_number_of_minutes(self):
        self.authenticate("hf_engineer", "hf_engineer")
        for eta in ("nan", "inf", "-inf", "1e400", "abc", "0", "-5", "1441"):
            response = self._post("on_my_way", eta_minutes=eta)
            self.assertEqual(response.status_code, 400, eta)
            self.assertIn("Give the minutes until you arrive", response.text)
            self.assertEqual(self.visit.state, "planned")
        response = self._post("on_my_way", eta_minutes="15")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit.state, "on_the_way")

    def test_work_quantity_is_checked(self):
        self.visit.action_arrived()
        self.authenticate("hf_engineer", "hf_engineer")
        for quantity in ("nan", "inf", "1e300", "1001", "-1", "0", "abc", ""):
            response = self._post(
                "work", product_id=str(self.work_diag.id), quantity=quantity
            )
            self.assertEqual(response.status_code, 400, quantity)
            self.assertIn("Give a quantity above 0", response.text)
        self.assertFalse(self.visit.work_ids)
        self._post("work", product_id=str(self.work_diag.id), quantity="2.5")
        self.assertEqual(self.visit.work_ids.quantity, 2.5)

    def test_labour_minutes_are_checked(self):
        self.visit.action_arrived()
        self.authenticate("hf_engineer", "hf_engineer")
        for minutes in ("nan", "inf", "1e400", "-3", "1441", "abc"):
            response = self._post("confirm", labour_minutes=minutes)
            self.assertEqual(response.status_code, 400, minutes)
            self.assertIn("Give the labour time in minutes", response.text)
            self.assertEqual(self.visit.state, "on_site")
        self.assertFalse(self.visit.timesheet_id)

    def test_sign_refuses_bad_payloads_without_traceback(self):
        self.visit.action_arrived()
        self.authenticate("hf_engineer", "hf_engineer")
        self.patch(field_controller, "MAX_SIGNATURE_CHARS", 200)
        for params, message in (
            ({"name": 123, "signature": SIGNATURE_PNG}, "invalid characters"),
            ({"name": "Mi\x00ke", "signature": SIGNATURE_PNG}, "invalid characters"),
            ({"name": "x" * 201, "signature": SIGNATURE_PNG}, "limited to 200"),
            ({"name": "Mike", "signature": 123}, "PNG or JPEG"),
            ({"name": "Mike", "signature": ["a"]}, "PNG or JPEG"),
            ({"name": "Mike", "signature": {"a": 1}}, "PNG or JPEG"),
            ({"name": "Mike", "signature": "!!not base64"}, "PNG or JPEG"),
            ({"name": "Mike", "signature": "é"}, "PNG or JPEG"),
            ({"name": "Mike", "signature": SVG}, "PNG or JPEG"),
            ({"name": "Mike", "signature": "A" * 204}, "too large"),
        ):
            answer = self._sign(**params)
            self.assertNotIn("error", answer, params)
            self.assertIn(message, answer["result"]["error"], params)
        self.assertFalse(self.visit.signature)
        self.assertFalse(self.visit.signed_by)
        # a JPEG is accepted as well as a PNG
        answer = self._sign(name=" Mike Rolls ", signature=JPEG)
        self.assertEqual(answer["result"], {"force_refresh": True})
        self.assertEqual(self.visit.signed_by, "Mike Rolls")

    def test_notes_over_the_limit_are_refused(self):
        self.visit.action_arrived()
        self.visit.note = "Before"
        self.authenticate("hf_engineer", "hf_engineer")
        limit = field_controller.MAX_NOTE_CHARS
        response = self._post("photos", note="x" * (limit + 1))
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"limited to {limit} characters", response.text)
        response = self._post("photos", note="Paper\x00jam")
        self.assertEqual(response.status_code, 400)
        self.assertIn("characters that are not allowed", response.text)
        self.assertEqual(self.visit.note, "Before")
        self._post("photos", note="y" * limit)
        self.assertEqual(self.visit.note, "y" * limit, "kept whole")

    def test_photo_over_the_limit_is_a_413(self):
        self.visit.action_arrived()
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        url = f"/field/visit/{self.visit.id}/photos"
        # werkzeug refuses a part holding over 10 MB after its last line break
        # while parsing the form (it was a 418 page)
        response = self.url_open(
            url,
            data={"csrf_token": csrf},
            files={"photos": ("big.png", PHOTO_PNG + b"0" * 10 * 1024 * 1024)},
            headers={"Referer": f"{self.base_url()}/field/visit/{self.visit.id}"},
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("too large to be received", response.text)
        self.assertIn(f'href="/field/visit/{self.visit.id}"', response.text)
        # over the route's limit (10 photos of 10 MB): refused from its size
        self.patch(field_controller, "MAX_PHOTO_BYTES", len(PHOTO_PNG) + 10)
        response = self.url_open(
            url,
            data={"csrf_token": csrf},
            files={"photos": ("big.png", PHOTO_PNG + b"\n0" * 1024 * 1024)},
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("too large to be received", response.text)
        # one photo over the limit: the visit page says which
        response = self.url_open(
            url,
            data={"csrf_token": csrf},
            files={"photos": ("over.png", PHOTO_PNG + b"0" * 100)},
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("over.png is larger than 10 MB", response.text)
        self.assertFalse(self.visit.photo_ids)

    def test_ids_out_of_range_are_not_found(self):
        self.authenticate("hf_engineer", "hf_engineer")
        csrf = self._csrf(f"/field/visit/{self.visit.id}")
        for visit_id in ("99999999999999", "-1", "0"):
            self.assertEqual(
                self.url_open(f"/field/visit/{visit_id}").status_code, 404, visit_id
            )
            response = self.url_open(
                f"/field/visit/{visit_id}/on_my_way",
                data={"csrf_token": csrf, "eta_minutes": "15"},
            )
            self.assertEqual(response.status_code, 404, visit_id)

    def test_report_without_stored_report(self):
        """No report before the visit is closed (404); a closed visit whose
        report could not be stored then is printed now."""
        self.visit._portal_ensure_token()
        url = (
            f"/my/visits/{self.visit.id}/report?access_token={self.visit.access_token}"
        )
        self.assertEqual(self.url_open(url).status_code, 404)
        self.visit.action_arrived()
        with self.mockSMSGateway():
            self.visit.with_user(self.engineer).action_confirm_done()
        self.visit.report_attachment_id.unlink()
        self.assertFalse(self.visit.report_attachment_id)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.visit.name, response.text)
