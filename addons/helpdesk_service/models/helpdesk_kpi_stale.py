from odoo import api, fields, models


class HelpdeskKpiStale(models.Model):
    """Agents and teams whose KPI scores lost a ticket or a rating since the
    last refresh (reassigned or deleted): the write date of the ticket only
    tells the new owner, so the old one is noted here for the next incremental
    refresh of helpdesk.kpi, which recomputes and deletes these rows."""

    _name = "helpdesk.kpi.stale"
    _description = "Helpdesk KPI scores to recompute"
    _log_access = False

    user_id = fields.Many2one("res.users", "Agent", ondelete="cascade")
    team_id = fields.Many2one("helpdesk.team", ondelete="cascade")

    @api.model
    def _mark(self, users, teams):
        """Note `users` and `teams` (recordsets) for the next refresh, in one
        INSERT."""
        vals_list = [{"user_id": user.id} for user in users] + [
            {"team_id": team.id} for team in teams
        ]
        if vals_list:
            self.sudo().create(vals_list)
