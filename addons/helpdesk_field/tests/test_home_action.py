from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("helpdesk_field")
class TestHomeAction(TransactionCase):
    """Field engineers land on /field, dispatchers on the helpdesk overview."""

    def test_engineers_land_on_their_workspace(self):
        workspace = self.env.ref("helpdesk_field.helpdesk_field_action_workspace")
        overview = self.env.ref("helpdesk_service.helpdesk_team_action_overview")
        engineer = new_test_user(
            self.env,
            login="hf_home_engineer",
            groups="base.group_user,helpdesk_field.group_field_engineer",
        )
        self.assertEqual(engineer.action_id.id, workspace.id)
        dispatcher = new_test_user(
            self.env,
            login="hf_home_dispatcher",
            groups="helpdesk_field.group_field_engineer,"
            "helpdesk_service.group_helpdesk_manager",
        )
        self.assertEqual(dispatcher.action_id.id, overview.id)
        # an agent made an engineer later keeps the home he already had
        agent = new_test_user(
            self.env,
            login="hf_home_agent",
            groups="helpdesk_service.group_helpdesk_user",
        )
        agent.write(
            {"groups_id": [(4, self.env.ref("helpdesk_field.group_field_engineer").id)]}
        )
        self.assertEqual(agent.action_id.id, overview.id)
