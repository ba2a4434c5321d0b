from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Make the helpdesk the home of its existing users who have no home action
    of their own (they landed on Discuss). An end- script: it runs once every
    addon is loaded, so helpdesk_field's engineers get /field."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    group = env.ref("helpdesk_service.group_helpdesk_user", raise_if_not_found=False)
    if not group:
        return
    users = env["res.users"].search(
        [
            ("share", "=", False),
            ("action_id", "=", False),
            ("groups_id", "in", group.ids),
        ]
    )
    users._set_helpdesk_home_action()
