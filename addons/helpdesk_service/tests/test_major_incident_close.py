from lxml import etree

from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestMajorIncidentClose(HelpdeskCommonMixin, TransactionCase):
    """However a major incident is resolved or closed, its linked tickets follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _incident(self):
        parent = self._ticket(
            name="Mail server down", partner_id=False, is_major_incident=True
        )
        children = self._ticket(name="No mail", parent_id=parent.id) | self._ticket(
            name="Mail bounces", parent_id=parent.id
        )
        return parent, children

    def test_status_bar_resolves_children(self):
        parent, children = self._incident()
        done = self._ticket(name="Already closed", parent_id=parent.id)
        done.stage_id = self.stage_closed
        parent.resolution = "<p>Disk replaced.</p>"
        with Form(parent.with_user(self.agent_a)) as form:
            form.stage_id = self.stage_resolved
        for child in children:
            self.assertEqual(child.stage_id, self.stage_resolved)
            self.assertIn("Disk replaced", str(child.resolution))
            self.assertTrue(child.date_resolved)
        self.assertEqual(done.stage_id, self.stage_closed, "closed ones stay closed")
        self.assertIn(children[0].ticket_ref, str(parent.message_ids[0].body))

    def test_kanban_close_closes_children(self):
        """A drop in the kanban's Closed column is a write of the stage."""
        parent, children = self._incident()
        children[0].stage_id = self.stage_resolved
        parent.with_user(self.agent_a).write({"stage_id": self.stage_closed.id})
        self.assertEqual(children.stage_id, self.stage_closed)
        self.assertTrue(all(children.mapped("date_closed")))

    def test_children_take_their_team_stage(self):
        parent, children = self._incident()
        own_resolved = self.env["helpdesk.stage"].create(
            {"name": "Fixed", "kind": "resolved", "is_closing": True, "sequence": 90}
        )
        other_team = self.env["helpdesk.team"].create(
            {
                "name": "Other desk",
                "stage_ids": [(6, 0, (self.stage_new | own_resolved).ids)],
            }
        )
        children[1].write({"team_id": other_team.id, "stage_id": self.stage_new.id})
        parent.stage_id = self.stage_resolved
        self.assertEqual(children[0].stage_id, self.stage_resolved)
        self.assertEqual(children[1].stage_id, own_resolved)

    def test_wizard_alone_keeps_children_open(self):
        parent, children = self._incident()
        self.env["helpdesk.ticket.close"].create(
            {
                "ticket_id": parent.id,
                "resolution": "<p>Done</p>",
                "close_children": False,
            }
        ).action_confirm()
        self.assertTrue(parent.is_closed)
        self.assertFalse(any(children.mapped("is_closed")))

    def test_form_tells_before(self):
        arch = etree.fromstring(
            self.Ticket.get_view(
                self.env.ref("helpdesk_service.helpdesk_ticket_view_form").id
            )["arch"]
        )
        (notice,) = arch.xpath(
            "//div[contains(@class, 'o_helpdesk_service_children_notice')]"
        )
        self.assertEqual(
            notice.get("invisible"),
            "not is_major_incident or is_closed or not open_child_count",
        )
