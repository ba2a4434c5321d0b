from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _get_helpdesk_home_action(self):
        """Field engineers land on their phone workspace, /field; those who
        also dispatch the visits or administer the helpdesk on its overview."""
        self.ensure_one()
        if self.has_group("helpdesk_field.group_field_engineer") and not (
            self.has_group("helpdesk_field.group_field_dispatcher")
            or self.has_group("helpdesk_service.group_helpdesk_manager")
        ):
            action = self.env.ref(
                "helpdesk_field.helpdesk_field_action_workspace",
                raise_if_not_found=False,
            )
            if action:
                return action
        return super()._get_helpdesk_home_action()
