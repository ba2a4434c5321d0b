from lxml import etree

from odoo.tests import tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import HelpdeskFieldCommon


@tagged("post_install", "-at_install", "helpdesk_field")
class TestVisitPosition(HelpdeskFieldCommon, SMSCase):
    """A check-in without a position stores no coordinates (not 0, 0: a real
    place); a position of 0, 0 is kept and shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field()

    def _stored(self, visit):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT arrival_latitude, arrival_longitude, arrival_has_position "
            "FROM helpdesk_visit WHERE id = %s",
            [visit.id],
        )
        return self.env.cr.fetchone()

    def test_no_position_is_empty(self):
        for args in ({}, {"latitude": False, "longitude": False}):
            visit = self._create_visit().with_user(self.engineer)
            with self.mockSMSGateway():
                visit.action_arrived(**args)
            latitude, longitude, located = self._stored(visit)
            self.assertIsNone(latitude, args)
            self.assertIsNone(longitude, args)
            self.assertFalse(located, args)

    def test_zero_zero_is_a_position(self):
        visit = self._create_visit().with_user(self.engineer)
        with self.mockSMSGateway():
            visit.action_arrived(latitude=0.0, longitude=0.0)
        # (the ORM reads an empty float as 0.0: it is the flag that tells)
        self.assertTrue(self._stored(visit)[2])
        self.assertEqual((visit.arrival_latitude, visit.arrival_longitude), (0.0, 0.0))
        form = etree.fromstring(self.env["helpdesk.visit"].get_view()["arch"])
        for name in ("arrival_latitude", "arrival_longitude"):
            (node,) = form.xpath(f"//field[@name='{name}']")
            self.assertEqual(node.get("invisible"), "not arrival_has_position")
