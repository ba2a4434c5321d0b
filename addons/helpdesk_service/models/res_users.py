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
    # the teams whose tickets the agent sees: the agents' record rules on tickets
    # and on their timeline, targets and calls read it once per agent (cached
    # with the rules; a team's members or visibility changing clears it)
    helpdesk_visible_team_ids = fields.Many2many(
        "helpdesk.team",
        compute="_compute_helpdesk_visible_team_ids",
        compute_sudo=True,
        # archived teams too: their tickets stay visible to the same agents
        context={"active_test": False},
        groups="base.group_user",
    )

    def _compute_helpdesk_visible_team_ids(self):
        Team = self.env["helpdesk.team"].sudo().with_context(active_test=False)
        shared = Team.search([("visibility", "=", "all")])
        for user in self:
            own = Team.search([("member_ids", "in", user._origin.ids)])
            user.helpdesk_visible_team_ids = shared | own

    def write(self, vals):
        res = super().write(vals)
        if "helpdesk_team_ids" in vals:
            self.env["helpdesk.team"]._clear_visible_teams()
        return res

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "helpdesk_skill_ids",
            "helpdesk_team_ids",
        ]
