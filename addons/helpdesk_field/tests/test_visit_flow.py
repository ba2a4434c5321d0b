from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import format_time

from odoo.addons.sms.tests.common import SMSCase

from .common import MONDAY, PHOTO_PNG, SIGNATURE_PNG, HelpdeskFieldCommon


@tagged("post_install", "-at_install", "helpdesk_field")
class TestVisitFlow(HelpdeskFieldCommon, SMSCase):
    """An engineer's visit from the ORM: on the way, arrived, works and parts,
    signature, done; the timesheet, work lines, report and SMS it leaves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()

    def _visit_sms(self, visit):
        return (
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

    def test_engineer_day(self):
        visit = self._create_visit().with_user(self.engineer)
        self.assertEqual(visit.site_id, self.site)
        self.assertEqual(visit.equipment_ids, self.register)
        self.assertEqual(visit.partner_id, self.contact)
        self.assertTrue(visit.name.startswith("VIS/"))
        with self.mockSMSGateway():
            with freeze_time(MONDAY.replace(hour=9)):
                visit.action_on_my_way(eta_minutes=30)
            self.assertEqual(visit.state, "on_the_way")
            self.assertEqual(visit.date_eta, MONDAY.replace(hour=9, minute=30))
            with freeze_time(MONDAY.replace(hour=9, minute=28)):
                visit.action_arrived(latitude=50.8503, longitude=4.3517)
            self.assertEqual(visit.state, "on_site")
            self.assertEqual(visit.date_arrived, MONDAY.replace(hour=9, minute=28))
            self.assertAlmostEqual(visit.arrival_latitude, 50.8503)
            self.assertAlmostEqual(visit.arrival_longitude, 4.3517)

            diag = visit._add_work(self.work_diag, 1)
            head = visit._add_work(self.work_head, 2)
            roll = visit._add_work(self.part_roll, 3)
            visit._add_photos([("till.png", PHOTO_PNG)])
            visit.note = "Print head cleaned, paper guide replaced."
            visit._sign("Mike Rolls", SIGNATURE_PNG)

            with freeze_time(MONDAY.replace(hour=10, minute=35)):
                visit.action_depart()
                # 67 minutes on site, rounded up to the team's 15-minute step
                self.assertEqual(visit.labour_minutes, 75)
                visit.action_confirm_done(labour_minutes=70)

        # work lines: billing's lines of the ticket, priced by the price list
        self.assertEqual(visit.work_ids, diag | head | roll)
        self.assertEqual(visit.work_ids.ticket_id, self.ticket)
        self.assertEqual(diag.price_unit, 55.0, "the price list's fixed price")
        self.assertEqual(head.price_unit, 25.0, "no rule: the sales price")
        self.assertEqual((diag.kind, head.kind, roll.kind), ("work", "work", "part"))
        self.assertEqual(roll.quantity, 3)
        self.assertEqual(set(visit.work_ids.mapped("state")), {"draft"})
        self.assertEqual(visit.work_ids.user_id, self.engineer)
        # signature
        self.assertEqual(visit.signed_by, "Mike Rolls")
        self.assertTrue(visit.signature)
        self.assertEqual(visit.photo_count, 1)
        # timesheet: the edited minutes, for the engineer's employee
        self.assertEqual(visit.state, "done")
        line = visit.timesheet_id
        self.assertEqual(line.helpdesk_ticket_id, self.ticket)
        self.assertEqual(line.employee_id, self.employee)
        self.assertAlmostEqual(line.unit_amount, 70 / 60)
        self.assertEqual(line.project_id, self.team.project_id)
        self.assertEqual(line.date, MONDAY.date())
        self.assertIn(visit.name, line.name)
        self.assertEqual(self.ticket.sudo().effective_hours, line.unit_amount)
        # report: attached to the ticket, in a public message to the client
        report = visit.report_attachment_id
        self.assertEqual(
            (report.res_model, report.res_id), ("helpdesk.ticket", self.ticket.id)
        )
        self.assertTrue(report.name.endswith(".pdf"))
        message = self.ticket.message_ids.filtered(lambda m: report in m.attachment_ids)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.contact, message.partner_ids)
        # SMS: three, queued for the contact, with the right texts
        sms = self._visit_sms(visit)
        self.assertEqual(len(sms), 3)
        self.assertEqual(sms.partner_id, self.contact)
        number = self.contact._phone_format(number=self.contact.mobile) or (
            self.contact.mobile
        )
        self.assertEqual(set(sms.mapped("number")), {number})
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        ref = self.ticket.ticket_ref
        # 9:30 AM, with the space Babel puts there
        eta = format_time(self.env, visit.date_eta, tz="UTC", time_format="short")
        self.assertIn("9:30", eta)
        self.assertEqual(
            sms[0].body,
            f"{self.company.name}: Tom Field is on the way for ticket {ref} and "
            f"expects to arrive at {eta}.",
        )
        self.assertEqual(
            sms[1].body,
            f"{self.company.name}: Tom Field has arrived at Main shop for ticket "
            f"{ref}.",
        )
        self.assertEqual(
            sms[2].body,
            f"{self.company.name}: the visit for ticket {ref} is done. Visit report: "
            f"{visit.get_base_url()}/my/visits/{visit.id}/report"
            f"?access_token={visit.access_token}",
        )
        self.assertTrue(visit.access_token)
        # the queue goes out through the gateway
        with self.mockSMSGateway():
            self.env["sms.sms"].sudo().browse(sms.ids).send()
        self.assertEqual(
            sorted(sent["body"] for sent in self._sms), sorted(sms.mapped("body"))
        )
        self.assertSMSIapSent([number], content="is on the way")
        # the ticket's conversation tells the client too (e-mails)
        bodies = self.ticket.message_ids.mapped("body")
        self.assertTrue(any("is on the way" in body for body in bodies))
        self.assertTrue(any("has arrived" in body for body in bodies))

    def test_report_content(self):
        visit = self._create_visit()
        visit.action_arrived()
        visit._add_work(self.work_diag, 1)
        visit._add_work(self.part_roll, 2)
        visit._sign("Mike Rolls", SIGNATURE_PNG)
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "helpdesk_field.action_report_helpdesk_visit", visit.ids
        )
        # Odoo 18 renders HTML instead of calling wkhtmltopdf in test mode
        if report_type == "pdf":
            self.assertTrue(content.startswith(b"%PDF"))
        else:
            self.assertEqual(report_type, "html")
            html = content.decode()
            self.assertIn(f"Visit report <span>{visit.name}</span>", html)
            self.assertIn("Till diagnosis", html)
            self.assertIn("Paper roll 57 mm", html)
            self.assertIn("o_helpdesk_field_report_work", html)
            self.assertIn("o_helpdesk_field_report_part", html)
            self.assertIn("Mike Rolls", html)
            self.assertIn("data:image/png;base64", html)

    def test_report_is_a_real_pdf(self):
        """The setup installs wkhtmltopdf: the report prints as a PDF."""
        visit = self._create_visit()
        visit.action_arrived()
        visit._add_work(self.work_diag, 1)
        visit._sign("Mike Rolls", SIGNATURE_PNG)
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("helpdesk_field.action_report_helpdesk_visit", visit.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertGreater(len(content), 2000)

    def test_no_report_printer_does_not_block(self):
        """Without wkhtmltopdf the visit is closed anyway; a note says why."""
        visit = self._create_visit().with_user(self.engineer)
        visit.action_arrived()
        visit.action_depart()

        def no_pdf(*args, **kwargs):
            raise UserError(self.env._("Unable to find Wkhtmltopdf on this system."))

        self.patch(type(self.env["helpdesk.visit"]), "_render_report", no_pdf)
        with (
            self.mockSMSGateway(),
            self.assertLogs(
                "odoo.addons.helpdesk_field.models.helpdesk_visit_notification",
                "WARNING",
            ),
        ):
            visit.action_confirm_done()
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.report_attachment_id)
        self.assertTrue(
            any(
                "could not be printed" in body
                for body in visit.message_ids.mapped("body")
            )
        )
        self.assertIn("/report?access_token=", self._visit_sms(visit)[-1].body)

    def test_contact_without_number(self):
        """No number: no SMS, the problem is on the visit, the work goes on."""
        self.contact.mobile = False
        visit = self._create_visit().with_user(self.engineer)
        with self.mockSMSGateway():
            visit.action_on_my_way(eta_minutes=15)
        self.assertEqual(visit.state, "on_the_way")
        self.assertFalse(self._visit_sms(visit))
        self.assertIn("no mobile or phone number", visit.sms_error)
        self.assertIn("no mobile or phone number", visit.message_ids[0].body)

    def test_gateway_failure_shows_on_visit(self):
        visit = self._create_visit().with_user(self.engineer)
        with self.mockSMSGateway(sim_error="server_error"):
            visit.action_on_my_way()
            self._visit_sms(visit).send()
        visit.invalidate_recordset(["sms_failed_count"])
        self.assertEqual(visit.sms_failed_count, 1)
        self.assertIn(
            visit,
            self.Visit.with_user(self.engineer).search(
                [("message_has_sms_error", "=", True)]
            ),
        )

    def test_sms_off_and_company_template(self):
        template = self.env["sms.template"].create(
            {
                "name": "Our own",
                "model_id": self.env["ir.model"]._get_id("helpdesk.visit"),
                "body": "Kettle service: {{ object.user_id.name }} comes.",
            }
        )
        self.company.helpdesk_visit_sms_on_way_template_id = template
        visit = self._create_visit().with_user(self.engineer)
        with self.mockSMSGateway():
            visit.action_on_my_way()
        self.assertEqual(
            self._visit_sms(visit).body, "Kettle service: Tom Field comes."
        )
        self.company.helpdesk_visit_sms = False
        with self.mockSMSGateway():
            visit.action_arrived()
        self.assertEqual(len(self._visit_sms(visit)), 1)

    def test_rounding_and_minimum(self):
        visit = self._create_visit()
        with freeze_time(MONDAY.replace(hour=9)):
            visit.action_arrived()
        with freeze_time(MONDAY.replace(hour=9, minute=4)):
            visit.action_depart()
        self.assertEqual(visit.labour_minutes, 15, "the team's minimum")
        visit.action_resume()
        with freeze_time(MONDAY.replace(hour=9, minute=31)):
            visit.action_depart()
        self.assertEqual(visit.labour_minutes, 45, "31 min rounded up to 45")

    def test_zero_minutes_no_timesheet(self):
        visit = self._create_visit().with_user(self.engineer)
        visit.action_arrived()
        with self.mockSMSGateway():
            visit.action_confirm_done(labour_minutes=0)
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.timesheet_id)

    def test_engineer_without_employee(self):
        self.employee.user_id = False
        visit = self._create_visit().with_user(self.engineer)
        visit.action_arrived()
        with self.assertRaisesRegex(UserError, "has no employee"):
            visit.action_confirm_done()
        self.assertEqual(visit.state, "on_site")

    def test_only_engineer_or_manager_confirms(self):
        visit = self._create_visit()
        visit.action_arrived()
        with self.assertRaisesRegex(UserError, "Only Tom Field"):
            visit.with_user(self.dispatcher).action_confirm_done()

    def test_wrong_steps(self):
        visit = self._create_visit().with_user(self.engineer)
        with self.assertRaises(UserError):
            visit.action_depart()
        with self.assertRaises(UserError):
            visit._add_work(self.work_diag, 1)
        with self.mockSMSGateway():
            visit.action_arrived()
        with self.assertRaises(UserError):
            visit.action_on_my_way()
        with self.assertRaises(UserError):
            visit._add_work(self.work_diag, 0)
        with self.assertRaises(UserError):
            visit.action_confirm_done(labour_minutes=-5)

    def test_dispatcher_plans_with_form(self):
        form = Form(self.Visit.with_user(self.dispatcher))
        form.ticket_id = self.ticket
        form.user_id = self.engineer
        form.date_planned = MONDAY.replace(hour=13)
        form.planned_hours = 1.5
        visit = form.save()
        self.assertEqual(visit.site_id, self.site)
        self.assertEqual(visit.date_planned_end, MONDAY.replace(hour=14, minute=30))
        self.assertEqual(self.ticket.with_user(self.dispatcher).visit_count, 1)
        self.assertIn(self.engineer.partner_id, visit.message_partner_ids)
        visit.action_cancel()
        self.assertEqual(visit.state, "cancelled")
        visit.action_reset_planned()
        visit.unlink()
        self.assertFalse(visit.exists())

    def test_started_visit_cannot_be_deleted(self):
        visit = self._create_visit()
        visit.action_arrived()
        with self.assertRaises(UserError):
            visit.unlink()

    def test_work_line_of_another_ticket_refused(self):
        other = self.env["helpdesk.ticket"].create(
            {"name": "Other", "partner_id": self.contact.id, "team_id": self.team.id}
        )
        visit = self._create_visit()
        with self.assertRaises(ValidationError):
            self.env["helpdesk.ticket.work"].create(
                {
                    "ticket_id": other.id,
                    "visit_id": visit.id,
                    "product_id": self.work_diag.id,
                }
            )

    def test_planned_end_follows_duration(self):
        visit = self._create_visit(hours=0.5)
        self.assertEqual(
            visit.date_planned_end, visit.date_planned + timedelta(minutes=30)
        )
