from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestMajorIncident(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.other_contact = cls.env["res.partner"].create(
            {
                "name": "Olly Other",
                "parent_id": cls.other_client.id,
                "email": "olly@other.example.com",
            }
        )

    def _incident(self):
        parent = self._ticket(
            name="Data centre uplink down",
            partner_id=False,
            is_major_incident=True,
            user_id=self.agent_a.id,
        )
        children = self._ticket(name="No internet", parent_id=parent.id) | self._ticket(
            name="Payments fail", partner_id=self.other_contact.id, parent_id=parent.id
        )
        return parent, children

    def test_links_and_constraints(self):
        parent, children = self._incident()
        self.assertEqual(parent.child_count, 2)
        self.assertEqual(parent.open_child_count, 2)
        plain = self._ticket()
        with self.assertRaises(ValidationError):
            children[0].parent_id = plain
        with self.assertRaises(ValidationError):
            parent.is_major_incident = False
        with self.assertRaises(ValidationError):
            parent.parent_id = parent
        action = parent.action_open_children()
        self.assertEqual(self.Ticket.search(action["domain"]), children)

    def test_public_reply_reaches_every_linked_client(self):
        parent, children = self._incident()
        closed = self._ticket(name="Already solved", parent_id=parent.id)
        closed.stage_id = self.stage_closed
        self._post_as(
            parent, user=self.agent_a, body="Provider is repairing, ETA 14:00"
        )
        for child in children:
            last = child.message_ids[0]
            self.assertIn("ETA 14:00", str(last.body))
            self.assertEqual(last.subtype_id, self.env.ref("mail.mt_comment"))
            self.assertEqual(last.author_id, self.agent_a.partner_id)
            self.assertIn(child.partner_id, child.message_partner_ids)
            self.assertTrue(child.date_first_response, "the relay answers the client")
        self.assertNotIn("ETA 14:00", str(closed.message_ids.mapped("body")))
        # internal notes stay on the incident
        self._post_as(
            parent, user=self.agent_a, internal=True, body="call the provider again"
        )
        self.assertNotIn("provider again", str(children.message_ids.mapped("body")))
        # the relay can be switched off
        parent.relay_to_children = False
        self._post_as(parent, user=self.agent_a, body="Second update")
        self.assertNotIn("Second update", str(children.message_ids.mapped("body")))

    def test_closing_offers_to_close_children(self):
        parent, children = self._incident()
        action = parent.action_close()
        wizard_form = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        )
        self.assertEqual(wizard_form.stage_id, self.stage_resolved)
        self.assertTrue(wizard_form.close_children)
        wizard_form.resolution = "<p>Uplink replaced by the provider.</p>"
        wizard_form.save().action_confirm()
        for ticket in parent | children:
            self.assertEqual(ticket.stage_id, self.stage_resolved)
            self.assertIn("Uplink replaced", str(ticket.resolution))
            self.assertTrue(ticket.date_resolved)
        with self.assertRaises(UserError):
            wizard = self.env["helpdesk.ticket.close"].create(
                {"ticket_id": parent.id, "resolution": "<p>again</p>"}
            )
            wizard.action_confirm()

    def test_closing_parent_alone(self):
        parent, children = self._incident()
        wizard = self.env["helpdesk.ticket.close"].create(
            {
                "ticket_id": parent.id,
                "resolution": "<p>Done</p>",
                "close_children": False,
            }
        )
        wizard.action_confirm()
        self.assertTrue(parent.is_closed)
        self.assertFalse(any(children.mapped("is_closed")))
        empty = self.env["helpdesk.ticket.close"].create(
            {"ticket_id": children[0].id, "resolution": "<p><br></p>"}
        )
        with self.assertRaises(UserError):
            empty.action_confirm()

    def test_status_bar_close_takes_the_open_children_along(self):
        parent, children = self._incident()
        done_earlier = self._ticket(name="Fixed earlier", parent_id=parent.id)
        done_earlier.write(
            {
                "resolution": "<p>Rebooted the router</p>",
                "stage_id": self.stage_closed.id,
            }
        )
        parent.resolution = "<p>Uplink replaced.</p>"
        # not through the Resolve wizard: the stage is set directly
        parent.stage_id = self.stage_resolved
        self.assertEqual(children.stage_id, self.stage_resolved)
        for child in children:
            self.assertIn("Uplink replaced", str(child.resolution))
        self.assertEqual(done_earlier.stage_id, self.stage_closed, "left alone")
        self.assertIn("Rebooted", str(done_earlier.resolution))
        note = parent.message_ids.filtered(
            lambda m: "followed the major incident" in str(m.body)
        )
        self.assertEqual(len(note), 1)
        for child in children:
            self.assertIn(child.ticket_ref, str(note.body))
        self.assertNotIn(done_earlier.ticket_ref, str(note.body))
        # closing the incident closes the resolved children too
        parent.stage_id = self.stage_closed
        self.assertEqual(children.stage_id, self.stage_closed)
        self.assertTrue(all(children.mapped("date_closed")))
