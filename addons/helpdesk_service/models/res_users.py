from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    helpdesk_team_ids = fields.Many2many(
        "helpdesk.team",
        "helpdesk_team_member_rel",
        "user_id",
        "team_id",
        string="Helpdesk teams",
    )
    helpdesk_pbx_extension = fields.Char(
        "Phone extension",
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
        help="The agent's extension on the phone system: the calls it reports "
        "for this extension are logged as his.",
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

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_helpdesk_home_action()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "helpdesk_team_ids" in vals:
            self.env["helpdesk.team"]._clear_visible_teams()
        # groups set on the user form come as groups_id or reified group fields
        if any(
            key == "groups_id" or key.startswith(("in_group_", "sel_groups_"))
            for key in vals
        ):
            self._set_helpdesk_home_action()
        return res

    # ------------------------------------------------------------ home action
    def _get_helpdesk_home_action(self):
        """The action the helpdesk suggests as this user's home: the Helpdesk
        overview for its agents (helpdesk_field sends engineers to /field), an
        empty recordset for the others."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]
        if self.has_group("helpdesk_service.group_helpdesk_user"):
            action = self.env.ref(
                "helpdesk_service.helpdesk_team_action_overview",
                raise_if_not_found=False,
            )
        return action or self.env["ir.actions.actions"]

    def _set_helpdesk_home_action(self):
        """Give the helpdesk's home action to its internal users who have no
        home action: one they chose themselves is kept."""
        by_action = {}
        for user in self.filtered(lambda u: not u.share and not u.action_id):
            action = user._get_helpdesk_home_action()
            if action:
                by_action.setdefault(action.id, []).append(user.id)
        for action_id, user_ids in by_action.items():
            self.browse(user_ids).write({"action_id": action_id})

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "helpdesk_team_ids",
        ]
