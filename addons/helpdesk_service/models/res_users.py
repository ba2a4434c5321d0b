from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    helpdesk_skill_ids = fields.One2many(
        "helpdesk.agent.skill", "user_id", "Helpdesk skills"
    )
    helpdesk_team_ids = fields.Many2many(
        "helpdesk.team",
        "helpdesk_team_member_rel",
        "user_id",
        "team_id",
        string="Helpdesk teams",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "helpdesk_skill_ids",
            "helpdesk_team_ids",
        ]
