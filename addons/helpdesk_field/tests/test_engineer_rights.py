from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("helpdesk_field")
class TestEngineerRights(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(
            cls.env,
            login="hf_engineer",
            groups="base.group_user,helpdesk_field.group_field_engineer",
        )
        cls.ticket = cls.env["helpdesk.ticket"].create({"name": "Till #2 is down"})

    def test_engineer_works_on_tickets_like_an_agent(self):
        self.assertTrue(self.engineer.has_group("helpdesk_service.group_helpdesk_user"))
        ticket = self.ticket.with_user(self.engineer)
        ticket.action_assign_to_me()
        self.assertEqual(ticket.user_id, self.engineer)
        self.assertEqual(
            ticket.event_ids.filtered(lambda e: e.event_type == "assigned").user_id,
            self.engineer,
        )

    def test_engineer_is_not_a_manager(self):
        self.assertFalse(
            self.engineer.has_group("helpdesk_service.group_helpdesk_manager")
        )
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.engineer).unlink()
