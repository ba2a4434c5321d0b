from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import MONDAY, SIGNATURE_PNG, HelpdeskFieldCommon


@tagged("post_install", "-at_install", "helpdesk_field")
class TestVisitRecordedFacts(HelpdeskFieldCommon, TransactionCase):
    """What an engineer did on site (when he set off, arrived and left, where
    he checked in, who signed, that the visit is done) is recorded by his
    actions, never written directly over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()
        cls.manager = new_test_user(
            cls.env,
            login="hf_recorded_manager",
            groups="base.group_user,helpdesk_service.group_helpdesk_manager",
        )

    def test_engineer_cannot_fake_his_visit(self):
        visit = self._create_visit()
        mine = visit.with_user(self.engineer)
        for vals in (
            {"date_arrived": MONDAY},
            {"arrival_latitude": 50.0, "arrival_longitude": 4.0},
            {"signed_by": "Nobody", "signed_on": MONDAY},
            {"state": "done"},
            {"note": "Done", "state": "on_site"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mine.write(vals)
        self.assertEqual(visit.state, "planned")
        self.assertFalse(visit.date_arrived or visit.signed_by or visit.note)
        # his actions record them
        with freeze_time(MONDAY.replace(hour=9)):
            mine.action_arrived(latitude=50.85, longitude=4.35)
        self.assertEqual(visit.state, "on_site")
        self.assertEqual(visit.date_arrived, MONDAY.replace(hour=9))
        self.assertAlmostEqual(visit.arrival_latitude, 50.85)
        mine._sign("Mike Rolls", SIGNATURE_PNG)
        self.assertEqual(visit.signed_by, "Mike Rolls")
        # done only through the confirmation, which books his time
        with self.assertRaises(AccessError):
            mine.write({"state": "done"})
        with freeze_time(MONDAY.replace(hour=10)):
            mine.action_confirm_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.timesheet_id.unit_amount, 1.0)
        self.assertFalse(
            self.ticket.event_ids.filtered(lambda e: e.event_type == "corrected")
        )

    def test_manager_correction_is_logged_on_the_ticket(self):
        visit = self._create_visit()
        visit.with_user(self.manager).write({"arrival_latitude": 51.5})
        self.assertEqual(visit.arrival_latitude, 51.5)
        event = self.ticket.event_ids.filtered(lambda e: e.event_type == "corrected")
        self.assertEqual(len(event), 1)
        self.assertEqual(event.user_id, self.manager)
        self.assertEqual((event.old_value, event.new_value), ("0.0", "51.5"))
        self.assertIn(visit.name, event.note)
